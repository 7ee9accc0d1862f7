package watch

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
)

// Watching is closed once every folder of the tree found is watched: at
// New, or, with Options.Later, once Run has walked the tree. A file
// written in a folder after that is handed on; one written before may not
// be, so a consumer that compares the whole folder does it after.
func (w *Watcher) Watching() <-chan struct{} { return w.watching }

// watched closes watching when done, and returns w.
func (w *Watcher) watched(done bool) *Watcher {
	if done {
		close(w.watching)
	}
	return w
}

// setWatches walks the tree and watches its folders, when New left that
// to Run (Options.Later). Walking a million files takes seconds: it stops
// early when ctx is done. A root gone meanwhile is waited for, as one
// removed while Run runs.
func (w *Watcher) setWatches(ctx context.Context) {
	select {
	case <-w.watching:
		return
	default:
	}
	defer close(w.watching)
	w.markRoot()
	if err := w.walkTree(ctx, w.root, false); err != nil && ctx.Err() == nil {
		w.loseRoot()
	}
}

// addTree watches dir and every folder below it. With announce, the files
// found are handed on as changed, since they may have landed before the
// watch existed. A folder that cannot be watched or read does not stop the
// others: it is noted as unwatched, and retried.
func (w *Watcher) addTree(dir string, announce bool) error {
	return w.walkTree(context.Background(), dir, announce)
}

// walkTree is addTree, which stops early, with ctx's error, when ctx is
// done.
func (w *Watcher) walkTree(ctx context.Context, dir string, announce bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if d == nil || d.IsDir() {
				w.noteUnwatched(p, err)
			}
			return nil
		}
		rel, _ := w.rel(p)
		if p != w.root && hidden(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if err := w.fsw.Add(p); err != nil {
				w.noteUnwatched(p, err)
				return filepath.SkipDir // its files are found by the rescans of unwatched folders
			}
			w.dirs[p] = true
			return nil
		}
		if announce && w.opts.Keep(rel) {
			w.touch(rel)
		}
		return nil
	})
}
