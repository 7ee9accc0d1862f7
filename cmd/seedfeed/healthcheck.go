package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/seedfeed/seedfeed/feed/httpd"
)

// runHealthcheck runs seedfeed healthcheck [URL]: it asks a running
// daemon's /healthz and succeeds when the daemon says it is ok. URL is the
// daemon's base URL or its /healthz; without it, the listen address of the
// config.
func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("healthcheck", stderr)
	configFile := fs.String("config", "config.toml", "config `file`, for its listen address when no URL is given")
	args, err := parseAll(fs, args)
	if err != nil {
		return err
	}
	target := "http://"
	if len(args) > 1 {
		fmt.Fprintf(stderr, "seedfeed: healthcheck: unexpected argument %q\n", args[1])
		return errUsage
	}
	if len(args) > 0 {
		target = args[0]
	} else {
		cfg, err := (&common{config: *configFile}).read(fs) // a missing file is the defaults, unless -config named it
		if err != nil {
			return err
		}
		target += cfg.Listen + "/"
	}
	h, err := httpd.Probe(ctx, target)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	fmt.Fprintf(stdout, "ok: %d entries", h.Entries)
	if len(h.Problems) > 0 {
		fmt.Fprintf(stdout, "; %s", strings.Join(h.Problems, " "))
	}
	fmt.Fprintln(stdout)
	return nil
}
