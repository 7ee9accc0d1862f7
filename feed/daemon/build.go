package daemon

import (
	"context"
	"fmt"
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
	snap, err := render.Render(site, entries, now())
	if err != nil {
		return err
	}
	// The pages of entries past the budget are rendered as they are
	// written, one at a time.
	more := static.Pages{Render: func(name string) ([]byte, error) { return page(ix, site, name) }}
	for _, e := range entries {
		if e.Trimmed {
			more.Names = append(more.Names, feed.PagePath(e.ID))
		}
	}
	var live map[string]bool // made only when an old page needs judging
	keep := func(page string) bool {
		if live == nil {
			live = make(map[string]bool)
			for id := range ix.IDs() {
				live[feed.PagePath(id)] = true
			}
		}
		return live[page]
	}
	if err := static.WriteDir(out, snap, more, keep); err != nil {
		return err
	}
	log.Info("built", "dir", out, "entries", ix.Len(), "in_feeds", len(entries), "took", since(start))
	return store.Close()
}

// page renders the page at name for build, reading its entry's text
// again.
func page(ix *index.Index, site feed.Site, name string) ([]byte, error) {
	id, _ := feed.PageID(name)
	rec, found, err := ix.Find(id)
	if err == nil && found != index.Live {
		err = fmt.Errorf("entry %s is gone", id)
	}
	var e feed.Entry
	if err == nil {
		e, err = ix.Entry(rec)
	}
	var f *render.File
	if err == nil {
		f, err = render.Page(site, e)
	}
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", name, err)
	}
	return f.Body, nil
}
