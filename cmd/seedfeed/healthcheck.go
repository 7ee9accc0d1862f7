package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// healthTimeout bounds a health check: a container runtime or a
// monitoring script waits no longer.
const healthTimeout = 5 * time.Second

// runHealthcheck runs seedfeed healthcheck [URL]: it asks a running
// daemon's /healthz and succeeds when the daemon says it is ok. URL is the
// daemon's base URL or its /healthz; without it, the listen address of the
// config.
func runHealthcheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config", "config.toml", "config `file`, for its listen address when no URL is given")
	if err := fs.Parse(args); err != nil {
		return err
	}
	target := fs.Arg(0)
	if target == "" {
		cfg, err := (&common{config: *configFile}).read(fs) // a missing file is the defaults, unless -config named it
		if err != nil {
			return err
		}
		target = "http://" + cfg.Listen + "/"
	}
	u, err := healthURL(target)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %s: %w", u, errors.Unwrap(err))
	}
	defer resp.Body.Close()
	var h struct {
		Status   string   `json:"status"`
		Entries  int      `json:"entries"`
		Problems []string `json:"problems"`
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", u, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&h); err != nil || h.Status != "ok" {
		return fmt.Errorf("healthcheck: %s did not say ok (status %q)", u, h.Status)
	}
	fmt.Fprintf(stdout, "ok: %d entries", h.Entries)
	if len(h.Problems) > 0 {
		fmt.Fprintf(stdout, "; %s", strings.Join(h.Problems, " "))
	}
	fmt.Fprintln(stdout)
	return nil
}

// healthURL returns the /healthz URL of target, a daemon's base URL or
// its /healthz itself.
func healthURL(target string) (string, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("healthcheck: %q is not an http(s) URL", target)
	}
	if !strings.HasSuffix(u.Path, "/healthz") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/healthz"
	}
	return u.String(), nil
}
