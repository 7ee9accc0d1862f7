package feed

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
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
// lexical order.
func (s Source) List() ([]string, error) {
	found, err := s.Scan(false)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.Path
	}
	return out, nil
}

// Found is a seed found by Scan.
type Found struct {
	Path    string    // slash-separated, inside the folder
	Stamp   fileStamp // size and modification time, of a symlink's target
	StampOK bool      // the stat worked; if not, reading the file will say why
}

// Scan returns every seed below the folder in lexical order, with its size
// and modification time when withStamps is set. Folders are read in
// parallel, and files are stat-ed relative to their open folder, which
// spares the kernel resolving each full path. Hidden folders are not
// entered, and symlinks to folders are not followed, so a link loop cannot
// trap the walk.
func (s Source) Scan(withStamps bool) ([]Found, error) {
	if _, err := os.Stat(s.Dir); err != nil {
		return nil, fmt.Errorf("feed: list %s: %w", s.Dir, err)
	}
	var (
		mu  sync.Mutex
		out []Found
		wg  sync.WaitGroup
		sem = make(chan struct{}, parallelIO)
	)
	var walk func(rel string)
	walk = func(rel string) { // one goroutine per folder, parallelIO at work at once
		defer wg.Done()
		sem <- struct{}{}
		var local []Found
		var sub []string
		if dir, err := os.Open(s.path(rel)); err == nil { // a folder that vanished or cannot be read is skipped
			entries, _ := dir.ReadDir(-1)
			for _, d := range entries {
				p := d.Name()
				if rel != "" {
					p = rel + "/" + p
				}
				switch {
				case d.IsDir():
					if !strings.HasPrefix(d.Name(), ".") {
						sub = append(sub, p)
					}
				case s.Wants(p):
					f := Found{Path: p}
					if withStamps {
						var err error
						f.Stamp, err = statAt(dir, d.Name())
						f.StampOK = err == nil
					}
					local = append(local, f)
				}
			}
			dir.Close()
		}
		<-sem
		mu.Lock()
		out = append(out, local...)
		mu.Unlock()
		for _, p := range sub {
			wg.Add(1)
			go walk(p)
		}
	}
	wg.Add(1)
	walk("")
	wg.Wait()
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// parallelIO is how many folders Scan reads at once: its calls wait on the
// kernel more than on the CPU.
const parallelIO = 4

// fileStamp identifies a version of a file without reading it.
type fileStamp struct {
	size    int64
	modTime time.Time
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
func (s Source) Read(rel string) ([]byte, fileStamp, error) {
	return s.ReadInto(rel, nil)
}

// ReadInto is Read into buf, which it grows as needed and returns, so that
// a reader of many files allocates once.
func (s Source) ReadInto(rel string, buf []byte) ([]byte, fileStamp, error) {
	limit := s.MaxSize
	if limit <= 0 {
		limit = 1<<63 - 2
	}
	full := s.path(rel)
	data, st, err := readFile(full, true, buf, limit)
	if errors.Is(err, errSymlink) {
		if full, err = s.resolve(full); err != nil {
			return buf, fileStamp{}, err
		}
		data, st, err = readFile(full, false, buf, limit)
	}
	return data, st, err
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

// path returns the file system path of the seed at rel.
func (s Source) path(rel string) string {
	return filepath.Join(s.Dir, filepath.FromSlash(rel))
}
