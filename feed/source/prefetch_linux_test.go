package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// cachedPages returns how many pages of the file at name are in the page
// cache.
func cachedPages(t *testing.T, name string) int {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	m, err := unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	vec := make([]byte, (len(m)+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}

// evicted writes a file of size bytes at name, out of the page cache.
func evicted(t *testing.T, name string, size int) {
	t.Helper()
	if err := os.WriteFile(name, []byte(strings.Repeat("x", size)), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Fatal(err)
	}
	if n := cachedPages(t, name); n != 0 {
		t.Skipf("this file system keeps %s in the page cache (%d pages): nothing to see", name, n)
	}
}

// TestPrefetchReadsWhatReadWould: Prefetch brings a seed into the page
// cache, but not one that Read refuses for its size: the size limit holds
// for the page cache too.
func TestPrefetchReadsWhatReadWould(t *testing.T) {
	dir := t.TempDir()
	small, large := filepath.Join(dir, "small.txt"), filepath.Join(dir, "large.txt")
	evicted(t, large, 4<<20)
	evicted(t, small, 64<<10)
	src := Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	src.Prefetch("large.txt")
	src.Prefetch("small.txt")
	deadline := time.Now().Add(10 * time.Second)
	for cachedPages(t, small) == 0 { // the read ahead is the kernel's, on its own time
		if time.Now().After(deadline) {
			t.Fatal("Prefetch brought none of a small seed into the page cache in 10 s")
		}
		time.Sleep(time.Millisecond)
	}
	if n := cachedPages(t, large); n != 0 {
		t.Errorf("Prefetch brought %d pages of a seed over the size limit into the page cache; want none", n)
	}
}
