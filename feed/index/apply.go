package index

import (
	"cmp"
	"context"
	"errors"
	"io/fs"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// inspected is the outcome of reading and inspecting one file.
type inspected struct {
	path  string
	facts extract.Facts
	doc   *kept // the extraction, when the batch was small enough to keep it
	stamp source.Stamp
	err   error
}

// applyChunk is how many files go into one state transaction. Chunks bound
// memory and let reading the next chunk overlap storing this one.
const applyChunk = 4096

// progressEvery is how often a long read logs how far it has got.
const progressEvery = 2 * time.Second

// apply reads paths, in their order, and removes gone. fresh promises
// that no path is in the index yet. pub, when not nil, is told of each
// chunk in the index. It clears each path of the list once it has read
// it (see inspectAll).
func (ix *Index) apply(ctx context.Context, paths, gone []string, fresh bool, pub *publisher) error {
	now := ix.now() // one time for the whole batch: its files came together
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := ix.inspectAll(ctx, paths)
	read := 0
	var sk skips
	defer ix.logSkips(&sk)
	for chunk := range chunks {
		if err := ix.applyChunk(chunk, gone, now, fresh, &sk); err != nil {
			cancel() // stop reading: nothing more can be stored
			for range chunks {
			}
			return err
		}
		gone = nil // the removals go with the first chunk
		if read += len(chunk); read < len(paths) {
			pub.chunkDone() // the caller publishes the whole, once it returns
		}
	}
	if gone != nil { // nothing was read: the removals still count
		if err := ix.applyChunk(nil, gone, now, fresh, &sk); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// applyChunk stores what a chunk of reads found, and the removals, in one
// transaction, then brings the entries in step with it. It counts in sk
// the files kept out as no posts, rather than log each.
func (ix *Index) applyChunk(chunk []inspected, gone []string, now time.Time, fresh bool, sk *skips) error {
	change := state.Change{Removed: gone, Site: ix.siteURL()}
	site := ix.reader().Site
	var good []inspected
	var later []string
	failed := map[string]source.Stamp{}
	for _, r := range chunk {
		switch {
		case errors.Is(r.err, fs.ErrNotExist):
			change.Removed = append(change.Removed, r.path)
		case source.Transient(r.err) || errors.Is(r.err, fs.ErrPermission) && ix.src.FolderFails(r.path) != nil:
			// No file descriptor left, an I/O error, a folder that cannot be
			// read: the machine's trouble, not the file's. The entry keeps
			// what it had until a later rescan reads the file.
			ix.log.Warn("cannot read file for now; keeping its entry as it was", "path", r.path, "reason", feed.Reason(r.err))
			later = append(later, r.path)
		case r.err != nil:
			ix.log.Warn("skipping file", "path", r.path, "reason", feed.Reason(r.err))
			ix.skipped(SkipReason(r.err))
			failed[r.path] = r.stamp
		case Withheld(r.facts, now) != "":
			why := Withheld(r.facts, now)
			ix.log.Debug("skipping file", "path", r.path, "reason", why)
			sk.note(site, r.path, why)
			ix.skipped("draft")
			failed[r.path] = r.stamp
		default:
			if r.facts.Encoding != "" {
				ix.log.Info("read a file that is not valid UTF-8", "path", r.path, "encoding", r.facts.Encoding)
			}
			if r.facts.DateNote != "" {
				by := "its modification time, when first seen"
				switch {
				case r.facts.Date.IsZero():
				case r.facts.Date.Equal(extract.PathDate(r.path)):
					by = "the date in its path, " + r.facts.Date.Format(time.DateOnly)
				default: // a time in a zone not read: its day
					by = "the day it gives, " + r.facts.Date.Format(time.DateOnly)
				}
				ix.log.Warn("ignoring a date the file gives", "path", r.path, "reason", r.facts.DateNote, "dated_by", by)
			}
			good = append(good, r)
			change.Seen = append(change.Seen, state.Observation{
				Path: r.path, Hash: r.facts.Hash, Size: r.stamp.Size, ModTime: r.stamp.ModTime,
				Date: r.facts.Date, DocUpdated: r.facts.Updated, Tags: r.facts.Tags, Place: r.facts.Place,
				Expires: r.facts.Expires,
			})
			if r.facts.Date.IsZero() {
				change.Seen[len(change.Seen)-1].Month = extract.PathMonth(r.path)
			}
		}
	}
	// A file kept out whose record has it as it is now (one read again
	// under new rules: see extract.Rules) would be taken for unchanged by
	// the next rescan, and published: its record goes, and its page
	// answers 410 Gone.
	for p, st := range failed {
		if rec, ok, err := ix.store.Lookup(p); err == nil && ok && rec.Size == st.Size && rec.ModTime.Equal(st.ModTime) {
			change.Removed = append(change.Removed, p)
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
	if !fresh && ix.order == nil && ix.size() > 0 {
		ix.settle() // so that lookup says which files are new
	}
	// A file renamed or moved keeps its ID (see state.Apply): the tally
	// says it moved, not that one entry went and another came.
	var left map[string]string // ID → path, of the entries removed
	for _, p := range change.Removed {
		if h, ok := ix.lookup(p); ok && !fresh && len(good) > 0 {
			if left == nil {
				left = map[string]string{}
			}
			left[ix.id(h)] = p
		}
		if !fresh && ix.drop(p) && left == nil {
			ix.tally.count(&ix.tally.Removed, "-", p)
		}
		delete(ix.failed, p)
		delete(ix.later, p)
	}
	moved := ix.tallyMoves(left, good, recs)
	for _, p := range later {
		ix.later[p] = true
	}
	for p, st := range failed { // a file that went bad leaves the feed, but keeps its record (unless it had it as it is now: see above)
		if !fresh && ix.drop(p) {
			ix.tally.count(&ix.tally.Removed, "-", p)
		}
		ix.failed[p] = st
		delete(ix.later, p)
	}
	var b batch
	for i, r := range good {
		delete(ix.failed, r.path)
		delete(ix.later, r.path)
		ix.addRecord(&b, recs[i])
		if r.doc != nil {
			ix.keepFresh(r.path, *r.doc)
		}
		h, ok := ix.lookup(r.path)
		switch {
		case ok && ix.holds(h, &b, len(b.recs)-1) && !recs[i].Updated.Equal(now):
			b.recs = b.recs[:len(b.recs)-1] // read again, but unchanged: its categories did not change either
		case ok && recs[i].Updated.Equal(now):
			ix.tally.count(&ix.tally.Updated, "~", r.path)
		case !ok && !fresh && !moved[r.path]:
			ix.tally.count(&ix.tally.Published, "+", r.path)
		}
	}
	ix.putAll(&b, fresh)
	return nil
}

// expiredOn begins why a post past its expiryDate is withheld; the date
// follows.
const expiredOn = "expired on "

// Withheld says why a file of these facts is not published at now, or ""
// when it is: a draft, a file that is no post (see extract.Facts.Withheld),
// or a post past its expiryDate.
func Withheld(f extract.Facts, now time.Time) string {
	switch {
	case f.Draft:
		return cmp.Or(f.Withheld, "draft")
	case !f.Expires.IsZero() && !f.Expires.After(now):
		return expiredOn + f.Expires.UTC().Format(time.RFC3339) + " (its expiryDate)"
	}
	return ""
}

// keepFresh keeps k for the next Entries, with its text while the text
// kept since the last Entries is within the budget. The caller holds ix.mu.
func (ix *Index) keepFresh(path string, k kept) {
	if budget := ix.keepBytes.Load(); budget > 0 && !k.trimmed {
		if ix.freshText+int64(k.size) > budget {
			k = k.trim()
		} else {
			ix.freshText += int64(k.size)
		}
	}
	ix.fresh[path] = k
}

// inspectAll reads and inspects paths in parallel, one worker per CPU, and
// hands them on in chunks of applyChunk, in order. It logs its progress
// every progressEvery while it lasts. The channel closes when all is read
// or ctx is done. Each chunk's paths are cleared in the list once it is
// handed on.
func (ix *Index) inspectAll(ctx context.Context, paths []string) <-chan []inspected {
	out := make(chan []inspected, 1)
	// A batch no larger than a feed is extracted as it is read: every file
	// of it may be in the next render. A larger one, such as a first index,
	// is only inspected, and Entries extracts the few it needs.
	// The text they keep is bounded as the feeds' is: past the budget,
	// only the summary is kept, and Entries reads the text again if the
	// feeds need it. This bound holds while the batch is read, as a chunk
	// is handed on whole; keepFresh's holds across batches.
	whole := len(paths) <= int(ix.keep.Load())
	var text atomic.Int64
	text.Store(ix.keepBytes.Load())
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
						res[i], buf = ix.inspectOne(part[i], buf, whole, &text)
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
			// The chunk's paths go on in res; the list lets go of them, so
			// that those of a long read are not all kept to its end. At
			// 1,000,000 files they were 16 MB of a first index's peak, at
			// its end.
			clear(part)
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

// inspectOne reads p into buf, reusing it, and inspects it; whole extracts
// it too, and keeps its text while text, the bytes left to keep, lasts.
func (ix *Index) inspectOne(p string, buf []byte, whole bool, text *atomic.Int64) (inspected, []byte) {
	if n := ix.reads.Add(1); ix.afterRead != nil {
		ix.afterRead(n)
	}
	data, st, err := ix.src.ReadInto(p, buf)
	if err != nil {
		return inspected{path: p, stamp: st, err: err}, buf
	}
	r := inspected{path: p, stamp: st}
	reader := ix.reader()
	r.facts, r.err = reader.Inspect(p, data)
	if whole && r.err == nil && !r.facts.Draft {
		doc, err := reader.Complete(p, data, r.facts)
		k := keptOf(doc)
		if left := text.Add(-int64(k.size)); left < 0 && ix.keepBytes.Load() > 0 {
			k = k.trim()
		}
		r.doc, r.err = &k, err
	}
	return r, data[:0]
}
