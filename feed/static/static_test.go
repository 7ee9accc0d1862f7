package static

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/seedfeed/seedfeed/feed/render"
)

// run is one run of a Writer over dir: the groups, then a snapshot of one
// feed. It returns how many groups were rendered.
func run(t *testing.T, dir string, groups []Group) int {
	t.Helper()
	w := newWriter(t, dir, groups)
	if err := w.Groups(context.Background(), groups); err != nil {
		t.Fatal(err)
	}
	n, err := w.Finish(oneFeed, "stamp")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// oneFeed is the snapshot of run: one feed.
var oneFeed = &render.Snapshot{Files: map[string]*render.File{"feed.atom": {Body: []byte("<feed/>")}}}

// newWriter starts a run over dir that writes groups and oneFeed.
func newWriter(t *testing.T, dir string, groups []Group) *Writer {
	t.Helper()
	names := []string{"feed.atom"}
	for _, g := range groups {
		names = append(names, g.Names...)
	}
	w, err := NewWriter(dir, slices.Values(names))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// group is a group whose files say which key made them.
func group(key string, names ...string) Group {
	return Group{Names: names, Key: key, Render: func() ([][]byte, error) {
		var out [][]byte
		for _, n := range names {
			out = append(out, []byte(n+" from "+key))
		}
		return out, nil
	}}
}

const (
	key1 = "0123456789abcdef0123456789abcdef"
	key2 = "fedcba9876543210fedcba9876543210"
)

func manifestLines(t *testing.T, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, Manifest))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	slices.Sort(lines)
	return lines
}

// TestWriterRendersWhatChanged: a group whose key the manifest holds for
// each of its files is not rendered again, also when an older seedfeed
// wrote the manifest, with longer keys; one whose key changed is.
func TestWriterRendersWhatChanged(t *testing.T) {
	dir := t.TempDir()
	if n := run(t, dir, []Group{group(key1, "a/1.html", "a/2.html"), group(key1, "b.html")}); n != 2 {
		t.Errorf("first run rendered %d groups; want 2", n)
	}
	want := []string{"a/1.html\t0123456789abcdef", "a/2.html\t0123456789abcdef", "b.html\t0123456789abcdef", "feed.atom"}
	if got := manifestLines(t, dir); !slices.Equal(got, want) {
		t.Errorf("manifest = %q; want %q", got, want)
	}
	if n := run(t, dir, []Group{group(key1, "a/1.html", "a/2.html"), group(key2, "b.html")}); n != 1 {
		t.Errorf("second run, one key changed, rendered %d groups; want 1", n)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "b.html")); string(b) != "b.html from "+key2 {
		t.Errorf("b.html = %q after its key changed", b)
	}

	// The manifest as an older seedfeed wrote it: keys of 32 digits.
	old := "a/1.html\t" + key1 + "\na/2.html\t" + key1 + "\nb.html\t" + key2 + "\nfeed.atom\n"
	if err := os.WriteFile(filepath.Join(dir, Manifest), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if n := run(t, dir, []Group{group(key1, "a/1.html", "a/2.html"), group(key2, "b.html")}); n != 0 {
		t.Errorf("a run over an older manifest, nothing changed, rendered %d groups; want 0", n)
	}
}

// TestWriterRemovesOnlyItsOwnFiles: a file of the last run that this one
// does not write is removed; a file seedfeed did not write is never
// removed nor overwritten.
func TestWriterRemovesOnlyItsOwnFiles(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, []Group{group(key1, "a/1.html"), group(key1, "a/2.html")})
	foreign := filepath.Join(dir, "a", "3.html")
	if err := os.WriteFile(foreign, []byte("by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, []Group{group(key1, "a/1.html")})
	if _, err := os.Stat(filepath.Join(dir, "a", "2.html")); !os.IsNotExist(err) {
		t.Errorf("a/2.html, of the last run only: Stat = %v; want it removed", err)
	}
	if b, err := os.ReadFile(foreign); string(b) != "by hand" {
		t.Errorf("a/3.html, not seedfeed's: %q, %v; want it untouched", b, err)
	}
	if got, want := manifestLines(t, dir), []string{"a/1.html\t0123456789abcdef", "feed.atom"}; !slices.Equal(got, want) {
		t.Errorf("manifest = %q; want %q", got, want)
	}

	_, err := NewWriter(dir, slices.Values([]string{"a/1.html", "a/3.html"}))
	if err == nil || !strings.Contains(err.Error(), foreign+" is in the way") {
		t.Errorf("NewWriter over a file seedfeed did not write = %v; want it in the way", err)
	}
	if b, _ := os.ReadFile(foreign); string(b) != "by hand" {
		t.Errorf("a/3.html = %q; want it untouched", b)
	}
}

// TestWriterReadsAnyManifest: a manifest that is empty, or holds no line
// seedfeed reads (cut short, written by hand), counts as none: a run
// writes its files over it.
func TestWriterReadsAnyManifest(t *testing.T) {
	for _, manifest := range []string{"", "../x\n/abs\n"} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, Manifest), []byte(manifest), 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, dir, []Group{group(key1, "a/1.html")})
		if _, err := os.Stat(filepath.Join(dir, "a", "1.html")); err != nil {
			t.Errorf("over the manifest %q: %v; want a/1.html written", manifest, err)
		}
	}
}

// TestCurrentNeedsTheManifest: a folder whose manifest is lost or emptied
// is not current, whatever its stamp says, so that the run checks its
// files and says at once which it no longer knows as its own.
func TestCurrentNeedsTheManifest(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, []Group{group(key1, "a/1.html")})
	for _, f := range []string{Stamp, Manifest} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("stamp"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !Current(dir, "stamp") {
		t.Fatal("Current = false with the stamp and a manifest; want true")
	}
	for _, lose := range []func() error{
		func() error { return os.WriteFile(filepath.Join(dir, Manifest), nil, 0o644) },
		func() error { return os.Remove(filepath.Join(dir, Manifest)) },
	} {
		if err := lose(); err != nil {
			t.Fatal(err)
		}
		if Current(dir, "stamp") {
			t.Error("Current = true with the manifest lost or emptied; want false")
		}
	}
}

// TestWriterListsFilesFirst: the files of a run are in the manifest before
// any is written, with those of the last run, so that a run cut short
// forgets none of them.
func TestWriterListsFilesFirst(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, []Group{group(key1, "a/1.html")})
	if _, err := NewWriter(dir, slices.Values([]string{"b/1.html", "b/1.html", "b/2.html"})); err != nil {
		t.Fatal(err)
	}
	want := []string{"a/1.html\t0123456789abcdef", "b/1.html", "b/2.html", "feed.atom"}
	if got := manifestLines(t, dir); !slices.Equal(got, want) {
		t.Errorf("manifest before any file is written = %q; want %q", got, want)
	}
}

// TestWriterHeapPerFile: a Writer holds little for each file it knows of,
// whatever the length of its path: at a million files, a map of paths
// would hold hundreds of megabytes.
func TestWriterHeapPerFile(t *testing.T) {
	const files = 100_000
	names := func(yield func(string) bool) {
		for i := range files {
			if !yield(fmt.Sprintf("entry/%08d-0000-4000-8000-000000000000.html", i)) {
				return
			}
		}
	}
	dir := t.TempDir()
	before := heapAlloc()
	w, err := NewWriter(dir, names)
	if err != nil {
		t.Fatal(err)
	}
	after := heapAlloc()
	per := (int64(after) - int64(before)) / files
	t.Logf("heap per file: %d bytes", per)
	if per > 40 {
		t.Errorf("heap per file = %d bytes; want at most 40", per)
	}
	runtime.KeepAlive(w)
}

func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestWriterStopsWhenCanceled: a run whose context is done starts no other
// group, and Abort leaves the folder as a run that the next one goes on
// from: what was written keeps its new key, what was not its old one,
// the last run's files stay, the feeds are not written and no temporary
// file is left. The next run renders only what the first did not.
func TestWriterStopsWhenCanceled(t *testing.T) {
	dir := t.TempDir()
	n := 2*2*runtime.GOMAXPROCS(0) + 40 // more than the workers, which may all start before the cancel
	var groups []Group
	for i := range n {
		groups = append(groups, group(key1, fmt.Sprintf("p/%d.html", i)))
	}
	run(t, dir, append(slices.Clone(groups), group(key1, "old.html")))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	rendered := map[string]bool{}
	for i := range groups {
		g := group(key2, groups[i].Names...)
		groups[i].Key, groups[i].Render = key2, func() ([][]byte, error) {
			mu.Lock()
			rendered[g.Names[0]] = true
			mu.Unlock()
			if i == 5 {
				cancel()
			}
			return g.Render()
		}
	}
	w := newWriter(t, dir, groups)
	if err := w.Groups(ctx, groups); !errors.Is(err, context.Canceled) {
		t.Fatalf("Groups with its context canceled = %v; want context.Canceled", err)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if len(rendered) >= n {
		t.Fatalf("rendered %d groups of %d after the cancel at the sixth; want the rest left", len(rendered), n)
	}
	want := []string{"feed.atom", "old.html\t0123456789abcdef"}
	for _, g := range groups {
		name, key := g.Names[0], key1
		if rendered[name] {
			key = key2
		}
		want = append(want, name+"\t"+key[:16])
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(b) != name+" from "+key {
			t.Errorf("%s = %q, %v; want %q", name, b, err, name+" from "+key)
		}
	}
	slices.Sort(want)
	if got := manifestLines(t, dir); !slices.Equal(got, want) {
		t.Errorf("manifest after Abort = %q; want %q", got, want)
	}
	for _, name := range []string{"old.html", "feed.atom"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s, of the last run: %v; want it kept", name, err)
		}
	}
	for _, name := range []string{tmpDir, Stamp} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("%s after Abort: Stat = %v; want none", name, err)
		}
	}

	left := n - len(rendered)
	if got := run(t, dir, groups); got != left {
		t.Errorf("the next run rendered %d groups; want %d, those the first did not", got, left)
	}
	if _, err := os.Stat(filepath.Join(dir, "old.html")); !os.IsNotExist(err) {
		t.Errorf("old.html after a whole run without it: Stat = %v; want it removed", err)
	}
}

// TestWriterAbortKeepsTheManifest: Abort after a whole run, or twice,
// leaves the manifest as it is: a walk of it does not hide its lines
// from the next.
func TestWriterAbortKeepsTheManifest(t *testing.T) {
	dir := t.TempDir()
	run(t, dir, []Group{group(key1, "a.html"), group(key1, "b.html")})
	groups := []Group{group(key2, "a.html"), group(key1, "b.html")}
	w := newWriter(t, dir, groups)
	if err := w.Groups(context.Background(), groups); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Finish(oneFeed, "stamp"); err != nil {
		t.Fatal(err)
	}
	want := manifestLines(t, dir)
	for i := range 2 {
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		if got := manifestLines(t, dir); !slices.Equal(got, want) {
			t.Errorf("manifest after Abort %d = %q; want %q", i+1, got, want)
		}
	}
	if n := run(t, dir, groups); n != 0 {
		t.Errorf("the next run rendered %d groups; want none", n)
	}
}

// TestWriterFailsInOneLine: when many files cannot be written (a full
// disk fails each write after the first), the error is the first of
// them, on one line, with a count of the others: the line a build prints.
func TestWriterFailsInOneLine(t *testing.T) {
	dir := t.TempDir()
	var groups []Group
	for i := range 5 {
		name := fmt.Sprintf("p/%d.html", i)
		groups = append(groups, Group{Names: []string{name}, Key: key1, Render: func() ([][]byte, error) {
			return nil, fmt.Errorf("write %s: no space left on device", name)
		}})
	}
	w := newWriter(t, dir, groups)
	err := w.Groups(context.Background(), groups)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "no space left on device (and 4 more writes failed)") {
		t.Errorf("Groups error = %q; want the first error and a count of the 4 others, on one line", err)
	}
}
