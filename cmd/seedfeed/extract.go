package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/seedfeed/seedfeed/cmd/seedfeed/config"
	"github.com/seedfeed/seedfeed/feed/daemon"
	"github.com/seedfeed/seedfeed/feed/state"
)

// runExtract prints, for each file, what seedfeed would put in the feeds.
func runExtract(_ context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, fs, err := lookerConfig("extract", args, stderr)
	if err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: seedfeed extract [-config FILE] [-state FILE] FILE...")
		return errUsage
	}
	return daemon.Extract(cfg.Options(nil), fs.Args(), stdout, stderr)
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
// -state, and returns the config they make, with the flag set for the
// arguments left.
func lookerConfig(name string, args []string, stderr io.Writer) (config.Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	fs.StringVar(&c.config, "config", "config.toml", "config `file`")
	fs.StringVar(&c.state, "state", "", "state store `file` (overrides config)")
	if err := parse(fs, args); err != nil {
		return config.Config{}, fs, err
	}
	cfg, err := c.read(fs)
	return cfg, fs, err
}
