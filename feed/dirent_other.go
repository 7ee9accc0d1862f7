//go:build !linux

package feed

import "os"

// eachEntry calls fn with the name of each entry of the open folder dir and
// whether it is a folder (a symlink to one is not).
func eachEntry(dir *os.File, fn func(name []byte, isDir bool)) error {
	entries, err := dir.ReadDir(-1)
	for _, d := range entries {
		fn([]byte(d.Name()), d.IsDir())
	}
	return err
}
