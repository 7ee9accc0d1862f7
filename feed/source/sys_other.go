//go:build !linux

package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// This file is the portable form of sys_linux.go, with the os package only.

var errSymlink = errors.New("is a symlink")

// openNonBlocking opens a file for reading. Without O_NONBLOCK, it refuses
// what is not a regular file before opening it, so that a FIFO does not
// block the reader (unless it replaces a file between the two calls).
func openNonBlocking(name string) (*os.File, error) {
	if fi, err := os.Stat(name); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%s)", ErrNotRegular, fileKind(fi.Mode()))
	}
	return os.Open(name)
}

// openNoFollow opens a file, refusing a symlink with errSymlink.
func openNoFollow(name string) (*os.File, error) {
	if fi, err := os.Lstat(name); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil, errSymlink
	}
	return openNonBlocking(name)
}

// statAt returns the stamp of the file name inside the open folder dir.
func statAt(dir *os.File, name string) (Stamp, error) {
	fi, err := os.Stat(dir.Name() + string(os.PathSeparator) + name)
	if err != nil {
		return Stamp{}, err
	}
	return Stamp{Size: fi.Size(), ModTime: fi.ModTime().UTC()}, nil
}

// readFile reads the file at name into buf with the os package.
func readFile(name string, nofollow bool, buf []byte, limit int64) ([]byte, Stamp, error) {
	open := openNonBlocking
	if nofollow {
		open = openNoFollow
	}
	f, err := open(name)
	if err != nil {
		return buf, Stamp{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return buf, Stamp{}, err
	}
	st := Stamp{Size: fi.Size(), ModTime: fi.ModTime().UTC()}
	if !fi.Mode().IsRegular() {
		return buf, st, fmt.Errorf("%w (%s)", ErrNotRegular, fileKind(fi.Mode()))
	}
	if fi.Size() > limit {
		return buf, st, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, fi.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, fi.Size()+1))
	if err != nil {
		return buf, st, err
	}
	if int64(len(data)) > fi.Size() {
		return buf, st, errors.New("file is being written")
	}
	return data, st, nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return m.Type().String()
}

// eachEntry calls fn with the name of each entry of the open folder dir and
// whether it is a folder (a symlink to one is not).
func eachEntry(dir *os.File, fn func(name []byte, isDir bool)) error {
	entries, err := dir.ReadDir(-1)
	for _, d := range entries {
		fn([]byte(d.Name()), d.IsDir())
	}
	return err
}

// Transient reports whether err says more about the machine than about the
// file: no file descriptor or memory left, or an I/O error.
func Transient(err error) bool {
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) || errors.Is(err, syscall.ENOMEM) || errors.Is(err, syscall.EIO)
}

// SyncFS makes what was written under dir durable. Without syncfs, it
// syncs the whole system.
func SyncFS(dir string) error {
	syscall.Sync()
	return nil
}

// openMedia opens the file at name, which has no symlink on its way, for
// reading, refusing a symlink put in place since.
func openMedia(name string) (*os.File, error) { return openNoFollow(name) }

// prefetch does nothing here: the read of the file reads it.
func prefetch(string, int64) {}
