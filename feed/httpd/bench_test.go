package httpd

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/render"
)

// BenchmarkServe is the cost of one request for the Atom feed, plain,
// gzip, and 304.
func BenchmarkServe(b *testing.B) {
	snap, err := render.Render(testSite, feedtest.Entries(b, 50), t0)
	if err != nil {
		b.Fatal(err)
	}
	h := NewHandler(snap, time.Minute, func() Status { return Status{Indexed: 50} })
	for _, c := range []struct{ name, header, value string }{
		{"plain", "", ""}, {"gzip", "Accept-Encoding", "gzip"}, {"304", "If-None-Match", snap.Files[feed.Atom.Path].ETag},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/feed.atom", nil)
			if c.header != "" {
				r.Header.Set(c.header, c.value)
			}
			w := &discardWriter{h: make(http.Header, 12)}
			b.ReportAllocs()
			for range b.N {
				clear(w.h)
				h.ServeHTTP(w, r)
			}
		})
	}
}

type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}
