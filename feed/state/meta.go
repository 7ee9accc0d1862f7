package state

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// What precheck reads of bbolt's file format (bbolt/internal/common): a
// page starts with a 16-byte header (id, flags, count, overflow); pages 0
// and 1 hold the two meta records, the newer valid one in use.
const (
	pageHeader   = 16
	metaMagic    = 0xED0CDAED
	metaVersion  = 2
	metaSumAt    = 56 // the checksum follows the first 56 bytes of a meta record
	flagBranch   = 0x01
	flagLeaf     = 0x02
	flagFreelist = 0x10
	noFreelist   = 1<<64 - 1
)

type meta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	pgid     uint64
	txid     uint64
}

// precheck reads the meta pages of the file at path without bbolt, and
// checks what bbolt would trust when it opens the file: that the pages the
// meta record names are in the file, and are what it says. bbolt panics,
// with the file mapped and locked, on a freelist page that is not one; here
// that is an error, and the file is not opened. An empty or missing file is
// a new store.
func precheck(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return nil // Open will say why, in its own words
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return nil
	}
	m, err := newestMeta(f)
	if err != nil {
		return err
	}
	size := uint64(fi.Size())
	ps := uint64(m.pageSize)
	if m.pgid*ps > size {
		return fmt.Errorf("the file has %d bytes, but its pages need %d: it was cut short", size, m.pgid*ps)
	}
	check := func(what string, id uint64, want uint16) error {
		if id < 2 || id >= m.pgid {
			return fmt.Errorf("its %s page %d is out of range", what, id)
		}
		var h [pageHeader]byte
		if _, err := f.ReadAt(h[:], int64(id*ps)); err != nil {
			return fmt.Errorf("its %s page %d cannot be read: %v", what, id, err)
		}
		if binary.LittleEndian.Uint64(h[0:]) != id || binary.LittleEndian.Uint16(h[8:])&want == 0 {
			return fmt.Errorf("its %s page %d is not one", what, id)
		}
		return nil
	}
	if m.freelist != noFreelist {
		if err := check("freelist", m.freelist, flagFreelist); err != nil {
			return err
		}
	}
	return check("root", m.root, flagBranch|flagLeaf)
}

// newestMeta returns the valid meta record with the higher transaction ID.
func newestMeta(f *os.File) (meta, error) {
	m0, err0 := readMeta(f, 0)
	sizes := []int64{int64(os.Getpagesize()), 4096, 8192, 16384, 32768, 65536}
	if err0 == nil {
		sizes = []int64{int64(m0.pageSize)}
	}
	for _, ps := range sizes {
		if m1, err := readMeta(f, ps); err == nil && (err0 != nil || m1.txid > m0.txid) && int64(m1.pageSize) == ps {
			return m1, nil
		}
	}
	if err0 != nil {
		return meta{}, fmt.Errorf("neither meta page is valid: %v", err0)
	}
	return m0, nil
}

func readMeta(f *os.File, off int64) (meta, error) {
	var b [pageHeader + metaSumAt + 8]byte
	if _, err := f.ReadAt(b[:], off); err != nil && err != io.EOF {
		return meta{}, err
	}
	r := b[pageHeader:]
	h := fnv.New64a()
	h.Write(r[:metaSumAt])
	switch {
	case binary.LittleEndian.Uint32(r[0:]) != metaMagic:
		return meta{}, errors.New("not a bbolt file")
	case binary.LittleEndian.Uint32(r[4:]) != metaVersion:
		return meta{}, errors.New("not a bbolt file of version 2")
	case binary.LittleEndian.Uint64(r[metaSumAt:]) != h.Sum64():
		return meta{}, errors.New("meta page checksum mismatch")
	}
	m := meta{
		pageSize: binary.LittleEndian.Uint32(r[8:]),
		root:     binary.LittleEndian.Uint64(r[16:]),
		freelist: binary.LittleEndian.Uint64(r[32:]),
		pgid:     binary.LittleEndian.Uint64(r[40:]),
		txid:     binary.LittleEndian.Uint64(r[48:]),
	}
	if m.pageSize < 1024 || m.pageSize&(m.pageSize-1) != 0 {
		return meta{}, fmt.Errorf("page size %d", m.pageSize)
	}
	return m, nil
}
