package daemon

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// scrape reads the metrics at url with Prometheus's own text parser.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("metrics do not parse: %v", err)
	}
	return fams
}

// value returns the value of the sample of family name whose labels
// include those given as name, value pairs; for a histogram, its count.
// It is -1 when there is no such sample.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	f, ok := fams[name]
	if !ok {
		return -1
	}
next:
	for _, m := range f.GetMetric() {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, l := range m.GetLabel() {
				found = found || l.GetName() == labels[i] && l.GetValue() == labels[i+1]
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

// TestMetrics: /metrics parses as the Prometheus text format, and its
// values move as files land, feeds are rendered and requests are served.
func TestMetrics(t *testing.T) {
	pinged := make(chan struct{}, 16)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
		pinged <- struct{}{}
	}))
	defer hub.Close()
	e := newEnv(t, func(o *Options) {
		o.Metrics, o.Version = true, "v1.2.3-test"
		o.Site.Hubs = []string{hub.URL}
	})
	p := start(t, e)
	m := scrape(t, p.url("/metrics"))
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"seedfeed_entries", []string{"state", "indexed"}, 2},
		{"seedfeed_entries", []string{"state", "published"}, 2},
		{"seedfeed_build_info", []string{"version", "v1.2.3-test"}, 1},
		{"seedfeed_index_duration_seconds", []string{"kind", "first"}, 1},
		{"seedfeed_watch_unwatched_folders", nil, 0},
		{"seedfeed_http_requests_total", []string{"route", "feed", "code", "200"}, 0},
	} {
		if got := value(m, c.name, c.labels...); got != c.want {
			t.Errorf("at start, %s%v = %v; want %v", c.name, c.labels, got, c.want)
		}
	}
	renders := value(m, "seedfeed_render_duration_seconds", "what", "feeds")
	if renders < 1 {
		t.Errorf("renders of the feeds at start = %v; want at least 1", renders)
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes", "seedfeed_watch_events_total", "seedfeed_watch_overflows_total"} {
		if value(m, name) < 0 {
			t.Errorf("no %s", name)
		}
	}

	// A file lands, and a binary one is skipped.
	os.WriteFile(filepath.Join(e.seeds, "new.txt"), []byte("A new story\n\nSomething happened today.\n"), 0o644)
	os.WriteFile(filepath.Join(e.seeds, "blob.txt"), []byte("\x89PNG\r\n\x1a\n\x00\x00\x00"), 0o644)
	feedtest.WaitFor(t, 10*time.Second, "the new file in the metrics", func() bool {
		m = scrape(t, p.url("/metrics"))
		return value(m, "seedfeed_entries", "state", "published") == 3 && value(m, "seedfeed_files_skipped_total", "reason", "binary") == 1
	})
	if got := value(m, "seedfeed_render_duration_seconds", "what", "feeds"); got <= renders {
		t.Errorf("renders of the feeds after a new file = %v; want more than %v", got, renders)
	}
	if got := value(m, "seedfeed_index_duration_seconds", "kind", "batch"); got < 1 {
		t.Errorf("batches indexed = %v; want at least 1", got)
	}
	if got := value(m, "seedfeed_watch_events_total"); got < 2 {
		t.Errorf("watch events = %v; want at least 2", got)
	}
	select {
	case <-pinged:
	case <-time.After(10 * time.Second):
		t.Fatal("the hub was not pinged")
	}
	feedtest.WaitFor(t, 10*time.Second, "a ping in the metrics", func() bool {
		return value(scrape(t, p.url("/metrics")), "seedfeed_websub_pings_total", "result", "ok") >= 1
	})

	// Requests: plain, gzip, 304, and a page made on request.
	plain := fetch(t, p.url("/feed.atom"), nil)
	gz := fetch(t, p.url("/feed.atom"), map[string]string{"Accept-Encoding": "gzip"})
	fetch(t, p.url("/feed.atom"), map[string]string{"If-None-Match": plain.Header.Get("ETag")})
	m = scrape(t, p.url("/metrics"))
	if got := value(m, "seedfeed_http_requests_total", "route", "feed", "code", "200"); got != 2 {
		t.Errorf("feed requests answered 200 = %v; want 2", got)
	}
	if got := value(m, "seedfeed_http_requests_total", "route", "feed", "code", "304"); got != 1 {
		t.Errorf("feed requests answered 304 = %v; want 1", got)
	}
	if got := value(m, "seedfeed_http_not_modified_total"); got != 1 {
		t.Errorf("304s = %v; want 1", got)
	}
	if got, want := value(m, "seedfeed_http_response_bytes_total", "encoding", "gzip"), float64(gz.ContentLength); got < want || want <= 0 {
		t.Errorf("gzip bytes sent = %v; want at least %v", got, want)
	}
	if got := value(m, "seedfeed_http_response_bytes_total", "encoding", "identity"); got < float64(plain.ContentLength) {
		t.Errorf("plain bytes sent = %v; want at least %d", got, plain.ContentLength)
	}
	if got := value(m, "seedfeed_http_requests_total", "route", "metrics", "code", "200"); got < 1 {
		t.Errorf("scrapes counted = %v; want at least 1", got)
	}
}

// keepAlive sends the requests of fetch, one connection after another: a
// server handles the next request on a connection only once it has
// finished the last, log line included.
var keepAlive = &http.Transport{DisableCompression: true}

// fetch GETs url with headers, and returns the response with its body
// read and closed.
func fetch(t *testing.T, url string, headers map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := keepAlive.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestMetricsAccess: /metrics answers loopback and the allowed networks,
// not a client a proxy forwarded for, and not at all when metrics are off;
// on its own address it answers there alone.
func TestMetricsAccess(t *testing.T) {
	off := start(t, newEnv(t, nil))
	if got := fetch(t, off.url("/metrics"), nil).StatusCode; got != http.StatusNotFound {
		t.Errorf("/metrics with metrics off: %d; want 404", got)
	}

	p := start(t, newEnv(t, func(o *Options) {
		o.Metrics = true
		o.MetricsAllowed = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	}))
	for _, c := range []struct {
		headers map[string]string
		want    int
	}{
		{nil, http.StatusOK},
		{map[string]string{"X-Forwarded-For": "192.0.2.7"}, http.StatusOK},
		{map[string]string{"X-Forwarded-For": "203.0.113.5"}, http.StatusForbidden},
		{map[string]string{"X-Forwarded-For": "192.0.2.7, 203.0.113.5"}, http.StatusForbidden},
		{map[string]string{"X-Real-Ip": "203.0.113.5"}, http.StatusForbidden},
		{map[string]string{"Forwarded": `for="[2001:db8::1]:4711"`}, http.StatusForbidden},
		{map[string]string{"Forwarded": "for=unknown"}, http.StatusForbidden},
	} {
		if got := fetch(t, p.url("/metrics"), c.headers).StatusCode; got != c.want {
			t.Errorf("/metrics with %v: %d; want %d", c.headers, got, c.want)
		}
	}

	own := start(t, newEnv(t, func(o *Options) { o.Metrics, o.MetricsListen = true, "127.0.0.1:0" }))
	if got := fetch(t, own.url("/metrics"), nil).StatusCode; got != http.StatusNotFound {
		t.Errorf("/metrics beside the feeds with metrics_listen set: %d; want 404", got)
	}
	if addr := own.d.MetricsAddr(); addr == "" {
		t.Error("no metrics address")
	} else {
		if v := value(scrape(t, "http://"+addr+"/metrics"), "seedfeed_entries", "state", "indexed"); v != 2 {
			t.Errorf("entries on the metrics address = %v; want 2", v)
		}
		if got := fetch(t, "http://"+addr+"/feed.atom", nil).StatusCode; got != http.StatusNotFound {
			t.Errorf("/feed.atom on the metrics address: %d; want 404", got)
		}
	}
}

// TestAccessLog: with the access log on, each request is one info line
// with its status, bytes, duration and user agent, and never its query.
func TestAccessLog(t *testing.T) {
	p := start(t, newEnv(t, func(o *Options) { o.AccessLog = true }))
	resp := fetch(t, p.url("/feed.atom?hub.secret=s3cr3t"), map[string]string{"User-Agent": "TestReader/1.0"})
	var line string
	feedtest.WaitFor(t, 5*time.Second, "the access log line", func() bool {
		for _, l := range strings.Split(p.logs.String(), "\n") {
			if strings.Contains(l, `"msg":"request"`) && strings.Contains(l, `"path":"/feed.atom"`) {
				line = l
				return true
			}
		}
		return false
	})
	for _, want := range []string{`"status":200`, `"bytes":` + strconv.FormatInt(resp.ContentLength, 10), `"user_agent":"TestReader/1.0"`, `"duration":"`, `"method":"GET"`, `"level":"INFO"`} {
		if !strings.Contains(line, want) {
			t.Errorf("access log line lacks %s: %s", want, line)
		}
	}
	if strings.Contains(p.logs.String(), "s3cr3t") {
		t.Error("the access log shows a query string's secret")
	}
	quiet := start(t, newEnv(t, nil))
	fetch(t, quiet.url("/feed.atom"), nil)
	fetch(t, quiet.url("/healthz"), nil) // on the same connection: the first is done
	if strings.Contains(quiet.logs.String(), `"msg":"request"`) {
		t.Error("access log lines with the access log off")
	}
}
