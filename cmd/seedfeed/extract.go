package main

import (
	"context"
	"fmt"
	"io"

	"github.com/seedfeed/seedfeed/cmd/seedfeed/config"
	"github.com/seedfeed/seedfeed/feed/daemon"
	"github.com/seedfeed/seedfeed/feed/state"
)

// runExtract prints, for each file, what seedfeed would put in the feeds.
func runExtract(_ context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, files, err := lookerConfig("extract", args, stderr)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fmt.Fprintln(stderr, "seedfeed: extract: no files named")
		return errUsage
	}
	return daemon.Extract(cfg.Options(nil), files, stdout, stderr)
}

// runState runs seedfeed state check: it verifies the state store.
func runState(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: seedfeed state check [-config FILE] [-state FILE]")
		return errUsage
	}
	cfg, _, err := lookerConfig("state check", args[1:], stderr)
	if err != nil {
		return err
	}
	if err := state.Verify(cfg.State); err != nil {
		return err
	}
	fmt.Fprintln(stdout, cfg.State+": ok")
	return nil
}

// lookerConfig parses the flags of a command that only looks, -config and
// -state, before or after its arguments, and returns the config they make
// and the arguments.
func lookerConfig(name string, args []string, stderr io.Writer) (config.Config, []string, error) {
	fs := flagSet(name, stderr)
	var c common
	fs.StringVar(&c.config, "config", "config.toml", "config `file`")
	fs.StringVar(&c.state, "state", "", "state store `file` (overrides config)")
	if name == "extract" {
		fs.StringVar(&c.seeds, "seeds", "", "seeds `folder` the files are in, for their IDs and dates (overrides config)")
	}
	args, err := parseAll(fs, args)
	if err != nil {
		return config.Config{}, nil, err
	}
	cfg, err := c.read(fs)
	if c.seeds != "" {
		cfg.Seeds = c.seeds
	}
	return cfg, args, err
}
