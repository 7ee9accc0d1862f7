package feed

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/state"
)

// TestScanMatchesWalk checks Scan against a plain walk of the same tree: a
// folder large enough to be stat-ed in several batches, folders whose files
// interleave in path order ("a/b/..." sorts between "a/a.txt" and
// "a/c.txt", "a-b/..." before "a/..."), and what Scan must leave out.
func TestScanMatchesWalk(t *testing.T) {
	dir := t.TempDir()
	for i := range 3*statBatch + 7 {
		write(t, filepath.Join(dir, "big", fmt.Sprintf("%05d.txt", i)), strings.Repeat("x", i%97))
	}
	for _, f := range []string{"root.txt", "a/a.txt", "a/c.txt", "a/b/y.txt", "a/b/z/deep.md", "a-b/x.txt",
		"a.b/w.txt", ".hidden/h.txt", "a/.cache/c.txt", "a/skip.pdf", "a/c.txt~"} {
		write(t, filepath.Join(dir, f), "text of "+f)
	}
	if err := os.Symlink(filepath.Join(dir, "a"), filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	src := Source{Dir: dir, Include: []string{"*.txt", "*.md"}}
	var want []Found
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() && rel != "." && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || !src.Wants(rel) {
			return nil
		}
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		want = append(want, Found{Path: rel, Stamp: fileStamp{size: fi.Size(), modTime: fi.ModTime().UTC()}, StampOK: true})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(want, byPath) // the walk goes folder by folder
	got, err := src.Scan(true)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("Scan found %d files; want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Scan()[%d] = %+v; want %+v", i, got[i], want[i])
		}
	}
	paths, err := src.List()
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if paths[i] != want[i].Path {
			t.Fatalf("List()[%d] = %q; want %q", i, paths[i], want[i].Path)
		}
	}
}

// entryPaths returns the paths of every entry, newest first.
func entryPaths(t *testing.T, ix *Index) []string {
	t.Helper()
	all, err := ix.Entries(0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range all {
		out = append(out, e.Path)
	}
	return out
}

// TestWarmIndexTakesChanges: an index made from a warm store holds its
// items in the flat form until the first change; that change and those after
// it must leave the same entries, in the same order, as an index that took
// every change one at a time.
func TestWarmIndexTakesChanges(t *testing.T) {
	dir := t.TempDir()
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	src := Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	ctx := context.Background()
	now := t0
	clock := func() time.Time { return now }
	live := NewIndex(src, store, IndexOptions{Now: clock})
	for i := range 30 { // one file a minute: a total order by date
		now = t0.Add(time.Duration(i) * time.Minute)
		write(t, filepath.Join(dir, fmt.Sprintf("f%02d.txt", i)), fmt.Sprintf("Title %d\n\nBody.", i))
		if err := live.Update(ctx, []string{fmt.Sprintf("f%02d.txt", i)}); err != nil {
			t.Fatal(err)
		}
	}
	warm := NewIndex(src, store, IndexOptions{Now: clock})
	if err := warm.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if warm.Reads() != 0 {
		t.Errorf("a warm rescan read %d files; want 0", warm.Reads())
	}
	if got, want := entryPaths(t, warm), entryPaths(t, live); !reflect.DeepEqual(got, want) {
		t.Fatalf("warm index = %q; want %q", got, want)
	}
	// Changes: one file removed, one made new, one edited.
	now = t0.Add(time.Hour)
	write(t, filepath.Join(dir, "new.txt"), "Brand new\n\nBody.")
	write(t, filepath.Join(dir, "f03.txt"), "Title 3, edited\n\nBody.")
	if err := os.Remove(filepath.Join(dir, "f07.txt")); err != nil {
		t.Fatal(err)
	}
	change := []string{"new.txt", "f03.txt", "f07.txt"}
	if err := warm.Update(ctx, change); err != nil {
		t.Fatal(err)
	}
	got := entryPaths(t, warm)
	if len(got) != 30 || got[0] != "new.txt" || warm.Len() != 30 {
		t.Fatalf("after the changes: %d entries, Len %d, newest %q; want 30, 30 and new.txt", len(got), warm.Len(), got[0])
	}
	for _, p := range got {
		if p == "f07.txt" {
			t.Errorf("removed file f07.txt is still an entry")
		}
	}
	// What the changed index holds must agree with the store: an index
	// loaded from the store afresh gives the same entries in the same order.
	again := NewIndex(src, store, IndexOptions{Now: clock})
	if err := again.Load(); err != nil {
		t.Fatal(err)
	}
	again.Settle()
	if want := entryPaths(t, again); !reflect.DeepEqual(got, want) {
		t.Errorf("entries after changes = %q; want %q", got, want)
	}
}

// TestColdIndexWithBadFile: a first index goes flat even when a file fails;
// mending that file later adds it exactly once.
func TestColdIndexWithBadFile(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		write(t, filepath.Join(dir, fmt.Sprintf("f%d.txt", i)), fmt.Sprintf("Title %d\n\nBody.", i))
	}
	write(t, filepath.Join(dir, "bad.txt"), "")
	ix, _ := newTestIndex(t, dir, fixed(t0), nil)
	ctx := context.Background()
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 5 {
		t.Fatalf("%d entries with one empty file among six; want 5", ix.Len())
	}
	write(t, filepath.Join(dir, "bad.txt"), "Mended\n\nBody.")
	for range 2 {
		if err := ix.Update(ctx, []string{"bad.txt"}); err != nil {
			t.Fatal(err)
		}
	}
	got := entryPaths(t, ix)
	n := 0
	for _, p := range got {
		if p == "bad.txt" {
			n++
		}
	}
	if len(got) != 6 || n != 1 || ix.Len() != 6 {
		t.Errorf("entries %q (Len %d); want six, bad.txt once", got, ix.Len())
	}
}

// TestRescanInTwoParts: a folder large enough to be compared with the store
// in two halves at once; changes on both sides of the split and near it
// must all be found, and nothing else read.
func TestRescanInTwoParts(t *testing.T) {
	dir := t.TempDir()
	n := 2*applyChunk + 10
	name := func(i int) string { return fmt.Sprintf("f%05d.txt", i) }
	for i := range n {
		write(t, filepath.Join(dir, name(i)), fmt.Sprintf("Title %d\n\nBody.", i))
	}
	ix, store := newTestIndex(t, dir, fixed(t0), nil)
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Near the split, which falls about the middle file, one file goes.
	mid := n / 2
	for _, i := range []int{3, mid + 3} { // edited: new size
		write(t, filepath.Join(dir, name(i)), fmt.Sprintf("Title %d, edited\n\nBody.", i))
	}
	for _, i := range []int{5, mid - 2, n - 1} {
		if err := os.Remove(filepath.Join(dir, name(i))); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(dir, "a-new.txt"), "New\n\nBody.")
	src := Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	again := NewIndex(src, store, IndexOptions{Now: fixed(t0.Add(time.Hour))})
	if err := again.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if again.Reads() != 3 || again.Len() != n-2 {
		t.Errorf("rescan read %d files and holds %d entries; want 3 and %d", again.Reads(), again.Len(), n-2)
	}
	top, err := again.Entries(3)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range top {
		titles = append(titles, e.Title)
	}
	if len(titles) != 3 || titles[0] != "New" {
		t.Errorf("newest entries = %q; want the new file first", titles)
	}
	recs, err := store.Records()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n-2 {
		t.Errorf("%d live records; want %d", len(recs), n-2)
	}
}
