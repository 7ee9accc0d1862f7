// Package static writes a rendered snapshot into a folder, for any static
// web server or CDN.
package static

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/render"
	"github.com/seedfeed/seedfeed/feed/source"
	"golang.org/x/sync/errgroup"
)

// Manifest is the file in the output folder that lists, one path a line,
// the files seedfeed wrote there, each with the key of what it was made
// from. Only those files are ever removed.
const Manifest = ".seedfeed-manifest"

// Stamp is the file in the output folder that names what the last run
// that wrote every file whole was made from (see Current).
const Stamp = ".seedfeed-stamp"

// Current reports whether dir holds the whole output of a run made from
// stamp, as that run left it: then nothing but the snapshot needs
// writing (see WriteSnapshot), and a rebuild need not even look at the
// pages. A file taken away by hand since is not noticed: removing the
// stamp makes the next run check every file. Nor is the output current
// without its manifest, lost or emptied: the run checks the files, and
// stops at the first it no longer knows as its own, rather than leave the
// manifest empty for a later run to stop at.
func Current(dir, stamp string) bool {
	if _, err := os.Stat(filepath.Join(dir, tmpDir)); err == nil {
		return false // a run was cut short
	}
	if fi, err := os.Stat(filepath.Join(dir, Manifest)); err != nil || fi.Size() == 0 {
		return false
	}
	b, err := os.ReadFile(filepath.Join(dir, Stamp))
	return err == nil && string(b) == stamp
}

// WriteSnapshot writes the snapshot's files into dir, which Current found
// whole otherwise: only those whose bytes changed. It returns how many
// those were.
func WriteSnapshot(dir string, snap *render.Snapshot) (changed int, err error) {
	for _, name := range snapshotNames(snap) {
		wrote, err := writeChanged(filepath.Join(dir, tmpDir), filepath.Join(dir, filepath.FromSlash(name)), snap.Files[name].Body)
		if err != nil {
			return changed, err
		}
		if wrote {
			changed++
		}
	}
	if changed == 0 {
		return 0, nil
	}
	if err := os.RemoveAll(filepath.Join(dir, tmpDir)); err != nil {
		return changed, fmt.Errorf("output folder: %w", err)
	}
	if err := source.SyncFS(dir); err != nil {
		return changed, fmt.Errorf("output folder: %w", err)
	}
	return changed, nil
}

// snapshotNames returns the paths of the snapshot's files in the order
// they are written: pages, then the feeds, then the HTML index.
func snapshotNames(snap *render.Snapshot) []string {
	names := make([]string, 0, len(snap.Files))
	for name := range snap.Files {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool {
		if a, b := rank(names[i]), rank(names[j]); a != b {
			return a < b
		}
		return names[i] < names[j]
	})
	return names
}

// Group is files that WriteDir renders together, one at a time as it
// writes them, so that memory never holds them all: an entry's page, or
// an archive page in every kind.
type Group struct {
	Names []string
	// Key names what the files are made from, in hexadecimal digits, of
	// which the first 16 count. When the manifest holds the same key for
	// each of them, and they are there, they are up to date and Render is
	// not called: a rebuild costs what changed.
	Key    string
	Render func() ([][]byte, error) // one body for each name, in order (nil: leave that file as it is); none: nothing to write after all
}

// Writer writes a publication into a folder for a static web server:
// first the groups, in as many calls to Groups as memory asks for, then the
// snapshot's files with Finish. Each file is written to a temporary name
// and renamed into place, so a reader of the folder never sees half a
// file, and no link in a feed leads to a page not yet written: the feeds
// and the index go last. Nothing is synced file by file; the file system
// is synced once, at the end. Files whose bytes have not changed are left
// alone. Files that seedfeed wrote before, as its manifest says, and did
// not write now are removed (the pages of removed entries); a file it did
// not write never is.
//
// It holds no path, only a digest of each (see table): the manifest is
// read from the folder, a line at a time, each time it is needed.
type Writer struct {
	dir        string
	folders    sync.Map   // the folders of files written, made when they were not there: each is made once
	mu         sync.Mutex // for t.now, t.flags and extra, while groups are written
	t          *table
	extra      map[string]uint64 // files written that NewWriter was not told of, with their keys
	rendered   int               // groups rendered
	changed    int               // files written whose bytes changed
	incomplete bool              // a file was not written after all: no stamp
}

// Changed returns how many files the run has written so far whose bytes
// were new: the files it left alone, made again with the same bytes, are
// not counted.
func (w *Writer) Changed() int { return w.changed }

// NewWriter starts writing into dir the files that names yields, which
// are every file the run will write. It may go through them up to three
// times, and they must be the same each time.
// They go into the manifest before any is written, so that a run cut
// short never forgets a file it wrote; and none of them is removed, even
// when it is not written after all.
func NewWriter(dir string, names iter.Seq[string]) (*Writer, error) {
	if err := os.Remove(filepath.Join(dir, Stamp)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	t, folders, err := newTable(dir, names)
	if err != nil {
		return nil, err
	}
	if err := t.list(dir, folders); err != nil {
		return nil, err
	}
	// The folder of temporary files lives as long as a run: finding it
	// means the last run was cut short, and may have written new bytes
	// under old keys. Then no key is trusted, once.
	_, err = os.Stat(filepath.Join(dir, tmpDir))
	cutShort := err == nil
	added := false
	for i, f := range t.flags {
		if t.old != nil && (cutShort || f&there == 0) {
			t.old[i] = 0 // taken away by hand, say: written again
		}
		if f&(inOld|inNow) == inNow {
			added = true
			if f&there != 0 {
				return nil, inTheWay(dir, t, i, names)
			}
		}
	}
	if added {
		if err := t.writePending(dir, names); err != nil {
			return nil, err
		}
	}
	return &Writer{dir: dir, t: t}, nil
}

// inTheWay is the error for the file of row i, which is in the folder
// though seedfeed did not write it.
func inTheWay(dir string, t *table, i int, names iter.Seq[string]) error {
	name := "a file"
	for n := range names {
		if t.digest(n) == t.names[i] {
			name = filepath.Join(dir, filepath.FromSlash(n))
			break
		}
	}
	return fmt.Errorf("output folder: %s is in the way: seedfeed did not write it (it is not in %s), and never overwrites a file it did not write; move it away",
		name, Manifest)
}

// writePending writes the manifest of the last run with the files of this
// one added, before any is written. A file named that is not written
// after all (its seed cannot be read for now) stays as it was, untrusted.
func (t *table) writePending(dir string, names iter.Seq[string]) error {
	m, err := newManifestWriter(dir)
	if err != nil {
		return err
	}
	emit := func(name string) {
		if i, ok := t.find(name); ok && t.flags[i]&emitted == 0 {
			t.flags[i] |= emitted
			m.line(name, t.oldKey(i))
		}
	}
	if err := eachLine(dir, func(name, _ string) error { emit(name); return nil }); err != nil {
		m.abort()
		return err
	}
	for name := range names {
		emit(name)
	}
	for i := range t.flags {
		t.flags[i] &^= emitted
	}
	return m.commit(dir)
}

// Groups renders and writes the groups that are not up to date, one
// worker per CPU. Once ctx is done, it starts no other group, waits for
// those under way, and returns ctx's error: then Abort ends the run.
func (w *Writer) Groups(ctx context.Context, groups []Group) error {
	var todo []Group
	for _, g := range groups {
		if w.upToDate(g) {
			w.mu.Lock()
			for _, name := range g.Names {
				w.note(name, parseKey(g.Key))
			}
			w.mu.Unlock()
			continue
		}
		todo = append(todo, g)
	}
	w.rendered += len(todo)
	complete, err := w.writeGroups(ctx, todo)
	w.incomplete = w.incomplete || !complete
	return err
}

// note records that the file name is of this run, made from key. The
// caller holds w.mu.
func (w *Writer) note(name string, key uint64) {
	i, ok := w.t.find(name)
	if !ok {
		if w.extra == nil {
			w.extra = map[string]uint64{}
		}
		w.extra[name] = key
		return
	}
	w.t.flags[i] |= inNow
	w.t.now[i] = key
}

// Finish writes the snapshot's files, removes the files of the last run
// that this one did not write, writes the manifest and syncs. When every
// file was written whole, it leaves stamp for Current. It returns how many
// groups were rendered: those not up to date.
func (w *Writer) Finish(snap *render.Snapshot, stamp string) (rendered int, err error) {
	for _, name := range snapshotNames(snap) {
		wrote, err := writeChanged(filepath.Join(w.dir, tmpDir), filepath.Join(w.dir, filepath.FromSlash(name)), snap.Files[name].Body)
		if err != nil {
			return 0, err
		}
		if wrote {
			w.changed++
		}
		w.note(name, 0)
	}
	if len(w.extra) > 0 || w.t.changed() {
		if err := w.writeManifest(false); err != nil {
			return 0, err
		}
	}
	if !w.incomplete {
		if err := writeAtomic(filepath.Join(w.dir, tmpDir), filepath.Join(w.dir, Stamp), []byte(stamp)); err != nil {
			return 0, err
		}
	}
	if err := os.RemoveAll(filepath.Join(w.dir, tmpDir)); err != nil {
		return 0, fmt.Errorf("output folder: %w", err)
	}
	if err := source.SyncFS(w.dir); err != nil {
		return 0, fmt.Errorf("output folder: %w", err)
	}
	return w.rendered, nil
}

// upToDate reports whether every file of g is in the folder as the
// manifest says it was made from g's key. (NewWriter has taken from the
// manifest the keys of files that are no longer there.)
func (w *Writer) upToDate(g Group) bool {
	key := parseKey(g.Key)
	if key == 0 {
		return false
	}
	for _, name := range g.Names {
		if i, ok := w.t.find(name); !ok || w.t.oldKey(i) != key {
			return false
		}
	}
	return true
}

// writeGroups renders and writes groups, two workers per CPU (writing
// waits on the disk), and notes the key of each file written. A file not
// written after all keeps the empty key: it is not trusted next time;
// complete says whether there was none.
func (w *Writer) writeGroups(ctx context.Context, groups []Group) (complete bool, err error) {
	var errs []error
	complete = true
	var wg errgroup.Group
	wg.SetLimit(2 * runtime.GOMAXPROCS(0))
	for _, g := range groups {
		if ctx.Err() != nil {
			break
		}
		wg.Go(func() error {
			if ctx.Err() != nil {
				return nil // it waited for a worker: not begun
			}
			written, changed, err := w.writeGroup(g)
			w.mu.Lock()
			defer w.mu.Unlock()
			w.changed += changed
			if err != nil {
				errs = append(errs, err)
			}
			for _, name := range written {
				w.note(name, parseKey(g.Key))
			}
			complete = complete && len(written) == len(g.Names)
			return nil
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		if len(errs) > 0 {
			return false, fmt.Errorf("%w; and %w", err, firstOf(errs))
		}
		return false, err
	}
	return complete, firstOf(errs)
}

// writeGroup renders and writes one group, and returns the names of the
// files it wrote, and how many of them changed.
func (w *Writer) writeGroup(g Group) (written []string, changed int, err error) {
	bodies, err := g.Render()
	if err != nil {
		return nil, 0, err
	}
	if bodies != nil && len(bodies) != len(g.Names) {
		return nil, 0, fmt.Errorf("output folder: %d bodies for %d files", len(bodies), len(g.Names))
	}
	for j, name := range g.Names {
		if bodies == nil || bodies[j] == nil {
			continue // kept as it was
		}
		wrote, err := w.writeFile(name, bodies[j])
		if err != nil {
			return written, changed, err
		}
		if wrote {
			changed++
		}
		written = append(written, name)
	}
	return written, changed, nil
}

// writeFile is writeChanged for a file of a group, with two lookups
// spared, each a resolution of a long path: a file that was not in the
// folder as the run began is not read, to compare; and a folder is made
// once. In a first build, those are two of every page's seven calls to
// the kernel.
func (w *Writer) writeFile(name string, data []byte) (wrote bool, err error) {
	path := filepath.Join(w.dir, filepath.FromSlash(name))
	w.mu.Lock()
	i, ok := w.t.find(name)
	absent := ok && w.t.flags[i]&there == 0
	w.mu.Unlock()
	if !absent && holds(path, data) {
		return false, nil
	}
	if folder := filepath.Dir(path); !w.madeFolder(folder) {
		if err := os.MkdirAll(folder, 0o755); err != nil {
			return false, fmt.Errorf("output folder: write %s: %w", path, err)
		}
		w.folders.Store(folder, true)
	}
	return true, writeTemp(filepath.Join(w.dir, tmpDir), path, data)
}

func (w *Writer) madeFolder(folder string) bool {
	_, made := w.folders.Load(folder)
	return made
}

// rank orders the snapshot's files: pages, then the feeds, then the HTML
// index, which links to both.
func rank(name string) int {
	k, ok := feed.KindOf(name)
	switch {
	case !ok:
		return 0
	case k.Feed:
		return 1
	}
	return 2
}

// tmpDir is the folder, inside the output, where files are written before
// they are renamed into place. A folder of its own keeps the creation of
// each temporary file out of the folder of 100,000 entry pages, where
// every name taken costs a search of a large directory.
const tmpDir = ".seedfeed-tmp"

// writeAtomic writes data to path through a temporary file in tmp, unless
// path holds data already. It does not sync: Finish syncs once at the end.
func writeAtomic(tmp, path string, data []byte) error {
	_, err := writeChanged(tmp, path, data)
	return err
}

// writeChanged is writeAtomic, and reports whether it wrote: whether the
// file was not there with those bytes.
func writeChanged(tmp, path string, data []byte) (wrote bool, err error) {
	if holds(path, data) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, fmt.Errorf("output folder: write %s: %w", path, err)
	}
	return true, writeTemp(tmp, path, data)
}

// holds reports whether the file at path holds data already.
func holds(path string, data []byte) bool {
	old, err := os.ReadFile(path)
	return err == nil && bytes.Equal(old, data)
}

// writeTemp writes data to a temporary file in tmp and renames it to
// path, whose folder exists.
func writeTemp(tmp, path string, data []byte) error {
	f, err := createTemp(tmp, path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return commitTemp(f, path, err)
}

// createTemp creates the temporary file in tmp of a file to be written at
// path.
func createTemp(tmp, path string) (*os.File, error) {
	pattern := "." + strings.TrimPrefix(filepath.Base(path), ".") + ".tmp-*"
	f, err := os.CreateTemp(tmp, pattern)
	if errors.Is(err, fs.ErrNotExist) { // the first file of the run: a run that writes nothing leaves no trace
		if err = os.MkdirAll(tmp, 0o755); err == nil {
			f, err = os.CreateTemp(tmp, pattern)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("output folder: write %s: %w", path, err)
	}
	return f, nil
}

// commitTemp closes f, a file from createTemp, and renames it to path;
// unless err, the error of writing it, is not nil: then it removes it.
func commitTemp(f *os.File, path string, err error) error {
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("output folder: write %s: %w", path, err)
	}
	return nil
}
