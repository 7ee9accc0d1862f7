package daemon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/index"
	"github.com/seedfeed/seedfeed/feed/render"
	"github.com/seedfeed/seedfeed/feed/state"
	"github.com/seedfeed/seedfeed/feed/static"
)

// Build indexes the seeds folder once, renders it, and writes the result
// into out: seedfeed build.
func Build(ctx context.Context, opts Options, out string) error {
	log := opts.logger()
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	start := time.Now()
	missing, seedsErr := checkSeeds(opts.Source.Dir)
	if seedsErr != nil && !missing {
		return seedsErr
	}
	store, err := state.OpenOrRestore(opts.State, log)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := missingSeeds(missing, seedsErr, store, opts.EmptyGrace, log); err != nil {
		return err
	}
	ix := index.New(opts.Source, store, index.Options{Now: now, Logger: log, EmptyGrace: opts.EmptyGrace,
		Limit: opts.Site.Limit, TextBytes: opts.Site.FeedBytes, Future: opts.Future})
	if err := ix.Rescan(ctx); err != nil {
		return err
	}
	site := opts.siteAt(opts.Listen)
	entries, err := ix.Entries(site.Limit, site.FeedBytes)
	if err != nil {
		return err
	}
	layout, err := ix.Archive(site.Limit)
	if err != nil {
		return err
	}
	snap, err := render.RenderSince(site, entries, layout.Pages(), now(), nil)
	if err != nil {
		return err
	}
	gen, err := store.Generation()
	if err != nil {
		return err
	}
	rendered, checked, err := write(out, ix, site, snap, layout, entries, gen, log)
	if err != nil {
		return err
	}
	log.Info("built", "dir", out, "entries", ix.Len(), "in_feeds", len(entries), "archive_pages", layout.Pages(),
		"pages_checked", checked, "rendered", rendered, "took", since(start))
	return store.Close()
}

// write writes into out, besides the snapshot, every archive page in
// every kind and the page of every published entry that the snapshot does
// not hold. An archive page and the pages of its entries are one group,
// read and extracted once, keyed by what they are made from, so that a
// rebuild reads and renders only what changed; the entries of the
// subscription feeds whose pages the snapshot lacks (past the byte
// budget) are a group each. Groups go a few at a time, so that memory
// holds the records of those, not of the whole folder.
//
// When the store has taken no change since the last run (its generation),
// the site is the same and so are the entries published, that run's output
// stands: only the snapshot is written, and no page is checked.
func write(out string, ix *index.Index, site feed.Site, snap *render.Snapshot, layout index.Layout, entries []feed.Entry,
	generation uint64, log *slog.Logger) (rendered int, checked bool, err error) {
	siteKey := fmt.Sprintf("%#v", site)
	_, ids := ix.Published()
	stamp := key(siteKey, strconv.FormatUint(generation, 10), strconv.Itoa(len(ids)), strconv.Itoa(snap.Archive))
	if static.Current(out, stamp) {
		return 0, false, static.WriteSnapshot(out, snap)
	}
	names := make([]string, 0, len(ids)+snap.Archive*len(feed.Kinds))
	for _, id := range ids {
		names = append(names, feed.PagePath(id))
	}
	for n := 1; n <= snap.Archive; n++ {
		for _, k := range feed.Kinds {
			names = append(names, feed.ArchivePath(k, n))
		}
	}
	for name := range snap.Files {
		names = append(names, name)
	}
	w, err := static.NewWriter(out, names)
	if err != nil {
		return 0, true, err
	}
	names, ids = nil, nil
	var groups []static.Group
	for _, e := range entries {
		if !e.Trimmed {
			continue // its page is in the snapshot
		}
		rec, found, err := ix.Find(e.ID)
		if err != nil {
			return 0, true, err
		}
		if found != index.Live {
			continue
		}
		groups = append(groups, static.Group{Names: []string{feed.PagePath(e.ID)}, Key: key(siteKey, index.RecordKey(rec)), Render: func() ([][]byte, error) {
			whole, err := ix.Entry(rec)
			if err != nil {
				log.Warn("skipping the page of a file that cannot be read", "path", e.Path, "reason", err.Error())
				return nil, nil
			}
			f, err := render.Page(site, whole)
			if err != nil {
				return nil, err
			}
			return [][]byte{f.Body}, nil
		}})
	}
	if err := w.Groups(groups); err != nil {
		return 0, true, err
	}
	groups = nil
	for n := 1; n <= snap.Archive; n++ {
		recs, recsKey, err := ix.ArchivePage(layout, n)
		if err != nil {
			return 0, true, err
		}
		at := feed.Place{Page: n, Pages: snap.Archive}
		// The page's bytes depend on the count of pages only through its
		// link to the next: whether it is the newest.
		g := static.Group{Key: key(siteKey, strconv.Itoa(n), strconv.FormatBool(n == snap.Archive), recsKey)}
		for _, k := range feed.Kinds {
			g.Names = append(g.Names, at.Path(k))
		}
		for _, rec := range recs {
			g.Names = append(g.Names, feed.PagePath(rec.ID))
		}
		g.Render = func() ([][]byte, error) {
			whole, err := ix.EntriesOf(recs)
			var out [][]byte
			for _, k := range feed.Kinds {
				if err != nil {
					out = append(out, nil) // lacking an entry: kept as it was, and made again next time
					continue
				}
				f, err := render.Archive(site, k, whole, at, snap.Updated)
				if err != nil {
					return nil, err
				}
				out = append(out, f.Body)
			}
			if err != nil {
				log.Warn("skipping an archive page: some of its files cannot be read", "page", n, "reason", err.Error())
			}
			// One page for each record: an entry that cannot be read now
			// keeps the page it had.
			byID := make(map[string]feed.Entry, len(whole))
			for _, e := range whole {
				byID[e.ID] = e
			}
			for _, rec := range recs {
				e, ok := byID[rec.ID]
				if !ok {
					out = append(out, nil)
					continue
				}
				f, err := render.Page(site, e)
				if err != nil {
					return nil, err
				}
				out = append(out, f.Body)
			}
			return out, nil
		}
		if groups = append(groups, g); len(groups) == 16 || n == snap.Archive {
			if err := w.Groups(groups); err != nil {
				return 0, true, err
			}
			groups = nil
		}
	}
	rendered, err = w.Finish(snap, stamp)
	return rendered, true, err
}

// key fingerprints what a built file is made from.
func key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
