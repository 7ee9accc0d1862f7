package daemon

import (
	"net"
	"net/netip"
	"sync/atomic"

	"github.com/seedfeed/seedfeed/feed/httpd"
	"github.com/seedfeed/seedfeed/feed/metrics"
	"github.com/seedfeed/seedfeed/feed/websub"
)

// everyone is every address: a separate metrics listener answers whoever
// reaches it.
var everyone = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}

// counters are what the daemon counts itself for the metrics.
type counters struct {
	pingsOK, pingsFailed atomic.Int64
}

// newMetrics makes the daemon's metrics, or nil when they are off. It
// reads the index, the handler and the watcher only at a scrape.
func (d *Daemon) newMetrics(opts Options) *metrics.Metrics {
	if !opts.Metrics {
		return nil
	}
	var hub func() (int, int, int64, int64)
	if opts.Hub != nil {
		hub = func() (int, int, int64, int64) {
			if d.hub == nil {
				return 0, 0, 0, 0
			}
			st := d.hub.Stats()
			return st.Subscriptions, st.Pending, st.Delivered, st.Failed
		}
	}
	return metrics.New(opts.Version, metrics.Sources{
		Hub:     hub,
		Entries: func() (int, int) { return d.ix.Len(), d.handler.Published() },
		Watch: func() (int64, int64, int) {
			s := d.watcher.Stats()
			return s.Events, s.Overflows, s.Unwatched
		},
		Pings: func() (int64, int64) { return d.counted.pingsOK.Load(), d.counted.pingsFailed.Load() },
	})
}

// observe sets up the access log and where /metrics is served: on its own
// listener when opts.MetricsListen says, else beside the feeds. Called by
// New once the handler is made.
func (d *Daemon) observe(opts Options) error {
	var access = d.log
	if !opts.AccessLog {
		access = nil
	}
	d.handler.Observe(access, d.metrics)
	if d.metrics == nil {
		return nil
	}
	if opts.MetricsListen == "" {
		d.handler.ServeMetrics(d.metrics.Gatherer(), opts.MetricsAllowed)
		return nil
	}
	ln, err := net.Listen("tcp", opts.MetricsListen)
	if err != nil {
		return err
	}
	d.metricsLn = ln
	d.metricsSrv = httpd.NewServer(httpd.MetricsHandler(d.metrics.Gatherer(), everyone), d.log)
	return nil
}

// publisher returns a WebSub publisher to hubs, counting its pings.
func (d *Daemon) publisher(hubs []string) *websub.Publisher {
	return websub.New(hubs, websub.Options{Logger: d.log, Pinged: func(err error) {
		if err == nil {
			d.counted.pingsOK.Add(1)
		} else {
			d.counted.pingsFailed.Add(1)
		}
	}})
}

// MetricsAddr returns the address that serves metrics alone, or "" when
// they are served beside the feeds or not at all.
func (d *Daemon) MetricsAddr() string {
	if d.metricsLn == nil {
		return ""
	}
	return d.metricsLn.Addr().String()
}
