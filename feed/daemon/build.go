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
	groups, err := buildGroups(ix, site, snap, log)
	if err != nil {
		return err
	}
	rendered, err := static.WriteDir(out, snap, groups)
	if err != nil {
		return err
	}
	log.Info("built", "dir", out, "entries", ix.Len(), "in_feeds", len(entries), "archive_pages", layout.Pages(),
		"rendered", rendered, "took", since(start))
	return store.Close()
}

// buildGroups returns what build writes besides the snapshot: the page of
// every published entry that the snapshot does not hold, and every archive
// page in every kind. Each is keyed by what it is made from, so that a
// rebuild reads and renders only what changed.
func buildGroups(ix *index.Index, site feed.Site, snap *render.Snapshot, log *slog.Logger) ([]static.Group, error) {
	siteKey := fmt.Sprintf("%#v", site)
	var groups []static.Group
	paths := ix.Published()
	for len(paths) > 0 {
		chunk := paths[:min(len(paths), 4096)]
		paths = paths[len(chunk):]
		recs, err := ix.Store().LookupAll(chunk)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			name := feed.PagePath(rec.ID)
			if _, ok := snap.Files[name]; ok || rec.ID == "" {
				continue
			}
			groups = append(groups, static.Group{Names: []string{name},
				Key: key(siteKey, rec.ID, rec.Hash, rec.FirstSeen.String(), rec.Updated.String(), rec.Date.String(), rec.DocUpdated.String()),
				Render: func() ([][]byte, error) {
					e, err := ix.Entry(rec)
					if err != nil {
						log.Warn("skipping the page of a file that cannot be read", "path", rec.Path, "reason", err.Error())
						return nil, nil
					}
					f, err := render.Page(site, e)
					if err != nil {
						return nil, err
					}
					return [][]byte{f.Body}, nil
				}})
		}
	}
	for n := 1; n <= snap.Archive; n++ {
		recs, recsKey, err := ix.ArchivePage(n)
		if err != nil {
			return nil, err
		}
		at := feed.Place{Page: n, Pages: snap.Archive}
		g := static.Group{Key: key(siteKey, strconv.Itoa(n), strconv.Itoa(snap.Archive), recsKey)}
		for _, k := range feed.Kinds {
			g.Names = append(g.Names, at.Path(k))
		}
		g.Render = func() ([][]byte, error) {
			entries := ix.EntriesOf(recs, site.FeedBytes)
			var out [][]byte
			for _, k := range feed.Kinds {
				f, err := render.Archive(site, k, entries, at, snap.Updated)
				if err != nil {
					return nil, err
				}
				out = append(out, f.Body)
			}
			return out, nil
		}
		groups = append(groups, g)
	}
	return groups, nil
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
