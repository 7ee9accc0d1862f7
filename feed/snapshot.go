package feed

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"path"
	"time"
)

// Snapshot is one immutable rendering of the site: every file, ready to
// write out or to serve, with its gzip form and validators computed once.
// Nothing in it changes after Render returns.
type Snapshot struct {
	Files   map[string]*File // by path under the base URL, such as "feed.atom"
	Updated time.Time        // the newest entry's update, or the render time when empty
}

// File is one rendered file.
type File struct {
	Body     []byte
	Gzip     []byte // nil when compression would not pay
	Type     string // Content-Type
	ETag     string // strong, of Body
	GzipETag string // strong, of Gzip
	ModTime  time.Time
	Link     string // the HTTP Link header: WebSub hub and self, for the feeds
}

// contentTypes are the exact types DESIGN.md fixes, by extension.
var contentTypes = map[string]string{
	".atom": "application/atom+xml; charset=utf-8",
	".rss":  "application/rss+xml; charset=utf-8",
	".json": "application/feed+json; charset=utf-8",
	".html": "text/html; charset=utf-8",
}

// newFile prepares body for serving: its type, ETag and gzip form.
func newFile(name string, body []byte, modTime time.Time) *File {
	sum := sha256.Sum256(body)
	tag := base64.RawURLEncoding.EncodeToString(sum[:18])
	f := &File{Body: body, Type: contentTypes[path.Ext(name)], ETag: `"` + tag + `"`, ModTime: modTime.UTC().Truncate(time.Second)}
	if len(body) > 512 {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if b.Len() < len(body) {
			f.Gzip = b.Bytes()
			f.GzipETag = `"` + tag + `-gz"`
		}
	}
	return f
}

// Render renders the feeds, the index page and the page of every entry
// given. entries must be newest first and already limited to the feed's
// size (Index.Entries does both), so the cost follows the limit, not the
// folder. now dates an empty feed and the files' modification time.
func Render(site Site, entries []Entry, now time.Time) (*Snapshot, error) {
	if site.Limit > 0 && len(entries) > site.Limit {
		entries = entries[:site.Limit]
	}
	snap := &Snapshot{Files: make(map[string]*File, len(entries)+4), Updated: updated(entries, now)}
	renderers := map[string]func(Site, []Entry, time.Time) ([]byte, error){
		AtomPath: renderAtom,
		RSSPath:  renderRSS,
		JSONPath: renderJSON,
		IndexPath: func(s Site, e []Entry, _ time.Time) ([]byte, error) {
			return renderIndex(s, e)
		},
	}
	for name, render := range renderers {
		b, err := render(site, entries, now)
		if err != nil {
			return nil, err
		}
		f := newFile(name, b, now)
		if name != IndexPath && len(site.Hubs) > 0 {
			for _, hub := range site.Hubs {
				f.Link += "<" + hub + `>; rel="hub", `
			}
			f.Link += "<" + site.url(name) + `>; rel="self"`
		}
		snap.Files[name] = f
	}
	for _, e := range entries {
		b, err := renderPage(site, e)
		if err != nil {
			return nil, err
		}
		snap.Files[PagePath(e.ID)] = newFile(PagePath(e.ID), b, now)
	}
	return snap, nil
}

// Since carries the modification times of files that have not changed over
// from an earlier snapshot, so that Last-Modified moves only when a file's
// bytes do.
func (s *Snapshot) Since(prev *Snapshot) {
	if prev == nil {
		return
	}
	for name, f := range s.Files {
		if old, ok := prev.Files[name]; ok && old.ETag == f.ETag {
			f.ModTime = old.ModTime
		}
	}
}
