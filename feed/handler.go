package feed

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Handler serves the current snapshot. A request never renders or
// compresses: it only picks bytes that Render and Swap prepared. Swap replaces the snapshot
// atomically, so a response is always one whole version of a file.
type Handler struct {
	snap   atomic.Pointer[Snapshot]
	swaps  atomic.Int64 // snapshots swapped in: renders, for /healthz
	mux    *http.ServeMux
	maxAge time.Duration
	count  func() int // every entry known, for /healthz
}

// NewHandler returns a handler serving snap until the first Swap. count
// reports how many entries are known, for /healthz.
func NewHandler(snap *Snapshot, maxAge time.Duration, count func() int) *Handler {
	h := &Handler{mux: http.NewServeMux(), maxAge: maxAge, count: count}
	h.prepare(snap)
	h.snap.Store(snap)
	// GET patterns answer HEAD too; other methods get 405 with Allow.
	h.mux.HandleFunc("GET /{$}", h.file(IndexPath))
	h.mux.HandleFunc("GET /index.html", h.file(IndexPath))
	h.mux.HandleFunc("GET /feed.atom", h.file(AtomPath))
	h.mux.HandleFunc("GET /feed.rss", h.file(RSSPath))
	h.mux.HandleFunc("GET /feed.json", h.file(JSONPath))
	h.mux.HandleFunc("GET /entry/{page}", h.page)
	h.mux.HandleFunc("GET /healthz", h.health)
	return h
}

// Swap makes snap the snapshot served from now on. Swaps must not run
// concurrently; a request may.
func (h *Handler) Swap(snap *Snapshot) {
	h.prepare(snap)
	h.snap.Store(snap)
	h.swaps.Add(1)
}

// Current returns the snapshot being served.
func (h *Handler) Current() *Snapshot { return h.snap.Load() }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The feeds are most of the traffic: serve them without the mux.
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		switch r.URL.Path {
		case "/feed.atom", "/feed.rss", "/feed.json":
			h.serve(w, r, r.URL.Path[1:])
			return
		}
	}
	w.Header()["X-Content-Type-Options"] = nosniff // serve sets it too, with a file's own headers
	h.mux.ServeHTTP(w, r)
}

var nosniff = []string{"nosniff"}

// fileHeaders are a file's response headers, as the header map holds them.
// They are shared by every response and never changed. A 304 carries only
// what a cache needs to refresh its copy (RFC 9110, 15.4.5): ETag,
// Cache-Control and Vary.
type fileHeaders struct {
	plain, gzip             []headerField
	plainNotMod, gzipNotMod []headerField
	modTime                 time.Time
}

// headerField is one response header. A slice of them is copied into a
// response faster than a map is ranged over.
type headerField struct {
	key   string // canonical
	value []string
}

// fields returns m as a slice.
func fields(m map[string][]string) []headerField {
	out := make([]headerField, 0, len(m))
	for k, v := range m {
		out = append(out, headerField{k, v})
	}
	return out
}

// prepare compresses every file in snap that is new (a page carried over
// from the previous snapshot keeps its own gzip form and headers) and makes
// its response headers, before the snapshot is published, so that no
// request compresses or builds them. Files are compressed in parallel.
func (h *Handler) prepare(snap *Snapshot) {
	var todo []*File
	for _, f := range snap.Files {
		if f.headers == nil {
			todo = append(todo, f)
		}
	}
	parallel(len(todo), func(i int) {
		todo[i].compress()
		todo[i].headers = todo[i].responseHeaders(h.maxAge)
	})
}

// responseHeaders makes f's response headers, for plain and gzip, 200 and
// 304.
func (f *File) responseHeaders(maxAge time.Duration) *fileHeaders {
	common := map[string][]string{
		"X-Content-Type-Options": nosniff,
		"Content-Type":           {f.Type},
		"Cache-Control":          {fmt.Sprintf("public, max-age=%d", int(maxAge.Seconds()))},
		"Last-Modified":          {f.ModTime.UTC().Format(http.TimeFormat)},
	}
	if f.Link != "" {
		common["Link"] = []string{f.Link}
	}
	if f.Gzip != nil {
		common["Vary"] = []string{"Accept-Encoding"}
	}
	notModified := func(etag string) map[string][]string {
		h := map[string][]string{"Etag": {etag}, "Cache-Control": common["Cache-Control"]}
		if v, ok := common["Vary"]; ok {
			h["Vary"] = v
		}
		return h
	}
	plain := maps.Clone(common)
	plain["Etag"] = []string{f.ETag}
	plain["Content-Length"] = []string{strconv.Itoa(len(f.Body))}
	fh := &fileHeaders{plain: fields(plain), plainNotMod: fields(notModified(f.ETag)), modTime: f.ModTime}
	if f.Gzip != nil {
		gz := maps.Clone(common)
		gz["Etag"] = []string{f.GzipETag}
		gz["Content-Length"] = []string{strconv.Itoa(len(f.Gzip))}
		gz["Content-Encoding"] = []string{"gzip"}
		fh.gzip, fh.gzipNotMod = fields(gz), fields(notModified(f.GzipETag))
	}
	return fh
}

func (h *Handler) file(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.serve(w, r, name)
	}
}

// page serves an entry's page. Only names the snapshot holds are served:
// nothing is ever looked up on disk, so no path can lead out of it.
func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	h.serve(w, r, "entry/"+r.PathValue("page"))
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, name string) {
	f, ok := h.snap.Load().Files[name]
	if !ok {
		w.Header()["X-Content-Type-Options"] = nosniff
		http.NotFound(w, r)
		return
	}
	fh := f.headers
	headers, notMod, body, etag := fh.plain, fh.plainNotMod, f.Body, f.ETag
	if fh.gzip != nil && acceptsGzip(r.Header["Accept-Encoding"]) {
		headers, notMod, body, etag = fh.gzip, fh.gzipNotMod, f.Gzip, f.GzipETag
	}
	hdr := w.Header()
	if notModified(r, etag, fh.modTime) {
		delete(hdr, "X-Content-Type-Options") // set by the mux's path
		for _, h := range notMod {
			hdr[h.key] = h.value
		}
		w.WriteHeader(http.StatusNotModified)
		return
	}
	for _, h := range headers {
		hdr[h.key] = h.value
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// notModified applies If-None-Match, or, when there is none,
// If-Modified-Since (RFC 9110, 13.1.2 and 13.1.3).
func notModified(r *http.Request, etag string, modTime time.Time) bool {
	if inm := headerValue(r.Header, "If-None-Match"); inm != "" {
		for t := range strings.SplitSeq(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == etag {
				return true
			}
		}
		return false
	}
	if ims := headerValue(r.Header, "If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil {
			return !modTime.After(t)
		}
	}
	return false
}

// headerValue is h.Get for a key already in canonical form, as net/http
// stores the request's: it spares canonicalising the key on every request.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// acceptsGzip reports whether Accept-Encoding headers allow gzip.
func acceptsGzip(headers []string) bool {
	for _, header := range headers {
		for part := range strings.SplitSeq(header, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.TrimSpace(coding)
			if !strings.EqualFold(coding, "gzip") && !strings.EqualFold(coding, "x-gzip") && coding != "*" {
				continue
			}
			q := strings.ReplaceAll(strings.ToLower(params), " ", "")
			return !strings.HasPrefix(q, "q=0") || strings.HasPrefix(q, "q=0.") && strings.Trim(q[4:], "0") != ""
		}
	}
	return false
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(struct {
		Status  string    `json:"status"`
		Entries int       `json:"entries"`
		Updated time.Time `json:"updated"`
		Renders int64     `json:"renders"`
	}{"ok", h.count(), h.snap.Load().Updated, h.swaps.Load()})
}
