//go:build unix

package feed

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"golang.org/x/sys/unix"
)

// readFile reads the file at name into buf, growing it as needed, with as
// few system calls as a file allows: open, fstat, one read and close. Going
// around os.File saves the stat and poller set-up it does on every open,
// which counts at 100,000 files. nofollow refuses a symlink with
// errSymlink. The open never blocks, so a FIFO cannot hang the reader.
func readFile(name string, nofollow bool, buf []byte, limit int64) ([]byte, fileStamp, error) {
	flags := unix.O_RDONLY | unix.O_NONBLOCK | unix.O_CLOEXEC
	if nofollow {
		flags |= unix.O_NOFOLLOW
	}
	fd, err := retry(func() (int, error) { return unix.Open(name, flags, 0) })
	if err != nil {
		if nofollow && errors.Is(err, unix.ELOOP) {
			return buf, fileStamp{}, errSymlink
		}
		return buf, fileStamp{}, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if _, err := retry(func() (int, error) { return 0, unix.Fstat(fd, &st) }); err != nil {
		return buf, fileStamp{}, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	stamp := fileStamp{size: st.Size, modTime: time.Unix(st.Mtim.Unix()).UTC()}
	if uint32(st.Mode)&unix.S_IFMT != unix.S_IFREG {
		return buf, stamp, fmt.Errorf("%w (%s)", ErrNotRegular, modeKind(uint32(st.Mode)))
	}
	if st.Size > limit {
		return buf, stamp, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, st.Size, limit)
	}
	// Ask for one byte more than the size: getting it means the file grew.
	want := int(st.Size) + 1
	if cap(buf) < want {
		buf = make([]byte, want+want/4)
	}
	data := buf[:0]
	for len(data) < want {
		n, err := retry(func() (int, error) { return unix.Read(fd, buf[len(data):want]) })
		if err != nil {
			return buf, stamp, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			break
		}
		data = buf[:len(data)+n]
	}
	if len(data) > int(st.Size) {
		return buf, stamp, fmt.Errorf("%w: it grew while it was read", errChanging)
	}
	return data, stamp, nil
}

// errChanging reports a file caught being written; the watcher will hand
// it on again once it settles.
var errChanging = errors.New("file is being written")

func retry(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if err != unix.EINTR {
			return n, err
		}
	}
}

func modeKind(mode uint32) string {
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return "a directory"
	case unix.S_IFIFO:
		return "a FIFO"
	case unix.S_IFSOCK:
		return "a socket"
	case unix.S_IFCHR, unix.S_IFBLK:
		return "a device"
	}
	return "not a regular file"
}
