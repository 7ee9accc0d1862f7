//go:build !unix

package feed

import (
	"errors"
	"os"
)

var errSymlink = errors.New("is a symlink")

// openNonBlocking opens a file for reading. Only Unix has FIFOs to guard
// against.
func openNonBlocking(name string) (*os.File, error) {
	return os.Open(name)
}

// openNoFollow opens a file, refusing a symlink with errSymlink.
func openNoFollow(name string) (*os.File, error) {
	if fi, err := os.Lstat(name); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil, errSymlink
	}
	return os.Open(name)
}

// statAt returns the stamp of the file name inside the open folder dir.
func statAt(dir *os.File, name string) (fileStamp, error) {
	fi, err := os.Stat(dir.Name() + string(os.PathSeparator) + name)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{size: fi.Size(), modTime: fi.ModTime().UTC()}, nil
}
