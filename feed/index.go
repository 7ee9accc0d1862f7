package feed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
// entries and find them again. Titles, summaries and full text live in the
// state store and the files, and are read for the newest entries only.
type item struct {
	id                 string
	path               string
	published, updated time.Time
}

// fileStamp identifies a version of a file without reading it.
type fileStamp struct {
	size    int64
	modTime time.Time
}

// Index is the set of entries, kept in step with the seeds folder and the
// state store. It is safe for concurrent use.
type Index struct {
	src   Source
	store *state.Store
	now   func() time.Time
	log   *slog.Logger

	reads atomic.Int64 // files read and extracted, for progress and tests

	mu      sync.Mutex
	items   map[string]item       // by path
	failed  map[string]fileStamp  // files that could not be read, as they were then
	content map[string]cachedBody // full text of the entries Entries last returned, by path
}

type cachedBody struct {
	hash, html string
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
		items: map[string]item{}, failed: map[string]fileStamp{}, content: map[string]cachedBody{}}
}

// Rescan brings the index and the store in step with the whole folder. A
// file whose size and modification time match what the store recorded is
// not read again; new and changed files are; files gone are removed.
func (ix *Index) Rescan(ctx context.Context) error {
	paths, err := ix.src.List()
	if err != nil {
		return err
	}
	recs, err := ix.store.Records()
	if err != nil {
		return err
	}
	present := make(map[string]bool, len(paths))
	for _, p := range paths {
		present[p] = true
	}
	byPath := make(map[string]state.Record, len(recs))
	var gone []string
	for _, r := range recs {
		if present[r.Path] {
			byPath[r.Path] = r
		} else {
			gone = append(gone, r.Path)
		}
	}
	var changed []string
	unchanged := make(map[string]item)
	ix.mu.Lock()
	for _, p := range paths {
		st, err := ix.src.stamp(p)
		if err != nil {
			changed = append(changed, p) // reading it will say what is wrong
			continue
		}
		if r, ok := byPath[p]; ok && r.Size == st.size && r.ModTime.Equal(st.modTime) {
			unchanged[p] = itemOf(r)
			continue
		}
		if f, ok := ix.failed[p]; ok && f == st {
			continue // known bad and untouched: already logged
		}
		changed = append(changed, p)
	}
	for p := range ix.items {
		if !present[p] {
			gone = append(gone, p)
		}
	}
	for p, it := range unchanged {
		ix.items[p] = it
	}
	ix.mu.Unlock()
	return ix.apply(ctx, changed, gone)
}

// Load fills the index from the state store alone, without reading the
// folder, so that a restarted daemon can serve its last feed at once. A
// Rescan then brings it in step with the folder.
func (ix *Index) Load() error {
	recs, err := ix.store.Records()
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, r := range recs {
		ix.items[r.Path] = itemOf(r)
	}
	return nil
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
	return ix.apply(ctx, seen, gone)
}

// read is the outcome of reading and extracting one file.
type read struct {
	path string
	doc  extract.Doc
	info fs.FileInfo
	err  error
}

func (ix *Index) apply(ctx context.Context, paths, gone []string) error {
	reads := ix.readAll(ctx, paths)
	if err := ctx.Err(); err != nil {
		return err
	}
	change := state.Change{Removed: gone}
	var good []read
	failed := map[string]fileStamp{}
	for _, r := range reads {
		switch {
		case errors.Is(r.err, fs.ErrNotExist):
			change.Removed = append(change.Removed, r.path)
		case r.err != nil:
			ix.log.Warn("skipping file", "path", r.path, "reason", r.err.Error())
			failed[r.path], _ = ix.src.stamp(r.path)
		case r.doc.Draft:
			ix.log.Info("skipping file", "path", r.path, "reason", "draft")
			failed[r.path], _ = ix.src.stamp(r.path)
		default:
			good = append(good, r)
			change.Seen = append(change.Seen, state.Observation{
				Path: r.path, Hash: hashDoc(r.doc), Size: r.info.Size(), ModTime: r.info.ModTime(), Meta: metaOf(r.doc),
			})
		}
	}
	recs, err := ix.store.Apply(change, ix.now())
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, p := range change.Removed {
		delete(ix.items, p)
		delete(ix.failed, p)
	}
	for p, st := range failed { // a file that went bad leaves the feed, but keeps its record
		delete(ix.items, p)
		ix.failed[p] = st
	}
	for i, r := range good {
		delete(ix.failed, r.path)
		ix.items[r.path] = itemOf(recs[i])
	}
	return nil
}

// progressEvery is how often a long read logs how far it has got.
const progressEvery = 2 * time.Second

// readAll reads and extracts paths in parallel, one worker per CPU. A read
// that lasts logs its progress every progressEvery.
func (ix *Index) readAll(ctx context.Context, paths []string) []read {
	out := make([]read, len(paths))
	var done atomic.Int64
	stop := make(chan struct{})
	defer close(stop)
	go func() { // exits when readAll returns
		start := time.Now()
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				n := done.Load()
				ix.log.Info("indexing", "done", n, "total", len(paths),
					"rate_per_s", int(float64(n)/time.Since(start).Seconds()))
			}
		}
	}()
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Add(1)
		go func() { // exits when work is closed
			defer wg.Done()
			for i := range work {
				out[i] = ix.readOne(paths[i])
				done.Add(1)
			}
		}()
	}
	for i := range paths {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

func (ix *Index) readOne(p string) read {
	ix.reads.Add(1)
	data, info, err := ix.src.Read(p)
	if err != nil {
		return read{path: p, err: err}
	}
	doc, err := extract.Extract(p, data)
	return read{path: p, doc: doc, info: info, err: err}
}

// Reads returns how many files the index has read and extracted so far.
func (ix *Index) Reads() int64 { return ix.reads.Load() }

// Len returns the number of entries.
func (ix *Index) Len() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.items)
}

// IDs returns the set of every entry's ID.
func (ix *Index) IDs() map[string]bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ids := make(map[string]bool, len(ix.items))
	for _, it := range ix.items {
		ids[it.id] = true
	}
	return ids
}

// Entries returns the newest limit entries (all when limit <= 0), newest
// first, complete with their full text. Only these entries are looked up in
// the store and, when their text is not cached, read again. An entry whose
// file can no longer be read is left out, with a log line.
func (ix *Index) Entries(limit int) ([]Entry, error) {
	ix.mu.Lock()
	top := make([]item, 0, len(ix.items))
	for _, it := range ix.items {
		top = append(top, it)
	}
	ix.mu.Unlock()
	sort.Slice(top, func(i, j int) bool { return newer(top[i], top[j]) })
	if limit > 0 && len(top) > limit {
		top = top[:limit]
	}
	paths := make([]string, len(top))
	for i, it := range top {
		paths[i] = it.path
	}
	recs, err := ix.store.LookupAll(paths)
	if err != nil {
		return nil, err
	}
	ix.mu.Lock()
	cache := ix.content
	ix.mu.Unlock()
	kept := make(map[string]cachedBody, len(top))
	out := make([]Entry, 0, len(top))
	for i, rec := range recs {
		if rec.ID == "" {
			continue // removed since the list was taken
		}
		body, ok := cache[rec.Path]
		if !ok || body.hash != rec.Hash {
			r := ix.readOne(rec.Path)
			if r.err != nil {
				ix.log.Warn("skipping file", "path", rec.Path, "reason", r.err.Error())
				continue
			}
			body = cachedBody{hash: hashDoc(r.doc), html: r.doc.Content}
		}
		kept[paths[i]] = body
		out = append(out, NewEntry(rec, body.html))
	}
	ix.mu.Lock()
	ix.content = kept // only the text of these entries stays in memory
	ix.mu.Unlock()
	return out, nil
}

// newer orders entries newest first, then by path so the order is total.
func newer(a, b item) bool {
	if !a.published.Equal(b.published) {
		return a.published.After(b.published)
	}
	return a.path < b.path
}

func itemOf(rec state.Record) item {
	e := NewEntry(rec, "")
	return item{id: rec.ID, path: rec.Path, published: e.Published, updated: e.Updated}
}

func metaOf(d extract.Doc) state.Meta {
	return state.Meta{Title: d.Title, Summary: d.Summary, Author: d.Author, Categories: d.Tags, Date: d.Date, Updated: d.Updated}
}

// MetaOf returns what the store keeps of an extracted document.
func MetaOf(d extract.Doc) state.Meta { return metaOf(d) }

// NewEntry joins what the store remembers of a file with its full text.
// Front matter dates win; otherwise the entry was published when first seen
// and updated when its content last changed.
func NewEntry(rec state.Record, content string) Entry {
	e := Entry{
		ID:         rec.ID,
		Path:       rec.Path,
		Title:      rec.Meta.Title,
		Summary:    rec.Meta.Summary,
		Content:    content,
		Author:     rec.Meta.Author,
		Categories: rec.Meta.Categories,
		Published:  rec.FirstSeen,
		Updated:    rec.Updated,
	}
	if !rec.Meta.Date.IsZero() {
		e.Published = rec.Meta.Date
	}
	if !rec.Meta.Updated.IsZero() {
		e.Updated = rec.Meta.Updated
	}
	if e.Updated.Before(e.Published) {
		e.Updated = e.Published
	}
	e.Published, e.Updated = e.Published.UTC().Truncate(time.Second), e.Updated.UTC().Truncate(time.Second)
	return e
}

// hashDoc fingerprints what a reader would see of a document, so that an
// edit that changes nothing visible does not move its updated date.
func hashDoc(d extract.Doc) string {
	h := sha256.New()
	for _, s := range []string{d.Title, d.Summary, d.Content, d.Author, strings.Join(d.Tags, "\x1f"),
		d.Date.UTC().Format(time.RFC3339), d.Updated.UTC().Format(time.RFC3339)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// String describes an entry for logs.
func (e Entry) String() string { return fmt.Sprintf("%s %q", e.Path, e.Title) }
