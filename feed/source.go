package feed

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Source is the seeds folder and the rules for which of its files are seeds.
type Source struct {
	Dir     string   // the seeds folder
	Include []string // base-name patterns, as path.Match takes them
	MaxSize int64    // larger files are skipped unread
}

// junkSuffixes end the names of backups, swap files and partial downloads.
var junkSuffixes = []string{"~", ".swp", ".swo", ".swx", ".tmp", ".temp", ".part", ".partial",
	".crdownload", ".download", ".bak", ".orig", ".rej", ".lock", ".kate-swp"}

// Wants reports whether the file at rel, a slash-separated path inside the
// folder, is a seed by its name: not hidden, not an editor's or a
// downloader's leftover, and matching an include pattern.
func (s Source) Wants(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if part == "" || strings.HasPrefix(part, ".") {
			return false
		}
	}
	base := path.Base(rel)
	lower := strings.ToLower(base)
	if strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#") || strings.HasPrefix(base, "~$") || base == "4913" {
		return false // emacs autosave, Office lock file, vim's write test
	}
	for _, suf := range junkSuffixes {
		if strings.HasSuffix(lower, suf) {
			return false
		}
	}
	for _, pat := range s.Include {
		if ok, _ := path.Match(pat, base); ok {
			return true
		}
	}
	return false
}

// List returns the slash-separated paths of every seed below the folder, in
// lexical order. Hidden folders are not entered, and symlinks to folders are
// not followed, so a link loop cannot trap the walk.
func (s Source) List() ([]string, error) {
	var out []string
	err := filepath.WalkDir(s.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == s.Dir {
				return err
			}
			return nil // a folder that vanished or cannot be read: skip it
		}
		if p == s.Dir {
			return nil
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, s.Dir+string(filepath.Separator)))
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if s.Wants(rel) {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("feed: list %s: %w", s.Dir, err)
	}
	sort.Strings(out)
	return out, nil
}

// ErrNotRegular reports a path that is a folder, a FIFO, a socket or a device.
var ErrNotRegular = errors.New("not a regular file")

// ErrOutside reports a symlink whose target lies outside the seeds folder.
var ErrOutside = errors.New("symlink points outside the seeds folder")

// ErrTooLarge reports a file over the size limit.
var ErrTooLarge = errors.New("file is over the size limit")

// Read returns the bytes of the seed at rel and its file info. It never
// reads more than MaxSize bytes, never blocks on a FIFO, and follows a
// symlink only when its target stays inside the folder.
func (s Source) Read(rel string) ([]byte, fs.FileInfo, error) {
	full := s.path(rel)
	fi, err := os.Lstat(full)
	if err != nil {
		return nil, nil, err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if full, err = s.resolve(full); err != nil {
			return nil, nil, err
		}
		if fi, err = os.Stat(full); err != nil {
			return nil, nil, err
		}
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%w (%s)", ErrNotRegular, fileKind(fi.Mode()))
	}
	if s.MaxSize > 0 && fi.Size() > s.MaxSize {
		return nil, nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, fi.Size(), s.MaxSize)
	}
	f, err := openNonBlocking(full)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	// The path may have been swapped for a FIFO between Stat and Open.
	if fi, err = f.Stat(); err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%w (%s)", ErrNotRegular, fileKind(fi.Mode()))
	}
	limit := s.MaxSize
	if limit <= 0 {
		limit = 1<<63 - 2
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > limit {
		return nil, nil, fmt.Errorf("%w: grew past %d bytes while read", ErrTooLarge, limit)
	}
	return data, fi, nil
}

// resolve follows the symlink at full and returns its target when the target
// lies inside the folder.
func (s Source) resolve(full string) (string, error) {
	target, err := filepath.EvalSymlinks(full)
	if err != nil {
		return "", err // includes "too many links" for a loop
	}
	root, err := filepath.EvalSymlinks(s.Dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", ErrOutside
	}
	return target, nil
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

// path returns the file system path of the seed at rel.
func (s Source) path(rel string) string {
	return filepath.Join(s.Dir, filepath.FromSlash(rel))
}

// stamp returns the size and modification time of the seed at rel, following
// a symlink to its target.
func (s Source) stamp(rel string) (fileStamp, error) {
	fi, err := os.Stat(s.path(rel))
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{size: fi.Size(), modTime: fi.ModTime().UTC()}, nil
}
