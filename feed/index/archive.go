package index

import (
	"errors"
	"fmt"
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

	feedLast item          // the oldest entry of the feeds
	feedFull bool          // the feeds hold as many as they may: older entries are in the archive
	bounds   []state.Bound // of the closed pages; never changed, only appended to past its length
}

// Pages returns how many archive pages there are: the closed ones, and the
// open one when any page is closed or it holds entries. Zero: every entry
// is in the subscription feeds.
func (l Layout) Pages() int {
	if l.Closed == 0 && l.Open == 0 {
		return 0
	}
	return l.Closed + 1
}

func itemAt(b state.Bound) item { return item{published: b.Published, path: b.Path} }

// ascendFrom calls fn with each item at or after pivot in the order,
// newest first, until fn returns false. The caller holds ix.mu.
func (ix *Index) ascendFrom(pivot item, fn func(item) bool) {
	if ix.items == nil {
		ix.sortFlat()
		i := sort.Search(len(ix.flat), func(i int) bool { return !newerFirst(ix.flat[i], pivot) })
		for _, it := range ix.flat[i:] {
			if !fn(it) {
				return
			}
		}
		return
	}
	ix.order.AscendGreaterOrEqual(pivot, fn)
}

// loadBounds reads the closed pages' bounds once. The caller holds ix.mu.
func (ix *Index) loadBounds() error {
	if ix.bounds != nil {
		return nil
	}
	b, err := ix.store.ArchiveBounds()
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
	open := ix.openPage(Layout{feedLast: ix.feedLast, feedFull: ix.feedFull, bounds: ix.bounds})
	var closing []state.Bound
	for pageSize > 0 && len(open) > pageSize {
		// open is newest first: its oldest pageSize entries close a page.
		// One entry at least stays open, so the feeds never link to an
		// empty page.
		last := open[len(open)-pageSize]
		closing = append(closing, state.Bound{Published: last.published, Path: last.path})
		open = open[:len(open)-pageSize]
	}
	if len(closing) > 0 {
		if err := ix.store.CloseArchivePages(len(ix.bounds), closing); err != nil {
			return Layout{}, err
		}
		ix.bounds = append(ix.bounds, closing...)
	}
	return Layout{Closed: len(ix.bounds), Open: len(open), feedLast: ix.feedLast, feedFull: ix.feedFull,
		bounds: ix.bounds[:len(ix.bounds):len(ix.bounds)]}, nil
}

// openPage returns the items of the open page of l, newest first: older
// than the feeds' oldest, newer than the last closed page. The caller
// holds ix.mu.
func (ix *Index) openPage(l Layout) []item {
	if !l.feedFull {
		return nil
	}
	var out []item
	ix.ascendFrom(l.feedLast, func(it item) bool {
		if len(l.bounds) > 0 && !newerFirst(it, itemAt(l.bounds[len(l.bounds)-1])) {
			return false
		}
		if it != l.feedLast {
			out = append(out, it)
		}
		return true
	})
	return out
}

// pageItems returns the items of archive page k of l, newest first. The
// caller holds ix.mu.
func (ix *Index) pageItems(l Layout, k int) []item {
	if k < 1 || k > len(l.bounds)+1 || !l.feedFull {
		return nil
	}
	if k == len(l.bounds)+1 {
		return ix.openPage(l)
	}
	var out []item
	ix.ascendFrom(itemAt(l.bounds[k-1]), func(it item) bool {
		if k > 1 && !newerFirst(it, itemAt(l.bounds[k-2])) {
			return false // in the page before
		}
		if newerFirst(it, l.feedLast) || it == l.feedLast {
			return true // back in the feeds, after removals there
		}
		out = append(out, it)
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
	its := ix.pageItems(l, k)
	ix.mu.Unlock()
	paths := make([]string, len(its))
	for i, it := range its {
		paths[i] = it.path
	}
	recs, err := ix.store.LookupAll(paths)
	if err != nil {
		return nil, "", err
	}
	var key strings.Builder
	for _, rec := range recs {
		key.WriteString(RecordKey(rec))
	}
	return recs, key.String(), nil
}

// EntriesOf reads and extracts the files of recs, one reader per CPU, and
// returns their entries in the same order, whole. A file that has become
// a draft is left out; one that cannot be read is left out too, and named
// in the error, so that the caller does not keep a page that lacks it.
func (ix *Index) EntriesOf(recs []state.Record) ([]feed.Entry, error) {
	entries := make([]feed.Entry, len(recs))
	ok := make([]bool, len(recs))
	errs := make([]error, len(recs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(recs)) {
		wg.Add(1)
		go func() { // exits when every file is read
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(recs); i = int(next.Add(1)) - 1 {
				if recs[i].ID == "" {
					continue // removed meanwhile
				}
				doc, err := ix.read(recs[i].Path)
				switch {
				case err != nil:
					errs[i] = fmt.Errorf("%s: %w", recs[i].Path, err)
				case !doc.Draft:
					entries[i], ok[i] = entryOf(recs[i], doc), true
				}
			}
		}()
	}
	wg.Wait()
	out := entries[:0]
	for i, e := range entries {
		if ok[i] {
			out = append(out, e)
		}
	}
	return slices.Clip(out), errors.Join(errs...)
}

// Published returns the paths and IDs of every published entry, newest
// first: every entry but those scheduled (see Options.Future).
func (ix *Index) Published() (paths, ids []string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	now := ix.now().UnixNano()
	paths, ids = make([]string, 0, ix.size()), make([]string, 0, ix.size())
	ix.ascend(func(it item) bool {
		if it.published <= now || ix.future {
			paths, ids = append(paths, it.path), append(ids, it.id)
		}
		return true
	})
	return paths, ids
}

// RecordKey names what the entry of rec, and its page, are made from: its
// ID and path, its dates, and its file as last read. The text's hash alone
// would not do: it is blind to white space, which may still move where a
// title ends; the file's size and modification time see every write.
func RecordKey(rec state.Record) string {
	pub, upd := dates(rec)
	return rec.ID + "\x00" + rec.Path + "\x00" + rec.Hash + "\x00" + strconv.FormatInt(rec.Size, 10) + "\x00" +
		strconv.FormatInt(rec.ModTime.UnixNano(), 10) + "\x00" + strconv.FormatInt(pub.UnixNano(), 10) + "\x00" +
		strconv.FormatInt(upd.UnixNano(), 10) + "\x00"
}
