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
