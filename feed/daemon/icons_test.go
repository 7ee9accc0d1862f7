package daemon

import (
	"bytes"
	"image"
	"image/png"
	"path/filepath"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/icon"
)

// TestIconsAndAuthorsServed: the running daemon answers /favicon.ico, and
// a reader that asks again after a change, with the ETag it has, gets 304;
// a reload that sets a logo puts it into the feeds at once; an entry's
// author is the one its credit line names.
func TestIconsAndAuthorsServed(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Debounce = 10 * time.Millisecond })
	p := start(t, e)
	builtin, _ := icon.Builtin()
	status, body, h := fetchPage(t, p.url("/favicon.ico"))
	etag := h.Get("ETag")
	if status != 200 || h.Get("Content-Type") != "image/x-icon" || body != string(builtin.Body) || etag == "" {
		t.Fatalf("GET /favicon.ico = %d %q, %d bytes, ETag %q; want 200 image/x-icon, the built-in icon, an ETag",
			status, h.Get("Content-Type"), len(body), etag)
	}
	// A change to the folder: the feed changes, the icon does not.
	feedtest.Write(t, filepath.Join(e.seeds, "new.txt"), "A new entry\n\nIts body.\n\nReporting by Jane Doe; Editing by John Roe\n")
	var feed struct {
		Icon, Favicon string
		Items         []struct {
			Title   string
			Authors []struct{ Name string }
		}
	}
	feedtest.WaitFor(t, 10*time.Second, "the new entry in the feed", func() bool {
		feedtest.GetJSON(t, p.url("/feed.json"), &feed)
		return len(feed.Items) == 3
	})
	if status, _, _ := fetchPage(t, p.url("/favicon.ico"), "If-None-Match", etag); status != 304 {
		t.Errorf("GET /favicon.ico after a change, with its ETag = %d; want 304", status)
	}
	authors := map[string]string{}
	for _, it := range feed.Items {
		if len(it.Authors) == 1 {
			authors[it.Title] = it.Authors[0].Name
		}
	}
	if authors["A new entry"] != "Jane Doe" || len(authors) != 3 {
		t.Errorf("authors by title = %q; want Jane Doe for the new entry and the agency for the samples", authors)
	}
	// A reload sets a logo, as SIGHUP with a new config.
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 144, 72))); err != nil {
		t.Fatal(err)
	}
	logo, err := icon.Logo(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	opts := e.opts
	opts.Site.Logo = logo
	p.d.Reload(opts)
	status, body, h = fetchPage(t, p.url("/logo.png"))
	if status != 200 || h.Get("Content-Type") != "image/png" || body != string(logo.Body) {
		t.Errorf("GET /logo.png after the reload = %d %q; want 200 image/png, the logo", status, h.Get("Content-Type"))
	}
	feedtest.GetJSON(t, p.url("/feed.json"), &feed)
	if feed.Icon != p.url("/logo.png") || feed.Favicon != p.url("/icon.png") {
		t.Errorf("JSON Feed icon, favicon = %q, %q; want the logo and the built-in icon's PNG", feed.Icon, feed.Favicon)
	}
	if status, _, _ := fetchPage(t, p.url("/favicon.ico"), "If-None-Match", etag); status != 304 {
		t.Errorf("GET /favicon.ico after a reload that left it as it was = %d; want 304", status)
	}
}
