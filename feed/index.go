package feed

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/btree"

	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/state"
)

// Entry is one seed as the feeds show it.
type Entry struct {
	ID         string
	Path       string // slash-separated, inside the seeds folder
	Title      string
	Summary    string
	Content    string // HTML
	Author     string
	Categories []string
	Published  time.Time
	Updated    time.Time
}

// item is what the index holds of each entry in memory: enough to order the
// entries and find them again. Titles, summaries and full text are read for
// the newest entries only, when they are rendered.
type item struct {
	path      string
	id        string
	published int64 // Unix nanoseconds: full precision, so that two files first seen in the same second still sort in the order they came
}

// newerFirst orders items newest first, then by path, so the order is total.
func newerFirst(a, b item) bool {
	if a.published != b.published {
		return a.published > b.published
	}
	return a.path < b.path
}

// Index is the set of entries, kept in step with the seeds folder and the
// state store. It is safe for concurrent use.
//
// Indexing a file costs one read and extract.Inspect: no title, summary or
// HTML is made for it. Entries makes those for the newest entries only, and
// keeps them until the next call, so a feed of N entries costs N
// extractions at most, whatever the size of the folder.
type Index struct {
	src   Source
	store *state.Store
	now   func() time.Time
	log   *slog.Logger
	reads atomic.Int64 // files read, for progress and tests

	mu sync.Mutex
	// The items are kept in one of two forms. A first Rescan or Load leaves
	// them in flat, a slice in order, which is quick to make and enough to
	// render from; the first change to the index turns that into items and
	// order, which take changes one at a time. So a build never pays for
	// the second form, and a daemon pays once, when it first needs it.
	flat   []item                 // only while items is nil
	sorted bool                   // flat is newest first
	items  map[string]item        // by path
	order  *btree.BTreeG[item]    // the same items, newest first
	failed map[string]fileStamp   // files that could not be read, as they were then
	docs   map[string]extract.Doc // the entries Entries last returned, by path
}

// IndexOptions are what an Index needs besides its source and store.
type IndexOptions struct {
	Now    func() time.Time // the clock for first-seen times; time.Now when nil
	Logger *slog.Logger     // slog.Default() when nil
}

// NewIndex returns an empty index over src, recording into store.
func NewIndex(src Source, store *state.Store, opts IndexOptions) *Index {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Index{src: src, store: store, now: opts.Now, log: opts.Logger,
		failed: map[string]fileStamp{}, docs: map[string]extract.Doc{}}
}

// settle turns flat into items and order. The caller holds ix.mu.
func (ix *Index) settle() {
	if ix.items != nil {
		return
	}
	ix.sortFlat()
	ix.items = make(map[string]item, len(ix.flat))
	ix.order = btree.NewG(32, newerFirst)
	for _, it := range ix.flat { // in order, which fills the tree fastest
		ix.items[it.path] = it
		ix.order.ReplaceOrInsert(it)
	}
	ix.flat = nil
}

// Settle makes the index ready to take changes one at a time, which the
// first change would otherwise do. A daemon calls it once its first index
// is served.
func (ix *Index) Settle() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.settle()
}

// put and drop keep items and order in step. The caller holds ix.mu.
func (ix *Index) put(it item) {
	ix.settle()
	if old, ok := ix.items[it.path]; ok {
		ix.order.Delete(old)
	}
	ix.items[it.path] = it
	ix.order.ReplaceOrInsert(it)
}

func (ix *Index) drop(path string) {
	if ix.items == nil && len(ix.flat) == 0 {
		return // empty: nothing to settle
	}
	ix.settle()
	if old, ok := ix.items[path]; ok {
		ix.order.Delete(old)
		delete(ix.items, path)
	}
}

// putAll puts items with distinct paths. fresh promises that none of them
// is in the index yet: then, while the index is flat, they are only
// appended.
func (ix *Index) putAll(its []item, fresh bool) {
	if ix.items == nil && (fresh || len(ix.flat) == 0) {
		if len(ix.flat) == 0 {
			ix.flat = its
		} else {
			ix.flat = append(ix.flat, its...)
		}
		ix.sorted = false
		return
	}
	for _, it := range its {
		ix.put(it)
	}
}

// sortFlat puts flat in order. The caller holds ix.mu.
func (ix *Index) sortFlat() {
	if ix.sorted {
		return
	}
	slices.SortFunc(ix.flat, func(a, b item) int {
		if newerFirst(a, b) {
			return -1
		}
		return 1 // never equal: paths differ
	})
	ix.sorted = true
}

// size returns the number of items. The caller holds ix.mu.
func (ix *Index) size() int {
	if ix.items == nil {
		return len(ix.flat)
	}
	return len(ix.items)
}

// ascend calls fn with each item, newest first, until fn returns false.
// The caller holds ix.mu.
func (ix *Index) ascend(fn func(item) bool) {
	if ix.items == nil {
		ix.sortFlat()
		for _, it := range ix.flat {
			if !fn(it) {
				return
			}
		}
		return
	}
	ix.order.Ascend(fn)
}

// Load fills the index from the state store alone, without reading the
// folder, so that a restarted daemon can serve its last feed at once. A
// Rescan then brings it in step with the folder.
func (ix *Index) Load() error {
	var its []item
	err := ix.store.Briefs("", "", func(p []byte, b state.Brief) bool {
		its = append(its, item{path: string(p), id: string(b.ID), published: b.Published.UnixNano()})
		return true
	})
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.putAll(its, false)
	return nil
}

// Rescan brings the index and the store in step with the whole folder. A
// file whose size and modification time match what the store recorded is
// not read again; new and changed files are; files gone are removed.
func (ix *Index) Rescan(ctx context.Context) error {
	ix.mu.Lock()
	fresh := ix.size() == 0 // so no file read below is in the index
	known := !fresh || len(ix.failed) > 0
	ix.mu.Unlock()
	// A first scan with an empty store need not stat: every file is new.
	found, err := ix.src.Scan(known || !ix.store.Empty())
	if err != nil {
		return err
	}
	ix.mu.Lock()
	if ix.items == nil && len(ix.flat) > 0 {
		ix.settle() // the parts below only read the index
	}
	// The files and the records are compared in two halves at once, split
	// at the path of the middle file.
	parts := []verdict{{found: found}}
	if len(found) >= 2*applyChunk {
		mid := len(found) / 2
		parts = []verdict{{found: found[:mid], to: found[mid].Path}, {found: found[mid:], from: found[mid].Path}}
	}
	var wg sync.WaitGroup
	for i := range parts {
		wg.Add(1)
		go func() { // exits when its part is judged
			defer wg.Done()
			ix.judge(&parts[i])
		}()
	}
	wg.Wait()
	var changed, gone []string
	var same []item
	for _, v := range parts {
		if v.err != nil {
			ix.mu.Unlock()
			return v.err
		}
		changed, gone = append(changed, v.changed...), append(gone, v.gone...)
		if same == nil {
			same = v.same
		} else {
			same = append(same, v.same...)
		}
	}
	ix.putAll(same, fresh)
	ix.mu.Unlock()
	return ix.apply(ctx, changed, gone, fresh)
}

// verdict is what judge found of one part of a rescan: the files found
// with paths in [from, to) ("" leaves an end open), against the records of
// the same paths.
type verdict struct {
	found    []Found
	from, to string

	changed []string // files to read
	gone    []string // records without a file
	same    []item   // unchanged files the index does not hold yet
	err     error
}

// judge compares the files and the records of a part, both in path order,
// side by side. Every item has a live record, so an item whose file is gone
// shows up among the records no file matches. The caller holds ix.mu, and
// judge only reads the index, so parts can be judged at once.
func (ix *Index) judge(v *verdict) {
	found := v.found
	v.same = make([]item, 0, len(found))
	check := func(f Found, rec *state.Brief) { // judges a file, given its record if it has one
		if bad, ok := ix.failed[f.Path]; ok {
			if !f.StampOK || bad != f.Stamp {
				v.changed = append(v.changed, f.Path)
			} // else known bad and untouched: already logged
			return
		}
		if rec != nil && f.StampOK && rec.Size == f.Stamp.size && rec.ModTime == f.Stamp.modTime.UnixNano() {
			if it, ok := ix.items[f.Path]; !ok || it.id != string(rec.ID) {
				v.same = append(v.same, item{path: f.Path, id: string(rec.ID), published: rec.Published.UnixNano()})
			}
			return
		}
		v.changed = append(v.changed, f.Path)
	}
	v.err = ix.store.Briefs(v.from, v.to, func(p []byte, rec state.Brief) bool {
		for len(found) > 0 && found[0].Path < string(p) {
			check(found[0], nil)
			found = found[1:]
		}
		if len(found) > 0 && found[0].Path == string(p) {
			check(found[0], &rec)
			found = found[1:]
		} else {
			v.gone = append(v.gone, string(p))
		}
		return true
	})
	for _, f := range found {
		check(f, nil)
	}
}

// Update re-reads the given paths: each one that is still a seed is read
// again, and each one that is gone is removed.
func (ix *Index) Update(ctx context.Context, paths []string) error {
	var seen, gone []string
	for _, p := range paths {
		if !ix.src.Wants(p) {
			continue
		}
		if _, err := os.Lstat(ix.src.path(p)); errors.Is(err, fs.ErrNotExist) {
			gone = append(gone, p)
		} else {
			seen = append(seen, p)
		}
	}
	return ix.apply(ctx, seen, gone, false)
}

// inspected is the outcome of reading and inspecting one file.
type inspected struct {
	path  string
	facts extract.Facts
	stamp fileStamp
	err   error
}

// applyChunk is how many files go into one state transaction. Chunks bound
// memory and let reading the next chunk overlap storing this one.
const applyChunk = 4096

// progressEvery is how often a long read logs how far it has got.
const progressEvery = 2 * time.Second

// apply reads paths and removes gone. fresh promises that no path is in
// the index yet.
func (ix *Index) apply(ctx context.Context, paths, gone []string, fresh bool) error {
	now := ix.now() // one time for the whole batch: its files came together
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := ix.inspectAll(ctx, paths)
	for chunk := range chunks {
		if err := ix.applyChunk(chunk, gone, now, fresh); err != nil {
			cancel() // stop reading: nothing more can be stored
			for range chunks {
			}
			return err
		}
		gone = nil // the removals go with the first chunk
	}
	if gone != nil { // nothing was read: the removals still count
		if err := ix.applyChunk(nil, gone, now, fresh); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// applyChunk stores what a chunk of reads found, and the removals, in one
// transaction, then brings the items in step with it.
func (ix *Index) applyChunk(chunk []inspected, gone []string, now time.Time, fresh bool) error {
	change := state.Change{Removed: gone}
	var good []inspected
	failed := map[string]fileStamp{}
	for _, r := range chunk {
		switch {
		case errors.Is(r.err, fs.ErrNotExist):
			change.Removed = append(change.Removed, r.path)
		case r.err != nil:
			ix.log.Warn("skipping file", "path", r.path, "reason", r.err.Error())
			failed[r.path] = r.stamp
		case r.facts.Draft:
			ix.log.Info("skipping file", "path", r.path, "reason", "draft")
			failed[r.path] = r.stamp
		default:
			good = append(good, r)
			change.Seen = append(change.Seen, state.Observation{
				Path: r.path, Hash: r.facts.Hash, Size: r.stamp.size, ModTime: r.stamp.modTime,
				Date: r.facts.Date, DocUpdated: r.facts.Updated,
			})
		}
	}
	var recs []state.Record
	if len(change.Seen) > 0 || len(change.Removed) > 0 {
		var err error
		if recs, err = ix.store.Apply(change, now); err != nil {
			return err
		}
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, p := range change.Removed {
		if !fresh {
			ix.drop(p)
		}
		delete(ix.failed, p)
	}
	for p, st := range failed { // a file that went bad leaves the feed, but keeps its record
		if !fresh {
			ix.drop(p)
		}
		ix.failed[p] = st
	}
	its := make([]item, len(good))
	for i, r := range good {
		delete(ix.failed, r.path)
		its[i] = itemOf(recs[i])
	}
	ix.putAll(its, fresh)
	return nil
}

// inspectAll reads and inspects paths in parallel, one worker per CPU, and
// hands them on in chunks of applyChunk, in order. It logs its progress
// every progressEvery while it lasts. The channel closes when all is read
// or ctx is done.
func (ix *Index) inspectAll(ctx context.Context, paths []string) <-chan []inspected {
	out := make(chan []inspected, 1)
	go func() { // exits when every chunk is handed on or ctx is done
		defer close(out)
		var done atomic.Int64
		stop := ix.logProgress(&done, len(paths))
		defer stop()
		workers := runtime.GOMAXPROCS(0)
		for start := 0; start < len(paths); start += applyChunk {
			if ctx.Err() != nil {
				return
			}
			part := paths[start:min(start+applyChunk, len(paths))]
			res := make([]inspected, len(part))
			var next atomic.Int64
			var wg sync.WaitGroup
			for range min(workers, len(part)) {
				wg.Add(1)
				go func() { // exits when the chunk is done
					defer wg.Done()
					var buf []byte
					for {
						i := int(next.Add(1)) - 1
						if i >= len(part) || ctx.Err() != nil {
							return
						}
						res[i], buf = ix.inspectOne(part[i], buf)
						done.Add(1)
					}
				}()
			}
			wg.Wait()
			if ctx.Err() != nil {
				return // the chunk may be half read: never hand it on
			}
			select {
			case out <- res:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// logProgress logs how far a read of total files has got, every
// progressEvery, until the returned func is called.
func (ix *Index) logProgress(done *atomic.Int64, total int) (stop func()) {
	quit := make(chan struct{})
	start := time.Now()
	go func() { // exits when stop is called
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				n := done.Load()
				ix.log.Info("indexing", "done", n, "total", total,
					"rate_per_s", int(float64(n)/time.Since(start).Seconds()))
			}
		}
	}()
	return func() { close(quit) }
}

// inspectOne reads p into buf, reusing it, and inspects it.
func (ix *Index) inspectOne(p string, buf []byte) (inspected, []byte) {
	ix.reads.Add(1)
	data, st, err := ix.src.ReadInto(p, buf)
	if err != nil {
		return inspected{path: p, stamp: st, err: err}, buf
	}
	facts, err := extract.Inspect(p, data)
	return inspected{path: p, facts: facts, stamp: st, err: err}, data[:0]
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
	ix.ascend(func(it item) bool {
		ids[it.id] = true
		return true
	})
	return ids
}

// Entries returns the newest limit entries (all when limit <= 0), newest
// first, complete with title, summary and full text. Only these entries are
// extracted, and an entry unchanged since the last call is not even read.
// An entry whose file can no longer be read is left out, with a log line.
func (ix *Index) Entries(limit int) ([]Entry, error) {
	ix.mu.Lock()
	var top []item
	ix.ascend(func(it item) bool {
		top = append(top, it)
		return limit <= 0 || len(top) < limit
	})
	cache := ix.docs
	ix.mu.Unlock()
	paths := make([]string, len(top))
	for i, it := range top {
		paths[i] = it.path
	}
	recs, err := ix.store.LookupAll(paths)
	if err != nil {
		return nil, err
	}
	kept := make(map[string]extract.Doc, len(top))
	out := make([]Entry, 0, len(top))
	for _, rec := range recs {
		if rec.ID == "" {
			continue // removed since the list was taken
		}
		doc, ok := cache[rec.Path]
		if !ok || doc.Hash != rec.Hash {
			ix.reads.Add(1)
			data, _, err := ix.src.Read(rec.Path)
			if err == nil {
				doc, err = extract.Extract(rec.Path, data)
			}
			if err != nil {
				ix.log.Warn("skipping file", "path", rec.Path, "reason", err.Error())
				continue
			}
		}
		if doc.Draft {
			continue // made a draft since it was indexed
		}
		kept[rec.Path] = doc
		out = append(out, NewEntry(rec, doc))
	}
	ix.mu.Lock()
	ix.docs = kept // only the newest entries' text stays in memory
	ix.mu.Unlock()
	return out, nil
}

func itemOf(rec state.Record) item {
	return item{path: rec.Path, id: rec.ID, published: rec.Published().UnixNano()}
}

// dates returns an entry's publication and update times: the file's own
// dates when it has them, else when it was first seen and when its text
// last changed.
func dates(rec state.Record) (published, updated time.Time) {
	published, updated = rec.Published(), rec.Updated
	if !rec.DocUpdated.IsZero() {
		updated = rec.DocUpdated
	}
	if updated.Before(published) {
		updated = published
	}
	return published.UTC(), updated.UTC()
}

// NewEntry joins what the store remembers of a file with what extraction
// found in it. The file's own dates win; otherwise the entry was published
// when first seen and updated when its text last changed. Feeds show whole
// seconds.
func NewEntry(rec state.Record, doc extract.Doc) Entry {
	pub, upd := dates(rec)
	return Entry{
		ID:         rec.ID,
		Path:       rec.Path,
		Title:      doc.Title,
		Summary:    doc.Summary,
		Content:    doc.Content,
		Author:     doc.Author,
		Categories: doc.Tags,
		Published:  pub.Truncate(time.Second),
		Updated:    upd.Truncate(time.Second),
	}
}

// String describes an entry for logs.
func (e Entry) String() string { return fmt.Sprintf("%s %q", e.Path, e.Title) }
