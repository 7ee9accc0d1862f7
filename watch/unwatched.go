package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"
)

// maxRetry bounds the backoff of the retries of unwatched folders: what
// lands in one must still arrive within seconds, not at the periodic
// rescan.
const maxRetry = 30 * time.Second

// unwatched is a folder that could not be watched or read.
type unwatched struct {
	rel    string // the folder, relative to the root, as it was when noted
	err    error
	failed bool // failed again at the latest retry
}

// noteUnwatched records a folder that could not be watched or read,
// logging it once, with what to do when the reason is the inotify limit.
func (w *Watcher) noteUnwatched(dir string, err error) {
	rel, _ := w.rel(dir)
	if rel == "" {
		rel = "."
	}
	w.unwatchedMu.Lock()
	u, known := w.unwatched[dir]
	if !known {
		u = &unwatched{rel: rel}
		w.unwatched[dir] = u
	}
	u.err, u.failed = err, true
	n := len(w.dirs) + len(w.unwatched)
	w.unwatchedMu.Unlock()
	if known {
		return
	}
	reason := err.Error()
	if strings.Contains(reason, "no space left on device") { // ENOSPC from inotify_add_watch
		reason = fmt.Sprintf("the inotify watch limit is reached: fs.inotify.max_user_watches is %s and this folder tree needs at least %d, one a folder; raise it with sysctl",
			readLimit(), n)
	}
	w.log.Warn("cannot watch folder; looking at it every few seconds instead", "path", rel, "reason", reason)
}

// readLimit returns the inotify watch limit, as the kernel says it.
func readLimit() string {
	b, err := os.ReadFile("/proc/sys/fs/inotify/max_user_watches")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

// Unwatched returns the folders that cannot be watched, each with the
// reason, as "path: reason", sorted. Their files are found by a rescan
// every few seconds.
func (w *Watcher) Unwatched() []string {
	w.unwatchedMu.Lock()
	defer w.unwatchedMu.Unlock()
	var out []string
	for _, u := range w.unwatched {
		out = append(out, u.rel+": "+u.err.Error())
	}
	sort.Strings(out)
	return out
}

// retryUnwatched tries again to watch the folders that could not be, and
// asks for a rescan, which finds what landed in them meanwhile.
func (w *Watcher) retryUnwatched() {
	w.unwatchedMu.Lock()
	dirs := make([]string, 0, len(w.unwatched))
	for d, u := range w.unwatched {
		dirs = append(dirs, d)
		u.failed = false
	}
	w.unwatchedMu.Unlock()
	if len(dirs) == 0 {
		return
	}
	for _, d := range dirs {
		if _, err := os.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
			w.addTree(d, true) // a failure marks it failed again
		}
	}
	w.unwatchedMu.Lock()
	var fixed []string
	for d, u := range w.unwatched {
		if !u.failed {
			fixed = append(fixed, u.rel)
			delete(w.unwatched, d)
		}
	}
	w.unwatchedMu.Unlock()
	for _, rel := range fixed {
		w.log.Info("folder is watched again, or gone", "path", rel)
	}
	w.Rescan("folders not watched")
}

// unwatchedLeft reports whether some folder is still not watched.
func (w *Watcher) unwatchedLeft() bool {
	w.unwatchedMu.Lock()
	defer w.unwatchedMu.Unlock()
	return len(w.unwatched) > 0
}
