package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/state"
)

// clock is the time source of build; tests replace it for golden output.
var clock = time.Now

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	out := fs.String("out", "", "output `folder` (required)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: seedfeed build -out DIR [flags]")
		fs.PrintDefaults()
		return errUsage
	}
	cfg, log, stopProfile, err := c.setup(fs, stderr)
	if err != nil {
		return err
	}
	defer stopProfile()
	start := time.Now()
	store, err := state.Open(cfg.State, false)
	if err != nil {
		return err
	}
	defer store.Close()
	ix := feed.NewIndex(cfg.Source(), store, feed.IndexOptions{Now: clock, Logger: log})
	if err := ix.Rescan(ctx); err != nil {
		return err
	}
	entries, err := ix.Entries(cfg.Limit)
	if err != nil {
		return err
	}
	snap, err := feed.Render(cfg.Site(), entries, clock())
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
	if err := feed.WriteDir(*out, snap, keep); err != nil {
		return err
	}
	log.Info("built", "dir", *out, "entries", ix.Len(), "in_feeds", len(entries), "took", since(start))
	return store.Close()
}
