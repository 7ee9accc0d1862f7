package source

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestScanHeapPerFile: a scan holds what it found of every file at once,
// and at 1,000,000 files that was the peak of a restart. What Scan
// returns takes at most keptPerFile bytes a file: 32 for its Found, 16
// for a path of 13 bytes (it took 72 with a Found of 56).
func TestScanHeapPerFile(t *testing.T) {
	const folders, each = 20, 1000
	const keptPerFile = 56
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
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	found, _, err := src.Scan(true)
	runtime.GC()
	runtime.ReadMemStats(&m1)
	if err != nil || len(found) != folders*each {
		t.Fatalf("Scan found %d files, %v; want %d", len(found), err, folders*each)
	}
	kept := int64(m1.HeapAlloc-m0.HeapAlloc) / (folders * each)
	alloc := int64(m1.TotalAlloc-m0.TotalAlloc) / (folders * each)
	t.Logf("%d bytes kept a file, %d allocated", kept, alloc)
	if kept > keptPerFile {
		t.Errorf("Scan's result takes %d bytes a file; want at most %d", kept, keptPerFile)
	}
	runtime.KeepAlive(found)
}
