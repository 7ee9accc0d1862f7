// Package daemon runs seedfeed: the loop of the daemon, which watches the
// seeds folder, keeps the index in step, renders and swaps in a snapshot
// after each change, and serves it; and the one-shot runs of build and
// extract, which share its set-up.
//
// Tests run the daemon in-process: New with Listen "127.0.0.1:0" and a
// temporary folder, Run in a goroutine, then Ready and Addr.
package daemon

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/httpd"
	"github.com/seedfeed/seedfeed/feed/index"
	"github.com/seedfeed/seedfeed/feed/metrics"
	"github.com/seedfeed/seedfeed/feed/render"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
	"github.com/seedfeed/seedfeed/feed/websub"
	"github.com/seedfeed/seedfeed/watch"
)

// Options are everything the daemon and the one-shot runs take.
type Options struct {
	Site        feed.Site        // Site.BaseURL empty: links point at the listen address
	Source      source.Source    // the seeds folder and which of its files are seeds
	State       string           // the state store's file
	Listen      string           // the address to serve on, such as "127.0.0.1:8080"
	Debounce    time.Duration    // how long a file must be quiet before it is read
	Rescan      time.Duration    // how often the whole folder is compared with the index; 0 never
	CacheMaxAge time.Duration    // the max-age of every response
	EmptyGrace  time.Duration    // how long an empty or missing seeds folder keeps the entries known; 0 drops them at once
	Logger      *slog.Logger     // slog.Default() when nil
	Now         func() time.Time // the clock of build's first-seen times; time.Now when nil
	Future      bool             // publish entries dated later than now at once, rather than at their date (build -future)
	// Categories says where entries' categories come from; nil: from
	// every source.
	Categories *feed.CategorySources
	AccessLog  bool // log every request at info level
	// Metrics serves /metrics in the Prometheus text format: beside the
	// feeds to loopback and MetricsAllowed, or to anyone on its own
	// address, MetricsListen, when that is set.
	Metrics        bool
	MetricsAllowed []netip.Prefix
	MetricsListen  string
	Version        string // of seedfeed, for the metrics
	// Hub runs the embedded WebSub hub with these options, at hub under
	// the base URL; nil: none. Its URL, topics, content and store are the
	// daemon's.
	Hub *websub.HubOptions
	// Encoding is the WHATWG label of the seeds' encoding ("gbk"); empty:
	// detected for each file that is not UTF-8.
	Encoding string
	// Form names what this program makes of a file: its extraction and
	// its rendering (cmd/seedfeed gives its version and its executable's
	// build ID). A build whose Form differs from the one that wrote the
	// output renders every page again, so that an upgrade reaches the
	// pages of entries that did not change; the same Form checks only
	// what changed.
	Form string
}

func (o Options) categories() feed.CategorySources {
	if o.Categories == nil {
		return feed.AllCategorySources
	}
	return *o.Categories
}

// siteAt returns the feed settings with links based at addr unless a base
// URL is set. Both serve (with the address bound) and build (with the
// listen address) take their site from here.
func (o Options) siteAt(addr string) feed.Site {
	site := o.Site
	if site.BaseURL == "" {
		site.BaseURL = "http://" + addr + "/"
	}
	return site
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.Default()
	}
	return o.Logger
}

// checkSeeds reports, in the same words for every command, a seeds folder
// that cannot be used.
func checkSeeds(dir string) (missing bool, err error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return true, fmt.Errorf("seeds folder %s does not exist", dir)
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return false, fmt.Errorf("seeds folder %s: %w", dir, err)
	case !fi.IsDir():
		return false, fmt.Errorf("seeds folder %s is not a folder", dir)
	}
	return false, nil
}

// missingSeeds decides whether a run may go on without its seeds folder:
// when the store knows entries, a missing folder is an unmounted disk more
// likely than a mistake, and the empty grace keeps the entries served.
func missingSeeds(missing bool, err error, store *state.Store, grace time.Duration, log *slog.Logger) error {
	if err == nil || missing && grace > 0 && !store.Empty() {
		if err != nil {
			log.Warn("seeds folder is missing; keeping the entries known until it is back (their text is in its files)", "reason", err.Error(), "empty_grace", grace.String())
		}
		return nil
	}
	return err
}

// noStore reports whether there is no state store at path yet: a run
// that stops at once must not leave an empty one behind.
func noStore(path string) bool {
	_, err := os.Stat(path)
	return errors.Is(err, fs.ErrNotExist)
}

// shutdownGrace bounds how long in-flight requests may take at shutdown, so
// that the whole exit stays well inside systemd's and the tests' 5 s.
const shutdownGrace = 3 * time.Second

// maxRenderDelay bounds how long a render may wait while a burst of files
// is still settling, so that a burst costs a few renders, not one a batch.
const maxRenderDelay = 200 * time.Millisecond

// retryDelay is how long the daemon first waits before it retries what
// went wrong (see retry).
const retryDelay = 5 * time.Second

// Daemon is seedfeed serve: the index, the watcher that feeds it, and the
// HTTP server that serves its snapshots.
type Daemon struct {
	log     *slog.Logger
	store   *state.Store
	ix      *index.Index
	handler *httpd.Handler
	srv     *httpd.Server
	ln      net.Listener
	watcher *watch.Watcher
	ready   chan struct{} // closed once the first index is served

	mu            sync.Mutex // serialises changes to the index, renders and reloads
	opts          Options
	site          feed.Site
	pub           *websub.Publisher
	renderTimer   *time.Timer            // a render put off while a burst settles, or nil
	rescans       backoff                // a rescan asked for while something is wrong (see retry)
	scheduleTimer *time.Timer            // a render when the next scheduled entry is due, or nil
	expireTimer   *time.Timer            // a read of the entries whose expiry comes next, or nil (see expire)
	expiredTo     time.Time              // the entries that expired by then were handed on already
	lost          bool                   // a change could not be recorded, and no rescan has made it good yet
	unrecorded    atomic.Pointer[string] // while lost: the problem /healthz names (see recordFailed)
	stopped       bool                   // no render after shutdown
	loaded        bool                   // the index is loaded from the store: there is something to render
	savedSum      string                 // what the store keeps of the last snapshot (see save)
	unsaved       atomic.Pointer[string] // while the last snapshot could not be kept: the problem /healthz names (see save)
	saves         backoff                // a save tried again while unsaved (see save)
	snapKey       string                 // see snapshotKey; "" until made

	indexPhase atomic.Int32    // indexLoading, indexScanning or indexComplete, for /healthz
	holdIndex  <-chan struct{} // when set (by tests), the index waits for it to be closed

	catMade atomic.Int64 // category documents rendered, for tests

	metrics    *metrics.Metrics // nil when off
	counted    counters
	metricsLn  net.Listener           // of metrics alone, when Options.MetricsListen is set
	metricsSrv *httpd.Server          // serves metricsLn
	hub        *websub.Hub            // nil when off
	baseURL    atomic.Pointer[string] // d.site.BaseURL, for the hub, which must not wait for d.mu while a render holds it

	layoutMu sync.Mutex
	layouts  map[*render.Snapshot]index.Layout // the archive at the render of each snapshot served or about to be

	lookedMu sync.Mutex
	looked   map[string]bool // folders whose entries were read for the files beside them (see lookedIn)

	closeOnce sync.Once
}

// New opens the state store, watches the seeds folder and binds the listen
// address, so that each of these fails at start-up with a clear message
// rather than later.
func New(opts Options) (_ *Daemon, err error) {
	d := &Daemon{log: opts.logger(), opts: opts, ready: make(chan struct{}), layouts: map[*render.Snapshot]index.Layout{}}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	missing, seedsErr := checkSeeds(opts.Source.Dir)
	if seedsErr != nil && (!missing || noStore(opts.State)) {
		return nil, seedsErr // with no store, there is nothing to keep serving
	}
	if d.store, err = state.OpenOrRestore(opts.State, d.log); err != nil {
		return nil, err
	}
	if err := missingSeeds(missing, seedsErr, d.store, opts.EmptyGrace, d.log); err != nil {
		return nil, err
	}
	d.metrics = d.newMetrics(opts)
	d.ix = index.New(opts.Source, d.store, index.Options{Logger: d.log, EmptyGrace: opts.EmptyGrace,
		Limit: opts.Site.Limit, TextBytes: opts.Site.FeedBytes, Future: opts.Future, Categories: opts.categories(),
		Skipped: d.metrics.Skipped, Extract: extract.Options{Encoding: opts.Encoding},
		Publish: d.render}) // a first index publishes as it goes: its callers hold d.mu, as render needs
	d.watcher, err = watch.New(opts.Source.Dir, watch.Options{
		Debounce: opts.Debounce,
		Rescan:   opts.Rescan,
		Keep:     func(rel string) bool { return opts.Source.Wants(rel) || source.SiteFile(rel) }, // a config may make the folder a site (see index.Update)
		Logger:   d.log,
		Missing:  missing,
		Later:    true, // walking a large tree takes seconds: Run does it, while it serves
	})
	if err != nil {
		return nil, err
	}
	if d.ln, err = net.Listen("tcp", opts.Listen); err != nil {
		return nil, err
	}
	d.site = d.siteOf(opts)
	d.baseURL.Store(&d.site.BaseURL)
	d.ix.SetSite(opts.Site.BaseURL) // the configured one, not the listen address: see state.SiteID
	d.pub = d.publisher(opts.Site.Hubs)
	d.handler = httpd.NewHandler(&render.Snapshot{Files: map[string]*render.File{}}, opts.CacheMaxAge, d.status)
	d.handler.SetPages(d.page, d.archive, d.document)
	d.handler.SetMedia(d.media)
	if err := d.observe(opts); err != nil {
		return nil, err
	}
	if err := d.startHub(opts); err != nil {
		return nil, err
	}
	d.srv = httpd.NewServer(d.handler, d.log)
	return d, nil
}

// status is what /healthz reports of the daemon.
func (d *Daemon) status() httpd.Status {
	st := httpd.Status{Indexed: d.ix.Len(), Problems: d.problems(), Index: d.indexState(), Degraded: d.unrecorded.Load() != nil}
	if d.hub != nil {
		h := d.hub.Stats()
		st.Hub = &httpd.HubHealth{Subscriptions: h.Subscriptions, Pending: h.Pending, Delivered: h.Delivered, Failed: h.Failed}
	}
	return st
}

// problems are what keeps the daemon from seeing the whole folder, or
// its feeds from following it.
func (d *Daemon) problems() []string {
	var out []string
	if p := d.unrecorded.Load(); p != nil {
		out = append(out, *p)
	}
	if p := d.unsaved.Load(); p != nil {
		out = append(out, *p)
	}
	if d.watcher.Gone() {
		out = append(out, fmt.Sprintf("the seeds folder %s is missing, or not the folder watched: its changes are not seen until it is back, when it is watched again and rescanned", d.opts.Source.Dir))
	}
	out = append(out, d.ix.Problems()...)
	for _, u := range d.watcher.Unwatched() {
		out = append(out, "folder "+u+"; it is rescanned every few seconds instead")
	}
	return out
}

// Addr returns the address the server listens on.
func (d *Daemon) Addr() string { return d.ln.Addr().String() }

// Ready is closed once the daemon has indexed the folder and serves the
// result.
func (d *Daemon) Ready() <-chan struct{} { return d.ready }

// Close releases everything New acquired. It is safe to call twice.
func (d *Daemon) Close() error {
	var errs []error
	d.closeOnce.Do(func() {
		if d.srv != nil {
			errs = append(errs, d.srv.Close())
		} else if d.ln != nil {
			errs = append(errs, d.ln.Close())
		}
		if d.metricsSrv != nil {
			errs = append(errs, d.metricsSrv.Close())
		} else if d.metricsLn != nil {
			errs = append(errs, d.metricsLn.Close())
		}
		if d.watcher != nil {
			errs = append(errs, d.watcher.Close())
		}
		if d.pub != nil {
			d.pub.Close()
		}
		if d.hub != nil {
			d.hub.Close() // before the store: what is pending is stored
		}
		if d.store != nil {
			errs = append(errs, d.store.Close())
		}
	})
	return errors.Join(errs...)
}
