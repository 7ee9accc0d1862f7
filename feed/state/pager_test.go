package state

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// mappedRSS returns how many bytes of the file at path this process
// holds resident through its memory maps, as /proc/self/smaps tells.
func mappedRSS(t *testing.T, path string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("cannot read the process's maps: %v", err)
	}
	var total int64
	in := false
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case !strings.HasSuffix(f[0], ":"): // a map's first line: its range, ..., its file
			in = strings.HasSuffix(strings.TrimSpace(line), " "+path)
		case in && f[0] == "Rss:" && len(f) >= 2:
			kB, _ := strconv.ParseInt(f[1], 10, 64)
			total += kB << 10
		}
	}
	return total
}

// TestLongReadsLetGoOfMappedPages: the pages of the store's memory map
// that Open's check, a walk of every record, a change of thousands of
// files and Verify's check read do not stay in the process's resident set: what stays is
// bounded, whatever the size of the store.
func TestLongReadsLetGoOfMappedPages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("only Linux lets go of mapped pages")
	}
	path := filepath.Join(t.TempDir(), "state.db")
	s := openTest(t, path)
	tags := []string{strings.Repeat("t", 1000)}
	for chunk := range 5 {
		var c Change
		for i := range 4096 { // among the records already stored, as a first index's newest-first reads are
			c.Seen = append(c.Seen, Observation{Path: fmt.Sprintf("file-%05d-%d.txt", i, chunk), Hash: fmt.Sprint(chunk, i), Tags: tags})
		}
		apply(t, s, c, t0)
	}
	if size(t, path) < 2*dropEvery {
		t.Fatalf("the store is %d bytes; want at least %d for the test to tell", size(t, path), 2*dropEvery)
	}
	check := func(after string) {
		t.Helper()
		if got := mappedRSS(t, path); got > dropEvery {
			t.Errorf("after %s, %d bytes of the store's %d are resident; want at most %d", after, got, size(t, path), dropEvery)
		}
	}
	check("a change of 4,096 files")
	s.Close()
	s = openTest(t, path)
	check("Open")
	n := 0
	if err := s.Briefs("", "", func([]byte, Brief) bool { n++; return true }); err != nil || n != 5*4096 {
		t.Fatalf("Briefs walked %d records, %v; want %d", n, err, 5*4096)
	}
	check("a walk of every record")
	if err := s.check(); err != nil {
		t.Fatal(err)
	}
	check("a check through, as of the daemon's backup")
}

// TestLookupsLetGoOfMappedPages: records looked up by path, a few at a
// time in no order of the store's, as a build's archive pages look up
// theirs, through many transactions, do not pile up the pages they read
// in the process's resident set: what stays is at most what the lookups
// since the last drop read, a page each, and the branch pages above them.
func TestLookupsLetGoOfMappedPages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("only Linux lets go of mapped pages")
	}
	path := filepath.Join(t.TempDir(), "state.db")
	s := openTest(t, path)
	tags := []string{strings.Repeat("t", 1000)}
	const chunks = 8
	var paths []string
	for chunk := range chunks {
		var c Change
		for i := range 4096 {
			p := fmt.Sprintf("file-%05d-%d.txt", i, chunk)
			paths = append(paths, p)
			c.Seen = append(c.Seen, Observation{Path: p, Hash: p, Tags: tags})
		}
		apply(t, s, c, t0)
	}
	if size(t, path) < 3*dropEvery {
		t.Fatalf("the store is %d bytes; want at least %d for the test to tell", size(t, path), 3*dropEvery)
	}
	s.Close()
	s = openTest(t, path)
	const bound = dropEvery + 1<<20
	n := len(paths)
	for start := 0; start < n; start += 50 {
		var some []string
		for i := start; i < min(start+50, n); i++ {
			some = append(some, paths[i*7919%n]) // 7919 is prime, n a power of two: every path once, scattered
		}
		recs, err := s.LookupAll(some)
		if err != nil {
			t.Fatal(err)
		}
		for i, rec := range recs {
			if rec.Path != some[i] {
				t.Fatalf("LookupAll(%q)[%d].Path = %q; want %q", some, i, rec.Path, some[i])
			}
		}
	}
	if got := mappedRSS(t, path); got > bound {
		t.Errorf("after LookupAll of every record, 50 at a time, %d bytes of the store's %d are resident; want at most %d", got, size(t, path), bound)
	}
	for i := range n {
		if _, ok, err := s.Lookup(paths[i*7919%n]); err != nil || !ok {
			t.Fatalf("Lookup(%q) = _, %v, %v; want a record", paths[i*7919%n], ok, err)
		}
	}
	if got := mappedRSS(t, path); got > bound {
		t.Errorf("after Lookup of every record, %d bytes of the store's %d are resident; want at most %d", got, size(t, path), bound)
	}
}
