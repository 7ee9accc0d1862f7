// Package index keeps the ordered set of entries in step with the seeds
// folder and the state store. It is the one package that joins source
// (which files, read safely), extract (what a file says) and state (stable
// IDs and dates).
//
// In memory it holds, for every entry, only its path, ID, publication
// date and categories, in memory the collector need not walk (see
// records.go); titles, summaries and full text are kept for the newest
// entries only, those the next render needs.
package index

import (
	"context"
	"hash/maphash"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/btree"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// Index is the set of entries, kept in step with the seeds folder and the
// state store. It is safe for concurrent use.
//
// Indexing a file costs one read and extract.Inspect. A small batch, the
// daemon's usual one, is extracted in the same read, so a new file is read
// once on its way to the feed; Entries extracts what is still missing for
// the newest entries only. So a feed of N entries costs N extractions at
// most, whatever the size of the folder.
type Index struct {
	src   source.Source
	place string // src's folder as an absolute, slash-separated path (see feed.BelowRoot)
	store *state.Store
	now   func() time.Time
	log   *slog.Logger
	reads atomic.Int64 // files read, for progress and tests
	// afterRead, when set (by tests), is called with the count of files
	// read after each read of a batch.
	afterRead func(n int64)
	keep      atomic.Int64           // entries the last Entries asked for: what a render needs
	keepBytes atomic.Int64           // the budget of text the last Entries was given
	site      atomic.Pointer[string] // the base URL new files' IDs name (see SetSite)

	mu sync.Mutex
	// The entries are records (see rec), named by handles. Their order is
	// kept in one of two forms. A first Rescan or Load leaves it in flat,
	// a slice of handles in order, which is quick to make and enough to
	// render from; the first change to the index turns that into order and
	// byPath, which take changes one at a time. So a build never pays for
	// the second form, and a daemon pays once, when it first needs it. At
	// 100,000 files one form alone made a warm rebuild 35% slower.
	recs      []rec                    // by handle; recs[pivot] is no entry's
	arena     []byte                   // the records' paths and IDs
	garbage   int                      // bytes of the arena no record uses
	free      []handle                 // records free for the next entries
	pivotPath []byte                   // the pivot record's path (see pivotAt)
	seed      maphash.Seed             // of the tables' hashes
	flat      []handle                 // only while order is nil
	sortedTo  int                      // flat[:sortedTo] is newest first, and older than the rest (see sortFlatTo)
	order     *btree.BTreeG[handle]    // every entry, newest first
	nodes     *btree.FreeListG[handle] // the B-trees' nodes free for use again, shared by all (see newTree)
	byPath    table                    // every entry, by path; made with order
	byID      table                    // every entry, by ID; made when first needed (see ensureIDs)

	failed    map[string]source.Stamp // files that could not be read, as they were then
	later     map[string]bool         // files whose read failed for a reason of the machine's, to read again
	unlisted  map[string]string       // folders the last rescan could not list, and why
	held      string                  // why an empty seeds folder does not empty the index, while it does not
	grace     time.Duration           // see Options.EmptyGrace
	future    bool                    // see Options.Future
	next      int64                   // the earliest date of the entries the last Entries left out as scheduled; 0 when none
	scheduled int                     // how many it left out
	feedLast  pos                     // the oldest entry of the subscription feeds, as the last Entries found them
	feedFull  bool                    // they held as many as they may: older entries are in the archive
	bounds    []state.Bound           // of the closed archive pages, oldest first; nil until loaded
	docs      map[string]kept         // the entries Entries last returned, by path; never changed, only replaced
	fresh     map[string]kept         // entries extracted as they were indexed, since Entries last ran
	freshText int64                   // bytes of text in fresh
	sources   feed.CategorySources    // where categories come from (see Options)
	how       atomic.Pointer[readers] // how files are read, as the site the folder is says (see findSite)
	cats      map[string]*catSet      // by slug
	touched   map[string]bool         // slugs of the categories changed since TakeTouched
	waiting   []pending               // the entries the last Entries left out as scheduled
	cutoff    int64                   // the time of the last Entries, in Unix nanoseconds; 0 before the first
	catGen    uint64                  // counts the changes to the list of categories (see Categories)
	catsMade  bool                    // cats is made, and kept in step (see ensureCats)
	slugs     map[string]string       // the slug of each category name seen
	tally     Tally                   // what changed since TakeTally
	skipped   func(reason string)     // see Options.Skipped
	publish   func()                  // see Options.Publish
	reuse     *reuse                  // see Options.Reuse; nil when none
	filling   bool                    // a first index publishes as it fills (see Options.Publish)
	filled    bool                    // it has read the whole folder: the next Archive lays out the archives
	internMu  sync.Mutex              // guards catSets, catSet and catsOf, which judge fills from two goroutines
	catSets   []string                // the sets of category names of entries, each joined by catSep; catSets[0] is none
	catSet    map[string]uint32       // the place of each set in catSets
	catsOf    map[string]uint32       // the set of each folder's category, place and tags seen lately (see categoriesOf)

	media mediaRefs // the files entries reference, which may be published
}

// Options are what an Index needs besides its source and store.
type Options struct {
	Now    func() time.Time // the clock for first-seen times; time.Now when nil
	Logger *slog.Logger     // slog.Default() when nil
	// EmptyGrace is how long a seeds folder found empty or missing, while
	// the store holds entries, is taken for an outage (an unmounted disk, a
	// failed sync) and its entries kept. Zero removes them at once.
	EmptyGrace time.Duration
	// Limit and TextBytes are what a render needs, until Entries says:
	// the newest Limit entries, with TextBytes of their text (see
	// Entries). A first batch no larger than Limit is extracted as it is
	// read, and keeps no more text than that. Zero Limit: 50; zero
	// TextBytes: no bound.
	Limit     int
	TextBytes int64
	// Categories says where the entries' categories come from; none when
	// zero.
	Categories feed.CategorySources
	// Future publishes entries dated later than now at once. Without it,
	// such an entry is scheduled: Entries leaves it out until its date
	// (see Scheduled), and Find does not find it.
	Future bool
	// Skipped, when set, is told why each file read is left out, in one
	// of a few words (see SkipReason).
	Skipped func(reason string)
	// Extract says how files are read: their encoding, when it is set
	// rather than detected.
	Extract extract.Options
	// Publish, when set, is called during a Rescan of an empty index, as
	// the entries come in, newest first (see newestFirst), by the
	// goroutine that called Rescan. Entries and Archive then give what is
	// indexed so far.
	Publish func()
	// Reuse keeps the latest Reuse extractions that EntriesOf made, for
	// the next calls (see reuse); none when zero. A build sets it.
	Reuse int
}

// SetSite sets the base URL of the site, whose name the IDs of files seen
// from now on take (state.SiteID): the daemon's, which a reload may
// change. Files seen before keep their IDs.
func (ix *Index) SetSite(baseURL string) { ix.site.Store(&baseURL) }

// siteURL returns what SetSite set, or "".
func (ix *Index) siteURL() string {
	if p := ix.site.Load(); p != nil {
		return *p
	}
	return ""
}

// New returns an empty index over src, recording into store.
func New(src source.Source, store *state.Store, opts Options) *Index {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Skipped == nil {
		opts.Skipped = func(string) {}
	}
	ix := &Index{src: src, place: src.Place(), store: store, now: opts.Now, log: opts.Logger,
		failed: map[string]source.Stamp{}, fresh: map[string]kept{},
		later: map[string]bool{}, unlisted: map[string]string{}, grace: opts.EmptyGrace, future: opts.Future, skipped: opts.Skipped,
		sources: opts.Categories, publish: opts.Publish, reuse: newReuse(opts.Reuse), cats: map[string]*catSet{}, touched: map[string]bool{}, slugs: map[string]string{},
		recs: make([]rec, 1), nodes: btree.NewFreeListG[handle](btree.DefaultFreeListSize), seed: maphash.MakeSeed(), catSets: []string{""}, catSet: map[string]uint32{}, catsOf: map[string]uint32{}}
	ix.how.Store(&readers{full: opts.Extract, brief: briefOf(opts.Extract)})
	ix.keep.Store(defaultKeep)
	if opts.Limit > 0 {
		ix.keep.Store(int64(opts.Limit))
	}
	ix.keepBytes.Store(opts.TextBytes)
	if store != nil && store.Empty() {
		// A new store's files are judged by these rules from the first
		// (see extract.Rules). One that cannot note them now (a store
		// opened to read) has its files read again at the next rescan.
		store.SetRules(extract.Rules)
	}
	return ix
}

// defaultKeep is how many entries a batch keeps extracted before any
// Entries call has said how many a render needs, when Options.Limit does
// not say either.
const defaultKeep = 50

// settle turns flat into order and byPath. The caller holds ix.mu.
func (ix *Index) settle() {
	if ix.order != nil {
		return
	}
	ix.sortFlat()
	ix.order = ix.newTree()
	ix.byPath = newTable(len(ix.flat), ix.pathHash)
	for _, h := range slices.Backward(ix.flat) { // see newTree
		ix.order.ReplaceOrInsert(h)
		ix.byPath.insert(h)
	}
	ix.flat, ix.sortedTo = nil, 0
}

// newTree returns an empty B-tree of entries in order, for the index's
// order or a category's. Its nodes hold handles, 4 bytes each, so wide
// nodes cost little to shift, and few nodes little to the collector.
//
// A large tree is best filled oldest first, each handle going to the
// front: a node that splits keeps taking the handles that come, and the
// half split off is copied into a slice just large enough for it. Filled
// newest first, each half left behind would stay in a slice sized for a
// full node, and cost twice the heap.
func (ix *Index) newTree() *btree.BTreeG[handle] {
	return btree.NewWithFreeListG(64, ix.newer, ix.nodes)
}

// Settle makes the index ready to take changes one at a time, which the
// first change would otherwise do. A daemon calls it once its first index
// is served.
func (ix *Index) Settle() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.settle()
}

// link puts h, a record just filled, in the order, the tables and its
// categories' sets; unlink takes it out, before its record changes. The
// caller holds ix.mu.
func (ix *Index) link(h handle) {
	ix.order.ReplaceOrInsert(h)
	ix.byPath.insert(h)
	if ix.byID.made() {
		ix.byID.insert(h)
	}
	ix.addCats(h)
}

func (ix *Index) unlink(h handle) {
	ix.order.Delete(h)
	ix.byPath.remove(h)
	if ix.byID.made() {
		ix.byID.remove(h)
	}
	ix.removeCats(h)
}

// put puts entry i of b in the index, in place of the entry at its path if
// there is one. The caller holds ix.mu.
func (ix *Index) put(b *batch, i int) {
	ix.settle()
	h, ok := ix.lookup(b.path(i))
	if !ok {
		ix.link(ix.adopt(b, i))
		return
	}
	ix.unlink(h)
	ix.replace(h, b, i)
	ix.link(h)
}

// drop reports whether the index held path.
func (ix *Index) drop(path string) bool {
	delete(ix.fresh, path)
	ix.forgetMedia(path)
	if ix.size() == 0 {
		return false // empty: nothing to settle
	}
	ix.settle()
	h, ok := ix.lookup(path)
	if ok {
		ix.unlink(h)
		ix.release(h)
	}
	return ok
}

// putAll puts the entries of b, whose paths are distinct. fresh promises
// that none of them is in the index yet: then, while the index is flat,
// they are only appended.
func (ix *Index) putAll(b *batch, fresh bool) {
	if ix.order == nil && (fresh || ix.size() == 0) {
		ix.reserve(b)
		ix.flat = slices.Grow(ix.flat, len(b.recs))
		if len(ix.free) == 0 && !ix.byID.made() && !ix.catsMade {
			ix.appendAll(b)
			return
		}
		for i := range b.recs {
			h := ix.adopt(b, i)
			ix.flat = append(ix.flat, h)
			if ix.byID.made() {
				ix.byID.insert(h)
			}
			ix.addCats(h)
		}
		ix.sortedTo = 0
		return
	}
	for i := range b.recs {
		ix.put(b, i)
	}
}

// appendAll appends the entries of b to the records and to flat at once,
// the batch's bytes in one copy: a build's first index has no free record,
// nor any table or category set yet to put them in. The caller holds
// ix.mu.
func (ix *Index) appendAll(b *batch) {
	if len(ix.arena)+len(b.arena) > math.MaxUint32 {
		panic("index: more than 4 GiB of paths and IDs") // a record's offset would wrap
	}
	base, h := uint32(len(ix.arena)), handle(len(ix.recs))
	ix.arena = append(ix.arena, b.arena...) // its records' bytes in their order, and nothing else (see batch.add)
	for _, r := range b.recs {
		r.at += base
		ix.recs = append(ix.recs, r)
		ix.flat = append(ix.flat, h)
		h++
	}
	ix.sortedTo = 0
}

// sortFlat puts all of flat in order. The caller holds ix.mu.
func (ix *Index) sortFlat() { ix.sortFlatTo(len(ix.flat)) }

// sortFlatTo puts at least the n newest entries of flat in order, at its
// front. A build that finds its output current reads only the newest
// entries, for the feeds and the open archive page: sorting them all was
// a tenth of a warm rebuild's work once its files were judged. Each call
// that sorts more sorts at least as many again, so that reading the
// whole order costs about one sort. The caller holds ix.mu.
func (ix *Index) sortFlatTo(n int) {
	if n <= ix.sortedTo {
		return
	}
	rest := ix.flat[ix.sortedTo:]
	if k := max(n-ix.sortedTo, ix.sortedTo, 256); k < len(rest)/4 {
		ix.selectNewest(rest, k)
		rest = rest[:k]
	}
	slices.SortFunc(rest, ix.cmpNewer)
	ix.sortedTo += len(rest)
}

// cmpNewer orders handles newest first.
func (ix *Index) cmpNewer(a, b handle) int {
	if ix.newer(a, b) {
		return -1
	}
	return 1 // never equal: paths differ
}

// selectNewest moves the k newest entries of s to its front, in no order
// (quickselect, with a random pivot: flat comes in path order, which is
// often the order of the dates too).
func (ix *Index) selectNewest(s []handle, k int) {
	for len(s) > 1 && k > 0 && k < len(s) {
		p := rand.IntN(len(s))
		s[p], s[len(s)-1] = s[len(s)-1], s[p]
		pivot, i := s[len(s)-1], 0
		for j := range s[:len(s)-1] {
			if ix.newer(s[j], pivot) {
				s[i], s[j] = s[j], s[i]
				i++
			}
		}
		s[i], s[len(s)-1] = s[len(s)-1], s[i] // s[:i] are newer than the pivot, at i
		switch {
		case k <= i:
			s = s[:i]
		default:
			s, k = s[i+1:], k-i-1
		}
	}
}

// size returns the number of entries. The caller holds ix.mu.
func (ix *Index) size() int { return len(ix.recs) - 1 - len(ix.free) }

// ascend calls fn with each entry, newest first, until fn returns false.
// The caller holds ix.mu, and fn changes no entry.
func (ix *Index) ascend(fn func(handle) bool) {
	if ix.order == nil {
		ix.ascendFlat(0, fn)
		return
	}
	ix.order.Ascend(fn)
}

// ascendFlat calls fn with each entry of flat from the ith in the order
// on, until fn returns false, sorting as it goes (see sortFlatTo). The
// caller holds ix.mu, and flat[:i] is in order.
func (ix *Index) ascendFlat(i int, fn func(handle) bool) {
	for ; i < len(ix.flat); i++ {
		if i == ix.sortedTo {
			ix.sortFlatTo(i + 1)
		}
		if !fn(ix.flat[i]) {
			return
		}
	}
}

// descend calls fn with each entry, oldest first. The caller holds ix.mu,
// and fn changes no entry.
func (ix *Index) descend(fn func(handle)) {
	if ix.order == nil {
		ix.sortFlat()
		for _, h := range slices.Backward(ix.flat) {
			fn(h)
		}
		return
	}
	ix.order.Descend(func(h handle) bool {
		fn(h)
		return true
	})
}

// Load fills the index from the state store alone, without reading the
// folder, so that a restarted daemon can serve its last feed soon. A
// Rescan then brings it in step with the folder. A million records take
// seconds: Load stops, with ctx's error and the index left as it was,
// once ctx is done.
func (ix *Index) Load(ctx context.Context) error {
	ix.findSite() // so that the first render leaves out what the site withholds
	// The batch is made the size of the store (see roomFor), once, and an
	// empty index takes it whole. Grown as it filled, then copied into the index, it
	// took the records' room three times over at its peak (the index's,
	// the batch's, and the batch's last growth): about 110 MB at 1,000,000.
	records, pathBytes, err := ix.store.Count()
	if err != nil {
		return err
	}
	b := batch{recs: make([]rec, 1, 1+roomFor(records)), arena: make([]byte, 0, roomFor(pathBytes))}
	n := 0
	err = ix.store.Briefs("", "", func(p []byte, br state.Brief) bool {
		ix.addBrief(&b, string(p), br)
		n++
		return n%4096 != 0 || ctx.Err() == nil
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return err
	}
	ix.mu.Lock()
	if !ix.adoptAll(&b) {
		ix.putAll(&batch{recs: b.recs[1:], arena: b.arena}, false)
	}
	ix.mu.Unlock()
	return ix.loadFilling()
}

// Reads returns how many files the index has read so far.
func (ix *Index) Reads() int64 { return ix.reads.Load() }

// Len returns the number of entries.
func (ix *Index) Len() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.size()
}

// IDs returns the set of every entry's ID.
func (ix *Index) IDs() map[string]bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ids := make(map[string]bool, ix.size())
	ix.ascend(func(h handle) bool {
		ids[ix.id(h)] = true
		return true
	})
	return ids
}
