package index

import (
	"errors"
	"io/fs"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// Entries returns the newest limit entries (all when limit <= 0), newest
// first, complete with title, summary and full text. Only these entries are
// extracted, and an entry unchanged since the last call is not even read.
// An entry whose file can no longer be read is left out, with a log line.
func (ix *Index) Entries(limit int) ([]feed.Entry, error) {
	ix.keep.Store(int64(max(limit, 0)))
	ix.mu.Lock()
	var top []item
	ix.ascend(func(it item) bool {
		top = append(top, it)
		return limit <= 0 || len(top) < limit
	})
	cache, fresh := ix.docs, ix.fresh
	ix.fresh = map[string]extract.Doc{}
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
	out := make([]feed.Entry, 0, len(top))
	for _, rec := range recs {
		if rec.ID == "" {
			continue // removed since the list was taken
		}
		doc, ok := fresh[rec.Path]
		if !ok || doc.Hash != rec.Hash {
			doc, ok = cache[rec.Path]
		}
		if !ok || doc.Hash != rec.Hash {
			ix.reads.Add(1)
			data, _, err := ix.src.Read(rec.Path)
			if err == nil {
				doc, err = extract.Extract(rec.Path, data)
			}
			unseen := source.Transient(err) || errors.Is(err, fs.ErrPermission) && ix.src.FolderFails(rec.Path) != nil ||
				errors.Is(err, fs.ErrNotExist) && ix.heldEmpty()
			switch {
			case err != nil && unseen && ok:
				// The machine's trouble: show the text last read.
				ix.log.Warn("cannot read file for now; showing its last text", "path", rec.Path, "reason", err.Error())
			case err != nil && unseen:
				// Its entry is kept, and /healthz says why; its text is in
				// the file, so the feed shows it again once it can be read.
				ix.log.Debug("cannot read file for now; its entry waits for it", "path", rec.Path, "reason", err.Error())
				continue
			case err != nil:
				ix.log.Warn("skipping file", "path", rec.Path, "reason", err.Error())
				continue
			}
		}
		if doc.Draft {
			continue // made a draft since it was indexed
		}
		kept[rec.Path] = doc
		out = append(out, entryOf(rec, doc))
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

// entryOf joins what the store remembers of a file with what extraction
// found in it. The file's own dates win; otherwise the entry was published
// when first seen and updated when its text last changed. Feeds show whole
// seconds.
func entryOf(rec state.Record, doc extract.Doc) feed.Entry {
	pub, upd := dates(rec)
	return feed.Entry{
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

// Preview returns the entry that doc, the extraction of the seed at path,
// makes: with the ID and dates the store holds for path, when store is not
// nil and knows it (known), else with those it would get if it were seen at
// now.
func Preview(store *state.Store, path string, doc extract.Doc, now time.Time) (e feed.Entry, known bool, err error) {
	rec := state.Record{ID: state.NameID(path), Path: path, FirstSeen: now, Updated: now}
	if store != nil {
		r, ok, err := store.Lookup(path)
		if err != nil {
			return feed.Entry{}, false, err
		}
		if ok {
			rec, known = r, true
		}
	}
	rec.Date, rec.DocUpdated = doc.Date, doc.Updated
	return entryOf(rec, doc), known, nil
}
