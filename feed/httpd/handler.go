// Package httpd serves rendered snapshots over HTTP: the routes, gzip,
// response headers, conditional requests and /healthz. A request never
// renders or compresses: Swap prepares every new file of a snapshot (its
// gzip form and headers) before the snapshot is served.
package httpd

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/render"
)

// Handler serves the current snapshot. A request never renders or
// compresses: it only picks bytes that Render and Swap prepared. Swap
// replaces the snapshot atomically, so a response is always one whole
// version of a file.
type Handler struct {
	cur    atomic.Pointer[current]
	swaps  atomic.Int64 // snapshots swapped in: renders, for /healthz
	mux    *http.ServeMux
	maxAge time.Duration
	count  func() int // every entry known, for /healthz
}

// current is the snapshot being served, with each of its files prepared.
type current struct {
	snap  *render.Snapshot
	files map[string]*prepared // by path, as in snap.Files
}

// prepared is a file ready to serve: its gzip form and its headers.
type prepared struct {
	file     *render.File
	gzip     []byte // nil when compression would not pay
	gzipETag string // strong, of gzip
	headers  *fileHeaders
}

// NewHandler returns a handler serving snap until the first Swap. count
// reports how many entries are known, for /healthz.
func NewHandler(snap *render.Snapshot, maxAge time.Duration, count func() int) *Handler {
	h := &Handler{mux: http.NewServeMux(), maxAge: maxAge, count: count}
	h.cur.Store(h.prepare(snap, nil))
	// GET patterns answer HEAD too; other methods get 405 with Allow.
	h.mux.HandleFunc("GET /{$}", h.file(feed.Index.Path))
	for _, k := range feed.Kinds {
		h.mux.HandleFunc("GET /"+k.Path, h.file(k.Path))
	}
	h.mux.HandleFunc("GET /entry/{page}", h.page)
	h.mux.HandleFunc("GET /healthz", h.health)
	return h
}

// Swap makes snap the snapshot served from now on. Swaps must not run
// concurrently; a request may.
func (h *Handler) Swap(snap *render.Snapshot) {
	h.cur.Store(h.prepare(snap, h.cur.Load()))
	h.swaps.Add(1)
}

// Current returns the snapshot being served.
func (h *Handler) Current() *render.Snapshot { return h.cur.Load().snap }

// feedPaths are the request paths of the feeds, which are most of the
// traffic, and their files.
var feedPaths = func() map[string]string {
	m := map[string]string{}
	for _, k := range feed.Feeds() {
		m["/"+k.Path] = k.Path
	}
	return m
}()

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The feeds are most of the traffic: serve them without the mux.
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if name, ok := feedPaths[r.URL.Path]; ok {
			h.serve(w, r, name)
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

// prepare makes every file in snap ready to serve: a file carried over
// from prev (an unchanged page) keeps what it had; a new one is compressed
// and given its headers, here, before the snapshot is published, so that
// no request does either. Files are prepared in parallel.
func (h *Handler) prepare(snap *render.Snapshot, prev *current) *current {
	cur := &current{snap: snap, files: make(map[string]*prepared, len(snap.Files))}
	var todo []*prepared
	for name, f := range snap.Files {
		if prev != nil {
			if p, ok := prev.files[name]; ok && p.file == f {
				cur.files[name] = p
				continue
			}
		}
		p := &prepared{file: f}
		cur.files[name] = p
		todo = append(todo, p)
	}
	render.Parallel(len(todo), func(i int) {
		p := todo[i]
		p.compress()
		p.headers = p.responseHeaders(h.maxAge, link(snap.Site, p.file, snap))
	})
	return cur
}

// link returns the HTTP Link header of f: for a feed, with hubs, its hubs
// and itself (WebSub, 8.1); else nothing.
func link(site feed.Site, f *render.File, snap *render.Snapshot) string {
	if len(site.Hubs) == 0 {
		return ""
	}
	for _, k := range feed.Feeds() {
		if snap.Files[k.Path] == f {
			var b strings.Builder
			for _, hub := range site.Hubs {
				b.WriteString("<" + hub + `>; rel="hub", `)
			}
			b.WriteString("<" + site.URL(k.Path) + `>; rel="self"`)
			return b.String()
		}
	}
	return ""
}

// responseHeaders makes the response headers of p, for plain and gzip, 200
// and 304.
func (p *prepared) responseHeaders(maxAge time.Duration, link string) *fileHeaders {
	f := p.file
	common := map[string][]string{
		"X-Content-Type-Options": nosniff,
		"Content-Type":           {f.Type},
		"Cache-Control":          {fmt.Sprintf("public, max-age=%d", int(maxAge.Seconds()))},
		"Last-Modified":          {f.ModTime.UTC().Format(http.TimeFormat)},
	}
	if link != "" {
		common["Link"] = []string{link}
	}
	if p.gzip != nil {
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
	if p.gzip != nil {
		gz := maps.Clone(common)
		gz["Etag"] = []string{p.gzipETag}
		gz["Content-Length"] = []string{strconv.Itoa(len(p.gzip))}
		gz["Content-Encoding"] = []string{"gzip"}
		fh.gzip, fh.gzipNotMod = fields(gz), fields(notModified(p.gzipETag))
	}
	return fh
}

// gzipPool holds compressors for reuse: making one allocates about 1 MB.
var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return zw
}}

// compress makes p's gzip form, unless compression would not pay.
func (p *prepared) compress() {
	body := p.file.Body
	if len(body) <= 512 {
		return
	}
	var b bytes.Buffer
	zw := gzipPool.Get().(*gzip.Writer)
	zw.Reset(&b)
	zw.Write(body)
	zw.Close()
	gzipPool.Put(zw)
	if b.Len() < len(body) {
		p.gzip = b.Bytes()
		p.gzipETag = strings.TrimSuffix(p.file.ETag, `"`) + `-gz"`
	}
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
	p, ok := h.cur.Load().files[name]
	if !ok {
		w.Header()["X-Content-Type-Options"] = nosniff
		http.NotFound(w, r)
		return
	}
	fh := p.headers
	headers, notMod, body, etag := fh.plain, fh.plainNotMod, p.file.Body, p.file.ETag
	if fh.gzip != nil && acceptsGzip(r.Header["Accept-Encoding"]) {
		headers, notMod, body, etag = fh.gzip, fh.gzipNotMod, p.gzip, p.gzipETag
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
	}{"ok", h.count(), h.cur.Load().snap.Updated, h.swaps.Load()})
}
