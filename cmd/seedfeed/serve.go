package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/state"
	"github.com/seedfeed/seedfeed/feed/websub"
	"github.com/seedfeed/seedfeed/watch"
)

// shutdownGrace bounds how long in-flight requests may take at shutdown, so
// that the whole exit stays well inside systemd's and the tests' 5 s.
const shutdownGrace = 3 * time.Second

// maxRenderDelay bounds how long a render may wait while a burst of files
// is still settling, so that a burst costs a few renders, not one a batch.
const maxRenderDelay = 200 * time.Millisecond

// retryDelay is how long the daemon waits before it retries a change that
// it could not record, such as when the state store cannot be written.
const retryDelay = 5 * time.Second

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	fs.StringVar(&c.listen, "listen", "", "`address` to listen on, such as 127.0.0.1:8080 (overrides config)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "seedfeed serve: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	cfg, log, stopProfile, err := c.setup(fs, stderr)
	if err != nil {
		return err
	}
	defer stopProfile()
	d, err := newDaemon(cfg, log)
	if err != nil {
		return err
	}
	defer d.Close()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	reload := func() (Config, error) { return c.load(fs) }
	return d.Run(ctx, hup, reload)
}

// daemon is seedfeed serve: the index, the watcher that feeds it, and the
// HTTP server that serves its snapshots.
type daemon struct {
	log     *slog.Logger
	store   *state.Store
	ix      *feed.Index
	handler *feed.Handler
	srv     *http.Server
	ln      net.Listener
	watcher *watch.Watcher

	mu          sync.Mutex // serialises changes to the index, renders and reloads
	cfg         Config
	site        feed.Site
	pub         *websub.Publisher
	renderTimer *time.Timer // a render put off while a burst settles, or nil
	stopped     bool        // no render after shutdown

	closeOnce sync.Once
}

// newDaemon opens the state store, watches the seeds folder and binds the
// listen address, so that each of these fails at start-up with a clear
// message rather than later.
func newDaemon(cfg Config, log *slog.Logger) (_ *daemon, err error) {
	d := &daemon{log: log, cfg: cfg}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	if fi, err := os.Stat(cfg.Seeds); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("serve: seeds folder %s does not exist or is not a folder", cfg.Seeds)
	}
	if d.store, err = state.Open(cfg.State, false); err != nil {
		return nil, err
	}
	src := cfg.Source()
	d.ix = feed.NewIndex(src, d.store, feed.IndexOptions{Logger: log})
	d.watcher, err = watch.New(cfg.Seeds, watch.Options{
		Debounce: time.Duration(cfg.Debounce),
		Rescan:   time.Duration(cfg.RescanInterval),
		Keep:     src.Wants,
		Logger:   log,
	})
	if err != nil {
		return nil, err
	}
	if d.ln, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	d.site = d.siteFor(cfg)
	d.pub = websub.New(cfg.Hubs, websub.Options{Logger: log})
	d.handler = feed.NewHandler(&feed.Snapshot{Files: map[string]*feed.File{}}, time.Duration(cfg.CacheMaxAge), d.ix.Len)
	d.srv = &http.Server{
		Handler:           d.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	return d, nil
}

// siteFor returns the feed settings of cfg; without a base URL, links point
// at the address actually bound, which matters for -listen 127.0.0.1:0.
func (d *daemon) siteFor(cfg Config) feed.Site {
	site := cfg.Site()
	site.Hubs = cfg.Hubs
	if cfg.BaseURL == "" {
		site.BaseURL = "http://" + d.ln.Addr().String() + "/"
	}
	return site
}

// Run serves until ctx is done: it serves the last known feed at once,
// indexes the folder, then follows its changes. A value on hup reloads the
// configuration through reload.
func (d *daemon) Run(ctx context.Context, hup <-chan os.Signal, reload func() (Config, error)) error {
	d.log.Info("listening", "addr", d.ln.Addr().String(), "seeds", d.cfg.Seeds, "base_url", d.site.BaseURL)
	if err := d.ix.Load(); err != nil {
		return err
	}
	d.render()

	serveErr := make(chan error, 1)
	go func() { serveErr <- d.srv.Serve(d.ln) }() // exits at Shutdown

	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	watchDone := make(chan error, 1)
	go func() { watchDone <- d.watcher.Run(watchCtx, d.apply) }() // exits when watchCtx ends

	start := time.Now()
	d.mu.Lock()
	err := d.ix.Rescan(ctx)
	if err == nil {
		d.render()
		d.ix.Settle()
		// The first index leaves its garbage behind at once: collect it now
		// and give the memory back, so serving starts small and steady.
		debug.FreeOSMemory()
		d.log.Info("indexed", "entries", d.ix.Len(), "read", d.ix.Reads(), "took", since(start))
	}
	d.mu.Unlock()
	if err != nil && ctx.Err() == nil {
		d.log.Error("first index failed; will retry", "reason", err.Error())
		d.retryLater()
	}

	shutdown := func() error {
		d.log.Info("shutting down")
		d.mu.Lock()
		d.stopped = true
		if d.renderTimer != nil {
			d.renderTimer.Stop()
		}
		d.mu.Unlock()
		shutCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		err := d.srv.Shutdown(shutCtx)
		cancel()
		stopWatch()
		if err != nil {
			d.log.Warn("connections closed before they finished", "reason", err.Error())
		}
		return nil
	}
	for {
		select {
		case <-ctx.Done():
			<-watchDone
			return shutdown()
		case err := <-serveErr:
			return fmt.Errorf("serve: %w", err)
		case err := <-watchDone:
			if ctx.Err() != nil { // the watcher saw the same cancellation first
				return shutdown()
			}
			return fmt.Errorf("serve: watcher stopped: %v", err)
		case <-hup:
			cfg, err := reload()
			if err != nil {
				d.log.Error("config reload failed; keeping the old config", "reason", err.Error())
				continue
			}
			d.reconfigure(cfg)
		}
	}
}

// apply takes one batch from the watcher into the index and re-renders.
func (d *daemon) apply(b watch.Batch) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var err error
	if b.Rescan {
		if b.RescanReason != "periodic" {
			d.log.Info("rescanning", "reason", b.RescanReason)
		}
		err = d.ix.Rescan(context.Background())
	} else {
		err = d.ix.Update(context.Background(), b.Paths)
	}
	if err != nil {
		d.log.Error("could not record changes; still serving the last feed, will retry", "reason", err.Error())
		d.retryLater()
		return
	}
	if b.More {
		d.renderLater()
		return
	}
	d.render()
}

// renderLater renders within maxRenderDelay, unless a render comes first.
// The caller holds d.mu.
func (d *daemon) renderLater() {
	if d.renderTimer != nil {
		return
	}
	d.renderTimer = time.AfterFunc(maxRenderDelay, func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		d.renderTimer = nil
		if !d.stopped {
			d.render()
		}
	})
}

// retryLater asks for a rescan after retryDelay, which reconciles whatever
// a failed change left undone.
func (d *daemon) retryLater() {
	time.AfterFunc(retryDelay, func() { d.watcher.Rescan("retry after error") })
}

// render makes and swaps in a new snapshot, and tells the hubs when the
// feeds changed. The caller holds d.mu.
func (d *daemon) render() {
	if d.renderTimer != nil {
		d.renderTimer.Stop()
		d.renderTimer = nil
	}
	entries, err := d.ix.Entries(d.site.Limit)
	if err != nil {
		d.log.Error("could not read entries; still serving the last feed", "reason", err.Error())
		return
	}
	prev := d.handler.Current()
	snap, err := feed.RenderSince(d.site, entries, time.Now(), prev)
	if err != nil {
		d.log.Error("could not render; still serving the last feed", "reason", err.Error())
		return
	}
	d.handler.Swap(snap)
	if old, ok := prev.Files[feed.AtomPath]; !ok || old.ETag != snap.Files[feed.AtomPath].ETag {
		d.log.Debug("feeds changed", "entries", len(entries))
		if ok {
			d.pub.Publish(d.site.FeedURLs())
		}
	}
}

// reconfigure applies a reloaded config: feed settings take effect at once;
// settings that need a restart are named in the log.
func (d *daemon) reconfigure(cfg Config) {
	d.mu.Lock()
	defer d.mu.Unlock()
	old := d.cfg
	for _, c := range []struct {
		key     string
		changed bool
	}{
		{"seeds", cfg.Seeds != old.Seeds}, {"state", cfg.State != old.State}, {"listen", cfg.Listen != old.Listen},
		{"include", fmt.Sprint(cfg.Include) != fmt.Sprint(old.Include)}, {"max_file_size", cfg.MaxFileSize != old.MaxFileSize},
		{"debounce", cfg.Debounce != old.Debounce}, {"rescan_interval", cfg.RescanInterval != old.RescanInterval},
		{"cache_max_age", cfg.CacheMaxAge != old.CacheMaxAge},
	} {
		if c.changed {
			d.log.Warn("config key changed but needs a restart to apply", "key", c.key)
		}
	}
	if fmt.Sprint(cfg.Hubs) != fmt.Sprint(old.Hubs) {
		d.pub.Close()
		d.pub = websub.New(cfg.Hubs, websub.Options{Logger: d.log})
	}
	d.cfg = cfg
	d.site = d.siteFor(cfg)
	d.render()
	d.log.Info("config reloaded")
}

// Addr returns the address the server listens on.
func (d *daemon) Addr() string { return d.ln.Addr().String() }

// Close releases everything newDaemon acquired. It is safe to call twice.
func (d *daemon) Close() error {
	var errs []error
	d.closeOnce.Do(func() {
		if d.srv != nil {
			errs = append(errs, d.srv.Close())
		} else if d.ln != nil {
			errs = append(errs, d.ln.Close())
		}
		if d.watcher != nil {
			errs = append(errs, d.watcher.Close())
		}
		if d.pub != nil {
			d.pub.Close()
		}
		if d.store != nil {
			errs = append(errs, d.store.Close())
		}
	})
	return errors.Join(errs...)
}
