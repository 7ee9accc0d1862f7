package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestDraftMovedOutIsPublished: a post in Jekyll's _drafts folder is not
// published; moved to _posts under a dated name, it is, dated by its
// name; back in _drafts, it is withdrawn.
func TestDraftMovedOutIsPublished(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	ix, _ := newTestIndex(t, dir, feedtest.Fixed(t0), nil)
	draft, post := "_drafts/wip.md", "_posts/2024-06-01-wip.md"
	feedtest.Write(t, filepath.Join(dir, filepath.FromSlash(draft)), "---\ntitle: Work in progress\n---\nNot yet.\n")
	feedtest.Write(t, filepath.Join(dir, "_posts", "2024-01-02-other.md"), "# Another post\n\nIt is one.\n")
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if got := entryPaths(t, ix); len(got) != 1 || got[0] != "_posts/2024-01-02-other.md" {
		t.Fatalf("with the draft in _drafts: entries %q; want the other post alone", got)
	}
	move := func(from, to string) {
		t.Helper()
		if err := os.Rename(filepath.Join(dir, filepath.FromSlash(from)), filepath.Join(dir, filepath.FromSlash(to))); err != nil {
			t.Fatal(err)
		}
		if err := ix.Update(ctx, []string{from, to}); err != nil {
			t.Fatal(err)
		}
	}
	move(draft, post)
	all, err := ix.Entries(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Path != post || !all[0].Published.Equal(time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)) {
		var got []string
		for _, e := range all {
			got = append(got, e.Path+" "+e.Published.Format(time.RFC3339))
		}
		t.Fatalf("moved to %s: entries %q; want it first, published 2024-06-01", post, got)
	}
	move(post, draft)
	if got := entryPaths(t, ix); len(got) != 1 || got[0] != "_posts/2024-01-02-other.md" {
		t.Errorf("moved back to _drafts: entries %q; want the other post alone", got)
	}
}
