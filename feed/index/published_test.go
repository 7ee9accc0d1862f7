package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestPublishedCount: PublishedCount counts what Published yields: not
// the entries scheduled (unless Future), nor those removed, and an entry
// once its date comes.
func TestPublishedCount(t *testing.T) {
	dir := t.TempDir()
	feedtest.Write(t, filepath.Join(dir, "a.md"), "---\ntitle: Now\ndate: 2026-01-01T00:00:00Z\n---\nText.\n")
	feedtest.Write(t, filepath.Join(dir, "b.md"), "---\ntitle: Later\ndate: 2026-03-01T00:00:00Z\n---\nText.\n")
	feedtest.Write(t, filepath.Join(dir, "c.md"), "---\ntitle: Before\ndate: 2025-06-01T00:00:00Z\n---\nText.\n")
	feedtest.Write(t, filepath.Join(dir, "d.md"), "---\ntitle: Gone\ndate: 2025-07-01T00:00:00Z\n---\nText.\n")
	for _, future := range []bool{false, true} {
		now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
		ix := newCategoryIndex(t, dir, &now, future)
		if err := ix.Rescan(context.Background()); err != nil {
			t.Fatal(err)
		}
		check := func(when string, want int) {
			t.Helper()
			n := 0
			for range ix.Published() {
				n++
			}
			if got := ix.PublishedCount(); got != n || n != want {
				t.Errorf("future %v, %s: PublishedCount() = %d, Published yields %d; want %d", future, when, got, n, want)
			}
		}
		if future {
			check("all indexed", 4)
		} else {
			check("one scheduled", 3)
		}
		if err := os.Remove(filepath.Join(dir, "d.md")); err != nil {
			t.Fatal(err)
		}
		if err := ix.Update(context.Background(), []string{"d.md"}); err != nil {
			t.Fatal(err)
		}
		if future {
			check("one removed", 3)
		} else {
			check("one removed, one scheduled", 2)
		}
		now = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		check("past the scheduled date", 3)
		feedtest.Write(t, filepath.Join(dir, "d.md"), "---\ntitle: Gone\ndate: 2025-07-01T00:00:00Z\n---\nText.\n")
	}
}
