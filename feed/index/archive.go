package index

import (
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/state"
)

// The archive (RFC 5005) holds every entry older than the subscription
// feeds, in pages numbered from 1, the oldest. Each closed page is the
// range of the order between two bounds that the store keeps, so a page
// keeps its address and its entries: a new entry pushes one entry into
// the open page, the newest; an entry that arrives late, with an old
// date, lands in the page its date falls in (so a closed page may come to
// hold more than a page's worth). The open page closes once it holds more
// than a page's worth, keeping the newest.

// Layout is how the archive stands at one render. ArchivePage reads a
// page as of a layout, so that the pages served beside a snapshot agree
// with its feeds, even while the next render is made.
type Layout struct {
	Closed int // pages 1 to Closed are closed
	Open   int // entries in page Closed+1, the open page

	set      string        // "" for the site's archive; else a category's slug
	feedLast pos           // the oldest entry of the feeds
	feedFull bool          // the feeds hold as many as they may: older entries are in the archive
	bounds   []state.Bound // of the closed pages; never changed, only appended to past its length
	filling  bool          // made while a first index fills: see Pages
}

// Pages returns how many archive pages there are: the closed ones, and the
// open one when any page is closed or it holds entries. Zero: every entry
// is in the subscription feeds. -1: not known yet, while a first index
// fills (see Options.Publish): the feeds then say neither that they are
// complete nor where their archive is, and no archive page is served.
func (l Layout) Pages() int {
	if l.filling {
		return -1
	}
	if l.Closed == 0 && l.Open == 0 {
		return 0
	}
	return l.Closed + 1
}

// PageDate returns a date of archive page k of l, in Unix nanoseconds:
// the newest entry's, or about it. The pages of all archives, in the order
// of these dates, come in the order of their entries.
func (l Layout) PageDate(k int) int64 {
	if k >= 1 && k <= len(l.bounds) {
		return l.bounds[k-1].Published
	}
	return l.feedLast.published // the open page: just older than the feeds
}

func posAt(b state.Bound) pos { return pos{published: b.Published, path: b.Path} }

// ascendIn calls fn with each entry of set at or after from in the order,
// newest first, until fn returns false: of the whole index when set is "",
// else of the category with that slug. The caller holds ix.mu.
func (ix *Index) ascendIn(set string, from pos, fn func(handle) bool) {
	if set == "" {
		ix.ascendFrom(from, fn)
		return
	}
	if c := ix.cats[set]; c != nil {
		c.order.AscendGreaterOrEqual(ix.pivotAt(from), fn)
	}
}

// ascendFrom calls fn with each entry at or after from in the order,
// newest first, until fn returns false. The caller holds ix.mu.
func (ix *Index) ascendFrom(from pos, fn func(handle) bool) {
	if ix.order == nil {
		// The first entry at or after from is among those in order once
		// the last of them is.
		for ix.sortedTo < len(ix.flat) && (ix.sortedTo == 0 || ix.cmpAt(ix.flat[ix.sortedTo-1], from) < 0) {
			ix.sortFlatTo(ix.sortedTo + 1)
		}
		ix.ascendFlat(sort.Search(ix.sortedTo, func(i int) bool { return ix.cmpAt(ix.flat[i], from) >= 0 }), fn)
		return
	}
	ix.order.AscendGreaterOrEqual(ix.pivotAt(from), fn)
}

// loadBounds reads the closed pages' bounds once. The caller holds ix.mu.
func (ix *Index) loadBounds() error {
	if ix.bounds != nil {
		return nil
	}
	b, err := ix.store.ArchiveBounds("")
	if err != nil {
		return err
	}
	ix.bounds = append(make([]state.Bound, 0, len(b)), b...)
	return nil
}

// Archive brings the archive in step with the last Entries, which set the
// subscription feeds' oldest entry: it closes the open page as often as it
// holds more than pageSize entries, and returns the layout.
func (ix *Index) Archive(pageSize int) (Layout, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := ix.loadBounds(); err != nil {
		return Layout{}, err
	}
	if ix.filling && !ix.filled {
		return Layout{filling: true}, nil // see startFilling
	}
	if ix.filling {
		// The first call once the index is whole lays out every archive,
		// the categories' too, before any of them is read again.
		ix.filling, ix.filled = false, false
		if ix.catsMade {
			slugs := make([]string, 0, len(ix.cats))
			for slug := range ix.cats {
				slugs = append(slugs, slug)
			}
			if err := ix.closeCategoryArchives(slugs, pageSize, pageSize); err != nil {
				ix.filling, ix.filled = true, true // for the next call
				return Layout{}, err
			}
		}
	}
	open := ix.openPage(Layout{feedLast: ix.feedLast, feedFull: ix.feedFull, bounds: ix.bounds})
	closing := ix.closingBounds(open, pageSize)
	if len(closing) > 0 {
		if err := ix.store.CloseArchivePages("", len(ix.bounds), closing); err != nil {
			return Layout{}, err
		}
		ix.bounds = append(ix.bounds, closing...)
	}
	return Layout{Closed: len(ix.bounds), Open: len(open) - len(closing)*pageSize, feedLast: ix.feedLast, feedFull: ix.feedFull,
		bounds: ix.bounds[:len(ix.bounds):len(ix.bounds)]}, nil
}

// closingBounds returns the bounds of the pages that close when open, the
// entries of the open page newest first, holds more than pageSize: its
// oldest pageSize entries close a page, as often as there are more. One
// entry at least stays open, so the feeds never link to an empty page. The
// caller holds ix.mu.
func (ix *Index) closingBounds(open []handle, pageSize int) []state.Bound {
	var closing []state.Bound
	for pageSize > 0 && len(open) > pageSize {
		last := ix.posOf(open[len(open)-pageSize])
		closing = append(closing, state.Bound{Published: last.published, Path: last.path})
		open = open[:len(open)-pageSize]
	}
	return closing
}

// openPage returns the entries of the open page of l, newest first: older
// than the feeds' oldest, newer than the last closed page. The caller
// holds ix.mu.
func (ix *Index) openPage(l Layout) []handle {
	if !l.feedFull {
		return nil
	}
	var out []handle
	ix.ascendIn(l.set, l.feedLast, func(h handle) bool {
		if len(l.bounds) > 0 && ix.cmpAt(h, posAt(l.bounds[len(l.bounds)-1])) >= 0 {
			return false
		}
		if ix.cmpAt(h, l.feedLast) != 0 {
			out = append(out, h)
		}
		return true
	})
	return out
}

// pageEntries returns the entries of archive page k of l, newest first.
// The caller holds ix.mu.
func (ix *Index) pageEntries(l Layout, k int) []handle {
	if k < 1 || k > len(l.bounds)+1 || !l.feedFull {
		return nil
	}
	if k == len(l.bounds)+1 {
		return ix.openPage(l)
	}
	var out []handle
	ix.ascendIn(l.set, posAt(l.bounds[k-1]), func(h handle) bool {
		if k > 1 && ix.cmpAt(h, posAt(l.bounds[k-2])) >= 0 {
			return false // in the page before
		}
		if ix.cmpAt(h, l.feedLast) <= 0 {
			return true // back in the feeds, after removals there
		}
		out = append(out, h)
		return true
	})
	return out
}

// ErrNoPage reports an archive page that does not exist.
var ErrNoPage = errors.New("no such archive page")

// ArchivePage returns the records of the entries of archive page k of
// layout l, newest first, and a key of what their entries are made from
// (see RecordKey): the same key, the same entries and the same entry
// pages. EntriesOf makes the entries.
func (ix *Index) ArchivePage(l Layout, k int) ([]state.Record, string, error) {
	if k < 1 || k > l.Pages() {
		return nil, "", ErrNoPage
	}
	ix.mu.Lock()
	paths := ix.paths(ix.pageEntries(l, k))
	ix.mu.Unlock()
	recs, err := ix.store.LookupAll(paths)
	if err != nil {
		return nil, "", err
	}
	return recs, RecordsKey(recs), nil
}

// briefReaders is how many readers EntriesOf starts for each CPU to read
// entries without their text. Each holds one file at a time, so the
// files of an archive page take up to this many times the largest.
const briefReaders = 4

// prefetchers is how many goroutines at most ask the disk for the files
// of an archive page at once (see Index.prefetch): one a file, for a page
// of up to 64 entries. With the page cache dropped, 240 archive pages at
// 100,000 entries went from p50 6.1 / p99 9.9 ms, with none, to 4.5 /
// 10.0 ms with 16, and 3.9 / 6.8 ms with one a file.
const prefetchers = 64

// prefetch has the kernel start reading the files of recs, from
// prefetchers goroutines, and returns at once, with a func that waits for
// them. The files of an archive page that a reader asks for have most
// often left the page cache: this has them all read together, which a disk
// does faster than in turn, and it costs no memory but the page cache's. A
// build, which keeps extractions for its pages (Options.Reuse), has just
// read most of them: it is spared the system calls.
func (ix *Index) prefetch(recs []state.Record) (wait func()) {
	var wg sync.WaitGroup
	if ix.reuse != nil {
		return wg.Wait
	}
	var next atomic.Int64
	for range min(prefetchers, len(recs)) {
		wg.Add(1)
		go func() { // exits when every file is asked for
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(recs); i = int(next.Add(1)) - 1 {
				if recs[i].ID != "" {
					ix.src.Prefetch(recs[i].Path)
				}
			}
		}()
	}
	return wg.Wait
}

// NoText, as EntriesOf's textBytes, asks for entries without their text,
// for a document that shows only titles and summaries (an archive page):
// their files are read with extract.Options.Brief, which spares making the
// text's HTML.
const NoText = -1

// EntriesOf reads and extracts the files of recs, one reader per CPU, and
// returns their entries in the same order. A file that has become a draft
// is left out; one that cannot be read is left out too, and named in the
// error, so that the caller does not keep a page that lacks it.
//
// With textBytes > 0, entries carry their text, newest first, while a
// budget of textBytes lasts (see feed.Budget); the rest come Trimmed. Text
// past the budget is dropped as soon as it is read, so memory holds the
// budget and a file per CPU, whatever the size of the files. With NoText,
// every entry comes Trimmed.
func (ix *Index) EntriesOf(recs []state.Record, textBytes int64) ([]feed.Entry, error) {
	entries := make([]feed.Entry, len(recs))
	ok := make([]bool, len(recs))
	errs := make([]error, len(recs))
	sizes := make([]int, len(recs)) // of the text, kept or not
	var next, spent atomic.Int64
	var wg sync.WaitGroup
	readers := runtime.GOMAXPROCS(0)
	if textBytes == NoText {
		// Archive pages list old entries, whose files have most often
		// left the page cache: more readers than CPUs wait on the disk
		// together rather than in turn, and every file is asked of the
		// disk at once.
		readers *= briefReaders
		defer ix.prefetch(recs)() // no goroutine outlives the call
	}
	for range min(readers, len(recs)) {
		wg.Add(1)
		go func() { // exits when every file is read
			defer wg.Done()
			var buf []byte // each file is read into it in turn
			for i := int(next.Add(1)) - 1; i < len(recs); i = int(next.Add(1)) - 1 {
				if recs[i].ID == "" {
					continue // removed meanwhile
				}
				doc, kept := ix.reuse.get(recs[i].Path, recs[i].Hash)
				var err error
				switch {
				case kept:
				case textBytes == NoText:
					doc, buf, err = ix.readInto(ix.how.Load().brief, recs[i].Path, buf) // not kept: it lacks the text
				default:
					if doc, buf, err = ix.readInto(ix.reader(), recs[i].Path, buf); err == nil && doc.Hash == recs[i].Hash {
						ix.reuse.put(recs[i].Path, doc)
					}
				}
				switch {
				case err != nil:
					errs[i] = fmt.Errorf("%s: %w", recs[i].Path, err)
				case !doc.Draft:
					e := entryOf(recs[i], doc, ix.sources)
					ix.noteMedia(&e)
					sizes[i] = len(e.Content)
					if textBytes > 0 && spent.Add(int64(len(e.Content))) > textBytes {
						e.Content, e.Trimmed = "", true // past the budget in the order read; settled below
					}
					entries[i], ok[i] = e, true
				}
			}
		}()
	}
	wg.Wait()
	out := entries[:0]
	budget := feed.NewBudget(textBytes)
	for i, e := range entries {
		if !ok[i] {
			continue
		}
		fits := textBytes != NoText && budget.Fits(sizes[i])
		switch {
		case fits && e.Trimmed:
			// Read after entries newer than it, which took the budget
			// first: it fits in the order of the feed after all.
			if whole, err := ix.Entry(recs[i]); err == nil {
				e = whole
			}
		case !fits && !e.Trimmed:
			e.Content, e.Trimmed = "", true
		}
		out = append(out, e)
	}
	return slices.Clip(out), errors.Join(errs...)
}

// Published yields the path and ID of every published entry, newest
// first: every entry but those scheduled (see Options.Future). It holds
// the index's lock as it goes, so that a million entries need not be
// copied first: yield must not call the index.
func (ix *Index) Published() iter.Seq2[string, string] {
	return func(yield func(path, id string) bool) {
		ix.mu.Lock()
		defer ix.mu.Unlock()
		now := ix.now().UnixNano()
		ix.ascend(func(h handle) bool {
			if ix.recs[h].published <= now || ix.future {
				return yield(ix.path(h), ix.id(h))
			}
			return true
		})
	}
}

// PublishedCount returns how many entries Published yields, without
// putting them in order or naming them: a build counts them every run.
func (ix *Index) PublishedCount() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.future {
		return ix.size()
	}
	now, n := ix.now().UnixNano(), 0
	for _, r := range ix.recs[pivot+1:] {
		if r.pathLen != 0 && r.published <= now { // a free record has no path
			n++
		}
	}
	return n
}

// RecordKey names what the entry of rec, and its page, are made from: its
// ID and path, its dates, and its file as last read. The text's hash alone
// would not do: it is blind to white space, which may still move where a
// title ends; the file's size and modification time see every write.
func RecordKey(rec state.Record) string {
	var b strings.Builder
	b.Grow(recordKeyLen(rec))
	writeRecordKey(&b, rec)
	return b.String()
}

// RecordsKey is the RecordKeys of recs, one after the other, made at once.
func RecordsKey(recs []state.Record) string {
	n := 0
	for _, rec := range recs {
		n += recordKeyLen(rec)
	}
	var b strings.Builder
	b.Grow(n)
	for _, rec := range recs {
		writeRecordKey(&b, rec)
	}
	return b.String()
}

// recordKeyLen is at least the length of RecordKey(rec): its four numbers
// take at most 20 bytes each.
func recordKeyLen(rec state.Record) int {
	return len(rec.ID) + len(rec.Path) + len(rec.Hash) + 4*20 + 7
}

// writeRecordKey writes RecordKey(rec) to b.
func writeRecordKey(b *strings.Builder, rec state.Record) {
	pub, upd := dates(rec)
	var num [20]byte
	for _, s := range [...]string{rec.ID, rec.Path, rec.Hash} {
		b.WriteString(s)
		b.WriteByte(0)
	}
	for _, n := range [...]int64{rec.Size, rec.ModTime.UnixNano(), pub.UnixNano(), upd.UnixNano()} {
		b.Write(strconv.AppendInt(num[:0], n, 10))
		b.WriteByte(0)
	}
}
