package render

import (
	"testing"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// BenchmarkRender is the cost of one re-render of a 50-entry site: what a
// change to the folder costs, whatever the folder's size.
func BenchmarkRender(b *testing.B) {
	entries := feedtest.Entries(b, 50)
	prev, err := Render(testSite, entries, t0)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		snap, err := RenderSince(testSite, entries, 0, t0, prev)
		if err != nil {
			b.Fatal(err)
		}
		prev = snap
	}
}

// BenchmarkPage is the cost of one entry's page: a cold build renders one
// for every file.
func BenchmarkPage(b *testing.B) {
	entries := feedtest.Entries(b, 2)
	b.ReportAllocs()
	for i := range b.N {
		if _, err := Page(testSite, entries[i%2]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkArchivePage is the cost of one archive page in each kind: a
// cold build renders one for every hundred files or so.
func BenchmarkArchivePage(b *testing.B) {
	entries := feedtest.Entries(b, 100)
	at := feed.Place{Page: 3, Pages: 9}
	b.ReportAllocs()
	for range b.N {
		for _, k := range feed.Kinds {
			if _, err := Archive(testSite, k, entries, at, t0); err != nil {
				b.Fatal(err)
			}
		}
	}
}
