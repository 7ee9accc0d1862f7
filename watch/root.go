package watch

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	for d := range w.dirs {
		_ = w.fsw.Remove(d)
	}
	w.dirs = map[string]bool{}
	w.unwatchedMu.Lock()
	w.unwatched = map[string]*unwatched{}
	w.unwatchedMu.Unlock()
	w.rootGone = true
	w.log.Warn("seeds folder is gone; waiting for it to come back", "path", w.path)
}

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

func (w *Watcher) checkRoot() {
	resolved, err := resolve(w.path)
	if err != nil {
		return
	}
	w.root = resolved
	if err := w.addTree(w.root, false); err != nil {
		w.log.Warn("cannot watch the seeds folder yet", "path", w.root, "reason", err.Error())
		return
	}
	w.rootGone = false
	w.log.Info("seeds folder is back; rescanning", "path", w.path)
	w.Rescan("seeds folder recreated")
}
