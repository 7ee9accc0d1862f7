package source

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// readFile reads the file at name into buf, growing it as needed, with as
// few system calls as a file allows: open, fstat, one read and close. Going
// around os.File saves the stat and poller set-up it does on every open,
// which counts at 100,000 files. nofollow refuses a symlink with
// errSymlink. The open never blocks, so a FIFO cannot hang the reader.
func readFile(name string, nofollow bool, buf []byte, limit int64) ([]byte, Stamp, error) {
	flags := unix.O_RDONLY | unix.O_NONBLOCK | unix.O_CLOEXEC
	if nofollow {
		flags |= unix.O_NOFOLLOW
	}
	fd, err := retry(func() (int, error) { return unix.Open(name, flags, 0) })
	if err != nil {
		if nofollow && errors.Is(err, unix.ELOOP) {
			return buf, Stamp{}, errSymlink
		}
		var st unix.Stat_t
		if errors.Is(err, unix.ENXIO) && unix.Lstat(name, &st) == nil {
			// A socket (or a device without a driver): no file to read.
			// Stamped, as a FIFO is, so that a rescan passes over it.
			stamp := Stamp{Size: st.Size, ModTime: time.Unix(st.Mtim.Unix()).UTC()}
			return buf, stamp, fmt.Errorf("%w (%s)", ErrNotRegular, modeKind(uint32(st.Mode)))
		}
		return buf, Stamp{}, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if _, err := retry(func() (int, error) { return 0, unix.Fstat(fd, &st) }); err != nil {
		return buf, Stamp{}, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	stamp := Stamp{Size: st.Size, ModTime: time.Unix(st.Mtim.Unix()).UTC()}
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
		if len(data) == int(st.Size) {
			// All the bytes the stat counted, and not the one more asked
			// for: a regular file reads short only at its end, so there
			// is no need of another read to be told so.
			break
		}
	}
	if len(data) > int(st.Size) {
		return buf, stamp, fmt.Errorf("%w: it grew while it was read", errChanging)
	}
	return data, stamp, nil
}

// prefetch asks the kernel to read the file at name into the page cache,
// when it is a regular file of at most limit bytes, and does not wait for
// its bytes: a read of it soon after finds them there. It waits only for
// the open, which reads the file's inode. It follows no symlink (a seed
// that is one is read without) and never blocks on a FIFO; a file it
// cannot open, or that the read will refuse, is left to the read.
func prefetch(name string, limit int64) {
	fd, err := unix.Open(name, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || uint32(st.Mode)&unix.S_IFMT != unix.S_IFREG || st.Size > limit {
		return
	}
	unix.Fadvise(fd, 0, st.Size, unix.FADV_WILLNEED)
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

// errSymlink reports that readFile met a symlink it was told not to follow.
var errSymlink = errors.New("is a symlink")

// statAt returns the stamp of the file name inside the open folder dir,
// following a symlink, without resolving the folder's path again.
//
// A symlink to nothing has the stamp of the link itself, so that a rescan
// passes over it until it changes (or its target appears), rather than
// read it, and say why it is skipped, each time.
func statAt(dir *os.File, name string) (Stamp, error) {
	var st unix.Stat_t
	err := unix.Fstatat(int(dir.Fd()), name, &st, 0)
	if errors.Is(err, unix.ENOENT) {
		err = unix.Fstatat(int(dir.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW)
	}
	if err != nil {
		return Stamp{}, err
	}
	return Stamp{Size: st.Size, ModTime: time.Unix(st.Mtim.Unix()).UTC()}, nil
}

// direntBufs are getdents buffers, shared by Scan's workers.
var direntBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// eachEntry calls fn with the name of each entry of the open folder dir and
// whether it is a folder (a symlink to one is not). It reads the kernel's
// directory records itself, as os.File.ReadDir makes two objects an entry:
// at 100,000 files that is 5 to 9% of a warm rebuild (measured with
// cmd/seedfeed-bench, three alternating runs, when the layout was split).
// name is only valid during the call.
func eachEntry(dir *os.File, fn func(name []byte, isDir bool)) error {
	bp := direntBufs.Get().(*[]byte)
	defer direntBufs.Put(bp)
	buf := *bp
	fd := int(dir.Fd())
	for {
		n, err := retry(func() (int, error) { return unix.Getdents(fd, buf) })
		if err != nil {
			return err
		}
		if n <= 0 {
			return nil
		}
		// Each record of linux_dirent64: inode (8), offset (8), length (2),
		// type (1), then the name, ended by a zero byte.
		for b := buf[:n]; len(b) > 0; {
			size := int(binary.NativeEndian.Uint16(b[16:18]))
			if size < 20 || size > len(b) {
				return errors.New("malformed directory record")
			}
			kind, name := b[18], b[19:size]
			b = b[size:]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			if string(name) == "." || string(name) == ".." {
				continue
			}
			isDir := kind == unix.DT_DIR
			if kind == unix.DT_UNKNOWN { // some file systems leave the type out
				var st unix.Stat_t
				isDir = unix.Fstatat(fd, string(name), &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR
			}
			fn(name, isDir)
		}
	}
}

// Transient reports whether err says more about the machine than about the
// file: no file descriptor or memory left, or an I/O error. Such a failure
// is no reason to take an entry out of the feed.
func Transient(err error) bool {
	return errors.Is(err, unix.EMFILE) || errors.Is(err, unix.ENFILE) || errors.Is(err, unix.ENOMEM) || errors.Is(err, unix.EIO)
}

// SyncFS makes everything written to the file system that holds dir
// durable, in one call (syncfs), rather than one fsync per file.
func SyncFS(dir string) error {
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	defer unix.Close(fd)
	if err := unix.Syncfs(fd); err != nil {
		return &fs.PathError{Op: "syncfs", Path: dir, Err: err}
	}
	return nil
}

// openMedia opens the file at name, which has no symlink on its way, for
// reading: O_NOFOLLOW refuses one put in place since, and O_NONBLOCK keeps
// a FIFO from blocking.
func openMedia(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|unix.O_NONBLOCK|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
}
