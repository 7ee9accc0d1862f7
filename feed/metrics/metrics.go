// Package metrics keeps what seedfeed counts for Prometheus: entries,
// renders, indexing, skipped files, the watcher, WebSub pings and the
// requests served. The HTTP package serves it at /metrics; this package
// only counts.
//
// A nil *Metrics counts nothing, so code that counts need not ask whether
// metrics are on.
package metrics

import (
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Sources are read at each scrape, for the figures that are a state, not
// a count of events seedfeed reports as they happen.
type Sources struct {
	Entries func() (indexed, published int)
	// Watch returns the watcher's counts: file events taken, event queue
	// overflows, and folders that cannot be watched now.
	Watch func() (events, overflows int64, unwatched int)
	// Pings returns the pings to WebSub hubs that succeeded and failed.
	Pings func() (ok, failed int64)
	// Hub returns the embedded hub's subscriptions, those with a delivery
	// pending, and its deliveries that succeeded and failed; nil when it
	// is off.
	Hub func() (subscriptions, pending int, delivered, failed int64)
}

// Metrics is seedfeed's registry and the metrics in it.
type Metrics struct {
	reg         *prometheus.Registry
	renders     *prometheus.HistogramVec
	index       *prometheus.HistogramVec
	skipped     *prometheus.CounterVec
	requests    *prometheus.CounterVec
	notModified prometheus.Counter
	sent        *prometheus.CounterVec
}

// Routes are the values of the route label of the HTTP metrics: a
// bounded set, whatever paths clients ask for.
var Routes = []string{"feed", "index", "entry", "archive", "category", "opml", "image", "media", "healthz", "metrics", "hub", "other"}

// New returns the metrics of a daemon of the given version, reading src at
// each scrape.
func New(version string, src Sources) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.renders = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "seedfeed_render_duration_seconds",
		Help:    "Time taken to render documents: the feeds and the index after a change (what=\"feeds\"), or one document made on request (what=\"entry\", \"archive\", \"category\", \"opml\").",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16), // 0.5 ms to 16 s
	}, []string{"what"})
	m.index = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "seedfeed_index_duration_seconds",
		Help:    "Time taken to take changes into the index: the first index at start, a batch of changed files, or a rescan of the whole folder.",
		Buckets: prometheus.ExponentialBuckets(0.001, 2, 18), // 1 ms to 131 s
	}, []string{"kind"})
	m.skipped = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "seedfeed_files_skipped_total",
		Help: "Files left out of the feeds when read, by reason.",
	}, []string{"reason"})
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "seedfeed_http_requests_total",
		Help: "HTTP requests answered, by route and status code.",
	}, []string{"route", "code"})
	m.notModified = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "seedfeed_http_not_modified_total",
		Help: "Requests answered 304 Not Modified: divided by seedfeed_http_requests_total, the share of readers whose copy was current.",
	})
	m.sent = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "seedfeed_http_response_bytes_total",
		Help: "Bytes of response bodies sent, by content encoding (gzip or identity).",
	}, []string{"encoding"})
	for _, r := range Routes { // every route is there from the start, at 0
		m.requests.WithLabelValues(r, "200")
	}
	m.sent.WithLabelValues("gzip")
	m.sent.WithLabelValues("identity")
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "seedfeed_build_info",
		Help:        "Always 1; its labels say which seedfeed runs, built with which Go.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	})
	info.Set(1)
	m.reg.MustRegister(m.renders, m.index, m.skipped, m.requests, m.notModified, m.sent, info,
		states{src}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Gatherer is what the HTTP package serves.
func (m *Metrics) Gatherer() prometheus.Gatherer { return m.reg }

// Rendered counts one render of what that took d: "feeds" (the feeds and
// the index, after a change), or a document made on request, by its route
// ("entry", "archive", "category", "opml").
func (m *Metrics) Rendered(what string, d time.Duration) {
	if m != nil {
		m.renders.WithLabelValues(what).Observe(d.Seconds())
	}
}

// Indexed counts one indexing of kind ("first", "batch", "rescan") that
// took d.
func (m *Metrics) Indexed(kind string, d time.Duration) {
	if m != nil {
		m.index.WithLabelValues(kind).Observe(d.Seconds())
	}
}

// Skipped counts a file left out for reason, one of a few words (see
// index.SkipReason).
func (m *Metrics) Skipped(reason string) {
	if m != nil {
		m.skipped.WithLabelValues(reason).Inc()
	}
}

// Served counts one response: its route (one of Routes), status code,
// and body bytes, gzip or not.
func (m *Metrics) Served(route string, code int, bytes int64, gzip bool) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	if code == 304 {
		m.notModified.Inc()
	}
	enc := "identity"
	if gzip {
		enc = "gzip"
	}
	m.sent.WithLabelValues(enc).Add(float64(bytes))
}

// states is the collector of what Sources report at a scrape.
type states struct{ src Sources }

var (
	entriesDesc   = prometheus.NewDesc("seedfeed_entries", "Entries known to the index (state=\"indexed\"), and published in the feeds or waiting for none (state=\"published\"): indexed less scheduled.", []string{"state"}, nil)
	eventsDesc    = prometheus.NewDesc("seedfeed_watch_events_total", "File events the watcher took.", nil, nil)
	overflowsDesc = prometheus.NewDesc("seedfeed_watch_overflows_total", "Times the kernel's file event queue overflowed; each is answered by a rescan.", nil, nil)
	unwatchedDesc = prometheus.NewDesc("seedfeed_watch_unwatched_folders", "Folders that cannot be watched now (their files are found by rescans).", nil, nil)
	pingsDesc     = prometheus.NewDesc("seedfeed_websub_pings_total", "Pings sent to WebSub hubs, by result.", []string{"result"}, nil)
	subsDesc      = prometheus.NewDesc("seedfeed_websub_subscriptions", "Subscriptions the embedded hub holds (state=\"live\"), and those with a delivery to make (state=\"pending\").", []string{"state"}, nil)
	deliveryDesc  = prometheus.NewDesc("seedfeed_websub_deliveries_total", "Deliveries the embedded hub made to subscribers, by result: ok (2xx or 410) or failed (each retried, or given up).", []string{"result"}, nil)
)

func (s states) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{entriesDesc, eventsDesc, overflowsDesc, unwatchedDesc, pingsDesc, subsDesc, deliveryDesc} {
		ch <- d
	}
}

func (s states) Collect(ch chan<- prometheus.Metric) {
	if s.src.Entries != nil {
		indexed, published := s.src.Entries()
		ch <- prometheus.MustNewConstMetric(entriesDesc, prometheus.GaugeValue, float64(indexed), "indexed")
		ch <- prometheus.MustNewConstMetric(entriesDesc, prometheus.GaugeValue, float64(published), "published")
	}
	if s.src.Watch != nil {
		events, overflows, unwatched := s.src.Watch()
		ch <- prometheus.MustNewConstMetric(eventsDesc, prometheus.CounterValue, float64(events))
		ch <- prometheus.MustNewConstMetric(overflowsDesc, prometheus.CounterValue, float64(overflows))
		ch <- prometheus.MustNewConstMetric(unwatchedDesc, prometheus.GaugeValue, float64(unwatched))
	}
	if s.src.Pings != nil {
		ok, failed := s.src.Pings()
		ch <- prometheus.MustNewConstMetric(pingsDesc, prometheus.CounterValue, float64(ok), "ok")
		ch <- prometheus.MustNewConstMetric(pingsDesc, prometheus.CounterValue, float64(failed), "failed")
	}
	if s.src.Hub != nil {
		subs, pending, delivered, failed := s.src.Hub()
		ch <- prometheus.MustNewConstMetric(subsDesc, prometheus.GaugeValue, float64(subs), "live")
		ch <- prometheus.MustNewConstMetric(subsDesc, prometheus.GaugeValue, float64(pending), "pending")
		ch <- prometheus.MustNewConstMetric(deliveryDesc, prometheus.CounterValue, float64(delivered), "ok")
		ch <- prometheus.MustNewConstMetric(deliveryDesc, prometheus.CounterValue, float64(failed), "failed")
	}
}
