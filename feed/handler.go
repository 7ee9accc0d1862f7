package feed

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Handler serves the current snapshot. It never renders or compresses: a
// request only picks bytes that Render prepared. Swap replaces the snapshot
// atomically, so a response is always one whole version of a file.
type Handler struct {
	snap   atomic.Pointer[Snapshot]
	mux    *http.ServeMux
	maxAge time.Duration
	count  func() int // every entry known, for /healthz
}

// NewHandler returns a handler serving snap until the first Swap. count
// reports how many entries are known, for /healthz.
func NewHandler(snap *Snapshot, maxAge time.Duration, count func() int) *Handler {
	h := &Handler{mux: http.NewServeMux(), maxAge: maxAge, count: count}
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

// Swap makes snap the snapshot served from now on.
func (h *Handler) Swap(snap *Snapshot) { h.snap.Store(snap) }

// Current returns the snapshot being served.
func (h *Handler) Current() *Snapshot { return h.snap.Load() }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	h.mux.ServeHTTP(w, r)
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
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", f.Type)
	hdr.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(h.maxAge.Seconds())))
	hdr.Set("Last-Modified", f.ModTime.Format(http.TimeFormat))
	if f.Link != "" {
		hdr.Set("Link", f.Link)
	}
	body, etag := f.Body, f.ETag
	if f.Gzip != nil {
		hdr.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = f.Gzip, f.GzipETag
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("ETag", etag)
	if notModified(r, etag, f.ModTime) {
		hdr.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// notModified applies If-None-Match, or, when there is none,
// If-Modified-Since (RFC 9110, 13.1.2 and 13.1.3).
func notModified(r *http.Request, etag string, modTime time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil {
			return !modTime.After(t)
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		return !strings.HasPrefix(q, "q=0") || strings.HasPrefix(q, "q=0.") && strings.Trim(q[4:], "0") != ""
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
	}{"ok", h.count(), h.snap.Load().Updated})
}
