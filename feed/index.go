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

// Index is the set of entries, kept in step with the seeds folder and the
// state store. It is safe for concurrent use.
type Index struct {
	src   Source
	store *state.Store
	now   func() time.Time
	log   *slog.Logger

	mu      sync.Mutex
	entries map[string]Entry // by path
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
	return &Index{src: src, store: store, now: opts.Now, log: opts.Logger, entries: map[string]Entry{}}
}

// Rescan reads the whole folder and brings the index and the store in step
// with it: new and changed files are read, and files gone are removed.
func (ix *Index) Rescan(ctx context.Context) error {
	paths, err := ix.src.List()
	if err != nil {
		return err
	}
	present := make(map[string]bool, len(paths))
	for _, p := range paths {
		present[p] = true
	}
	recs, err := ix.store.Records()
	if err != nil {
		return err
	}
	var gone []string
	for _, r := range recs {
		if !present[r.Path] {
			gone = append(gone, r.Path)
		}
	}
	return ix.apply(ctx, paths, gone)
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
	var docs []read
	var failed []string
	for _, r := range reads {
		switch {
		case errors.Is(r.err, fs.ErrNotExist):
			change.Removed = append(change.Removed, r.path)
		case r.err != nil:
			ix.log.Warn("skipping file", "path", r.path, "reason", r.err.Error())
			failed = append(failed, r.path)
		case r.doc.Draft:
			ix.log.Info("skipping draft", "path", r.path)
			failed = append(failed, r.path)
		default:
			docs = append(docs, r)
			change.Seen = append(change.Seen, state.Observation{
				Path: r.path, Hash: hashDoc(r.doc), Size: r.info.Size(), ModTime: r.info.ModTime(),
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
		delete(ix.entries, p)
	}
	for _, p := range failed { // a file that went bad leaves the feed, but keeps its record
		delete(ix.entries, p)
	}
	for i, r := range docs {
		ix.entries[r.path] = NewEntry(r.doc, recs[i])
	}
	return nil
}

// readAll reads and extracts paths in parallel, one worker per CPU.
func (ix *Index) readAll(ctx context.Context, paths []string) []read {
	out := make([]read, len(paths))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Add(1)
		go func() { // exits when work is closed
			defer wg.Done()
			for i := range work {
				out[i] = ix.readOne(paths[i])
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
	data, info, err := ix.src.Read(p)
	if err != nil {
		return read{path: p, err: err}
	}
	doc, err := extract.Extract(p, data)
	return read{path: p, doc: doc, info: info, err: err}
}

// Entries returns every entry, newest first.
func (ix *Index) Entries() []Entry {
	ix.mu.Lock()
	out := make([]Entry, 0, len(ix.entries))
	for _, e := range ix.entries {
		out = append(out, e)
	}
	ix.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Published.Equal(out[j].Published) {
			return out[i].Published.After(out[j].Published)
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// Len returns the number of entries.
func (ix *Index) Len() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.entries)
}

// NewEntry joins what a file says about itself with what the store
// remembers of it. Front matter dates win; otherwise the entry was published
// when first seen and updated when its content last changed.
func NewEntry(doc extract.Doc, rec state.Record) Entry {
	e := Entry{
		ID:         rec.ID,
		Path:       rec.Path,
		Title:      doc.Title,
		Summary:    doc.Summary,
		Content:    doc.Content,
		Author:     doc.Author,
		Categories: doc.Tags,
		Published:  rec.FirstSeen,
		Updated:    rec.Updated,
	}
	if !doc.Date.IsZero() {
		e.Published = doc.Date
	}
	if !doc.Updated.IsZero() {
		e.Updated = doc.Updated
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
