package index

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"sync"

	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// Rescan brings the index and the store in step with the whole folder. A
// file whose size and modification time match what the store recorded is
// not read again; new and changed files are; files gone are removed.
//
// What cannot be seen is not taken for gone: the entries of a folder that
// cannot be listed stay, and so do all entries while the seeds folder is
// empty or missing, for the empty grace (see Options).
func (ix *Index) Rescan(ctx context.Context) error {
	ix.mu.Lock()
	fresh := ix.size() == 0 // so no file read below is in the index
	known := !fresh || len(ix.failed) > 0
	ix.mu.Unlock()
	// A first scan with an empty store need not stat, every file being
	// new, unless its files are to be read newest first.
	stream := fresh && ix.publish != nil
	stored := !ix.store.Empty()
	ix.findSite()
	site := ix.reader().Site
	rules, err := ix.store.Rules()
	if err != nil {
		return err
	}
	expired, err := ix.expiredAt(ix.now())
	if err != nil {
		return err
	}
	found, unlisted, err := ix.src.Scan(known || stored || stream)
	missing := errors.Is(err, fs.ErrNotExist)
	if err != nil && !missing {
		return err
	}
	ix.noteUnlisted(unlisted)
	ix.forgetLater(found, unlisted)
	if hold, err := ix.holdEmpty(found.Len() == 0 && len(unlisted) == 0, missing); err != nil || hold {
		if err == nil && fresh {
			err = ix.Load(ctx) // serve what the store knows
		}
		return err
	}
	ix.mu.Lock()
	if ix.order == nil && ix.size() > 0 {
		ix.settle() // the parts below only read the index
	}
	// The files and the records are compared in two halves at once, split
	// at the path of the middle file.
	// Files judged by older rules of what is a post are read again, all of
	// them, once (see extract.Rules).
	reread, files := stored && rules < extract.Rules, found.Len()
	parts := []verdict{{found: found, unlisted: unlisted, stored: stored, reread: reread, expired: expired, site: site}}
	var room []string // a first index's files to read, both halves' (see judge)
	takeover := false // the index takes the first half's batch (see below)
	if n := found.Len(); n >= 2*applyChunk {
		mid := found.At(n / 2).Path
		parts = []verdict{{found: found.Slice(0, n/2), to: mid, unlisted: unlisted, stored: stored, reread: reread, expired: expired, site: site},
			{found: found.Slice(n/2, n), from: mid, unlisted: unlisted, stored: stored, reread: reread, expired: expired, site: site}}
		if !stored {
			room = make([]string, 0, n)
			parts[0].changed, parts[1].changed = room[:0:n/2], room[n/2:n/2:n]
		}
		if takeover = stored && ix.takesBatch(); takeover {
			// A build's rebuild: the first half's batch is made with room
			// for both, and a place for the pivot, as Load makes its
			// batch; the index adopts it (see below).
			bytes := 0
			for f := range found.All() {
				bytes += len(f.Path)
			}
			parts[0].same.recs, parts[0].same.arena = make([]rec, 1, 1+roomFor(n)), make([]byte, 0, roomFor(bytes))
		}
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
	for _, v := range parts {
		if v.err != nil {
			ix.mu.Unlock()
			return v.err
		}
	}
	if !stream {
		// The scan's list is not read again: it goes before the records
		// are copied into the index, where both were live at once (at
		// 1,000,000 files, 46 MB beside 100 MB of batches and records,
		// the peak of a warm rebuild).
		found = source.Files{}
		for i := range parts {
			parts[i].found = source.Files{}
		}
	}
	changed, gone := parts[0].changed, parts[0].gone
	switch {
	case room != nil: // the second half's files move down after the first's
		changed = room[:len(changed)+copy(room[len(changed):cap(room)], parts[1].changed)]
		clear(room[len(changed):cap(room)]) // no path kept alive past the end
		gone = slices.Concat(gone, parts[1].gone)
	case len(parts) > 1: // joined in lists made once, not grown
		changed, gone = slices.Concat(changed, parts[1].changed), slices.Concat(gone, parts[1].gone)
	}
	if ix.order == nil { // flat: the halves are appended, to room made once for both
		recs, bytes := 0, 0
		for _, v := range parts {
			recs, bytes = recs+len(v.same.recs), bytes+len(v.same.arena)
		}
		ix.flat = slices.Grow(ix.flat, recs)
		if !takeover {
			ix.recs, ix.arena = slices.Grow(ix.recs, recs), slices.Grow(ix.arena, bytes)
		}
	}
	for i := range parts {
		switch {
		case i == 0 && takeover && ix.adoptAll(&parts[0].same):
			// The first half's batch, made with room for both, is the
			// index's records: it is not copied, nor is room made for
			// both beside the batches (at 1,000,000 files, 45 MB of a warm
			// rebuild's peak). The second half's are appended to it.
		case i == 0 && takeover:
			ix.putAll(&batch{recs: parts[0].same.recs[1:], arena: parts[0].same.arena}, fresh)
		default:
			ix.putAll(&parts[i].same, fresh)
		}
		parts[i].same = batch{} // copied or adopted: the first half goes while the second is
	}
	ix.mu.Unlock()
	if fresh {
		ix.reserveFresh(changed) // a build's too: see reserveFresh
	}
	var pub *publisher
	if stream {
		newestFirst(changed, found)
		pub = &publisher{publish: ix.publish, now: ix.now}
		if err := ix.startFilling(); err != nil {
			return err
		}
	}
	if err := ix.apply(ctx, changed, gone, fresh, pub); err != nil {
		return err // a first index cut short stays unfinished, in the store too
	}
	if rules != extract.Rules && files > 0 && len(unlisted) == 0 { // a folder not listed was not judged
		if err := ix.store.SetRules(extract.Rules); err != nil {
			return err
		}
	}
	if stream {
		ix.compactCats()
	}
	return ix.endFilling()
}

// verdict is what judge found of one part of a rescan: the files found
// with paths in [from, to) ("" leaves an end open), against the records of
// the same paths.
type verdict struct {
	found    source.Files
	from, to string
	unlisted []source.Unlisted // folders whose records stand, file or not
	stored   bool              // the store holds records
	reread   bool              // every file is read, unchanged or not (see extract.Rules)
	expired  map[string]bool   // files read though unchanged: their expiry has come (see expiredAt)
	site     extract.Site      // files it withholds are read though unchanged, to lose their records

	changed []string // files to read
	gone    []string // records without a file
	same    batch    // unchanged files the index does not hold yet
	err     error
}

// judge compares the files and the records of a part, both in path order,
// side by side. Every entry has a live record, so an entry whose file is gone
// shows up among the records no file matches. The caller holds ix.mu, and
// judge only reads the index, so parts can be judged at once.
func (ix *Index) judge(v *verdict) {
	switch {
	case !v.stored:
		// A first index: every file is to be read (but those known bad),
		// and the list of them is sized once, unless Rescan gave the room.
		// No file is unchanged: room for them took 20 MB of each half at
		// 1,000,000 files, for nothing.
		if v.changed == nil {
			v.changed = make([]string, 0, v.found.Len())
		}
	case ix.size() == 0 && v.same.recs == nil:
		// Every unchanged file will be in it (a build): sized once, unless
		// Rescan gave the room. When
		// the index holds the store already (a restart), few are, and a
		// batch sized for every file would take 20 MB of each half at
		// 1,000,000 files, for nothing.
		n := 0
		for f := range v.found.All() {
			n += len(f.Path)
		}
		v.same.recs, v.same.arena = make([]rec, 0, v.found.Len()), make([]byte, 0, n) // IDs kept as text grow it; a UUID takes none
	}
	check := func(f source.Found, rec *state.Brief) { // judges a file, given its record if it has one
		if bad, ok := ix.failed[f.Path]; ok {
			if _, ok := f.Stamp(); !ok || bad.Size != f.Size || bad.ModTime.UnixNano() != f.ModTime {
				v.changed = append(v.changed, f.Path)
			} // else known bad and untouched: already logged
			return
		}
		if ix.later[f.Path] { // its last read failed for the machine's reasons: read it again
			v.changed = append(v.changed, f.Path)
			return
		}
		if _, ok := f.Stamp(); ok && rec != nil && !rec.OldFormat && !v.reread && !v.expired[f.Path] && rec.Size == f.Size && rec.ModTime == f.ModTime &&
			v.site.Withholds(f.Path) == "" {
			if h, ok := ix.lookup(f.Path); !ok || !ix.hasID(h, briefIdent(*rec)) {
				ix.addBrief(&v.same, f.Path, *rec)
			}
			return
		}
		v.changed = append(v.changed, f.Path)
	}
	next := v.found.Cursor()
	v.err = ix.store.Briefs(v.from, v.to, func(p []byte, rec state.Brief) bool {
		f, ok := next.Peek()
		for ; ok && f.Path < string(p); f, ok = next.Peek() {
			check(f, nil)
			next.Skip()
		}
		switch {
		case ok && f.Path == string(p):
			check(f, &rec)
			next.Skip()
		case v.unseen(string(p)):
			if h, ok := ix.lookup(string(p)); !ok || !ix.hasID(h, briefIdent(rec)) {
				ix.addBrief(&v.same, string(p), rec)
			}
		default:
			v.gone = append(v.gone, string(p))
		}
		return true
	})
	for f, ok := next.Peek(); ok; f, ok = next.Peek() {
		check(f, nil)
		next.Skip()
	}
}

// Update re-reads the given paths: each one that is still a seed is read
// again, and each one that is gone is removed.
//
// A change that may change what the folder is (a site generator's config
// came or went: see findSite) makes it a Rescan, which finds out, and
// reads again what the change concerns.
func (ix *Index) Update(ctx context.Context, paths []string) error {
	var seen, gone []string
	for _, p := range paths {
		switch {
		case ix.mayChangeSite(p):
			return ix.Rescan(ctx)
		case !ix.src.Wants(p):
		case ix.src.Exists(p):
			seen = append(seen, p)
		default:
			gone = append(gone, p)
		}
	}
	return ix.apply(ctx, seen, gone, false, nil)
}

// unseen reports whether the file at rel lies in a folder that could not be
// listed: its record stands.
func (v *verdict) unseen(rel string) bool {
	for _, u := range v.unlisted {
		if u.Holds(rel) {
			return true
		}
	}
	return false
}

// forgetLater drops from the files to read again those that a full scan no
// longer finds, where it could look: they are gone, and no record keeps
// them in the feed.
func (ix *Index) forgetLater(found source.Files, unlisted []source.Unlisted) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for p := range ix.later {
		_, there := found.Find(p)
		if !there && !(&verdict{unlisted: unlisted}).unseen(p) {
			delete(ix.later, p)
		}
	}
}

// takesBatch reports whether the index will adopt a batch whole (see
// adoptAll): it is flat, and has never held an entry. The caller holds
// ix.mu.
func (ix *Index) takesBatch() bool {
	return len(ix.recs) == 1 && len(ix.arena) == 0 && ix.order == nil && len(ix.flat) == 0
}
