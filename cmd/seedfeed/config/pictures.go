package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/icon"
)

// readPictures reads and checks the files that icon and logo name, so that
// a picture that cannot be published stops start-up (or a reload) with one
// line, rather than failing a reader. Only local files are taken: seedfeed
// publishes their bytes itself, beside the feeds (at /favicon.ico too,
// which readers ask for after every change) and with its own validators,
// and build writes them out; a URL would leave /favicon.ico to the
// built-in icon, and RSS needs to know that its image is a GIF, JPEG or
// PNG.
func (c *Config) readPictures() error {
	c.favicon, c.iconPNG, c.logo = feed.Image{}, feed.Image{}, feed.Image{}
	if c.Icon != "" {
		data, err := readPicture(c.Icon)
		if err == nil {
			if c.favicon, c.iconPNG, err = icon.Icon(data); err != nil {
				err = fmt.Errorf("%s %w", c.Icon, err)
			}
		}
		if err != nil {
			return c.keyError("icon", err.Error())
		}
	}
	if c.Logo != "" {
		data, err := readPicture(c.Logo)
		if err == nil {
			if c.logo, err = icon.Logo(data); err != nil {
				err = fmt.Errorf("%s %w", c.Logo, err)
			}
		}
		if err != nil {
			return c.keyError("logo", err.Error())
		}
	}
	return nil
}

// readPicture reads the picture file at p, refusing before it reads what
// cannot be one: a URL, a folder, a FIFO or a device (whose read could
// block start-up), a file over icon.MaxSize.
func readPicture(p string) ([]byte, error) {
	if isURL(p) {
		return nil, fmt.Errorf("%q is a URL; give a local file, which seedfeed publishes itself", p)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read: %w", p, cause(err))
	}
	switch {
	case fi.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a picture", p)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file", p)
	case fi.Size() > icon.MaxSize:
		return nil, fmt.Errorf("%s is %.1f MiB, larger than the %d MiB a picture may be", p, float64(fi.Size())/(1<<20), icon.MaxSize>>20)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read: %w", p, cause(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, icon.MaxSize+1)) // grown since Stat: icon says so
	if err != nil {
		return nil, fmt.Errorf("%s cannot be read: %w", p, cause(err))
	}
	return data, nil
}

// cause is err without the operation and path that a *fs.PathError adds,
// which the message names already.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
