//go:build unix

package feed

import (
	"errors"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// errSymlink reports that openNoFollow met a symlink.
var errSymlink = errors.New("is a symlink")

// openNonBlocking opens a file for reading without blocking, so that a FIFO
// swapped in under a seed's name cannot hang the reader.
func openNonBlocking(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// openNoFollow is openNonBlocking that refuses a symlink with errSymlink, so
// the caller can check where it leads before following it.
func openNoFollow(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, errSymlink
	}
	return f, err
}

// statAt returns the stamp of the file name inside the open folder dir,
// following a symlink, without resolving the folder's path again.
func statAt(dir *os.File, name string) (fileStamp, error) {
	var st unix.Stat_t
	if err := unix.Fstatat(int(dir.Fd()), name, &st, 0); err != nil {
		return fileStamp{}, err
	}
	return fileStamp{size: st.Size, modTime: time.Unix(st.Mtim.Unix()).UTC()}, nil
}
