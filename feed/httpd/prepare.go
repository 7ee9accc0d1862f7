package httpd

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/render"
)

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
		p.compress(gzip.DefaultCompression)
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
			return HubLink(site, k.Path)
		}
	}
	return ""
}

// HubLink returns the HTTP Link header of the feed at self, a path under
// the base URL: its hubs and itself (WebSub, 8.1); nothing without hubs.
func HubLink(site feed.Site, self string) string {
	if len(site.Hubs) == 0 {
		return ""
	}
	var b strings.Builder
	for _, hub := range site.Hubs {
		b.WriteString("<" + hub + `>; rel="hub", `)
	}
	b.WriteString("<" + site.URL(self) + `>; rel="self"`)
	return b.String()
}

// responseHeaders makes the response headers of p, for plain and gzip, 200
// and 304.
func (p *prepared) responseHeaders(maxAge time.Duration, link string) *fileHeaders {
	f := p.file
	common := map[string][]string{
		"X-Content-Type-Options": nosniff,
		"Content-Type":           {f.Type},
		"Cache-Control":          {fmt.Sprintf("public, max-age=%d", int(maxAge.Seconds()))},
	}
	if !f.ModTime.IsZero() { // most pages made on request have only their ETag
		common["Last-Modified"] = []string{f.ModTime.UTC().Format(http.TimeFormat)}
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

// gzipPools hold compressors for reuse, one pool for each level: making
// one allocates about 1 MB. The documents of a snapshot, served again and
// again, get the default level; a page made on request, while its reader
// waits, the fastest (a quarter of the time, for a fifth more bytes).
var gzipPools = map[int]*sync.Pool{gzip.DefaultCompression: gzipPool(gzip.DefaultCompression), gzip.BestSpeed: gzipPool(gzip.BestSpeed)}

func gzipPool(level int) *sync.Pool {
	return &sync.Pool{New: func() any {
		zw, _ := gzip.NewWriterLevel(nil, level)
		return zw
	}}
}

// compress makes p's gzip form at level, unless compression would not pay.
func (p *prepared) compress(level int) {
	body := p.file.Body
	if len(body) <= 512 {
		return
	}
	var b bytes.Buffer
	b.Grow(len(body) / 3) // what text compresses to, about: made once, not doubled into place
	pool := gzipPools[level]
	zw := pool.Get().(*gzip.Writer)
	zw.Reset(&b)
	zw.Write(body)
	zw.Close()
	pool.Put(zw)
	if b.Len() < len(body) {
		p.gzip = b.Bytes()
		p.gzipETag = strings.TrimSuffix(p.file.ETag, `"`) + `-gz"`
	}
}
