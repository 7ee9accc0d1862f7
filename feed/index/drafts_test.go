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

// TestExpiredWhenRead: a post whose expiryDate has passed is withdrawn
// when its file is read after that, not at the moment itself (README says
// so): a rescan that finds the file as it was keeps it; a change to the
// file (a touch will do) takes it out.
func TestExpiredWhenRead(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	now := t0
	ix, _ := newTestIndex(t, dir, func() time.Time { return now }, nil)
	offer := filepath.Join(dir, "offer.md")
	text := "---\ntitle: An offer\ndate: 2026-10-01\nexpiryDate: " + t0.Add(time.Hour).Format(time.RFC3339) + "\n---\nUntil ten thirty.\n"
	feedtest.WriteAt(t, offer, text, t0.Add(-time.Hour))
	feedtest.Write(t, filepath.Join(dir, "post.md"), "# A post\n\nIt stays.\n")
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if got := entryPaths(t, ix); len(got) != 2 {
		t.Fatalf("before its expiryDate: entries %q; want the offer and the post", got)
	}
	now = t0.Add(2 * time.Hour)
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if got := entryPaths(t, ix); len(got) != 2 {
		t.Errorf("expired, its file unchanged: entries %q; want both still", got)
	}
	feedtest.WriteAt(t, offer, text, now)
	if err := ix.Update(ctx, []string{"offer.md"}); err != nil {
		t.Fatal(err)
	}
	if got := entryPaths(t, ix); len(got) != 1 || got[0] != "post.md" {
		t.Errorf("expired and read again: entries %q; want the post alone", got)
	}
}
