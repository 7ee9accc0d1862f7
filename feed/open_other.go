//go:build !unix

package feed

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
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

// readFile reads the file at name into buf with the os package.
func readFile(name string, nofollow bool, buf []byte, limit int64) ([]byte, fileStamp, error) {
	open := openNonBlocking
	if nofollow {
		open = openNoFollow
	}
	f, err := open(name)
	if err != nil {
		return buf, fileStamp{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return buf, fileStamp{}, err
	}
	st := fileStamp{size: fi.Size(), modTime: fi.ModTime().UTC()}
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
