package daemon

import (
	"context"
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
	ix := index.New(opts.Source, store, index.Options{Now: now, Logger: log, EmptyGrace: opts.EmptyGrace})
	if err := ix.Rescan(ctx); err != nil {
		return err
	}
	site := opts.siteAt(opts.Listen)
	entries, err := ix.Entries(site.Limit)
	if err != nil {
		return err
	}
	snap, err := render.Render(site, entries, now())
	if err != nil {
		return err
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
	if err := static.WriteDir(out, snap, keep); err != nil {
		return err
	}
	log.Info("built", "dir", out, "entries", ix.Len(), "in_feeds", len(entries), "took", since(start))
	return store.Close()
}
