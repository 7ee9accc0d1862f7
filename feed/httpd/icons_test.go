package httpd

import (
	"bytes"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/icon"
	"github.com/seedfeed/seedfeed/feed/render"
)

// TestIcons: favicon.ico, which readers ask for after every change, is
// served like every file of the snapshot: its type, a strong ETag, a
// max-age, 304 when the reader has it; a picture not set is 404.
func TestIcons(t *testing.T) {
	h, _, _ := newTestHandler(t)
	builtinICO, builtinPNG := icon.Builtin()
	for path, want := range map[string]struct {
		typ  string
		body []byte
	}{"/favicon.ico": {"image/x-icon", builtinICO.Body}, "/icon.png": {"image/png", builtinPNG.Body}} {
		w := do(h, "GET", path)
		if w.Code != 200 || w.Header().Get("Content-Type") != want.typ || !bytes.Equal(w.Body.Bytes(), want.body) {
			t.Errorf("GET %s = %d %q, %d bytes; want 200 %s, the built-in icon", path, w.Code, w.Header().Get("Content-Type"), w.Body.Len(), want.typ)
		}
		etag := w.Header().Get("ETag")
		if len(etag) < 3 || etag[0] != '"' || w.Header().Get("Cache-Control") != "public, max-age=300" || w.Header().Get("Last-Modified") == "" {
			t.Errorf("GET %s headers %v; want a strong ETag, Cache-Control and Last-Modified", path, w.Header())
		}
		if w := do(h, "GET", path, "If-None-Match", etag); w.Code != 304 || w.Body.Len() != 0 {
			t.Errorf("GET %s with its ETag = %d; want 304", path, w.Code)
		}
		if w := do(h, "HEAD", path); w.Code != 200 || w.Body.Len() != 0 {
			t.Errorf("HEAD %s = %d with %d bytes; want 200 and no body", path, w.Code, w.Body.Len())
		}
	}
	for _, path := range []string{"/logo.png", "/logo.gif", "/logo.jpg"} {
		if w := do(h, "GET", path); w.Code != 404 {
			t.Errorf("GET %s with no logo set = %d; want 404", path, w.Code)
		}
	}
	// A logo set is served at its path.
	site := testSite
	logo, err := icon.Logo(builtinPNG.Body)
	if err != nil {
		t.Fatal(err)
	}
	site.Logo = logo
	snap, err := render.Render(site, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	h = NewHandler(snap, time.Minute, func() Status { return Status{} })
	if w := do(h, "GET", "/logo.png"); w.Code != 200 || w.Header().Get("Content-Type") != "image/png" || !bytes.Equal(w.Body.Bytes(), logo.Body) {
		t.Errorf("GET /logo.png = %d %q; want 200 image/png, the logo", w.Code, w.Header().Get("Content-Type"))
	}
}
