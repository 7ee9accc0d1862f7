package source

import (
	"fmt"
	"os"
)

// OpenMedia opens the file at rel, a picture or a sound that an entry
// references, to publish it beside the entries. Only a regular file inside
// the folder is opened: a symlink, of the file or of a folder on its way,
// only when where it leads stays inside, and never a FIFO or a device. The
// caller closes the file.
func (s Source) OpenMedia(rel string) (*os.File, Stamp, error) {
	full, err := s.resolve(s.path(rel)) // every symlink on the way, followed and checked
	if err != nil {
		return nil, Stamp{}, err
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
