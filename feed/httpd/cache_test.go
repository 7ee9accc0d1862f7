package httpd

import (
	"bytes"
	"compress/gzip"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/render"
)

// TestCacheKeepsGzipOnly: a cold page that compresses is cached as its
// gzip form alone, a fraction of its size, and still served whole to a
// reader that takes gzip and to one that does not, with the same
// validators, and made once.
func TestCacheKeepsGzipOnly(t *testing.T) {
	h, _, _ := newTestHandler(t)
	body := []byte(strings.Repeat("<entry>An old entry, a page no snapshot holds.</entry>\n", 2000))
	made := 0
	h.SetPages(func(feed.Site, string) Page {
		return Page{Status: PageOK, Key: "one", Make: func() (*render.File, PageStatus) {
			made++
			return &render.File{Body: bytes.Clone(body), Type: "text/html; charset=utf-8", ETag: `"old"`}, PageOK
		}}
	}, func(*render.Snapshot, feed.Kind, int) Page { return Page{Status: PageNotFound} },
		func(*render.Snapshot, string) Page { return Page{Status: PageNotFound} })

	for _, accept := range []string{"gzip", "", "gzip", "identity"} {
		w := do(h, "GET", oldPage, "Accept-Encoding", accept)
		got := w.Body.Bytes()
		if w.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			if got, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		} else if w.Header().Get("ETag") != `"old"` || w.Header().Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("GET %s (Accept-Encoding %q): ETag %s, Content-Length %s; want \"old\", %d", oldPage, accept, w.Header().Get("ETag"), w.Header().Get("Content-Length"), len(body))
		}
		if w.Code != 200 || !bytes.Equal(got, body) {
			t.Errorf("GET %s (Accept-Encoding %q) = %d with %d bytes; want 200 with the page's %d", oldPage, accept, w.Code, len(got), len(body))
		}
	}
	if made != 1 {
		t.Errorf("the page was made %d times; want once, then served from the cache", made)
	}
	if h.cache.bytes > len(body)/8 {
		t.Errorf("the cache holds %d bytes for a page of %d that compresses; want its gzip form alone", h.cache.bytes, len(body))
	}
}
