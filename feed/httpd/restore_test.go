package httpd

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/render"
)

// oldPage is the page of an entry that no snapshot holds.
const oldPage = "/entry/00000000-0000-4000-8000-000000000000.html"

// restoredHandler returns a handler serving, as Restore does, the
// snapshot of two entries, whose older pages come from pages.
func restoredHandler(t *testing.T, pages Pages) (*Handler, *render.Snapshot) {
	t.Helper()
	h, snap, _ := newTestHandler(t)
	h.SetPages(pages, func(*render.Snapshot, feed.Kind, int) Page { return Page{Status: PageNotFound} },
		func(*render.Snapshot, string) Page { return Page{Status: PageNotFound} })
	kept := render.Restore(snap.Site, snap.Files, snap.Updated, snap.Newest, snap.SiteSince, 1)
	h.Restore(kept, 2)
	return h, kept
}

// TestRestoredSnapshotIsServed: a restored snapshot's files are served
// with the validators they had, so readers' stored ones get 304; /healthz
// counts no render yet and the entries it was rendered with.
func TestRestoredSnapshotIsServed(t *testing.T) {
	h, snap := restoredHandler(t, nil)
	if !h.Restored() {
		t.Fatal("Restored() = false after Restore; want true")
	}
	w := do(h, "GET", "/feed.atom")
	if w.Code != 200 || w.Body.String() != string(snap.Files["feed.atom"].Body) || w.Header().Get("ETag") != snap.Files["feed.atom"].ETag {
		t.Errorf("GET /feed.atom = %d, ETag %s; want 200 with the restored bytes and ETag %s", w.Code, w.Header().Get("ETag"), snap.Files["feed.atom"].ETag)
	}
	if w := do(h, "GET", "/feed.atom", "If-None-Match", snap.Files["feed.atom"].ETag); w.Code != 304 {
		t.Errorf("GET /feed.atom with the restored ETag = %d; want 304", w.Code)
	}
	lm := snap.Files["feed.rss"].ModTime.UTC().Format(http.TimeFormat)
	if w := do(h, "GET", "/feed.rss", "If-Modified-Since", lm); w.Code != 304 {
		t.Errorf("GET /feed.rss If-Modified-Since its restored date = %d; want 304", w.Code)
	}
	var got Health
	if err := json.Unmarshal(do(h, "GET", "/healthz").Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Renders != 0 || got.Published != 2 {
		t.Errorf("/healthz = %+v; want 0 renders, 2 published", got)
	}
}

// TestRestoredSnapshotHoldsWhatNeedsTheIndex: while the snapshot is a
// restored one, an entry page it does not hold, an archive page and a
// picture wait for the first Swap, up to warmWait, then get 503 with
// Retry-After; after the Swap they are answered from the new snapshot.
func TestRestoredSnapshotHoldsWhatNeedsTheIndex(t *testing.T) {
	var asked []feed.Site
	pages := func(site feed.Site, id string) Page {
		asked = append(asked, site)
		return Page{Status: PageGone}
	}
	h, snap := restoredHandler(t, pages)
	h.SetMedia(func(string) (MediaFile, bool) { return MediaFile{}, false })
	h.warmWait = time.Millisecond
	for _, path := range []string{oldPage, "/archive/1.atom", "/category/x/feed.atom", "/media/a.png"} {
		w := do(h, "GET", path)
		if w.Code != 503 || w.Header().Get("Retry-After") != retryWarm {
			t.Errorf("GET %s while restored = %d, Retry-After %q; want 503, %s", path, w.Code, w.Header().Get("Retry-After"), retryWarm)
		}
	}
	if len(asked) != 0 {
		t.Errorf("Pages was asked %d times before the index was there; want none", len(asked))
	}
	// The restored snapshot's own pages need no index.
	for name := range snap.Files {
		if _, ok := feed.PageID(name); ok {
			if w := do(h, "GET", "/"+name); w.Code != 200 {
				t.Errorf("GET /%s, a page of the restored snapshot, = %d; want 200", name, w.Code)
			}
		}
	}

	h.warmWait = time.Hour
	done := make(chan int)
	go func() { done <- do(h, "GET", oldPage).Code }()
	next := *snap
	next.Site.Title = "after the index"
	h.Swap(&next, 3)
	if code := <-done; code != 410 {
		t.Errorf("GET %s across the first Swap = %d; want the 410 Pages says", oldPage, code)
	}
	if len(asked) != 1 || asked[0].Title != "after the index" {
		var titles []string
		for _, s := range asked {
			titles = append(titles, s.Title)
		}
		t.Errorf("Pages was asked for the sites titled %q; want once, for the swapped snapshot's", titles)
	}
	if h.Restored() {
		t.Error("Restored() = true after a Swap; want false")
	}
}

// TestArchiveNotLaidOutYet: while a first index fills, the snapshot's
// archive is not laid out (-1 pages): an archive page is asked of Archives,
// which says to come back (503), rather than answered 404, which would
// tell a reader that followed an old link that the page is gone.
func TestArchiveNotLaidOutYet(t *testing.T) {
	h, snap, _ := newTestHandler(t)
	asked := 0
	h.SetPages(func(feed.Site, string) Page { return Page{Status: PageNotFound} },
		func(*render.Snapshot, feed.Kind, int) Page { asked++; return Page{Status: PageUnavailable} },
		func(*render.Snapshot, string) Page { return Page{Status: PageNotFound} })
	filling := *snap
	filling.Archive = -1
	h.Swap(&filling, 2)
	if w := do(h, "GET", "/archive/3.atom"); w.Code != http.StatusServiceUnavailable || asked != 1 {
		t.Errorf("GET /archive/3.atom while the archive is not laid out = %d, Archives asked %d times; want 503 from Archives", w.Code, asked)
	}
}
