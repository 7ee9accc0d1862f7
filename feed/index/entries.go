package index

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// Entries returns the newest limit entries (all when limit <= 0), newest
// first, with title, summary and, while a budget of textBytes lasts (see
// feed.Budget), full text; an entry past it comes without its text, which its page reads
// again when asked for. So memory follows the feeds' budget, not the size
// of the files. Only these entries are extracted, and an entry unchanged
// since the last call is not even read. An entry whose file can no longer
// be read is left out, with a log line.
func (ix *Index) Entries(limit int, textBytes int64) ([]feed.Entry, error) {
	ix.keep.Store(int64(max(limit, 0)))
	ix.keepBytes.Store(textBytes)
	budget := feed.NewBudget(textBytes)
	ix.mu.Lock()
	var top []handle
	now := ix.now().UnixNano()
	ix.next, ix.scheduled = 0, 0
	ix.cutoff = now
	for _, w := range ix.waiting {
		if w.published <= now || ix.future {
			// Due since the last call: its categories' feeds take it.
			ix.eachCategory(w.cats, func(slug, _ string) {
				if c := ix.cats[slug]; c != nil {
					ix.touch(slug, c)
					ix.catGen++ // the category may have had no entry published before
				}
			})
		}
	}
	ix.waiting = ix.waiting[:0]
	ix.ascend(func(h handle) bool {
		r := &ix.recs[h]
		if r.published > now && !ix.future {
			// Scheduled: dated later. The newest come first, so these do.
			ix.waiting = append(ix.waiting, pending{published: r.published, cats: r.cats})
			ix.scheduled++
			if ix.next == 0 || r.published < ix.next {
				ix.next = r.published
			}
			return true
		}
		top = append(top, h)
		return limit <= 0 || len(top) < limit
	})
	ix.feedFull = limit > 0 && len(top) == limit
	if ix.feedFull {
		ix.feedLast = ix.posOf(top[len(top)-1])
	}
	paths := ix.paths(top)
	cache, fresh := ix.docs, ix.fresh
	ix.fresh, ix.freshText = map[string]kept{}, 0
	ix.mu.Unlock()
	recs, err := ix.store.LookupAll(paths)
	if err != nil {
		return nil, err
	}
	keep := make(map[string]kept, len(top))
	out := make([]feed.Entry, 0, len(top))
	for _, rec := range recs {
		if rec.ID == "" {
			continue // removed since the list was taken
		}
		k, ok := fresh[rec.Path]
		if !ok || k.doc.Hash != rec.Hash {
			k, ok = cache[rec.Path]
		}
		if !ok || k.doc.Hash != rec.Hash {
			doc, err := ix.extract(rec.Path, ok)
			switch {
			case err == nil:
				k = keptOf(doc)
			case !ok || !errors.Is(err, ErrUnseen):
				continue // logged by extract
			} // else the machine's trouble: show the text last read
		}
		if k.doc.Draft {
			ix.forgetMedia(rec.Path)
			continue // made a draft since it was indexed
		}
		fits := budget.Fits(k.size)
		if fits && k.trimmed {
			// Read without its text, which it now needs: newer entries
			// that took the budget are gone. If it cannot be read now, it
			// shows its summary, as before.
			if doc, err := ix.read(rec.Path); err == nil {
				k = keptOf(doc)
			}
		}
		if !fits {
			k = k.trim()
		}
		keep[rec.Path] = k
		e := entryOf(rec, k.doc, ix.sources)
		ix.noteMedia(&e)
		e.Trimmed = k.trimmed
		out = append(out, e)
	}
	ix.mu.Lock()
	ix.docs = keep // only the newest entries' text stays in memory
	ix.mu.Unlock()
	return out, nil
}

// pending is an entry that the last Entries left out as scheduled: what
// the next needs to touch its categories once it is due.
type pending struct {
	published int64
	cats      uint32
}

// Scheduled returns how many entries the last Entries left out because
// they are dated later than it ran, and the earliest of their dates (zero
// when none): then the next render must run. See Options.Future.
func (ix *Index) Scheduled() (n int, next time.Time) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.next != 0 {
		next = time.Unix(0, ix.next).UTC()
	}
	return ix.scheduled, next
}

// kept is an extraction that the index keeps for the next render, with or
// without its text.
type kept struct {
	doc     extract.Doc
	size    int  // of the text, kept or not
	trimmed bool // the text was left out
}

// keptOf keeps doc whole.
func keptOf(doc extract.Doc) kept { return kept{doc: doc, size: len(doc.Content)} }

// trim leaves the text out.
func (k kept) trim() kept {
	k.doc.Content, k.trimmed = "", true
	return k
}

// ErrUnseen reports a file that cannot be read for a reason of the
// machine's (see source.Transient): its entry is kept.
var ErrUnseen = errors.New("cannot read file for now")

// read reads and extracts the file at p. An error that wraps ErrUnseen is
// the machine's trouble; any other is the file's.
func (ix *Index) read(p string) (extract.Doc, error) {
	doc, _, err := ix.readInto(ix.reader(), p, nil)
	return doc, err
}

// readInto is read, extracting as reader says, with the file read into
// buf, which it returns for the next file.
func (ix *Index) readInto(reader extract.Options, p string, buf []byte) (extract.Doc, []byte, error) {
	ix.reads.Add(1)
	data, _, err := ix.src.ReadInto(p, buf)
	var doc extract.Doc
	if err == nil {
		doc, err = reader.Extract(p, data)
	}
	buf = data[:0]
	if err == nil {
		return doc, buf, nil
	}
	if source.Transient(err) || errors.Is(err, fs.ErrPermission) && ix.src.FolderFails(p) != nil ||
		errors.Is(err, fs.ErrNotExist) && (ix.heldEmpty() || !ix.src.Exists(".")) {
		return doc, buf, fmt.Errorf("%w: %w", ErrUnseen, err)
	}
	return doc, buf, err
}

// extract is read, with a log line for each error. shown says whether an
// earlier text of the file is at hand.
func (ix *Index) extract(p string, shown bool) (extract.Doc, error) {
	doc, err := ix.read(p)
	switch {
	case err == nil:
	case errors.Is(err, ErrUnseen) && shown:
		ix.log.Warn("cannot read file for now; showing its last text", "path", p, "reason", feed.Reason(errors.Unwrap(err)))
	case errors.Is(err, ErrUnseen):
		// Its entry is kept, and /healthz says why; its text is in the
		// file, so the feed shows it again once it can be read.
		ix.log.Debug("cannot read file for now; its entry waits for it", "path", p, "reason", feed.Reason(err))
	default:
		ix.log.Warn("skipping file", "path", p, "reason", feed.Reason(err))
	}
	return doc, err
}

// Presence is what the index knows of an ID.
type Presence int

const (
	Unknown Presence = iota // never an entry's, or long forgotten
	Live                    // a live entry's
	Gone                    // a removed entry's, which the store still remembers
)

// Find returns the record of the live entry whose ID is id, or says that
// there is none.
func (ix *Index) Find(id string) (state.Record, Presence, error) {
	ix.mu.Lock()
	p, ok := ix.pathOf(id)
	ix.mu.Unlock()
	if ok {
		rec, ok, err := ix.store.Lookup(p)
		if err != nil {
			return state.Record{}, Unknown, err
		}
		if ok && rec.ID == id {
			if !ix.future && rec.Published().After(ix.now()) {
				return state.Record{}, Unknown, nil // not published yet
			}
			return rec, Live, nil
		}
	}
	gone, err := ix.store.Removed(id)
	if err != nil || !gone {
		return state.Record{}, Unknown, err
	}
	return state.Record{}, Gone, nil
}

// Entry returns the entry of rec with its whole text, read from its file
// now, for its page. An error that wraps ErrUnseen is the machine's
// trouble; ErrDraft says the file has become a draft.
func (ix *Index) Entry(rec state.Record) (feed.Entry, error) {
	doc, err := ix.read(rec.Path)
	if err != nil {
		return feed.Entry{}, err
	}
	if doc.Draft {
		return feed.Entry{}, ErrDraft
	}
	e := entryOf(rec, doc, ix.sources)
	ix.noteMedia(&e)
	return e, nil
}

// ErrDraft reports, through Entry, a file that has become a draft.
var ErrDraft = errors.New("the file is a draft")

// pathOf returns the path of the live entry whose ID is id. The caller
// holds ix.mu.
func (ix *Index) pathOf(id string) (string, bool) {
	ix.ensureIDs()
	h, ok := ix.lookupID([]byte(id))
	if !ok {
		return "", false
	}
	return ix.path(h), true
}

// ensureIDs makes the table of entries by ID when first needed; then put
// and drop keep it in step. The caller holds ix.mu.
func (ix *Index) ensureIDs() {
	if ix.byID.made() {
		return
	}
	ix.byID = newTable(ix.size(), ix.idHash)
	for h := range ix.recs {
		if handle(h) != pivot && ix.recs[h].pathLen != 0 {
			ix.byID.insert(handle(h))
		}
	}
}

// dates returns an entry's publication and update times (see README,
// "Dates"): published is the file's own date, else FirstSeen; updated is
// the file's own update date, else when its text last changed, else
// published.
func dates(rec state.Record) (published, updated time.Time) {
	published, updated = rec.Published(), rec.Updated
	switch {
	case !rec.DocUpdated.IsZero():
		updated = rec.DocUpdated
	case rec.Updated.Equal(rec.FirstSeen):
		updated = published // its text never changed
	}
	if updated.Before(published) {
		updated = published
	}
	return published.UTC(), updated.UTC()
}

// entryOf joins what the store remembers of a file (its ID and dates, see
// dates) with what extraction found in it. Feeds show whole seconds.
//
// Its categories are the record's, which its category sets hold it by;
// a record of a store's old format has none yet, and takes doc's.
func entryOf(rec state.Record, doc extract.Doc, src feed.CategorySources) feed.Entry {
	pub, upd := dates(rec)
	tags, place := rec.Tags, rec.Place
	if rec.OldFormat {
		tags, place = doc.Tags, doc.Place
	}
	return feed.Entry{
		ID:         rec.ID,
		Path:       rec.Path,
		Title:      doc.Title,
		Summary:    doc.Summary,
		Content:    doc.Content,
		Author:     doc.Author,
		Categories: src.Categories(rec.Path, tags, place),
		Lang:       doc.Lang,
		Media:      feed.MediaOf(rec.Path, doc.Links),
		Seeds:      feed.SeedsOf(rec.Path, doc.Links),
		Published:  pub.Truncate(time.Second),
		Updated:    upd.Truncate(time.Second),
	}
}

// Preview returns the entry that doc, the extraction of the seed at path,
// makes: with the ID and dates the store holds for path, when store is not
// nil and knows it (known), else with those it would get if it were seen at
// now with modification time modTime on the site at base URL site.
func Preview(store *state.Store, site, path string, doc extract.Doc, modTime, now time.Time) (e feed.Entry, known bool, err error) {
	born := now
	if !modTime.IsZero() && modTime.Before(now) {
		born = modTime
	}
	rec := state.Record{ID: state.SiteID(site, path), Path: path, FirstSeen: born, Updated: born, Date: doc.Date, DocUpdated: doc.Updated,
		Tags: doc.Tags, Place: doc.Place}
	if rec.Date.IsZero() {
		rec.Date = state.MonthDate(extract.PathMonth(path), born)
	}
	if store != nil {
		r, ok, err := store.Lookup(path)
		if err != nil {
			return feed.Entry{}, false, err
		}
		if ok {
			rec, known = r, true
		}
	}
	return entryOf(rec, doc, feed.AllCategorySources), known, nil
}

// briefOf is o for entries without their text.
func briefOf(o extract.Options) extract.Options {
	o.Brief = true
	return o
}
