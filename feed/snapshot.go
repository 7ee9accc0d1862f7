package feed

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Snapshot is one rendering of the site: every file, ready to write out or
// to serve, with its validators computed once. A Handler adds the gzip
// forms and headers once, before it serves the snapshot; nothing changes
// after that.
type Snapshot struct {
	Files   map[string]*File // by path under the base URL, such as "feed.atom"
	Updated time.Time        // the newest entry's update, or the render time when empty

	pageKeys map[string]string // what each entry page was made from, for RenderSince
}

// File is one rendered file.
type File struct {
	Body     []byte
	Gzip     []byte // nil until a Handler prepares the file, and when compression would not pay
	Type     string // Content-Type
	ETag     string // strong, of Body
	GzipETag string // strong, of Gzip
	ModTime  time.Time
	Link     string // the HTTP Link header: WebSub hub and self, for the feeds

	headers *fileHeaders // made by the Handler before it serves the file
}

// contentTypes are the exact types DESIGN.md fixes, by extension.
var contentTypes = map[string]string{
	".atom": "application/atom+xml; charset=utf-8",
	".rss":  "application/rss+xml; charset=utf-8",
	".json": "application/feed+json; charset=utf-8",
	".html": "text/html; charset=utf-8",
}

// gzipPool holds compressors for reuse: making one allocates about 1 MB.
var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return zw
}}

// newFile prepares body for serving: its type and ETag. Its gzip form is
// made by compress, when a Handler is to serve it.
func newFile(name string, body []byte, modTime time.Time) *File {
	sum := sha256.Sum256(body)
	tag := base64.RawURLEncoding.EncodeToString(sum[:18])
	return &File{Body: body, Type: contentTypes[path.Ext(name)], ETag: `"` + tag + `"`, ModTime: modTime.UTC().Truncate(time.Second)}
}

// compress makes f's gzip form, unless compression would not pay.
func (f *File) compress() {
	if len(f.Body) <= 512 {
		return
	}
	var b bytes.Buffer
	zw := gzipPool.Get().(*gzip.Writer)
	zw.Reset(&b)
	zw.Write(f.Body)
	zw.Close()
	gzipPool.Put(zw)
	if b.Len() < len(f.Body) {
		f.Gzip = b.Bytes()
		f.GzipETag = strings.TrimSuffix(f.ETag, `"`) + `-gz"`
	}
}

// Render renders the feeds, the index page and the page of every entry
// given. entries must be newest first and already limited to the feed's
// size (Index.Entries does both), so the cost follows the limit, not the
// folder. now dates an empty feed and the files' modification time.
func Render(site Site, entries []Entry, now time.Time) (*Snapshot, error) {
	return RenderSince(site, entries, now, nil)
}

// RenderSince is Render that reuses from prev whatever has not changed:
// the page of an entry that is the same (with its gzip form), and the
// modification time of every file whose bytes are the same, so that
// Last-Modified moves only when a file's bytes do.
func RenderSince(site Site, entries []Entry, now time.Time, prev *Snapshot) (*Snapshot, error) {
	if site.Limit > 0 && len(entries) > site.Limit {
		entries = entries[:site.Limit]
	}
	site, entries = clean(site, entries)
	snap := &Snapshot{Files: make(map[string]*File, len(entries)+4), Updated: updated(entries, now),
		pageKeys: make(map[string]string, len(entries))}
	// Every file to make is a job; the jobs run in parallel.
	type job struct {
		name   string
		render func() ([]byte, error)
		file   *File
	}
	jobs := []*job{
		{name: AtomPath, render: func() ([]byte, error) { return renderAtom(site, entries, now) }},
		{name: RSSPath, render: func() ([]byte, error) { return renderRSS(site, entries, now) }},
		{name: JSONPath, render: func() ([]byte, error) { return renderJSON(site, entries, now) }},
		{name: IndexPath, render: func() ([]byte, error) { return renderIndex(site, entries) }},
	}
	siteKey := fmt.Sprintf("%#v", site)
	for _, e := range entries {
		name := PagePath(e.ID)
		key := pageKey(siteKey, e)
		snap.pageKeys[name] = key
		if prev != nil && prev.pageKeys[name] == key {
			snap.Files[name] = prev.Files[name]
			continue
		}
		jobs = append(jobs, &job{name: name, render: func() ([]byte, error) { return renderPage(site, e) }})
	}
	errs := make([]error, len(jobs))
	parallel(len(jobs), func(i int) {
		b, err := jobs[i].render()
		if err != nil {
			errs[i] = err
			return
		}
		jobs[i].file = newFile(jobs[i].name, b, now)
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, j := range jobs {
		f := j.file
		if isFeed := j.name == AtomPath || j.name == RSSPath || j.name == JSONPath; isFeed && len(site.Hubs) > 0 {
			for _, hub := range site.Hubs {
				f.Link += "<" + hub + `>; rel="hub", `
			}
			f.Link += "<" + site.url(j.name) + `>; rel="self"`
		}
		snap.Files[j.name] = f
	}
	snap.keepModTimes(prev)
	return snap, nil
}

// parallel calls fn(i) for every i in [0, n), on one goroutine per CPU,
// and returns when all calls have.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() { // exits when no i is left
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// pageKey fingerprints everything an entry's page shows.
func pageKey(siteKey string, e Entry) string {
	h := sha256.New()
	for _, s := range []string{siteKey, e.ID, e.Title, e.Summary, e.Content, e.Author, strings.Join(e.Categories, "\x00"),
		e.Published.String(), e.Updated.String()} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return string(h.Sum(nil))
}

// keepModTimes carries the modification times of files whose bytes have not
// changed over from prev.
func (s *Snapshot) keepModTimes(prev *Snapshot) {
	if prev == nil {
		return
	}
	for name, f := range s.Files {
		if old, ok := prev.Files[name]; ok && old != f && old.ETag == f.ETag {
			f.ModTime = old.ModTime
		}
	}
}
