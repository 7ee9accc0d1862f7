package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"
)

// resolve returns the folder at path with every symlink on the way
// resolved: inotify watches a folder, not a link to it, and a walk does not
// enter a link.
func resolve(path string) (string, error) {
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(resolved); err != nil {
		return "", err
	} else if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a folder", path)
	}
	return resolved, nil
}

// loseRoot handles the root folder being removed or moved away: stop
// following it, and wait for it to come back.
func (w *Watcher) loseRoot() {
	w.dropWatches()
	w.setGone(true)
	w.log.Warn("seeds folder is gone; waiting for it to come back", "path", w.path)
}

// dropWatches lets go of every folder watched or noted as unwatched.
func (w *Watcher) dropWatches() {
	for d := range w.dirs {
		_ = w.fsw.Remove(d) // its watch may be gone already
	}
	w.dirs, w.aliases = map[string]bool{}, map[string]bool{}
	w.unwatchedMu.Lock()
	w.unwatched = map[string]*unwatched{}
	w.unwatchedMu.Unlock()
}

func (w *Watcher) setGone(gone bool) { w.gone.Store(gone) }

// Gone reports whether the root folder is missing, or found but not yet
// watched: until it is back, its changes are not followed.
func (w *Watcher) Gone() bool { return w.gone.Load() }

// followRoot notices a root whose path now leads elsewhere, such as a
// symlink pointed at another folder: the old folder is let go and the new
// one watched and rescanned.
func (w *Watcher) followRoot() {
	if resolved, err := resolve(w.path); err == nil && resolved == w.root {
		return
	}
	w.loseRoot()
	w.checkRoot()
}

// rootMoved reports whether the folder at the root's path is no longer the
// one watched, as when a symlink replaced it.
func (w *Watcher) rootMoved() bool {
	fi, err := os.Lstat(w.path)
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

// checkRoot takes the root up again once it is back.
func (w *Watcher) checkRoot() {
	if !w.watchRoot() {
		return
	}
	w.log.Info("seeds folder is back; rescanning", "path", w.path)
	w.Rescan("seeds folder recreated")
}

// watchRoot watches the folder now at the root's path, and reports
// whether it could.
func (w *Watcher) watchRoot() bool {
	resolved, err := resolve(w.path)
	if err != nil {
		return false
	}
	w.root = resolved
	w.markRoot()
	if err := w.addTree(w.root, false); err != nil {
		w.log.Warn("cannot watch the seeds folder yet", "path", w.root, "reason", err.Error())
		return false
	}
	w.setGone(false)
	return true
}

// rootCheckEvery is how often verifyRoot runs.
const rootCheckEvery = 2 * time.Second

// markRoot notes which folder the root is, as it is about to be watched.
func (w *Watcher) markRoot() {
	w.rootInfo, _ = os.Stat(w.root)
}

// verifyRoot makes sure that the folder at the root's path is still the
// one watched, and that its watches are still there. Neither shows in the
// events: a file system mounted over the root, or unmounted from under
// it, sends nothing about the path, and the kernel's word that a watch
// is gone (IN_UNMOUNT, IN_IGNORED) is dropped by fsnotify, which forgets
// the watch and sends no event. A file system unmounted and mounted again
// between two checks may show the very same device and inode: only the
// missing watch tells it. A folder found again is watched again, and
// rescanned, as what it holds may be another folder's.
func (w *Watcher) verifyRoot() {
	fi, err := os.Stat(w.root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		w.loseRoot()
		return
	case err != nil:
		return // a folder that cannot be looked at now: the rescans say so
	case w.rootInfo == nil:
		w.rootInfo = fi
	case !os.SameFile(fi, w.rootInfo):
		w.rewatch("the seeds folder is not the folder watched any more (a file system mounted or unmounted there, or the folder replaced); watching it as it is now, and rescanning")
		return
	}
	if len(w.dirs) == 0 {
		return
	}
	watched := w.fsw.WatchList()
	if w.dirs[w.root] && !slices.Contains(watched, w.root) {
		w.rewatch("the seeds folder's watch is gone (its file system unmounted, or unmounted and mounted again); watching it again, and rescanning")
		return
	}
	if len(watched)+len(w.aliases) >= len(w.dirs) {
		return
	}
	w.rewatchFolders(watched)
}

// rewatch lets go of every watch, watches the folder now at the root's
// path, and asks for a rescan. The caller has seen the folder changed.
func (w *Watcher) rewatch(why string) {
	w.log.Warn(why, "path", w.path)
	w.dropWatches()
	if !w.watchRoot() {
		w.setGone(true) // the root poll takes it up once it can
	}
	w.Rescan("seeds folder changed")
}

// rewatchFolders watches again the folders below the root whose watches
// are gone without an event, as those of a file system unmounted under the
// root, and asks for a rescan. A folder removed or moved away whose event
// is still on its way is let go: the rescan finds it gone. A folder that
// is also watched by another path (a bind mount of one folder of the tree
// in another) is listed by fsnotify under one path only: it is not lost,
// and is noted as an alias so as not to be taken for lost again.
func (w *Watcher) rewatchFolders(watched []string) {
	have := listed(watched)
	var lost []string
	for d := range w.dirs {
		if !have[d] && !w.aliases[d] {
			lost = append(lost, d)
		}
	}
	for _, d := range lost {
		delete(w.dirs, d)
		if fi, err := os.Lstat(d); err == nil && fi.IsDir() {
			_ = w.addTree(d, false) // an error: gone meanwhile
		}
	}
	have = listed(w.fsw.WatchList())
	var again []string
	for _, d := range lost {
		switch {
		case have[d]:
			again = append(again, d)
		case w.dirs[d]:
			w.aliases[d] = true
		}
	}
	if len(again) > 0 {
		sort.Strings(again)
		rel, _ := w.rel(again[0])
		w.log.Warn("folders lost their watches (a file system unmounted under the seeds folder?); watching them again, and rescanning", "folders", len(again), "first", rel)
	}
	w.Rescan("folder watches lost")
}

func listed(paths []string) map[string]bool {
	m := make(map[string]bool, len(paths))
	for _, p := range paths {
		m[p] = true
	}
	return m
}
