package httpd

import (
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/metrics"
)

// Observe has every response logged to accessLog (nil: none) and counted
// in m (nil: not counted). Call it before serving.
func (h *Handler) Observe(accessLog *slog.Logger, m *metrics.Metrics) {
	h.accessLog, h.metrics = accessLog, m
}

// ServeMetrics answers GET /metrics with what g gathers, to clients that
// Allowed lets in. Call it before serving.
func (h *Handler) ServeMetrics(g prometheus.Gatherer, allowed []netip.Prefix) {
	h.mux.Handle("GET /metrics", MetricsHandler(g, allowed))
}

// MetricsHandler serves what g gathers in the Prometheus text format, to
// clients that Allowed lets in, and 403 to others.
func MetricsHandler(g prometheus.Gatherer, allowed []netip.Prefix) http.Handler {
	ph := promhttp.HandlerFor(g, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" { // on an address of its own, the one path
			notFound(w, r)
			return
		}
		if !Allowed(r, allowed) {
			http.Error(w, "metrics are not served to this address", http.StatusForbidden)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		ph.ServeHTTP(w, r)
	})
}

// Allowed reports whether r comes from loopback or from one of nets, and
// so does every address a proxy says it forwarded it for (X-Forwarded-For,
// X-Real-IP, Forwarded): a reverse proxy on the same machine does not open
// /metrics to the world. An address that cannot be read is not allowed.
func Allowed(r *http.Request, nets []netip.Prefix) bool {
	ok := func(s string) bool {
		s = strings.Trim(strings.TrimSpace(s), `"`)
		a, err := netip.ParseAddr(s)
		if err != nil {
			ap, err2 := netip.ParseAddrPort(s)
			if err2 != nil {
				return false
			}
			a = ap.Addr()
		}
		a = a.Unmap()
		if a.IsLoopback() {
			return true
		}
		for _, n := range nets {
			if n.Contains(a) {
				return true
			}
		}
		return false
	}
	if !ok(r.RemoteAddr) {
		return false
	}
	for _, key := range []string{"X-Forwarded-For", "X-Real-Ip"} {
		for _, v := range r.Header.Values(key) {
			for _, a := range strings.Split(v, ",") {
				if !ok(a) {
					return false
				}
			}
		}
	}
	for _, v := range r.Header.Values("Forwarded") {
		for _, elem := range strings.Split(v, ",") {
			for _, pair := range strings.Split(elem, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(pair), "=")
				if strings.EqualFold(k, "for") && !ok(strings.Trim(strings.Trim(val, `"`), "[]")) && !ok(strings.Trim(val, `"`)) {
					return false
				}
			}
		}
	}
	return true
}

// observed serves r, then logs and counts the response.
func (h *Handler) observed(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	h.serveHTTP(rec, r)
	if rec.code == 0 {
		rec.code = http.StatusOK
	}
	gzip := rec.Header().Get("Content-Encoding") == "gzip"
	h.metrics.Served(route(r.URL.Path), rec.code, rec.bytes, gzip)
	if h.accessLog != nil {
		// The path alone: a query string may carry a secret.
		h.accessLog.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.code, "bytes", rec.bytes,
			"gzip", gzip, "duration", time.Since(start).Round(time.Microsecond).String(), "remote", r.RemoteAddr,
			"forwarded_for", r.Header.Get("X-Forwarded-For"), "user_agent", r.UserAgent())
	}
}

// route names the part of the site path is in, for the metrics: one of
// metrics.Routes, whatever the path.
func route(path string) string {
	switch {
	case feedPaths[path] != "":
		return "feed"
	case path == "/":
		return "index"
	case strings.HasPrefix(path, "/entry/"):
		return "entry"
	case strings.HasPrefix(path, "/archive/"):
		return "archive"
	case strings.HasPrefix(path, "/category/"):
		return "category"
	case strings.HasPrefix(path, "/media/"):
		return "media"
	case path == "/"+feed.OPMLPath:
		return "opml"
	case path == "/healthz":
		return "healthz"
	case path == "/metrics":
		return "metrics"
	case path == "/hub":
		return "hub"
	case imagePaths[path]:
		return "image"
	}
	return "other"
}

var imagePaths = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range feed.ImagePaths() {
		m["/"+p] = true
	}
	return m
}()

// recorder is a ResponseWriter that notes the status and the body bytes.
type recorder struct {
	http.ResponseWriter
	code  int
	bytes int64
}

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 && code >= 200 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// ReadFrom keeps sendfile for the files that are copied from disk
// (/media/), counting what it sends.
func (r *recorder) ReadFrom(src io.Reader) (int64, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	n, err := io.Copy(r.ResponseWriter, src)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// ServeHub answers subscription requests at POST /hub with hub. Call it
// before serving.
func (h *Handler) ServeHub(hub http.Handler) {
	h.mux.Handle("POST /hub", hub)
}
