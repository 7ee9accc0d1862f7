// Package source knows which files of the seeds folder are seeds, finds
// them, and reads them safely: never past the size limit, never blocking on
// a FIFO, following a symlink only when it stays inside the folder. It holds
// every system call seedfeed makes on the seeds folder, and all of its
// platform code (sys_linux.go, sys_other.go).
package source

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
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
	return !hiddenPath(rel) && s.wantsName(path.Base(rel))
}

// hiddenPath reports whether a part of the slash-separated rel is empty or
// starts with a dot: a hidden file or folder (.git), or no path at all.
func hiddenPath(rel string) bool {
	for part := range strings.SplitSeq(rel, "/") {
		if part == "" || part[0] == '.' {
			return true
		}
	}
	return false
}

// wantsName is Wants for a base name in a folder already known to be wanted.
func (s Source) wantsName(base string) bool {
	if base == "" || base[0] == '.' {
		return false
	}
	if base[0] == '#' && base[len(base)-1] == '#' || strings.HasPrefix(base, "~$") || base == "4913" {
		return false // emacs autosave, Office lock file, vim's write test
	}
	for _, suf := range junkSuffixes {
		if len(base) >= len(suf) && strings.EqualFold(base[len(base)-len(suf):], suf) {
			return false
		}
	}
	for _, pat := range s.Include {
		if len(pat) > 1 && pat[0] == '*' && !strings.ContainsAny(pat[1:], `*?[\`) {
			if strings.HasSuffix(base, pat[1:]) { // "*.txt", the common case, without path.Match
				return true
			}
		} else if ok, _ := path.Match(pat, base); ok {
			return true
		}
	}
	return false
}

// Stamp identifies a version of a file without reading it.
type Stamp struct {
	Size    int64
	ModTime time.Time
}

// ErrNotRegular reports a path that is a folder, a FIFO, a socket or a device.
var ErrNotRegular = errors.New("not a regular file")

// ErrOutside reports a symlink whose target lies outside the seeds folder.
var ErrOutside = errors.New("symlink points outside the seeds folder")

// ErrTooLarge reports a file over the size limit.
var ErrTooLarge = errors.New("file is over the size limit")

// Read returns the bytes of the seed at rel and its size and modification
// time. It never reads more than MaxSize bytes, never blocks on a FIFO, and
// follows a symlink only when its target stays inside the folder.
func (s Source) Read(rel string) ([]byte, Stamp, error) {
	return s.ReadInto(rel, nil)
}

// ReadInto is Read into buf, which it grows as needed and returns, so that
// a reader of many files allocates once.
func (s Source) ReadInto(rel string, buf []byte) ([]byte, Stamp, error) {
	limit := s.MaxSize
	if limit <= 0 {
		limit = 1<<63 - 2
	}
	full := s.path(rel)
	data, st, err := readFile(full, true, buf, limit)
	if errors.Is(err, errSymlink) {
		target, rerr := s.resolve(full)
		if errors.Is(rerr, fs.ErrNotExist) {
			if to, lerr := os.Readlink(full); lerr == nil {
				rerr = fmt.Errorf("%w (%s)", ErrBrokenLink, to)
			}
		}
		if rerr == nil {
			if to, ok := s.seedAt(target); ok && to != rel {
				rerr = fmt.Errorf("%w %s, published under its own name", ErrLinkToSeed, to)
			}
		}
		if rerr != nil {
			// Stamped as a scan stamps it, through the link (or, a link to
			// nothing, the link itself), so that a rescan passes over it
			// until it changes, rather than say it again each time.
			fi, serr := os.Stat(full)
			if errors.Is(serr, fs.ErrNotExist) {
				fi, serr = os.Lstat(full)
			}
			if serr == nil {
				st = Stamp{Size: fi.Size(), ModTime: fi.ModTime().UTC()}
			}
			return buf, st, rerr
		}
		full = target
		data, st, err = readFile(full, false, buf, limit)
	}
	return data, st, err
}

// ErrLinkToSeed reports a symlink to another seed of the folder: the post
// is published once, under the name of its file, not again under the
// link's with an ID and a date of its own.
var ErrLinkToSeed = errors.New("a symlink to the seed")

// ErrBrokenLink reports a symlink whose target does not exist. It is not
// fs.ErrNotExist: the link is there, and is skipped with a word, not
// taken for a removed file.
var ErrBrokenLink = errors.New("a symlink to nothing")

// seedAt returns the slash-separated path inside the folder of target, a
// resolved path inside it, and whether a scan finds a seed there.
func (s Source) seedAt(target string) (string, bool) {
	root, err := filepath.EvalSymlinks(s.Dir)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(root, target)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	return rel, s.Wants(rel)
}

// Prefetch has the kernel start reading the seed at rel into the page
// cache, so that a Read of it soon after does not wait on the disk as
// long. It waits only for the file to be found. Many at once keep the disk
// busy with them together, as a Read at a time cannot. A file that Read
// refuses (too large, not a regular file) is not read.
func (s Source) Prefetch(rel string) {
	limit := s.MaxSize
	if limit <= 0 {
		limit = 1<<63 - 1
	}
	prefetch(s.path(rel), limit)
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

// Place returns the absolute, slash-separated path of the seeds folder, as
// the user named it (symlinks are not followed: the folder's name is its
// place in the site), or "" when it cannot be known.
func (s Source) Place() string {
	abs, err := filepath.Abs(s.Dir)
	if err != nil {
		return ""
	}
	return filepath.ToSlash(abs)
}

// Exists reports whether anything, even a broken symlink, is at rel.
func (s Source) Exists(rel string) bool {
	_, err := os.Lstat(s.path(rel))
	return !errors.Is(err, fs.ErrNotExist)
}

// FolderFails returns why the folder that holds the seed at rel cannot be
// listed, or nil when it can. A file in such a folder cannot be read
// either, through no fault of its own.
func (s Source) FolderFails(rel string) error {
	f, err := os.Open(s.path(path.Dir(rel)))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	if err == io.EOF {
		err = nil
	}
	return err
}

// path returns the file system path of the seed at rel.
func (s Source) path(rel string) string {
	return filepath.Join(s.Dir, filepath.FromSlash(rel))
}
