package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/seedfeed/seedfeed/feed/state"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWants(t *testing.T) {
	src := Source{Include: []string{"*.txt", "*.md"}}
	tests := map[string]bool{
		"a.txt": true, "sub/dir/b.md": true, "with space.txt": true, "ünïcode.txt": true,
		"a.pdf": false, ".hidden.txt": false, ".git/x.txt": false, "sub/.cache/y.txt": false,
		"a.txt~": false, "#a.txt#": false, ".a.txt.swp": false, "a.txt.swp": false, "a.txt.part": false,
		"a.txt.crdownload": false, "4913": false, "~$doc.txt": false, ".#a.txt": false, "a.txt.tmp": false,
	}
	for name, want := range tests {
		if got := src.Wants(name); got != want {
			t.Errorf("Wants(%q) = %v; want %v", name, got, want)
		}
	}
}

func TestList(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b.txt", "a.md", "sub/c.txt", ".hidden/d.txt", "e.txt~", "notes.pdf"} {
		write(t, filepath.Join(dir, f), "x")
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.txt"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	got, err := Source{Dir: dir, Include: []string{"*.txt", "*.md"}}.List()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.md", "b.txt", "sub/c.txt"}; !reflect.DeepEqual(got, want) {
		t.Errorf("List() = %q; want %q", got, want)
	}
}

func TestReadRefuses(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.txt")
	write(t, outside, "root:x:0:0")
	write(t, filepath.Join(dir, "inside.txt"), "inside text")
	write(t, filepath.Join(dir, "big.txt"), strings.Repeat("x", 2048))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(syscall.Mkfifo(filepath.Join(dir, "fifo.txt"), 0o644))
	must(os.Symlink(outside, filepath.Join(dir, "escape.txt")))
	must(os.Symlink("inside.txt", filepath.Join(dir, "link.txt")))
	must(os.Symlink("loop2.txt", filepath.Join(dir, "loop1.txt")))
	must(os.Symlink("loop1.txt", filepath.Join(dir, "loop2.txt")))
	must(os.Mkdir(filepath.Join(dir, "dir.txt"), 0o755))
	src := Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1024}

	if data, _, err := src.Read("link.txt"); err != nil || string(data) != "inside text" {
		t.Errorf("Read(link.txt) = %q, %v; want the inside file's text", data, err)
	}
	tests := []struct {
		name string
		want error
	}{
		{"fifo.txt", ErrNotRegular},
		{"dir.txt", ErrNotRegular},
		{"escape.txt", ErrOutside},
		{"big.txt", ErrTooLarge},
		{"missing.txt", fs.ErrNotExist},
		{"loop1.txt", nil}, // any error will do, as long as it comes back
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { // a FIFO read would block forever; the test must not
				data, _, err := src.Read(tt.name)
				if bytes.Contains(data, []byte("root:")) {
					err = errors.New("read the file outside the folder")
				}
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
					t.Errorf("Read(%s) error = %v; want %v", tt.name, err, tt.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("Read(%s) hung", tt.name)
			}
		})
	}
}

// TestBadFilesAreSkipped checks that a bad file costs exactly its own entry
// and one log line that names it and says why.
func TestBadFilesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "good.txt"), "Good title\n\nGood body.")
	write(t, filepath.Join(dir, "also good.md"), "# Markdown\n\nText.")
	write(t, filepath.Join(dir, "binary.txt"), "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
	write(t, filepath.Join(dir, "empty.txt"), "")
	write(t, filepath.Join(dir, "broken.md"), "---\ntitle: [unclosed\n---\nbody")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ix, _ := newTestIndex(t, dir, fixed(t0), log)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	entries, err := ix.Entries(0)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range entries {
		titles = append(titles, e.Title)
	}
	if want := []string{"Markdown", "Good title"}; !reflect.DeepEqual(titles, want) { // same date: by path
		t.Errorf("entries = %q; want %q", titles, want)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	for _, name := range []string{"binary.txt", "empty.txt", "broken.md", "pipe.txt"} {
		n := 0
		for _, l := range lines {
			if strings.Contains(l, "path="+name) && strings.Contains(l, "reason=") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d log lines name %s with a reason; want 1\n%s", n, name, logs.String())
		}
	}
	snap, err := Render(testSite, entries, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := wellFormed(snap.Files[AtomPath].Body); err != nil {
		t.Errorf("feed with bad files skipped is not well-formed: %v", err)
	}
}

func TestUpdate(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.txt"), "First\n\nBody.")
	write(t, filepath.Join(dir, "b.txt"), "Second\n\nBody.")
	now := t0
	ix, _ := newTestIndex(t, dir, func() time.Time { return now }, nil)
	ctx := context.Background()
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	before := map[string]Entry{}
	all, _ := ix.Entries(0)
	for _, e := range all {
		before[e.Path] = e
	}
	now = t0.Add(time.Hour)
	write(t, filepath.Join(dir, "a.txt"), "First, edited\n\nBody.")
	if err := os.Remove(filepath.Join(dir, "b.txt")); err != nil {
		t.Fatal(err)
	}
	if err := ix.Update(ctx, []string{"a.txt", "b.txt", ".hidden.txt"}); err != nil {
		t.Fatal(err)
	}
	after, _ := ix.Entries(0)
	if len(after) != 1 {
		t.Fatalf("%d entries after delete; want 1", len(after))
	}
	a := after[0]
	if a.ID != before["a.txt"].ID || !a.Published.Equal(t0) || !a.Updated.Equal(now) || a.Title != "First, edited" {
		t.Errorf("edited entry = %+v; want same ID and published, updated %v, new title", a, now)
	}
}

func TestRestartReadsOnlyChangedFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		write(t, filepath.Join(dir, name), "Title "+name+"\n\nBody.")
	}
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	src := Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	ctx := context.Background()
	first := NewIndex(src, store, IndexOptions{Now: fixed(t0)})
	if err := first.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if first.Reads() != 3 {
		t.Fatalf("first scan read %d files; want 3", first.Reads())
	}
	// b.txt changes: same size, new modification time.
	write(t, filepath.Join(dir, "b.txt"), "Title b.txx\n\nBody.")
	if err := os.Chtimes(filepath.Join(dir, "b.txt"), t0, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	restarted := NewIndex(src, store, IndexOptions{Now: fixed(t0.Add(time.Hour))})
	if err := restarted.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if restarted.Reads() != 1 || restarted.Len() != 3 {
		t.Errorf("restart read %d files and holds %d entries; want 1 read (b.txt) and 3 entries", restarted.Reads(), restarted.Len())
	}
	entries, err := restarted.Entries(0)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, e := range entries {
		titles[e.Path] = e.Title
		if e.Content == "" {
			t.Errorf("%s has no content after restart", e.Path)
		}
	}
	if titles["a.txt"] != "Title a.txt" || titles["b.txt"] != "Title b.txx" {
		t.Errorf("titles after restart = %v; want a.txt from the store and b.txt re-read", titles)
	}
}

// TestNewFileSortsFirst: a file that arrives just after a large index comes
// first in the feed, even within the same second and with a path that
// sorts last.
func TestNewFileSortsFirst(t *testing.T) {
	dir := t.TempDir()
	for i := range 60 {
		write(t, filepath.Join(dir, fmt.Sprintf("a%02d.txt", i)), fmt.Sprintf("Old %d\n\nBody.", i))
	}
	now := t0
	ix, _ := newTestIndex(t, dir, func() time.Time { return now }, nil)
	ctx := context.Background()
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	now = t0.Add(time.Millisecond)
	write(t, filepath.Join(dir, "zzz.txt"), "Brand new\n\nBody.")
	if err := ix.Update(ctx, []string{"zzz.txt"}); err != nil {
		t.Fatal(err)
	}
	top, err := ix.Entries(1)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 1 || top[0].Title != "Brand new" {
		t.Errorf("newest entry = %v; want the file that came last", top)
	}
	if !top[0].Published.Equal(t0) {
		t.Errorf("published = %v; want whole seconds (%v)", top[0].Published, t0)
	}
}

// TestCancelledRescanStoresNoHalfChunk cancels a rescan in the middle of a
// chunk: what was not read must not be stored as an entry, and a rescan
// after it indexes everything.
func TestCancelledRescanStoresNoHalfChunk(t *testing.T) {
	dir := t.TempDir()
	n := 2*applyChunk + 100
	for i := range n {
		write(t, filepath.Join(dir, fmt.Sprintf("f%05d.txt", i)), fmt.Sprintf("Title %d\n\nBody.", i))
	}
	ix, store := newTestIndex(t, dir, fixed(t0), nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { // cancels in the middle of the second chunk
		for ix.Reads() < int64(applyChunk+applyChunk/2) {
			time.Sleep(100 * time.Microsecond)
		}
		cancel()
	}()
	if err := ix.Rescan(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Rescan = %v; want it cancelled", err)
	}
	recs, err := store.Records()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Path == "" || r.ID == "" {
			t.Fatalf("a cancelled rescan stored %+v", r)
		}
	}
	if len(recs) >= n {
		t.Fatalf("%d records after cancelling; want the rescan cut short", len(recs))
	}
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ix.Len() != n {
		t.Errorf("%d entries after a full rescan; want %d", ix.Len(), n)
	}
}
