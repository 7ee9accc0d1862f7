package source

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

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

func TestScanLeavesOut(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"b.txt", "a.md", "sub/c.txt", ".hidden/d.txt", "e.txt~", "notes.pdf"} {
		feedtest.Write(t, filepath.Join(dir, f), "x")
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.txt"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	found, _, err := Source{Dir: dir, Include: []string{"*.txt", "*.md"}}.Scan(false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for f := range found.All() {
		got = append(got, f.Path)
	}
	if want := []string{"a.md", "b.txt", "sub/c.txt"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Scan(false) = %q; want %q", got, want)
	}
}

func TestReadRefuses(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.txt")
	feedtest.Write(t, outside, "root:x:0:0")
	feedtest.Write(t, filepath.Join(dir, "inside.txt"), "inside text")
	feedtest.Write(t, filepath.Join(dir, "big.txt"), strings.Repeat("x", 2048))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(syscall.Mkfifo(filepath.Join(dir, "fifo.txt"), 0o644))
	must(os.Symlink(outside, filepath.Join(dir, "escape.txt")))
	feedtest.Write(t, filepath.Join(dir, "inside.text"), "not a seed by its name")
	must(os.Symlink("inside.text", filepath.Join(dir, "link.txt")))
	must(os.Symlink("inside.txt", filepath.Join(dir, "alias.txt")))
	must(os.Symlink("nowhere.txt", filepath.Join(dir, "dangling.txt")))
	sock, err := net.Listen("unix", filepath.Join(dir, "sock.txt"))
	must(err)
	defer sock.Close()
	must(os.Symlink("loop2.txt", filepath.Join(dir, "loop1.txt")))
	must(os.Symlink("loop1.txt", filepath.Join(dir, "loop2.txt")))
	must(os.Mkdir(filepath.Join(dir, "dir.txt"), 0o755))
	src := Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1024}

	if data, _, err := src.Read("link.txt"); err != nil || string(data) != "not a seed by its name" {
		t.Errorf("Read(link.txt) = %q, %v; want the text of the file inside that it links to", data, err)
	}
	tests := []struct {
		name string
		want error
	}{
		{"fifo.txt", ErrNotRegular},
		{"dir.txt", ErrNotRegular},
		{"sock.txt", ErrNotRegular},
		{"alias.txt", ErrLinkToSeed}, // published once, as inside.txt
		{"dangling.txt", ErrBrokenLink},
		{"escape.txt", ErrOutside},
		{"big.txt", ErrTooLarge},
		{"missing.txt", fs.ErrNotExist},
		{"loop1.txt", nil}, // any error will do, as long as it comes back
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { // a FIFO read would block forever; the test must not
				src.Prefetch(tt.name) // as an archive page does first: it neither blocks nor reads what Read refuses
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
				if tt.name == "dangling.txt" && errors.Is(err, fs.ErrNotExist) {
					t.Errorf("Read(%s) error = %v: taken for a removed file", tt.name, err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("Prefetch or Read(%s) hung", tt.name)
			}
		})
	}
}

// TestScanMatchesWalk checks Scan against a plain walk of the same tree: a
// folder large enough to be stat-ed in several batches, folders whose files
// interleave in path order ("a/b/..." sorts between "a/a.txt" and
// "a/c.txt", "a-b/..." before "a/..."), and what Scan must leave out.
func TestScanMatchesWalk(t *testing.T) {
	dir := t.TempDir()
	for i := range 3*statBatch + 7 {
		feedtest.Write(t, filepath.Join(dir, "big", fmt.Sprintf("%05d.txt", i)), strings.Repeat("x", i%97))
	}
	for _, f := range []string{"root.txt", "a/a.txt", "a/c.txt", "a/b/y.txt", "a/b/z/deep.md", "a-b/x.txt",
		"a.b/w.txt", ".hidden/h.txt", "a/.cache/c.txt", "a/skip.pdf", "a/c.txt~"} {
		feedtest.Write(t, filepath.Join(dir, f), "text of "+f)
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
		want = append(want, Found{Path: rel, Size: fi.Size(), ModTime: fi.ModTime().UnixNano()})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(want, byPath) // the walk goes folder by folder
	files, _, err := src.Scan(true)
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Collect(files.All())
	if len(got) != len(want) {
		t.Fatalf("Scan found %d files; want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Scan()[%d] = %+v; want %+v", i, got[i], want[i])
		}
	}
	files, _, err = src.Scan(false)
	if err != nil {
		t.Fatal(err)
	}
	paths := slices.Collect(files.All())
	for i := range want {
		if paths[i].Path != want[i].Path {
			t.Fatalf("Scan(false)[%d] = %q; want %q", i, paths[i].Path, want[i].Path)
		}
	}
}

// TestTransient: the errors of the machine (no descriptor or memory left,
// an I/O error) are told from those of the file, however they are
// wrapped; only the first keep an entry that cannot be read.
func TestTransient(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{syscall.EMFILE, true},
		{syscall.ENFILE, true},
		{syscall.EIO, true},
		{syscall.ENOMEM, true},
		{&fs.PathError{Op: "open", Path: "a.txt", Err: syscall.EIO}, true},
		{fmt.Errorf("read: %w", &fs.PathError{Op: "open", Path: "a.txt", Err: syscall.EMFILE}), true},
		{syscall.EACCES, false},
		{&fs.PathError{Op: "open", Path: "a.txt", Err: syscall.ENOENT}, false},
		{ErrTooLarge, false},
		{ErrNotRegular, false},
		{nil, false},
	} {
		if got := Transient(c.err); got != c.want {
			t.Errorf("Transient(%v) = %v; want %v", c.err, got, c.want)
		}
	}
}
