package index

import (
	"slices"
	"sort"
	"time"

	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// A first index of a large folder takes a while: at 1,000,000 files, from
// about a minute to a few, as the page cache holds the files or not. When the index starts empty and Options.Publish is set, it
// reads the files newest first, by the dates a listing and a stat tell
// (the date in a file's path, else its modification time, or the month
// its folders name when that time falls outside it), and calls
// Publish as it goes: so the first feed holds the newest entries long
// before the oldest are read. Only a Markdown file whose front matter
// dates it later than its modification time comes later than its place.

// newestFirst orders paths, which are among found, by the date each will
// likely get, newest first, then by path. It sorts the paths beside their
// dates, which take 8 bytes a file; sorted with them in pairs, they took
// 24 MB more at 1,000,000 files, when a first index begins.
func newestFirst(paths []string, found source.Files) {
	dates := make([]int64, len(paths))
	for i, p := range paths {
		if t := extract.PathDate(p); !t.IsZero() {
			dates[i] = t.UnixNano()
		} else if f, ok := found.Find(p); ok {
			if st, ok := f.Stamp(); ok {
				dates[i] = st.ModTime.UnixNano()
				if t := state.MonthDate(extract.PathMonth(p), st.ModTime); !t.IsZero() {
					dates[i] = t.UnixNano()
				}
			}
		}
	}
	sort.Sort(byDate{paths: paths, dates: dates})
}

// byDate sorts paths by their dates, newest first, then by path.
type byDate struct {
	paths []string
	dates []int64
}

func (d byDate) Len() int { return len(d.paths) }

func (d byDate) Less(i, j int) bool {
	return d.dates[i] > d.dates[j] || d.dates[i] == d.dates[j] && d.paths[i] < d.paths[j]
}

func (d byDate) Swap(i, j int) {
	d.paths[i], d.paths[j] = d.paths[j], d.paths[i]
	d.dates[i], d.dates[j] = d.dates[j], d.dates[i]
}

// reserveFresh makes room, once, for the entries of a first index of
// paths. Grown a chunk at a time, the index's slices were copied a score
// of times at 1,000,000 files, each new one made beside the last (40 and
// 32 MB at the end), and kept up to a quarter more room than they held:
// the last copy was a third of a cold build's live heap as its index
// ended, and the collector's room followed it.
func (ix *Index) reserveFresh(paths []string) {
	n := 0
	for _, p := range paths {
		n += len(p)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.recs = slices.Grow(ix.recs, roomFor(len(paths)))
	ix.arena = slices.Grow(ix.arena, roomFor(n))
	ix.flat = slices.Grow(ix.flat, len(paths))
}

// firstPublishGap is the time between the first two calls of Publish
// during a first index; each gap after is twice the one before, so that
// readers and hubs hear of a first index of a minute a handful of times.
const firstPublishGap = time.Second

// publisher calls Options.Publish during a first index: after the first
// chunk read, then at gaps that double from firstPublishGap.
type publisher struct {
	publish func()
	now     func() time.Time
	next    time.Time
	gap     time.Duration
}

// chunkDone is called after each chunk is in the index.
func (p *publisher) chunkDone() {
	if p == nil {
		return
	}
	now := p.now()
	if now.Before(p.next) {
		return
	}
	p.publish()
	p.gap = max(2*p.gap, firstPublishGap)
	p.next = now.Add(p.gap)
}

// While a first index fills, no archive page closes (see Layout.Pages):
// files still come, older ones among them, and a page closed now would take
// every older one. The store notes it, so that a first index cut short (by
// a stop, a restart, a full disk) closes none either, after the start that
// follows, until a whole rescan has read the rest: read newest first, the
// files stored are the newest of the folder, and the rest all older.

// fillingNote names, in the store, the time a first index began, while
// it is unfinished.
const fillingNote = "first-index-unfinished"

// startFilling notes that a first index begins.
func (ix *Index) startFilling() error {
	if err := ix.store.Note(fillingNote, ix.now()); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.filling = true
	return nil
}

// endFilling notes that the index holds the whole folder, once a rescan
// has read all of it. The archives stay as they are until the next
// Archive, which lays them all out at once: a category's archive read in
// between would be one page of all its entries, made again soon after.
func (ix *Index) endFilling() error {
	ix.mu.Lock()
	filling := ix.filling
	ix.mu.Unlock()
	if !filling { // a build does not load the note: look
		since, err := ix.store.Since(fillingNote)
		if err != nil || since.IsZero() {
			return err
		}
	}
	if err := ix.store.Note(fillingNote, time.Time{}); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.filled = ix.filling
	return nil
}

// loadFilling reads from the store whether a first index was cut short,
// or, with Options.Publish, is about to begin: then the feeds rendered
// before it, from an empty store, do not say they hold every entry.
func (ix *Index) loadFilling() error {
	since, err := ix.store.Since(fillingNote)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.filling = !since.IsZero() || ix.publish != nil && ix.size() == 0
	return nil
}
