// Package watch turns file system events under a folder into settled,
// de-duplicated batches of changed paths. It knows nothing about feeds.
//
// Every folder under the root is watched with fsnotify, and new folders are
// watched and scanned as they appear, since files can land in them before
// their watch exists. Each file path is debounced: it is handed on only
// after no event has touched it for the debounce interval, so a file copied
// or written in pieces is handed on once, whole. Paths that settle while the
// consumer is busy are gathered into the next batch, so a burst of files
// costs a handful of batches, not one each.
//
// When events cannot be trusted — the kernel's queue overflowed, the root
// folder was removed and came back, a watched folder vanished, a file
// system was mounted or unmounted at the root or under it (seen by a check
// every few seconds of the root's identity and of the watches themselves)
// — the watcher watches again what is there and asks the consumer for a
// full rescan instead. A periodic rescan is the
// safety net for file systems that send no events at all (NFS, some bind
// mounts).
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options tune a Watcher.
type Options struct {
	// Debounce is how long a path must be quiet before it is handed on.
	// Zero means 100ms.
	Debounce time.Duration
	// Rescan is the interval of the periodic full rescan; zero turns it off.
	Rescan time.Duration
	// Keep reports whether a file path, slash-separated and relative to the
	// root, is of interest. Nil keeps every file. Hidden files and folders
	// are always left out.
	Keep func(rel string) bool
	// Retry is how soon folders that could not be watched are tried again
	// and rescanned, so that what lands in them still arrives; then twice
	// as long each time they still cannot be watched, up to 30 s. Zero
	// means 5 s.
	Retry time.Duration
	// Logger receives warnings; slog.Default() when nil.
	Logger *slog.Logger
	// Missing lets the root be missing at the start: the watcher then
	// waits for it to appear, as for a root removed while it runs.
	Missing bool
	// Later has Run set the watches rather than New, which then returns
	// at once whatever the size of the tree (see Watching).
	Later bool
}

// Batch is one hand-over to the consumer.
type Batch struct {
	// Paths were created, changed or removed: the consumer looks at each one
	// to see which. Slash-separated, relative to the root, sorted.
	Paths []string
	// Rescan asks the consumer to reconcile the whole folder, because events
	// were lost. RescanReason says why.
	Rescan       bool
	RescanReason string
	// More says that other paths were still settling when the batch was
	// handed on: a burst is under way, and a consumer may wait for the
	// rest before acting on the whole.
	More bool
}

// Watcher watches one folder tree.
type Watcher struct {
	path string // the root as given, which may be or pass through a symlink
	root string // path with every symlink resolved: where the watches are
	opts Options
	fsw  *fsnotify.Watcher
	log  *slog.Logger

	fired    chan firing   // paths whose debounce timer ran out
	watching chan struct{} // closed once every folder found is watched
	kick     chan struct{}
	done     chan struct{} // closed by Close
	closeMu  sync.Mutex
	closed   bool
	wg       sync.WaitGroup

	// Owned by the event loop.
	timers   map[string]debounce
	dirs     map[string]bool // absolute paths of watched folders
	aliases  map[string]bool // those that fsnotify lists by another path (see rewatchFolders)
	rootInfo os.FileInfo     // the root folder as it was when watched: see verifyRoot
	gen      uint64

	gone atomic.Bool // the root is missing or not watched: written by the event loop (setGone), read by Gone too

	pending   atomic.Int64 // debounce timers running
	events    atomic.Int64 // file events taken, for Stats
	overflows atomic.Int64 // times the event queue overflowed, for Stats

	unwatchedMu sync.Mutex
	unwatched   map[string]*unwatched // folders that could not be watched or read, by path

	mu           sync.Mutex // guards what the next batch holds
	ready        map[string]bool
	rescan       bool
	rescanReason string
}

// Stats counts what a watcher has seen since it started.
type Stats struct {
	Events    int64 // file events taken, a change of mode among them
	Overflows int64 // times the kernel's event queue overflowed, each answered by a rescan
	Unwatched int   // folders that cannot be watched now
}

// Stats returns what the watcher has seen so far.
func (w *Watcher) Stats() Stats {
	w.unwatchedMu.Lock()
	n := len(w.unwatched)
	w.unwatchedMu.Unlock()
	return Stats{Events: w.events.Load(), Overflows: w.overflows.Load(), Unwatched: n}
}

// New watches root and every folder below it.
func New(root string, opts Options) (*Watcher, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = 100 * time.Millisecond
	}
	if opts.Keep == nil {
		opts.Keep = func(string) bool { return true }
	}
	if opts.Retry <= 0 {
		opts.Retry = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	resolved, err := resolve(abs)
	gone := opts.Missing && errors.Is(err, fs.ErrNotExist)
	if err != nil && !gone {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if gone {
		resolved = abs // watched once it appears
	}
	fsw, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w := &Watcher{
		path: abs, root: resolved, opts: opts, fsw: fsw, log: opts.Logger,
		fired: make(chan firing, 256), kick: make(chan struct{}, 1), done: make(chan struct{}),
		timers: map[string]debounce{}, dirs: map[string]bool{}, aliases: map[string]bool{}, ready: map[string]bool{},
		unwatched: map[string]*unwatched{}, watching: make(chan struct{}),
	}
	w.gone.Store(gone)
	if gone || opts.Later {
		return w.watched(gone), nil
	}
	w.markRoot()
	if err := w.addTree(resolved, false); err != nil {
		fsw.Close()
		return nil, err
	}
	return w.watched(true), nil
}

// Run delivers batches to handle, one at a time, until ctx is done or
// Close is called. handle runs on a goroutine of Run's, never two at once.
func (w *Watcher) Run(ctx context.Context, handle func(Batch)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w.setWatches(ctx)
	w.wg.Add(1)
	go func() { // the dispatcher; exits when ctx is done
		defer w.wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case <-w.kick:
				w.gather(ctx)
				if b, ok := w.take(); ok {
					handle(b)
				}
			}
		}
	}()
	err := w.loop(ctx)
	cancel()
	w.wg.Wait()
	return err
}

// Rescan asks for a full rescan in the next batch.
func (w *Watcher) Rescan(reason string) {
	w.mu.Lock()
	w.rescan, w.rescanReason = true, reason
	w.mu.Unlock()
	w.signal()
}

// Changed hands paths, slash-separated and relative to the root, on in
// the next batch, as if events had changed them: for a consumer with its
// own reason to look at files again, such as a time that came.
func (w *Watcher) Changed(paths ...string) {
	w.mu.Lock()
	for _, p := range paths {
		w.ready[p] = true
	}
	w.mu.Unlock()
	w.signal()
}

// Close stops the watcher. It is safe to call more than once.
func (w *Watcher) Close() error {
	w.closeMu.Lock()
	defer w.closeMu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	close(w.done)
	return w.fsw.Close()
}

func (w *Watcher) signal() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// gather waits a little while other paths are still settling, up to half a
// debounce interval, so that a burst of files becomes one batch rather than
// many. A single file pays nothing: no other timer is running.
func (w *Watcher) gather(ctx context.Context) {
	deadline := time.Now().Add(w.opts.Debounce / 2)
	for w.pending.Load() > 0 && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// take empties what has gathered into a batch.
func (w *Watcher) take() (Batch, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.ready) == 0 && !w.rescan {
		return Batch{}, false
	}
	b := Batch{Rescan: w.rescan, RescanReason: w.rescanReason, More: w.pending.Load() > 0}
	for p := range w.ready {
		b.Paths = append(b.Paths, p)
	}
	sort.Strings(b.Paths)
	w.ready = map[string]bool{}
	w.rescan, w.rescanReason = false, ""
	return b, true
}

// loop is the event loop. It owns timers and dirs, and writes gone.
func (w *Watcher) loop(ctx context.Context) error {
	var rescanTick <-chan time.Time
	if w.opts.Rescan > 0 {
		t := time.NewTicker(w.opts.Rescan)
		defer t.Stop()
		rescanTick = t.C
	}
	rootPoll := time.NewTicker(max(w.opts.Debounce, 50*time.Millisecond))
	defer rootPoll.Stop()
	rootCheck := time.NewTicker(rootCheckEvery)
	defer rootCheck.Stop()
	// Folders that cannot be watched are tried again after Retry, then
	// twice as long each time they still cannot be, up to maxRetry.
	retryEvery := w.opts.Retry
	retry := time.NewTimer(retryEvery)
	defer retry.Stop()
	defer func() {
		for _, d := range w.timers {
			if d.timer.Stop() {
				w.pending.Add(-1)
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-w.done:
			return nil
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return nil
			}
			w.onEvent(ev)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return nil
			}
			w.onError(err)
		case f := <-w.fired:
			d, ok := w.timers[f.rel]
			if !ok || d.gen != f.gen {
				break // touched again since: a newer timer will hand it on
			}
			if now := w.stat(f.rel); now != d.stamp {
				w.touch(f.rel) // still growing: wait another interval
				break
			}
			delete(w.timers, f.rel)
			w.mu.Lock()
			w.ready[f.rel] = true
			w.mu.Unlock()
			w.signal()
		case <-rescanTick:
			w.Rescan("periodic")
		case <-rootPoll.C:
			if w.gone.Load() {
				w.checkRoot()
			} else if w.path != w.root || w.rootMoved() {
				w.followRoot()
			}
		case <-rootCheck.C:
			if !w.gone.Load() {
				w.verifyRoot()
			}
		case <-retry.C:
			if w.unwatchedLeft() {
				w.retryUnwatched()
				if w.unwatchedLeft() {
					retryEvery = min(2*retryEvery, maxRetry)
				} else {
					retryEvery = w.opts.Retry
				}
			}
			retry.Reset(retryEvery)
		}
	}
}

// onError handles an error from fsnotify. Lost events mean the consumer's
// view may be stale: it must rescan.
func (w *Watcher) onError(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		w.overflows.Add(1)
		w.log.Warn("file events were lost; rescanning", "reason", err.Error())
		w.Rescan("event queue overflow")
		return
	}
	w.log.Warn("watch error", "reason", err.Error())
}

func (w *Watcher) onEvent(ev fsnotify.Event) {
	if w.gone.Load() {
		return
	}
	w.events.Add(1)
	if ev.Op == fsnotify.Chmod {
		// Its mode or owner changed: a file that could not be read may be
		// readable now, so it is handed on to be read again. A folder's is
		// left to the rescans.
		if rel, ok := w.rel(ev.Name); ok && !hidden(rel) && !w.dirs[ev.Name] && w.opts.Keep(rel) {
			w.touch(rel)
		}
		return
	}
	if ev.Name == w.root {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			w.loseRoot()
		}
		return
	}
	rel, ok := w.rel(ev.Name)
	if !ok || hidden(rel) {
		return
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			if err := w.addTree(ev.Name, true); err != nil {
				w.log.Warn("cannot watch new folder; rescanning", "path", rel, "reason", err.Error())
				w.Rescan("new folder not watched")
			}
			return
		}
	}
	if (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) && w.dirs[ev.Name] {
		for d := range w.dirs {
			if d == ev.Name || strings.HasPrefix(d, ev.Name+string(filepath.Separator)) {
				_ = w.fsw.Remove(d) // gone already, or moved: stop following it
				delete(w.dirs, d)
				delete(w.aliases, d)
			}
		}
		w.Rescan("folder removed or moved")
		return
	}
	if w.opts.Keep(rel) {
		w.touch(rel)
	}
}

// debounce is the timer of one path. gen tells its firing from that of an
// earlier timer of the same path whose firing is still on its way.
type debounce struct {
	timer *time.Timer
	gen   uint64
	stamp stamp // the file as it was when the timer was armed
}

// stamp is what a stat says of a file; a file that changed between two
// stamps is still being written, even if no event said so (one long
// copy_file_range call, as cp makes, sends none until it ends).
type stamp struct {
	size    int64
	modTime time.Time
	exists  bool
}

func (w *Watcher) stat(rel string) stamp {
	fi, err := os.Stat(filepath.Join(w.root, filepath.FromSlash(rel)))
	if err != nil {
		return stamp{}
	}
	return stamp{size: fi.Size(), modTime: fi.ModTime(), exists: true}
}

type firing struct {
	rel string
	gen uint64
}

// touch starts or restarts the debounce timer of rel.
func (w *Watcher) touch(rel string) {
	d, ok := w.timers[rel]
	if ok && d.timer.Stop() {
		d.stamp = w.stat(rel)
		w.timers[rel] = d
		d.timer.Reset(w.opts.Debounce)
		return
	}
	// No timer, or one that has fired already and whose firing is on its
	// way: arm a new one, which outranks it.
	w.gen++
	f := firing{rel: rel, gen: w.gen}
	w.pending.Add(1)
	w.timers[rel] = debounce{gen: f.gen, stamp: w.stat(rel), timer: time.AfterFunc(w.opts.Debounce, func() {
		w.pending.Add(-1)
		select {
		case w.fired <- f:
		case <-w.done:
		}
	})}
}

func (w *Watcher) rel(abs string) (string, bool) {
	rel, err := filepath.Rel(w.root, abs)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// hidden reports whether any part of rel starts with a dot.
func hidden(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}
