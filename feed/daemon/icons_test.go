package daemon

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/icon"
)

// fetch fetches path from p with a request header or none, and returns the
// response with its body read.
func fetch(t *testing.T, p *proc, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", p.url(path), nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
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
	return resp, b
}

// TestIconsAndAuthorsServed: the running daemon answers /favicon.ico, and
// a reader that asks again after a change, with the ETag it has, gets 304;
// a reload that sets a logo and an author puts them into the feeds at
// once; an entry's author is the one its credit line names.
func TestIconsAndAuthorsServed(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Debounce = 10 * time.Millisecond })
	p := start(t, e)
	builtin, _ := icon.Builtin()
	resp, body := fetch(t, p, "/favicon.ico")
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/x-icon" || !bytes.Equal(body, builtin.Body) || etag == "" {
		t.Fatalf("GET /favicon.ico = %d %q, %d bytes, ETag %q; want 200 image/x-icon, the built-in icon, an ETag",
			resp.StatusCode, resp.Header.Get("Content-Type"), len(body), etag)
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
	if resp, _ := fetch(t, p, "/favicon.ico", "If-None-Match", etag); resp.StatusCode != 304 {
		t.Errorf("GET /favicon.ico after a change, with its ETag = %d; want 304", resp.StatusCode)
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
	resp, body = fetch(t, p, "/logo.png")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(body, logo.Body) {
		t.Errorf("GET /logo.png after the reload = %d %q; want 200 image/png, the logo", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	feedtest.GetJSON(t, p.url("/feed.json"), &feed)
	if feed.Icon != p.url("/logo.png") || feed.Favicon != p.url("/icon.png") {
		t.Errorf("JSON Feed icon, favicon = %q, %q; want the logo and the built-in icon's PNG", feed.Icon, feed.Favicon)
	}
	if resp, _ := fetch(t, p, "/favicon.ico", "If-None-Match", etag); resp.StatusCode != 304 {
		t.Errorf("GET /favicon.ico after a reload that left it as it was = %d; want 304", resp.StatusCode)
	}
}
