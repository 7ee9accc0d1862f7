package render

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/seedfeed/seedfeed/feed"
)

// Snapshot is one rendering of the site: every file, ready to write out or
// to serve, with its validators computed once. Nothing in it changes after
// Render returns it.
type Snapshot struct {
	Site    feed.Site        // what it was rendered for
	Files   map[string]*File // by path under the base URL, such as "feed.atom"
	Updated time.Time        // the newest entry's update, or the render time when empty
	Newest  time.Time        // the latest modification time of any file in it or in a snapshot before it
	Archive int              // how many archive pages there are (see feed.Place); made on request, they are not in Files
	// SiteSince is when Site last changed: the Newest of the first
	// snapshot rendered for it. Documents made on request for a site are
	// no older than it.
	SiteSince time.Time

	pageKeys map[string]string // what each entry page was made from, for RenderSince
}

// File is one rendered file.
type File struct {
	Body    []byte
	Type    string // Content-Type
	ETag    string // strong, of Body
	ModTime time.Time
}

// newFile prepares body for serving: its type and ETag.
func newFile(name string, body []byte, modTime time.Time) *File {
	sum := sha256.Sum256(body)
	tag := base64.RawURLEncoding.EncodeToString(sum[:18])
	return &File{Body: body, Type: feed.TypeOf(name), ETag: `"` + tag + `"`, ModTime: modTime.UTC().Truncate(time.Second)}
}

// renderers make each kind of document in feed.Kinds.
var renderers = map[string]func(site feed.Site, entries []feed.Entry, now time.Time, at feed.Place) ([]byte, error){
	feed.Atom.Name:  renderAtom,
	feed.RSS.Name:   renderRSS,
	feed.JSON.Name:  renderJSON,
	feed.Index.Name: renderIndex,
}

// Render renders every kind of document in feed.Kinds and the page of
// every entry given with its text (an entry past the feeds' byte budget
// comes Trimmed, and its page is made on request: see Page). entries must
// be newest first and already limited to
// the feed's size (index.Index.Entries does both), so the cost follows the
// limit, not the folder. now dates an empty feed and the files'
// modification time.
func Render(site feed.Site, entries []feed.Entry, now time.Time) (*Snapshot, error) {
	return RenderSince(site, entries, 0, now, nil)
}

// RenderSince is Render that reuses from prev whatever has not changed:
// the page of an entry that is the same, and the modification time of every
// file whose bytes are the same, so that Last-Modified moves only when a
// file's bytes do. A file whose bytes are new gets a modification time
// later than any in prev, even within the same second: then it is in the
// future, and the snapshot must not be served before Newest.
//
// archives is how many archive pages there are (see feed.Place), which the
// feeds and the index link to.
func RenderSince(site feed.Site, entries []feed.Entry, archives int, now time.Time, prev *Snapshot) (*Snapshot, error) {
	if site.Limit > 0 && len(entries) > site.Limit {
		entries = entries[:site.Limit]
	}
	site, entries = clean(site, entries)
	site = withIcon(site)
	snap := &Snapshot{Site: site, Files: make(map[string]*File, len(entries)+len(feed.Kinds)), Updated: updated(entries, now), Archive: archives,
		pageKeys: make(map[string]string, len(entries))}
	// Every file to make is a job; the jobs run in parallel.
	type job struct {
		name   string
		render func() ([]byte, error)
		file   *File
	}
	var jobs []*job
	for _, k := range feed.Kinds {
		r, ok := renderers[k.Name]
		if !ok {
			return nil, fmt.Errorf("render: no renderer for %s", k.Name)
		}
		at := feed.Place{Pages: archives}
		jobs = append(jobs, &job{name: k.Path, render: func() ([]byte, error) { return r(site, entries, now, at) }})
	}
	siteKey := fmt.Sprintf("%#v", site)
	for _, e := range entries {
		if e.Trimmed {
			continue // past the budget: its page is made when asked for (see Page)
		}
		name := feed.PagePath(e.ID)
		key := pageKey(siteKey, e)
		snap.pageKeys[name] = key
		if prev != nil && prev.pageKeys[name] == key {
			snap.Files[name] = prev.Files[name]
			continue
		}
		jobs = append(jobs, &job{name: name, render: func() ([]byte, error) { return renderPage(site, e) }})
	}
	errs := make([]error, len(jobs))
	Parallel(len(jobs), func(i int) {
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
		snap.Files[j.name] = j.file
	}
	snap.addImages(site, prev, now)
	snap.keepModTimes(prev, now)
	snap.SiteSince = snap.Newest
	if prev != nil && reflect.DeepEqual(prev.Site, snap.Site) {
		snap.SiteSince = prev.SiteSince
	}
	return snap, nil
}

// Parallel calls fn(i) for every i in [0, n), at most one call per CPU at
// a time, and returns when all calls have.
func Parallel(n int, fn func(i int)) {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range n {
		g.Go(func() error { fn(i); return nil })
	}
	g.Wait()
}

// pageKey fingerprints everything an entry's page shows.
func pageKey(siteKey string, e feed.Entry) string {
	h := sha256.New()
	for _, s := range []string{siteKey, e.ID, e.Title, e.Summary, e.Content, e.Author, strings.Join(e.Categories, "\x00"),
		e.Published.String(), e.Updated.String()} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, m := range e.Media { // where its links lead (see absoluteLinks)
		h.Write([]byte(m.Path))
		h.Write([]byte{0})
	}
	for _, s := range e.Seeds { // and those to other posts' pages
		h.Write([]byte(s.Path + "\x00" + s.ID))
		h.Write([]byte{0})
	}
	return string(h.Sum(nil))
}

// keepModTimes carries the modification times of files whose bytes have not
// changed over from prev, and dates every file with new bytes strictly after
// every file of prev and of the snapshots before it. So If-Modified-Since
// never matches bytes a client has not seen: two versions of a document
// made in the same second get Last-Modified a second apart.
func (s *Snapshot) keepModTimes(prev *Snapshot, now time.Time) {
	var floor time.Time
	if prev != nil {
		floor = prev.Newest
	}
	if floor.After(now.Add(time.Second)) {
		// The clock went back (a step of NTP, a VM resumed): waiting for
		// it to catch up with the last date would stop every swap, so the
		// dates start again from now.
		floor = now.UTC().Truncate(time.Second).Add(-time.Second)
	}
	s.Newest = floor
	for name, f := range s.Files {
		if prev != nil {
			if old, ok := prev.Files[name]; ok && (old == f || old.ETag == f.ETag) {
				f.ModTime = old.ModTime
				continue
			}
		}
		if !f.ModTime.After(floor) {
			f.ModTime = floor.Add(time.Second)
		}
		if f.ModTime.After(s.Newest) {
			s.Newest = f.ModTime
		}
	}
}

// Document renders the document of kind k at at, for entries newest first
// that carry their text as the feeds' budget allows (see feed.Budget),
// on its own: a category's, made on request. Its file is dated modTime.
func Document(site feed.Site, k feed.Kind, entries []feed.Entry, at feed.Place, now, modTime time.Time) (*File, error) {
	r, ok := renderers[k.Name]
	if !ok {
		return nil, fmt.Errorf("render: no renderer for %s", k.Name)
	}
	site, entries = clean(withIcon(site), entries)
	b, err := r(site, entries, now, at)
	if err != nil {
		return nil, err
	}
	return newFile(at.Path(k), b, modTime), nil
}

// Archive renders archive page at.Page of kind k, whose entries are given
// newest first. In an archive document every entry carries its summary
// and a link to its page, which has the whole text: whole texts would make
// the archive of a large folder several times the size of its pages, for
// readers that rarely walk past the first page. So entries need no text
// here. Like Page's, its file has no modification time.
func Archive(site feed.Site, k feed.Kind, entries []feed.Entry, at feed.Place, now time.Time) (*File, error) {
	r, ok := renderers[k.Name]
	if !ok {
		return nil, fmt.Errorf("render: no renderer for %s", k.Name)
	}
	brief := make([]feed.Entry, len(entries))
	for i, e := range entries {
		e.Content, e.Trimmed = "", true
		brief[i] = e
	}
	site, entries = clean(site, brief)
	b, err := r(withIcon(site), entries, now, at)
	if err != nil {
		return nil, err
	}
	f := newFile(at.Path(k), b, time.Time{})
	f.ModTime = time.Time{}
	return f, nil
}

// Page renders the page of one entry on its own, for an entry whose page
// no snapshot holds: an old one, or one past the feeds' byte budget. Its
// file has no modification time, as nothing dates its bytes: the site it
// is rendered for may have changed since the entry did.
func Page(site feed.Site, e feed.Entry) (*File, error) {
	site, es := clean(site, []feed.Entry{e})
	b, err := renderPage(withIcon(site), es[0])
	if err != nil {
		return nil, err
	}
	f := newFile(feed.PagePath(e.ID), b, time.Time{})
	f.ModTime = time.Time{}
	return f, nil
}

// Restore returns the snapshot of files that an earlier process rendered
// for site, as it was kept: with it as prev, the next RenderSince keeps
// the modification time of every file whose bytes are the same, and dates
// the others after Newest. Its entry pages are made again then, since what
// they were made from is not kept.
func Restore(site feed.Site, files map[string]*File, updated, newest, siteSince time.Time, archives int) *Snapshot {
	site, _ = clean(site, nil)
	return &Snapshot{Site: withIcon(site), Files: files, Updated: updated, Newest: newest, SiteSince: siteSince, Archive: archives}
}
