package render

import (
	"testing"

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
