// Package httpd serves rendered snapshots over HTTP: the routes, gzip,
// response headers, conditional requests and /healthz. A request never
// renders or compresses: Swap prepares every new file of a snapshot (its
// gzip form and headers) before the snapshot is served.
package httpd

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/metrics"
	"github.com/seedfeed/seedfeed/feed/render"
)

// Handler serves the current snapshot. A request never renders or
// compresses: it only picks bytes that Render and Swap prepared. Swap
// replaces the snapshot atomically, so a response is always one whole
// version of a file.
type Handler struct {
	cur      atomic.Pointer[current]
	swaps    atomic.Int64  // snapshots swapped in: renders, for /healthz
	warm     chan struct{} // closed at the first Swap (see Restore)
	warmWait time.Duration // warmWait; shorter in tests
	mux      *http.ServeMux
	maxAge   time.Duration
	status   func() Status // for /healthz

	pages    Pages         // entry pages the snapshot does not hold; see SetPages
	archives Archives      // archive pages
	docs     Documents     // categories' documents and the list of feeds
	cold     chan struct{} // a slot per cold page being rendered
	cache    *pageCache    // of cold pages

	accessLog *slog.Logger     // see Observe
	metrics   *metrics.Metrics // see Observe
	openMedia Media            // the files entries reference; see SetMedia
}

// current is the snapshot being served, with each of its files prepared.
type current struct {
	snap      *render.Snapshot
	files     map[string]*prepared // by path, as in snap.Files
	published int                  // entries known when snap was rendered
	site      int64                // counts the changes of snap.Site, for cold pages
	restored  bool                 // snap is an earlier process's, put there by Restore
}

// prepared is a file ready to serve: its gzip form and its headers.
type prepared struct {
	file     *render.File
	gzip     []byte // nil when compression would not pay
	gzipETag string // strong, of gzip
	headers  *fileHeaders
}

// Status is what /healthz reports besides the snapshot being served.
type Status struct {
	Indexed  int      // every entry known
	Problems []string // what keeps seedfeed from seeing the whole folder, each a sentence
	// Degraded says that the feeds no longer follow the folder at all
	// (changes cannot be recorded): /healthz says StatusDegraded, and a
	// health check fails, while the last feeds are still served.
	Degraded bool
	Hub      *HubHealth // the embedded WebSub hub's figures; nil when it is off
	Index    string     // IndexLoading, IndexScanning or IndexComplete
}

// HubHealth is what /healthz says of the embedded WebSub hub.
type HubHealth struct {
	Subscriptions int   `json:"subscriptions"`
	Pending       int   `json:"pending"`   // subscriptions with a delivery to make
	Delivered     int64 `json:"delivered"` // since start
	Failed        int64 `json:"failed"`    // deliveries that failed since start, each retried or given up
}

// NewHandler returns a handler serving snap until the first Swap. status
// reports what /healthz says besides the snapshot.
func NewHandler(snap *render.Snapshot, maxAge time.Duration, status func() Status) *Handler {
	h := &Handler{mux: http.NewServeMux(), maxAge: maxAge, status: status, warm: make(chan struct{}), warmWait: warmWait}
	h.cur.Store(h.prepare(snap, nil))
	// GET patterns answer HEAD too; other methods get 405 with Allow.
	h.mux.HandleFunc("GET /{$}", h.file(feed.Index.Path))
	for _, k := range feed.Kinds {
		h.mux.HandleFunc("GET /"+k.Path, h.file(k.Path))
	}
	// The site's pictures are files of the snapshot like the feeds: a
	// picture the site has not set is 404.
	for _, p := range feed.ImagePaths() {
		h.mux.HandleFunc("GET /"+p, h.file(p))
	}
	h.mux.HandleFunc("GET /entry/{page}", h.page)
	h.mux.HandleFunc("GET /archive/{file}", h.archive)
	h.mux.HandleFunc("GET /category/", h.document)
	h.mux.HandleFunc("GET /"+feed.OPMLPath, h.document)
	h.mux.HandleFunc("GET /healthz", h.health)
	h.mux.HandleFunc("GET /"+feed.MediaDir, h.media)
	return h
}

// Swap makes snap the snapshot served from now on; published is how many
// entries were known when it was rendered. Swaps must not run
// concurrently; a request may.
func (h *Handler) Swap(snap *render.Snapshot, published int) {
	prev := h.cur.Load()
	cur := h.prepare(snap, prev)
	cur.published, cur.site = published, prev.site
	if siteChanged(prev.snap.Site, snap.Site) {
		cur.site++ // no cold page made for the old site is served again
	}
	h.cur.Store(cur)
	if h.swaps.Add(1) == 1 {
		close(h.warm)
	}
}

// Published returns how many entries were published when the snapshot
// being served was rendered.
func (h *Handler) Published() int { return h.cur.Load().published }

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
	if h.accessLog != nil || h.metrics != nil {
		h.observed(w, r)
		return
	}
	h.serveHTTP(w, r)
}

func (h *Handler) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if len(r.TransferEncoding) > 0 {
		// net/http drops a Content-Length sent beside Transfer-Encoding,
		// which may be request smuggling: answer, then close the
		// connection (RFC 9112, 6.1). A feed request has no body anyway.
		w.Header()["Connection"] = []string{"close"}
	}
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

func (h *Handler) file(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h.serve(w, r, name)
	}
}

// page serves an entry's page: the snapshot's, or else one that Pages
// finds by the entry's ID. No path is ever looked up on disk, so none can
// lead out of the seeds folder.
func (h *Handler) page(w http.ResponseWriter, r *http.Request) {
	name := "entry/" + r.PathValue("page")
	cur := h.cur.Load()
	if p, ok := cur.files[name]; ok {
		h.serveFile(w, r, p)
		return
	}
	cur, ok := h.warmed(w, r)
	if !ok {
		return
	}
	if p, ok := cur.files[name]; ok {
		h.serveFile(w, r, p)
		return
	}
	h.coldPage(w, r, cur, name)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, name string) {
	p, ok := h.cur.Load().files[name]
	if !ok {
		notFound(w, r)
		return
	}
	h.serveFile(w, r, p)
}

func notFound(w http.ResponseWriter, r *http.Request) {
	w.Header()["X-Content-Type-Options"] = nosniff
	http.NotFound(w, r)
}

// serveFile answers r with p, or with 304 when the client has its bytes.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, p *prepared) {
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

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	st, cur := h.status(), h.cur.Load()
	if st.Problems == nil {
		st.Problems = []string{}
	}
	status := StatusOK
	if st.Degraded {
		status = StatusDegraded
	}
	json.NewEncoder(w).Encode(Health{Status: status, Entries: st.Indexed, Indexed: st.Indexed, Published: cur.published, Updated: cur.snap.Updated,
		Renders: h.swaps.Load(), Problems: st.Problems, Hub: st.Hub, Index: st.Index})
}
