package source

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// TestFiles: the folders' lists, as Scan makes them, read as one list in
// order, whether or not they interleave.
func TestFiles(t *testing.T) {
	list := func(paths ...string) []Found {
		var l []Found
		for i, p := range paths {
			l = append(l, Found{Path: p, Size: int64(i)})
		}
		return l
	}
	for name, lists := range map[string][][]Found{
		"none":     nil,
		"one":      {list("a.txt", "b.txt")},
		"apart":    {list("b/1.txt", "b/2.txt"), list("a.txt"), list("c/1.txt", "c/2.txt", "c/3.txt")},
		"within":   {list("a/a.txt", "a/c.txt"), list("a/b/y.txt", "a/b/z.txt"), list("b.txt")},
		"overlaps": {list("a/b.txt", "a/d.txt"), list("a/c/1.txt"), list("a/a/1.txt", "a/e/1.txt"), list("z.txt")},
	} {
		t.Run(name, func(t *testing.T) {
			var want []Found
			for _, l := range lists {
				want = append(want, l...)
			}
			slices.SortFunc(want, byPath)
			fs := files(lists)
			if got := slices.Collect(fs.All()); fs.Len() != len(want) || !slices.Equal(got, want) {
				t.Fatalf("files() = %v (Len %d); want %v", got, fs.Len(), want)
			}
			var walked []Found
			for c, ok := fs.Cursor(), true; ok; {
				var f Found
				if f, ok = c.Peek(); ok {
					walked = append(walked, f)
					c.Skip()
				}
			}
			if !slices.Equal(walked, want) {
				t.Errorf("Cursor walks %v; want %v", walked, want)
			}
			for i := range want {
				if got := fs.At(i); got != want[i] {
					t.Errorf("At(%d) = %v; want %v", i, got, want[i])
				}
				if got, ok := fs.Find(want[i].Path); !ok || got != want[i] {
					t.Errorf("Find(%q) = %v, %v; want %v", want[i].Path, got, ok, want[i])
				}
				if got, ok := fs.Find(want[i].Path + "x"); ok {
					t.Errorf("Find(%q) = %v; want none", want[i].Path+"x", got)
				}
			}
			for i := 0; i <= len(want); i++ {
				for j := i; j <= len(want); j++ {
					s := fs.Slice(i, j)
					if got := slices.Collect(s.All()); s.Len() != j-i || !slices.Equal(got, want[i:j]) {
						t.Errorf("Slice(%d, %d) = %v (Len %d); want %v", i, j, got, s.Len(), want[i:j])
					}
					for _, p := range s.parts {
						if len(p) == 0 {
							t.Errorf("Slice(%d, %d) holds an empty list", i, j)
						}
					}
				}
			}
		})
	}
}

// TestScanHeapPerFile: a scan holds what it found of every file at once,
// and at 1,000,000 files that was the peak of a restart. What Scan
// returns takes at most keptPerFile bytes a file: 32 for its Found, 16
// for a path of 13 bytes (it took 72 with a Found of 56). And all it
// allocates is at most allocPerFile: the folders' lists as they grow, the
// paths, and no list that joins them (141 with one).
func TestScanHeapPerFile(t *testing.T) {
	const folders, each = 20, 1000
	const keptPerFile, allocPerFile = 56, 120
	dir := t.TempDir()
	for f := range folders {
		sub := filepath.Join(dir, fmt.Sprintf("%02d", f))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range each {
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("%06d.txt", i)), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	src := Source{Dir: dir, Include: []string{"*.txt"}}
	if _, _, err := src.Scan(true); err != nil { // its buffers pooled, as in a daemon
		t.Fatal(err)
	}
	// Two collections each side: the first moves what pools hold to their
	// victim caches, the second lets it go, so that buffers pooled or not
	// at either moment are counted on neither side.
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m0)
	found, _, err := src.Scan(true)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	if err != nil || found.Len() != folders*each {
		t.Fatalf("Scan found %d files, %v; want %d", found.Len(), err, folders*each)
	}
	kept := int64(m1.HeapAlloc-m0.HeapAlloc) / (folders * each)
	alloc := int64(m1.TotalAlloc-m0.TotalAlloc) / (folders * each)
	t.Logf("%d bytes kept a file, %d allocated", kept, alloc)
	if kept > keptPerFile {
		t.Errorf("Scan's result takes %d bytes a file; want at most %d", kept, keptPerFile)
	}
	if alloc > allocPerFile && !raceEnabled {
		t.Errorf("Scan allocated %d bytes a file; want at most %d", alloc, allocPerFile)
	}
	runtime.KeepAlive(found)
}
