package httpd

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/render"
)

var (
	t0       = feedtest.T0
	testSite = feedtest.Site
)

func newTestHandler(t *testing.T) (*Handler, *render.Snapshot, []feed.Entry) {
	t.Helper()
	entries := feedtest.Entries(t, 2)
	snap, err := render.Render(testSite, entries, t0)
	if err != nil {
		t.Fatal(err)
	}
	return NewHandler(snap, 5*time.Minute, func() Status { return Status{Indexed: 7, Problems: []string{"a problem"}} }), snap, entries
}

func do(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandlerContentTypes(t *testing.T) {
	h, _, entries := newTestHandler(t)
	tests := map[string]string{
		"/":                                "text/html; charset=utf-8",
		"/index.html":                      "text/html; charset=utf-8",
		"/feed.atom":                       "application/atom+xml; charset=utf-8",
		"/feed.rss":                        "application/rss+xml; charset=utf-8",
		"/feed.json":                       "application/feed+json; charset=utf-8",
		"/" + feed.PagePath(entries[0].ID): "text/html; charset=utf-8",
		"/healthz":                         "application/json",
	}
	for path, want := range tests {
		w := do(h, "GET", path)
		if w.Code != 200 || w.Header().Get("Content-Type") != want {
			t.Errorf("GET %s = %d %q; want 200 %q", path, w.Code, w.Header().Get("Content-Type"), want)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s lacks X-Content-Type-Options: nosniff", path)
		}
	}
	for _, w := range []*httptest.ResponseRecorder{do(h, "GET", "/feed.atom", "Accept-Encoding", "gzip"), do(h, "GET", "/nothing"), do(h, "GET", "/entry/nothing.html")} {
		if w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("a %d response lacks X-Content-Type-Options: nosniff", w.Code)
		}
	}
	page := "/" + feed.PagePath(entries[0].ID)
	if w := do(h, "GET", page, "If-None-Match", do(h, "GET", page).Header().Get("ETag")); w.Code != 304 || w.Header().Get("X-Content-Type-Options") != "" {
		t.Errorf("a page's 304 = %d with headers %v; want 304 without X-Content-Type-Options", w.Code, w.Header())
	}
	w := do(h, "GET", "/feed.atom")
	if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("Cache-Control = %q; want public, max-age=300", cc)
	}
}

func TestHandlerConditional(t *testing.T) {
	h, snap, _ := newTestHandler(t)
	first := do(h, "GET", "/feed.atom")
	etag, lastMod := first.Header().Get("ETag"), first.Header().Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") || lastMod == "" {
		t.Fatalf("ETag %q, Last-Modified %q; want a strong ETag and a date", etag, lastMod)
	}
	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"If-None-Match matches", []string{"If-None-Match", etag}, 304},
		{"If-None-Match in a list", []string{"If-None-Match", `"other", ` + etag}, 304},
		{"If-None-Match differs", []string{"If-None-Match", `"stale"`}, 200},
		{"If-Modified-Since equal", []string{"If-Modified-Since", lastMod}, 304},
		{"If-Modified-Since later", []string{"If-Modified-Since", snap.Files[feed.Atom.Path].ModTime.Add(time.Hour).Format(http.TimeFormat)}, 304},
		{"If-Modified-Since earlier", []string{"If-Modified-Since", snap.Files[feed.Atom.Path].ModTime.Add(-time.Hour).Format(http.TimeFormat)}, 200},
		{"If-None-Match wins over If-Modified-Since", []string{"If-None-Match", `"stale"`, "If-Modified-Since", lastMod}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(h, "GET", "/feed.atom", tt.header...)
			if w.Code != tt.want {
				t.Fatalf("status %d; want %d", w.Code, tt.want)
			}
			if tt.want == 304 && (w.Body.Len() != 0 || w.Header().Get("ETag") != etag) {
				t.Errorf("304 with %d body bytes and ETag %q; want no body and the ETag", w.Body.Len(), w.Header().Get("ETag"))
			}
			if tt.want == 304 && (w.Header().Get("Cache-Control") == "" || w.Header().Get("Vary") != "Accept-Encoding" || len(w.Header()) != 3) {
				t.Errorf("304 headers %v; want ETag, Cache-Control and Vary alone, what a cache needs to refresh its copy", w.Header())
			}
		})
	}
}

func TestHandlerGzip(t *testing.T) {
	h, snap, _ := newTestHandler(t)
	plain := do(h, "GET", "/feed.rss")
	gz := do(h, "GET", "/feed.rss", "Accept-Encoding", "br, gzip;q=0.8")
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("headers %v; want Content-Encoding gzip and Vary", gz.Header())
	}
	if gz.Header().Get("ETag") == plain.Header().Get("ETag") {
		t.Error("gzip and plain bodies share an ETag")
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(body, snap.Files[feed.RSS.Path].Body) || !bytes.Equal(plain.Body.Bytes(), body) {
		t.Errorf("gzip round trip gave %d bytes, %v; want the %d plain bytes", len(body), err, len(snap.Files[feed.RSS.Path].Body))
	}
	if w := do(h, "GET", "/feed.rss", "Accept-Encoding", "gzip;q=0"); w.Header().Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 was answered with gzip")
	}
	if w := do(h, "GET", "/feed.rss", "Accept-Encoding", "gzip", "If-None-Match", gz.Header().Get("ETag")); w.Code != 304 {
		t.Errorf("If-None-Match with the gzip ETag = %d; want 304", w.Code)
	}
}

func TestHandlerHeadAndErrors(t *testing.T) {
	h, _, _ := newTestHandler(t)
	head := do(h, "HEAD", "/feed.atom")
	get := do(h, "GET", "/feed.atom")
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") != get.Header().Get("Content-Length") {
		t.Errorf("HEAD = %d with %d body bytes, length %q; want 200, no body, length %q",
			head.Code, head.Body.Len(), head.Header().Get("Content-Length"), get.Header().Get("Content-Length"))
	}
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		w := do(h, m, "/feed.atom")
		if w.Code != 405 || !strings.Contains(w.Header().Get("Allow"), "GET") {
			t.Errorf("%s = %d, Allow %q; want 405 with Allow: GET, HEAD", m, w.Code, w.Header().Get("Allow"))
		}
	}
	for _, path := range []string{"/nope", "/feed.xml", "/entry/not-an-id.html", "/entry/", "/entry/..%2f..%2fetc%2fpasswd",
		"/entry/%2e%2e/feed.atom", "/seeds/000_b0004d0eae77d0dc.txt"} {
		if w := do(h, "GET", path); w.Code != 404 && w.Code != 400 && w.Code != 301 {
			t.Errorf("GET %s = %d; want 404", path, w.Code)
		} else if strings.Contains(w.Body.String(), "TEHRAN") {
			t.Errorf("GET %s served a seed", path)
		}
	}
}

func TestHandlerHealthAndSwap(t *testing.T) {
	h, _, _ := newTestHandler(t)
	var health struct {
		Status  string `json:"status"`
		Entries int    `json:"entries"`
	}
	if err := json.Unmarshal(do(h, "GET", "/healthz").Body.Bytes(), &health); err != nil || health.Status != "ok" || health.Entries != 7 {
		t.Errorf("healthz = %+v, %v; want ok with the index's 7 entries", health, err)
	}
	empty, err := render.Render(testSite, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	h.Swap(empty, 3)
	if body := do(h, "GET", "/feed.atom").Body.String(); strings.Contains(body, "<entry>") {
		t.Error("after Swap the old feed is still served")
	}
	var after struct {
		Indexed   int      `json:"indexed"`
		Published int      `json:"published"`
		Renders   int      `json:"renders"`
		Problems  []string `json:"problems"`
	}
	if err := json.Unmarshal(do(h, "GET", "/healthz").Body.Bytes(), &after); err != nil ||
		after.Indexed != 7 || after.Published != 3 || after.Renders != 1 || len(after.Problems) != 1 {
		t.Errorf("healthz after a swap = %+v, %v; want 7 indexed, 3 published, 1 render, 1 problem", after, err)
	}
}

func TestHubLinks(t *testing.T) {
	site := testSite
	site.Hubs = []string{"https://hub.example/"}
	snap, err := render.Render(site, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(snap.Files[feed.Atom.Path].Body), `<link href="https://hub.example/" rel="hub">`) ||
		!strings.Contains(string(snap.Files[feed.RSS.Path].Body), `<atom:link href="https://hub.example/" rel="hub">`) ||
		!strings.Contains(string(snap.Files[feed.JSON.Path].Body), `"url":"https://hub.example/"`) {
		t.Error("a feed lacks its rel=hub link")
	}
	w := do(NewHandler(snap, time.Minute, func() Status { return Status{} }), "GET", "/feed.atom")
	if link := w.Header().Get("Link"); link != `<https://hub.example/>; rel="hub", <https://example.org/news/feed.atom>; rel="self"` {
		t.Errorf("Link header = %q", link)
	}
}
