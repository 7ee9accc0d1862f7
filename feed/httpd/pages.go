package httpd

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/render"
)

// Pages finds the entry pages that the snapshot does not hold: those of
// entries older than the feeds' newest, or past their byte budget. The
// daemon's index answers it, from the store and the files. site is the
// site of the snapshot being served, which the page must be rendered for.
type Pages func(site feed.Site, id string) Page

// Archives finds archive page n of kind k (see feed.Place) that goes
// with snap, the snapshot being served.
type Archives func(snap *render.Snapshot, k feed.Kind, n int) Page

// Documents finds the other documents made on request, by their path
// under the base URL: those of categories, and the list of every feed
// (feed.OPMLPath).
type Documents func(snap *render.Snapshot, name string) Page

// Page is an entry page as Pages finds it.
type Page struct {
	Status PageStatus
	// Key names what the page's bytes are made from: the same key, on the
	// same site, makes the same bytes, so a cached page with it is served.
	Key string
	// Make renders it, when Status is PageOK. It may still find the page
	// unavailable after all, and return no file and why.
	Make func() (*render.File, PageStatus)
	// MaxAge is the max-age of the page; zero: the handler's.
	MaxAge time.Duration
	// Link is its HTTP Link header: a feed's hubs (see HubLink).
	Link string
}

// PageStatus is what Pages found of an entry page.
type PageStatus int

const (
	PageOK          PageStatus = iota
	PageNotFound               // no such entry, or a draft: 404
	PageGone                   // its file was removed: 410
	PageUnavailable            // it cannot be made for now (a file cannot be read, the archive is not laid out yet): 503
	PageFailed                 // it could not be rendered: 500
)

// Cold pages are cached up to pageCacheBytes in all, each of them up to
// pageCacheMax; a larger page is rendered for each request. At most one
// cold page per CPU is rendered at a time, so a crawl of old pages costs
// memory in proportion to the cores, not to the requests.
const (
	pageCacheBytes = 32 << 20
	pageCacheMax   = 8 << 20
)

// SetPages makes h serve, besides the snapshot's own pages, the entry
// pages that pages finds and the archive pages that archives does. It must
// be called before h serves.
func (h *Handler) SetPages(pages Pages, archives Archives, docs Documents) {
	h.pages, h.archives, h.docs = pages, archives, docs
	h.cold = make(chan struct{}, runtime.GOMAXPROCS(0))
	h.cache = newPageCache()
}

// coldPage serves the entry page name, which the snapshot cur does not
// hold.
func (h *Handler) coldPage(w http.ResponseWriter, r *http.Request, cur *current, name string) {
	id, ok := feed.PageID(name)
	if !ok || h.pages == nil {
		notFound(w, r)
		return
	}
	h.serveCold(w, r, cur, name, h.pages(cur.snap.Site, id))
}

// archive serves an archive page.
func (h *Handler) archive(w http.ResponseWriter, r *http.Request) {
	name := "archive/" + r.PathValue("file")
	k, n, ok := feed.ParseArchivePath(name)
	if !ok || h.archives == nil {
		notFound(w, r)
		return
	}
	cur, ok := h.warmed(w, r)
	if !ok {
		return
	}
	if cur.snap.Archive >= 0 && n > cur.snap.Archive { // -1: not laid out yet, which archives answers
		notFound(w, r)
		return
	}
	h.serveCold(w, r, cur, name, h.archives(cur.snap, k, n))
}

// document serves a document that Documents finds. A folder's path
// names its HTML page.
func (h *Handler) document(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if _, rest, ok := feed.ParseCategoryPath(name + "/"); ok && rest == "" {
		// A category's folder, named without its slash.
		http.Redirect(w, r, r.URL.EscapedPath()+"/", http.StatusMovedPermanently)
		return
	}
	if strings.HasSuffix(name, "/") {
		name += feed.Index.Path
	}
	if h.docs == nil {
		notFound(w, r)
		return
	}
	cur, ok := h.warmed(w, r)
	if !ok {
		return
	}
	h.serveCold(w, r, cur, name, h.docs(cur.snap, name))
}

// serveCold serves pg, a page made on request, from the cache when it
// holds it.
func (h *Handler) serveCold(w http.ResponseWriter, r *http.Request, cur *current, name string, pg Page) {
	p, status := h.coldFile(r.Context(), cur, name, pg)
	if p == nil {
		if status != pageCancelled {
			h.noPage(w, r, status)
		}
		return
	}
	if p.packed() && !acceptsGzip(r.Header["Accept-Encoding"]) {
		var err error
		if p, err = p.unpack(); err != nil {
			h.noPage(w, r, PageFailed)
			return
		}
	}
	h.serveFile(w, r, p)
}

// pageCancelled is the status of a page whose request went away before
// it could be made.
const pageCancelled PageStatus = -1

// coldFile returns pg prepared, from the cache or made now, or nil and why
// not.
func (h *Handler) coldFile(ctx context.Context, cur *current, name string, pg Page) (*prepared, PageStatus) {
	if pg.Status != PageOK {
		return nil, pg.Status
	}
	// Keys name many records: a digest is what the cache keeps.
	sum := sha256.Sum256([]byte(pg.Key))
	key := strconv.FormatInt(cur.site, 10) + "\x00" + string(sum[:])
	if p := h.cache.get(name, key); p != nil {
		return p, PageOK
	}
	select {
	case h.cold <- struct{}{}:
	case <-ctx.Done():
		return nil, pageCancelled
	}
	defer func() { <-h.cold }()
	if p := h.cache.get(name, key); p != nil { // another request may have made it meanwhile
		return p, PageOK
	}
	p, status := h.makePage(name, pg)
	if p != nil {
		h.cache.put(name, key, p)
	}
	return p, status
}

// Document returns the document at name, a path under the base URL, as a
// request for it would get it: from the snapshot, or made on request (a
// category's feed) and cached. It is how the hub gets what it delivers.
func (h *Handler) Document(ctx context.Context, name string) (*render.File, error) {
	cur := h.cur.Load()
	if p, ok := cur.files[name]; ok {
		return p.file, nil
	}
	if h.docs == nil {
		return nil, fmt.Errorf("no document %s", name)
	}
	cur, err := h.waitWarm(ctx)
	if err != nil {
		return nil, fmt.Errorf("document %s cannot be made now: %w", name, err)
	}
	p, status := h.coldFile(ctx, cur, name, h.docs(cur.snap, name))
	if p == nil {
		return nil, fmt.Errorf("document %s cannot be made now (status %d)", name, status)
	}
	return fileOf(p)
}

// noPage answers a request for an entry page that cannot be served, with
// status.
func (h *Handler) noPage(w http.ResponseWriter, r *http.Request, status PageStatus) {
	w.Header()["X-Content-Type-Options"] = nosniff
	switch status {
	case PageGone:
		http.Error(w, "410 gone: this entry's file was removed", http.StatusGone)
	case PageUnavailable:
		w.Header().Set("Retry-After", "60")
		http.Error(w, "503 service unavailable: this page cannot be made for now; try again later", http.StatusServiceUnavailable)
	case PageNotFound:
		http.NotFound(w, r)
	default:
		http.Error(w, "500 internal server error: the page could not be rendered", http.StatusInternalServerError)
	}
}

// makePage renders a cold page and prepares it to serve, or returns nil
// and the status to answer with.
func (h *Handler) makePage(name string, pg Page) (*prepared, PageStatus) {
	start := time.Now()
	f, status := pg.Make()
	h.metrics.Rendered(route("/"+name), time.Since(start))
	if f == nil {
		return nil, status
	}
	p := &prepared{file: f}
	p.compress(gzip.BestSpeed)
	maxAge := h.maxAge
	if pg.MaxAge > 0 {
		maxAge = pg.MaxAge
	}
	p.headers = p.responseHeaders(maxAge, pg.Link)
	return p, PageOK
}

// siteChanged reports whether b renders pages other than a does.
func siteChanged(a, b feed.Site) bool { return !reflect.DeepEqual(a, b) }
