package daemon

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/state"
)

// fetchPage gets url with the request headers given ("If-None-Match",
// etag, ...) and returns the status, the body and the response headers.
func fetchPage(t *testing.T, url string, headers ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// TestEveryEntryHasItsPage: an entry that has left the feed keeps its page
// at its link, rendered on request, cached with a strong ETag, showing its
// latest text; a removed entry's page answers 410, an unknown one 404.
func TestEveryEntryHasItsPage(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Site.Limit = 2 })
	p := start(t, e)
	for i := range 4 {
		feedtest.Write(t, filepath.Join(e.seeds, fmt.Sprintf("old%d.txt", i)), fmt.Sprintf("Old story %d\n\nThe text of old story %d, long gone from the feed.\n", i, i))
		feedtest.WaitFor(t, 10*time.Second, "the story indexed", func() bool { return getHealth(t, p).Published == 3+i })
	}
	oldest := p.url("/" + feed.PagePath(p.id("old0.txt")))
	for _, it := range getFeed(t, p).Items {
		if it.URL == oldest {
			t.Fatalf("the oldest story is still in the feed of 2: %v", getFeed(t, p).Items)
		}
	}

	status, body, hdr := fetchPage(t, oldest)
	if status != http.StatusOK || !strings.Contains(body, "The text of old story 0") {
		t.Fatalf("GET the oldest page = %d %q; want 200 with its text", status, body)
	}
	etag := hdr.Get("Etag")
	if !strings.HasPrefix(etag, `"`) || hdr.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("page headers %v; want a strong ETag and text/html", hdr)
	}
	if status, _, _ := fetchPage(t, oldest, "If-None-Match", etag); status != http.StatusNotModified {
		t.Errorf("GET with its ETag = %d; want 304", status)
	}
	if status, _, _ := fetchPage(t, oldest, "If-Modified-Since", time.Now().UTC().Format(http.TimeFormat)); status != http.StatusOK {
		t.Errorf("GET with only If-Modified-Since = %d; want 200: nothing dates a cold page's bytes", status)
	}

	// An edit shows at once on the page, however it was cached.
	feedtest.Write(t, filepath.Join(e.seeds, "old0.txt"), "Old story 0\n\nThe text of old story 0, edited since.\n")
	feedtest.WaitFor(t, 10*time.Second, "the edit on the page", func() bool {
		_, body, _ := fetchPage(t, oldest)
		return strings.Contains(body, "edited since")
	})

	if err := os.Remove(filepath.Join(e.seeds, "old0.txt")); err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 10*time.Second, "the removal indexed", func() bool { return getHealth(t, p).Indexed == 5 })
	if status, _, _ := fetchPage(t, oldest); status != http.StatusGone {
		t.Errorf("GET a removed entry's page = %d; want 410", status)
	}
	for _, path := range []string{"/" + feed.PagePath(p.id("never.txt")), "/entry/not-a-uuid.html", "/entry/" + strings.ToUpper(strings.TrimPrefix(p.id("old1.txt"), "urn:uuid:")) + ".html"} {
		if status, _, _ := fetchPage(t, p.url(path)); status != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", path, status)
		}
	}
}

// TestReloadedBaseURLNamesNewIDs: after a reload moves the site to a new
// base URL, an entry seen before keeps its ID, which readers hold, and a
// file seen after gets an ID of the new site.
func TestReloadedBaseURLNamesNewIDs(t *testing.T) {
	e := newEnv(t, nil)
	feedtest.Write(t, filepath.Join(e.seeds, "before.txt"), "Before\n\nSeen on the old site.\n")
	p := start(t, e)
	before := p.id("before.txt")
	if before != state.NameID("before.txt") {
		t.Errorf("with no base_url the ID of before.txt is %s; want NameID's %s, whatever the listen address", before, state.NameID("before.txt"))
	}
	opts := e.opts
	opts.Site.BaseURL = "https://moved.example/news/"
	p.d.Reload(opts)
	feedtest.Write(t, filepath.Join(e.seeds, "after.txt"), "After\n\nSeen on the new site.\n")
	feedtest.WaitFor(t, 10*time.Second, "the new file in the feed", func() bool {
		_, ok := byTitle(getFeed(t, p), "After")
		return ok
	})
	doc := getFeed(t, p)
	old, _ := byTitle(doc, "Before")
	added, _ := byTitle(doc, "After")
	if old.ID != before || added.ID != state.SiteID("https://moved.example/news/", "after.txt") {
		t.Errorf("IDs after the move: before.txt %s, after.txt %s; want %s (kept) and the new site's %s",
			old.ID, added.ID, before, state.SiteID("https://moved.example/news/", "after.txt"))
	}
	p.stop(t)
}
