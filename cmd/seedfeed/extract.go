package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/seedfeed/seedfeed/feed/daemon"
	"github.com/seedfeed/seedfeed/feed/state"
)

// runExtract prints, for each file, what seedfeed would put in the feeds.
func runExtract(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config", "config.toml", "config `file`")
	stateFile := fs.String("state", "", "state store `file` (overrides config)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: seedfeed extract [-config FILE] [-state FILE] FILE...")
		return errUsage
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	cfg, err := LoadConfig(*configFile, explicit)
	if err != nil {
		return err
	}
	if *stateFile != "" {
		cfg.State = *stateFile
	}
	return daemon.Extract(cfg.Options(nil), fs.Args(), stdout, stderr)
}

// runState runs seedfeed state check: it verifies the state store.
func runState(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: seedfeed state check [-config FILE] [-state FILE]")
		return errUsage
	}
	fs := flag.NewFlagSet("state check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config", "config.toml", "config `file`")
	stateFile := fs.String("state", "", "state store `file` to check (overrides config)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	cfg, err := LoadConfig(*configFile, explicit)
	if err != nil {
		return err
	}
	if *stateFile != "" {
		cfg.State = *stateFile
	}
	if err := state.Verify(cfg.State); err != nil {
		return err
	}
	fmt.Fprintln(stdout, cfg.State+": ok")
	return nil
}
