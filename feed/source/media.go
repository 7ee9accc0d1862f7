package source

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrNotMedia reports a media path whose symlink leads to a seed, to a
// hidden file or to a file of another type.
var ErrNotMedia = errors.New("leads to a seed, a hidden file or a file of another type")

// OpenMedia opens the file at rel, a picture or a sound that an entry
// references, to publish it beside the entries. Only a regular file inside
// the folder is opened: a symlink, of the file or of a folder on its way,
// only when where it leads stays inside, is no seed, is not hidden and
// has the same extension; never a FIFO or a device. The caller closes the
// file.
func (s Source) OpenMedia(rel string) (*os.File, Stamp, error) {
	full, err := s.resolve(s.path(rel)) // every symlink on the way, followed and checked
	if err != nil {
		return nil, Stamp{}, err
	}
	if root, err := filepath.EvalSymlinks(s.Dir); err == nil {
		target, err := filepath.Rel(root, full)
		target = filepath.ToSlash(target)
		if err != nil || s.Wants(target) || hiddenPath(target) || !strings.EqualFold(path.Ext(target), path.Ext(rel)) {
			return nil, Stamp{}, ErrNotMedia
		}
	}
	f, err := openMedia(full)
	if err != nil {
		return nil, Stamp{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Stamp{}, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, Stamp{}, fmt.Errorf("%w (%s)", ErrNotRegular, fi.Mode().Type())
	}
	return f, Stamp{Size: fi.Size(), ModTime: fi.ModTime().UTC()}, nil
}
