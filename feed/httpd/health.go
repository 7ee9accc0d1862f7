package httpd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/seedfeed/seedfeed/feed"
)

// Health is what /healthz says.
type Health struct {
	Status    string     `json:"status"`
	Entries   int        `json:"entries"` // the name DESIGN.md fixes; the same count as Indexed
	Indexed   int        `json:"indexed"`
	Published int        `json:"published"`
	Updated   time.Time  `json:"updated"`
	Renders   int64      `json:"renders"`
	Problems  []string   `json:"problems"`
	Hub       *HubHealth `json:"hub,omitempty"`
	// Index says how far the daemon is with its index: IndexLoading,
	// IndexScanning or IndexComplete.
	Index string `json:"index"`
}

// What Health.Status says: ok, with perhaps some problems, while the
// feeds follow the folder; degraded while the last feeds are served but
// no longer follow it (changes cannot be recorded), which Problems says.
const (
	StatusOK       = "ok"
	StatusDegraded = "degraded"
)

// What Health.Index says. While the index is loading, a restarted daemon
// serves the last snapshot of the run before, and Entries counts none; while
// it is scanning, the index is the store's, and the folder is being
// compared with it; once complete, the feeds show the folder as it was
// found, and then follow its changes.
const (
	IndexLoading  = "loading"
	IndexScanning = "scanning"
	IndexComplete = "complete"
)

// healthTimeout bounds a health check: a container runtime or a
// monitoring script waits no longer.
const healthTimeout = 5 * time.Second

// Probe asks the daemon at target, its base URL or its /healthz, how it is,
// and fails unless it answers that it is ok: seedfeed healthcheck.
func Probe(ctx context.Context, target string) (Health, error) {
	var h Health
	u, err := healthURL(target)
	if err != nil {
		return h, err
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return h, err
	}
	resp, err := http.DefaultClient.Do(req)
	if errors.Is(err, context.DeadlineExceeded) {
		return h, fmt.Errorf("%s: no answer within %s", u, healthTimeout)
	}
	if err != nil {
		return h, fmt.Errorf("%s: %s", u, feed.Reason(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return h, fmt.Errorf("%s answered %s", u, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&h); err != nil || h.Status != StatusOK {
		if err == nil && len(h.Problems) > 0 {
			return h, fmt.Errorf("%s says %s: %s", u, h.Status, strings.Join(h.Problems, " "))
		}
		return h, fmt.Errorf("%s did not say ok (status %q)", u, h.Status)
	}
	return h, nil
}

// healthURL returns the /healthz URL of target, a daemon's base URL or
// its /healthz itself.
func healthURL(target string) (string, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an http(s) URL", target)
	}
	if !strings.HasSuffix(u.Path, "/healthz") {
		u.Path = strings.TrimSuffix(u.Path, "/") + "/healthz"
	}
	return u.String(), nil
}
