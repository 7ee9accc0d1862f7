package state

import (
	"bytes"
	"os"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// TestOpenReadsAhead: opening a store that is not in the page cache (after
// a large build, or a reboot) reads it ahead, in large requests, rather
// than a page or two at each fault of the check that reads it all: the
// check takes no major fault.
func TestOpenReadsAhead(t *testing.T) {
	path := storeWith(t, 20000) // about 3 MB
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Skipf("cannot drop the store from the page cache: %v", err)
	}
	if cached(t, f) {
		t.Skip("the store's file system keeps it in memory whatever is asked (tmpfs?)")
	}
	before := majorFaults(t)
	s, err := Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := majorFaults(t) - before; n > 8 {
		t.Errorf("opening a store out of the page cache took %d major faults; want it read ahead", n)
	}
}

// cached reports whether any page of f is in the page cache.
func cached(t *testing.T, f *os.File) bool {
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
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		t.Fatal(e)
	}
	for _, v := range vec {
		if v&1 != 0 {
			return true
		}
	}
	return false
}

func majorFaults(t *testing.T) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return ru.Majflt
}

// TestOpenWritesNothing: opening a store that has every bucket, and
// closing it, leaves its file as it was: a build with nothing changed
// writes nothing, its store included (it wrote a transaction with two
// syncs, each open).
func TestOpenWritesNothing(t *testing.T) {
	path := storeWith(t, 10)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
		t.Errorf("Open and Close of a whole store changed its file (%v)", err)
	}
}
