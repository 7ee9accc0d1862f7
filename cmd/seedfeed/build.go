package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/seedfeed/seedfeed/feed/daemon"
)

// clock is the time source of build; tests replace it for golden output.
var clock = time.Now

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("build", stderr)
	var c common
	c.register(fs, "`folder` of seed files to publish")
	out := fs.String("out", "", "output `folder` (required)")
	future := fs.Bool("future", false, "publish entries dated in the future too (otherwise they wait for their date)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "seedfeed: build: -out is required, and takes no arguments")
		fs.Usage()
		return errUsage
	}
	cfg, log, stopProfile, err := c.setup(fs, stderr)
	if err != nil {
		return err
	}
	defer stopProfile()
	if cfg.BaseURL == "" {
		// Links would lead to the listen address, where nothing serves a
		// static site.
		return fmt.Errorf("build: no base URL: set base_url in %s, or pass -base-url https://example.org/feeds/, the address the output will be served at", c.config)
	}
	opts := cfg.Options(log)
	opts.Now, opts.Future = clock, *future
	opts.Form = versionString() + " " + daemon.BuildID() // what this program makes of a file
	if err := daemon.Build(ctx, opts, *out); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	return nil
}
