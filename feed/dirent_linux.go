package feed

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// direntBufs are getdents buffers, shared by Scan's workers.
var direntBufs = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// eachEntry calls fn with the name of each entry of the open folder dir and
// whether it is a folder (a symlink to one is not). It reads the kernel's
// directory records itself, as os.File.ReadDir makes two objects an entry.
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
