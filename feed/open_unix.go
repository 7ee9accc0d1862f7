//go:build unix

package feed

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// errSymlink reports that readFile met a symlink it was told not to follow.
var errSymlink = errors.New("is a symlink")

// statAt returns the stamp of the file name inside the open folder dir,
// following a symlink, without resolving the folder's path again.
func statAt(dir *os.File, name string) (fileStamp, error) {
	var st unix.Stat_t
	if err := unix.Fstatat(int(dir.Fd()), name, &st, 0); err != nil {
		return fileStamp{}, err
	}
	return fileStamp{size: st.Size, modTime: time.Unix(st.Mtim.Unix()).UTC()}, nil
}
