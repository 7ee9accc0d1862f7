package feed

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/state"
)

// benchEntries makes n entries from the sample seeds' text.
func benchEntries(b *testing.B, n int) []Entry {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "seeds", "*.txt"))
	var docs []extract.Doc
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		doc, err := extract.Extract(f, data)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, doc)
	}
	out := make([]Entry, n)
	for i := range out {
		rec := state.Record{ID: state.NameID(filepath.Join("bench", string(rune('a'+i%26)), time.Duration(i).String())),
			FirstSeen: t0.Add(-time.Duration(i) * time.Minute), Updated: t0}
		out[i] = NewEntry(rec, docs[i%len(docs)])
	}
	return out
}

// BenchmarkRender is the cost of one re-render of a 50-entry site: what a
// change to the folder costs, whatever the folder's size.
func BenchmarkRender(b *testing.B) {
	entries := benchEntries(b, 50)
	prev, err := Render(testSite, entries, t0)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		snap, err := RenderSince(testSite, entries, t0, prev)
		if err != nil {
			b.Fatal(err)
		}
		prev = snap
	}
}

// BenchmarkServe is the cost of one request for the Atom feed, plain,
// gzip, and 304.
func BenchmarkServe(b *testing.B) {
	snap, err := Render(testSite, benchEntries(b, 50), t0)
	if err != nil {
		b.Fatal(err)
	}
	h := NewHandler(snap, time.Minute, func() int { return 50 })
	for _, c := range []struct{ name, header, value string }{
		{"plain", "", ""}, {"gzip", "Accept-Encoding", "gzip"}, {"304", "If-None-Match", snap.Files[AtomPath].ETag},
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
