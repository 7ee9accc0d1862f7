package daemon

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/render"
	"github.com/seedfeed/seedfeed/watch"
)

// Run serves until ctx is done: it serves the last known feed at once,
// indexes the folder, then follows its changes. Cancelling ctx also stops
// an index under way, at the next file, so that shutdown stays within its
// grace whatever the size of the batch.
//
// The last run's snapshot, when the store keeps one made with the same
// settings, is served before anything else is done; the index is loaded
// and compared with the folder in the background. Without one, the
// store's index is loaded and rendered before the server starts, as there
// is nothing to serve before.
func (d *Daemon) Run(ctx context.Context) error {
	d.log.Info("listening", "addr", d.Addr(), "seeds", d.opts.Source.Dir, "base_url", d.site.BaseURL)
	restored := d.restore()
	if !restored {
		if err := d.load(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}

	serveErr := make(chan error, 2)
	go func() { serveErr <- d.srv.Serve(d.ln) }() // exits at Shutdown or Close
	if d.metricsSrv != nil {
		d.log.Info("serving metrics", "addr", d.metricsLn.Addr().String())
		go func() { serveErr <- d.metricsSrv.Serve(d.metricsLn) }() // exits at Shutdown or Close
	}

	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	watchDone := make(chan error, 1)
	go func() { // exits when watchCtx ends
		watchDone <- d.watcher.Run(watchCtx, func(b watch.Batch) { d.apply(watchCtx, b) })
	}()
	indexCtx, stopIndex := context.WithCancel(ctx)
	indexDone := make(chan error, 1)
	go func() { indexDone <- d.firstIndex(indexCtx, restored) }() // exits once indexed, or when indexCtx ends
	defer func() {
		stopIndex()
		if indexDone != nil {
			<-indexDone
		}
	}()

	shutdown := func() error {
		d.log.Info("shutting down")
		d.mu.Lock()
		d.stopped = true
		if d.renderTimer != nil {
			d.renderTimer.Stop()
		}
		d.rescans.reset()
		d.saves.reset()
		d.schedule(time.Time{})
		if d.expireTimer != nil {
			d.expireTimer.Stop()
		}
		d.mu.Unlock()
		shutCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		err := d.srv.Shutdown(shutCtx)
		if d.metricsSrv != nil {
			d.metricsSrv.Close() // a scrape can be asked again
		}
		cancel()
		stopWatch()
		if err != nil {
			d.log.Warn("connections closed before they finished", "reason", err.Error())
		}
		return nil
	}
	daily := time.NewTicker(backupEvery)
	defer daily.Stop()
	for {
		select {
		case <-ctx.Done():
			<-watchDone
			return shutdown()
		case err := <-serveErr:
			if err == nil {
				err = errors.New("server closed")
			}
			return fmt.Errorf("serve: %w", err)
		case err := <-watchDone:
			if ctx.Err() != nil { // the watcher saw the same cancellation first
				return shutdown()
			}
			return fmt.Errorf("serve: watcher stopped: %v", err)
		case err := <-indexDone:
			indexDone = nil
			if err != nil {
				return fmt.Errorf("serve: %w", err)
			}
		case <-daily.C:
			d.mu.Lock()
			d.backup()
			d.mu.Unlock()
		}
	}
}

// markReady makes the first good index known: the store is copied aside
// as known good, and Ready is closed. Later calls do nothing. The caller
// holds d.mu.
func (d *Daemon) markReady() {
	select {
	case <-d.ready:
	default:
		d.backup()
		d.indexPhase.Store(indexComplete)
		close(d.ready)
		if d.hub != nil {
			d.hub.SendPending() // the documents are there to send now
		}
	}
}

// backupEvery is how often the daemon copies its state store aside, besides
// once after each clean start.
const backupEvery = 24 * time.Hour

// backup keeps a copy of the state store, known good, for a start after the
// store is damaged. The caller holds d.mu, or the daemon is starting.
func (d *Daemon) backup() {
	if err := d.store.Backup(); err != nil {
		d.log.Warn("could not back up the state store", "reason", err.Error())
	}
}

// apply takes one batch from the watcher into the index and re-renders.
func (d *Daemon) apply(ctx context.Context, b watch.Batch) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.loaded {
		return // the first index, which follows the load, compares the whole folder
	}
	var err error
	start, kind := time.Now(), "batch"
	if b.Rescan {
		kind = "rescan"
		switch b.RescanReason {
		case "periodic", "retry", "folders not watched", "seeds folder changed", "folder watches lost": // routine, or said already
			d.log.Debug("rescanning", "reason", b.RescanReason)
		default:
			d.log.Info("rescanning", "reason", b.RescanReason)
		}
		err = d.ix.Rescan(ctx)
	} else {
		err = d.ix.Update(ctx, b.Paths)
	}
	if ctx.Err() != nil {
		return // shutting down: what was stored stays, the rest is for the next start
	}
	if err != nil {
		d.log.Error("could not record changes; still serving the last feed, will retry", "reason", err.Error())
		d.recordFailed(err)
		return
	}
	d.metrics.Indexed(kind, time.Since(start))
	if t := d.ix.TakeTally(); !t.Empty() {
		d.log.Info(t.String(), t.Attrs()...)
	}
	if b.Rescan {
		d.recorded() // a whole rescan makes good what failed before
	}
	d.retry(false)
	if b.Rescan {
		d.markReady() // if the first index failed, this one stands for it
	}
	if b.More {
		d.renderLater()
		return
	}
	d.render()
}

// renderLater renders within maxRenderDelay, unless a render comes first.
// The caller holds d.mu.
func (d *Daemon) renderLater() {
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

// retry asks for a rescan later, while something is wrong: the index has
// problems (a folder it cannot list, files it could not read for now), or
// a change could not be recorded (failed), which only a rescan makes good.
// The first comes after 5 s, then each twice as long while the trouble
// lasts, up to 5 minutes; once all is well, the timer is stopped and the
// delay starts over. The caller holds d.mu.
func (d *Daemon) retry(failed bool) {
	d.lost = d.lost || failed
	if !d.lost && len(d.ix.Problems()) == 0 {
		d.rescans.reset()
		return
	}
	d.later(&d.rescans, func() { d.watcher.Rescan("retry") })
}

// backoff times something tried again while it fails: after retryDelay,
// then twice as long each time, up to maxRetryDelay.
type backoff struct {
	timer *time.Timer // the next try, or nil
	delay time.Duration
}

// reset stops the next try, and starts the delay over.
func (b *backoff) reset() {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	b.delay = 0
}

// later runs try, holding d.mu, after b's next delay, unless a try is due
// already or the daemon has stopped. The caller holds d.mu.
func (d *Daemon) later(b *backoff, try func()) {
	if b.timer != nil || d.stopped {
		return
	}
	b.delay = min(max(2*b.delay, retryDelay), maxRetryDelay)
	b.timer = time.AfterFunc(b.delay, func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		b.timer = nil
		if !d.stopped {
			try()
		}
	})
}

// recordFailed notes that changes could not be recorded in the state
// store, such as on a full disk, and retries later: until a rescan
// records them, the feeds are frozen, which /healthz says (degraded, with
// the reason and since when). The caller holds d.mu.
func (d *Daemon) recordFailed(err error) {
	if d.unrecorded.Load() == nil {
		p := fmt.Sprintf("changes to the seeds folder cannot be recorded in the state store since %s (%s): the last feeds are served as they were, and seedfeed retries",
			time.Now().UTC().Format(time.RFC3339), err.Error())
		d.unrecorded.Store(&p)
	}
	d.retry(true)
}

// recorded notes that a rescan recorded every change: what failed before
// is made good, which is said once. The caller holds d.mu.
func (d *Daemon) recorded() {
	d.lost = false
	if d.unrecorded.Swap(nil) != nil {
		d.log.Info("changes are recorded again; the feeds follow the seeds folder")
	}
}

// maxRetryDelay bounds the backoff of retry.
const maxRetryDelay = 5 * time.Minute

// render makes and swaps in a new snapshot, and tells the hubs when the
// feeds changed. The caller holds d.mu.
func (d *Daemon) render() {
	start := time.Now()
	if d.renderTimer != nil {
		d.renderTimer.Stop()
		d.renderTimer = nil
	}
	if !d.loaded {
		return // nothing to render from yet: load renders once it is
	}
	entries, err := d.ix.Entries(d.site.Limit, d.site.FeedBytes)
	if err != nil {
		d.log.Error("could not read entries; still serving the last feed", "reason", err.Error())
		return
	}
	layout, err := d.ix.Archive(d.site.Limit)
	if err != nil {
		d.log.Error("could not page the archive; still serving the last feed", "reason", err.Error())
		return
	}
	prev := d.handler.Current()
	snap, err := render.RenderSince(d.site, entries, layout.Pages(), time.Now(), prev)
	if err != nil {
		d.log.Error("could not render; still serving the last feed", "reason", err.Error())
		return
	}
	d.keepLayout(snap, layout)
	d.metrics.Rendered("feeds", time.Since(start))
	// A document changed twice within a second is dated a second after its
	// last version: it waits for that second, so that Last-Modified is
	// never later than the response's Date.
	if wait := time.Until(snap.Newest); wait > 0 {
		time.Sleep(wait)
	}
	scheduled, next := d.ix.Scheduled()
	published := d.ix.Len() - scheduled
	d.handler.Swap(snap, published)
	d.schedule(next)
	d.expireLater()
	d.save(snap, published)
	var changed []string
	for _, k := range feed.Feeds() {
		if old, ok := prev.Files[k.Path]; ok && old.ETag != snap.Files[k.Path].ETag {
			changed = append(changed, d.site.URL(k.Path))
		}
	}
	changed = append(changed, d.categoriesChanged()...)
	if len(changed) > 0 {
		d.log.Debug("feeds changed", "entries", len(entries))
		d.pub.Publish(changed)
		if d.hub != nil {
			d.hub.Publish(changed)
		}
	}
}

// schedule makes the daemon render at next, when the earliest scheduled
// entry is due, by a timer of its own: a post dated 9:00 appears at 9:00,
// not at the next change or rescan. Zero next: no render is due. The
// caller holds d.mu.
func (d *Daemon) schedule(next time.Time) {
	if d.scheduleTimer != nil {
		d.scheduleTimer.Stop()
		d.scheduleTimer = nil
	}
	if next.IsZero() || d.stopped {
		return
	}
	d.scheduleTimer = time.AfterFunc(time.Until(next), func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		if !d.stopped {
			d.log.Info("publishing a scheduled entry", "date", next.Format(time.RFC3339))
			d.render()
		}
	})
}

// Reload applies new options while the daemon runs: the feed's settings
// (Site) take effect at once; the others need a restart, and each one that
// differs from what runs is named in the log.
func (d *Daemon) Reload(opts Options) {
	d.mu.Lock()
	defer d.mu.Unlock()
	old := d.opts
	for _, c := range []struct {
		key     string
		changed bool
	}{
		{"seeds", opts.Source.Dir != old.Source.Dir}, {"state", opts.State != old.State}, {"listen", opts.Listen != old.Listen},
		{"include", !slices.Equal(opts.Source.Include, old.Source.Include)}, {"max_file_size", opts.Source.MaxSize != old.Source.MaxSize},
		{"debounce", opts.Debounce != old.Debounce}, {"rescan_interval", opts.Rescan != old.Rescan},
		{"cache_max_age", opts.CacheMaxAge != old.CacheMaxAge}, {"empty_grace", opts.EmptyGrace != old.EmptyGrace},
		{"category_folders", opts.categories().Folders != old.categories().Folders},
		{"category_tags", opts.categories().Tags != old.categories().Tags},
		{"category_places", opts.categories().Places != old.categories().Places},
		{"access_log", opts.AccessLog != old.AccessLog}, {"metrics", opts.Metrics != old.Metrics},
		{"metrics_allowed_networks", !slices.Equal(opts.MetricsAllowed, old.MetricsAllowed)},
		{"metrics_listen", opts.MetricsListen != old.MetricsListen},
		{"hub", (opts.Hub == nil) != (old.Hub == nil)},
		{"hub_allowed_networks", opts.Hub != nil && old.Hub != nil && !slices.Equal(opts.Hub.Allowed, old.Hub.Allowed)},
		{"encoding", opts.Encoding != old.Encoding},
	} {
		if c.changed {
			d.log.Warn("config key changed but needs a restart to apply", "key", c.key)
		}
	}
	site := d.siteOf(opts)
	if !slices.Equal(opts.Site.Hubs, old.Site.Hubs) {
		d.pub.Close()
		d.pub = d.publisher(opts.Site.Hubs)
	}
	// Only the feed's settings take effect: the running options keep the
	// rest, so that a later reload compares with what is running.
	moved, changed := site.BaseURL != d.site.BaseURL, !reflect.DeepEqual(site, d.site)
	d.opts.Site, d.site = opts.Site, site
	d.snapKey = "" // made again, of the new settings
	d.baseURL.Store(&site.BaseURL)
	d.ix.SetSite(opts.Site.BaseURL)
	if moved && d.hub != nil {
		d.hubMoved()
	}
	d.render()
	if changed {
		// Every category's documents changed with the site: their
		// subscribers hear of it, as the site's feeds' do from render.
		cats := d.allCategoryFeeds()
		d.pub.Publish(cats)
		if d.hub != nil {
			d.hub.Publish(cats)
		}
	}
	d.log.Info("config reloaded")
}

func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }
