package index

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/source"
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

// TestExpiredAtItsTime: a post whose expiryDate has passed leaves the
// index without a change to its file. The store remembers the expiry, and
// Expiring names the post when it is due and says when the next one is;
// read again then (as a daemon's timer does), or found by a rescan, even
// of a fresh index over the same store (a restart), the post is removed
// and its ID is gone, so that its page answers 410 Gone.
func TestExpiredAtItsTime(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	now := t0
	clock := func() time.Time { return now }
	ix, store := newTestIndex(t, dir, clock, nil)
	text := func(title string, at time.Time) string {
		return "---\ntitle: " + title + "\ndate: 2026-10-01\nexpiryDate: " + at.Format(time.RFC3339) + "\n---\nUntil then.\n"
	}
	first, second := t0.Add(time.Hour), t0.Add(3*time.Hour)
	feedtest.WriteAt(t, filepath.Join(dir, "offer.md"), text("An offer", first), t0.Add(-time.Hour))
	feedtest.WriteAt(t, filepath.Join(dir, "sale.md"), text("A sale", second), t0.Add(-time.Hour))
	feedtest.Write(t, filepath.Join(dir, "post.md"), "# A post\n\nIt stays.\n")
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if got := entryPaths(t, ix); len(got) != 3 {
		t.Fatalf("before their expiryDates: entries %q; want the offer, the sale and the post", got)
	}
	due, next, err := ix.Expiring(time.Time{}, now)
	if err != nil || len(due) != 0 || !next.Equal(first) {
		t.Errorf("Expiring(zero, t0) = %q, %v, %v; want none due, the next at %v", due, next, err, first)
	}
	id := func(p string) string {
		rec, ok, err := store.Lookup(p)
		if err != nil || !ok {
			t.Fatalf("Lookup(%q) = %v, %v", p, ok, err)
		}
		return rec.ID
	}
	offerID, saleID := id("offer.md"), id("sale.md")

	// The offer's time comes: named due, read again, it goes.
	now = first
	due, next, err = ix.Expiring(t0, now)
	if err != nil || len(due) != 1 || due[0] != "offer.md" || !next.Equal(second) {
		t.Fatalf("Expiring(t0, first) = %q, %v, %v; want offer.md due, the next at %v", due, next, err, second)
	}
	if err := ix.Update(ctx, due); err != nil {
		t.Fatal(err)
	}
	if got := entryPaths(t, ix); len(got) != 2 || slices.Contains(got, "offer.md") {
		t.Errorf("the offer expired and read again: entries %q; want the sale and the post", got)
	}
	if _, p, err := ix.Find(offerID); p != Gone || err != nil {
		t.Errorf("Find(the offer's ID) = %v, %v; want Gone, so that its page answers 410", p, err)
	}

	// The sale's time passes while no index runs: a new index over the
	// store, as a restart makes, takes it out at its first rescan.
	now = second.Add(time.Minute)
	src := source.Source{Dir: dir, Include: []string{"*.txt", "*.md"}, MaxSize: 1 << 20}
	ix = New(src, store, Options{Now: clock})
	if err := ix.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if got := entryPaths(t, ix); len(got) != 1 || got[0] != "post.md" {
		t.Errorf("the sale expired while stopped, its file as it was: entries %q; want the post alone", got)
	}
	if _, p, err := ix.Find(saleID); p != Gone || err != nil {
		t.Errorf("Find(the sale's ID) = %v, %v; want Gone", p, err)
	}
	if due, next, err := ix.Expiring(time.Time{}, now); err != nil || len(due) != 0 || !next.IsZero() {
		t.Errorf("Expiring once both are gone = %q, %v, %v; want nothing remembered", due, next, err)
	}
}

// TestSkipsLoggedByReason: files kept out as no posts are logged a line
// for each reason, not a line each: a Hugo site holds an _index.md in
// every section. Posts expired on different dates share a line. A reason
// met once keeps its line of its own.
func TestSkipsLoggedByReason(t *testing.T) {
	dir := t.TempDir()
	var logs feedtest.SyncBuffer
	ix, _ := newTestIndex(t, dir, feedtest.Fixed(t0), slog.New(slog.NewTextHandler(&logs, nil)))
	for _, s := range []string{"docs", "blog", "news", "about"} {
		feedtest.Write(t, filepath.Join(dir, s, "_index.md"), "---\ntitle: "+s+"\n---\nA section.\n")
	}
	for _, d := range []string{"wip-1.md", "wip-2.md"} {
		feedtest.Write(t, filepath.Join(dir, "blog", d), "---\ntitle: Not yet\ndraft: true\n---\nSoon.\n")
	}
	for i, d := range []string{"2020-06-01", "2021-01-15"} { // a date each: one kind of reason
		feedtest.Write(t, filepath.Join(dir, "offers", fmt.Sprintf("offer-%d.md", i)), "---\ntitle: An offer\nexpiryDate: "+d+"\n---\nOver.\n")
	}
	feedtest.Write(t, filepath.Join(dir, "README.md"), "# The site\n\nHow to build it.\n")
	feedtest.Write(t, filepath.Join(dir, "blog", "post.md"), "# A post\n\nIt is one.\n")
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := entryPaths(t, ix); !slices.Equal(got, []string{"blog/post.md"}) {
		t.Fatalf("entries %q; want the post alone", got)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if strings.Contains(l, "msg=skipping") || strings.Contains(l, `msg="skipping`) {
			lines = append(lines, l)
		}
	}
	want := []string{`files=4 first=about/_index.md reason="a section's list page`, `files=2 first=blog/wip-1.md reason=draft`,
		`files=2 first=offers/offer-0.md reason="expired (its expiryDate)"`, `msg="skipping file" path=README.md`}
	if len(lines) != len(want) {
		t.Fatalf("%d lines say what was skipped; want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	for _, w := range want {
		if !strings.Contains(logs.String(), w) {
			t.Errorf("no line says %s:\n%s", w, strings.Join(lines, "\n"))
		}
	}
}
