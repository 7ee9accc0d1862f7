package daemon

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// env is a seeds folder and a state file for a daemon, with the options
// that config.toml's defaults would give, on a port of its own.
type env struct {
	seeds, state string
	opts         Options
}

// newEnv copies the sample seeds into a fresh folder; change adjusts the
// options, as a config file would.
func newEnv(t *testing.T, change func(*Options)) env {
	t.Helper()
	e := env{seeds: feedtest.SeedDir(t), state: filepath.Join(t.TempDir(), "state.db")}
	e.opts = Options{
		Site:        feed.Site{Title: "seedfeed", Language: "en", Limit: 50},
		Source:      source.Source{Dir: e.seeds, Include: []string{"*.txt", "*.md", "*.markdown"}, MaxSize: 4 << 20},
		State:       e.state,
		Listen:      "127.0.0.1:0",
		Debounce:    100 * time.Millisecond,
		Rescan:      5 * time.Minute,
		CacheMaxAge: 5 * time.Minute,
		EmptyGrace:  time.Hour,
	}
	if change != nil {
		change(&e.opts)
	}
	return e
}

// proc is a daemon running in this process.
type proc struct {
	d      *Daemon
	addr   string
	logs   *feedtest.SyncBuffer // JSON lines
	cancel context.CancelFunc
	done   chan error // gets Run's result
}

// start runs a daemon on e and waits until it has indexed the folder.
func start(t *testing.T, e env) *proc {
	t.Helper()
	p := startProc(t, e, nil)
	select {
	case <-p.d.Ready():
	case err := <-p.done:
		t.Fatalf("the daemon stopped before it was ready: %v\n%s", err, p.logs)
	case <-time.After(20 * time.Second):
		t.Fatalf("the daemon was not ready after 20 s\n%s", p.logs)
	}
	return p
}

// startProc runs a daemon on e, and returns once it serves (New binds the
// port; requests wait for Run). Its index waits until hold is closed,
// unless hold is nil.
func startProc(t *testing.T, e env, hold <-chan struct{}) *proc {
	t.Helper()
	p := &proc{logs: &feedtest.SyncBuffer{}, done: make(chan error, 1)}
	opts := e.opts
	opts.Logger = slog.New(slog.NewJSONHandler(p.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	d.holdIndex = hold
	p.d, p.addr = d, d.Addr()
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	go func() { p.done <- d.Run(ctx) }() // exits when ctx is cancelled
	t.Cleanup(func() {
		cancel()
		if ok, _ := p.wait(10 * time.Second); !ok {
			t.Error("the daemon still runs 10 s after the test")
		}
		d.Close()
	})
	return p
}

// stop cancels the daemon's context, as SIGTERM does, and checks that Run
// returns nil within 5 s, as systemd expects.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cancel()
	ok, err := p.wait(5 * time.Second)
	if !ok {
		t.Fatalf("the daemon still runs 5 s after cancel\n%s", p.logs)
	}
	if err != nil {
		t.Fatalf("Run = %v after cancel; want nil\n%s", err, p.logs)
	}
	p.d.Close()
}

// wait waits up to timeout for Run to return and returns what it
// returned; ok is false if it is still running. The result stays for the
// next wait.
func (p *proc) wait(timeout time.Duration) (ok bool, err error) {
	if timeout <= 0 {
		select {
		case err := <-p.done:
			p.done <- err
			return true, err
		default:
			return false, nil
		}
	}
	select {
	case err := <-p.done:
		p.done <- err
		return true, err
	case <-time.After(timeout):
		return false, nil
	}
}

// running reports whether Run has not returned.
func (p *proc) running() bool {
	done, _ := p.wait(0)
	return !done
}

func (p *proc) url(path string) string { return "http://" + p.addr + path }

type (
	jsonItem = feedtest.JSONItem
	jsonDoc  = feedtest.JSONFeed
	health   = feedtest.Health
)

func getFeed(t *testing.T, p *proc) jsonDoc {
	t.Helper()
	var doc jsonDoc
	feedtest.GetJSON(t, p.url("/feed.json"), &doc)
	return doc
}

func byTitle(doc jsonDoc, title string) (jsonItem, bool) { return doc.ByTitle(title) }

func getHealth(t *testing.T, p *proc) health {
	t.Helper()
	var h health
	feedtest.GetJSON(t, p.url("/healthz"), &h)
	return h
}

// healthz returns the number of entries /healthz reports.
func healthz(t *testing.T, p *proc) int {
	t.Helper()
	return getHealth(t, p).Entries
}

// get fetches url and fails the test unless it answers 200.
func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d, %v; want 200", url, resp.StatusCode, err)
	}
	return b
}

// settled returns once the daemon is between batches: it holds d.mu while
// a batch is applied and rendered.
func (d *Daemon) settled() {
	d.mu.Lock()
	defer d.mu.Unlock()
	_ = d.stopped
}

// id returns the ID the daemon gives a file first seen at path: its
// site's (see state.SiteID).
func (p *proc) id(path string) string { return state.SiteID(p.d.siteURL(), path) }

// id returns the ID a build on e gives a file first seen at path.
func (e env) id(path string) string { return state.SiteID(e.opts.Site.BaseURL, path) }

// siteURL is the base URL the daemon names its new IDs by: the one
// configured, as the last reload left it.
func (d *Daemon) siteURL() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.opts.Site.BaseURL
}
