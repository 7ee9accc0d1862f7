// Package static writes a rendered snapshot into a folder, for any static
// web server or CDN.
package static

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
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
// stamp makes the next run check every file.
func Current(dir, stamp string) bool {
	if _, err := os.Stat(filepath.Join(dir, tmpDir)); err == nil {
		return false // a run was cut short
	}
	b, err := os.ReadFile(filepath.Join(dir, Stamp))
	return err == nil && string(b) == stamp
}

// WriteSnapshot writes the snapshot's files into dir, which Current found
// whole otherwise: only those whose bytes changed.
func WriteSnapshot(dir string, snap *render.Snapshot) error {
	wrote := false
	for _, name := range snapshotNames(snap) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, snap.Files[name].Body) {
			continue
		}
		if err := writeAtomic(filepath.Join(dir, tmpDir), p, snap.Files[name].Body); err != nil {
			return err
		}
		wrote = true
	}
	if !wrote {
		return nil
	}
	if err := os.RemoveAll(filepath.Join(dir, tmpDir)); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if err := source.SyncFS(dir); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	return nil
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
	// Key names what the files are made from. When the manifest holds the
	// same key for each of them, and they are there, they are up to date
	// and Render is not called: a rebuild costs what changed.
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
type Writer struct {
	dir        string
	old, now   map[string]string // the manifest before, and of this run: path → key
	rendered   int
	incomplete bool // a file was not written after all: no stamp
}

// NewWriter starts writing into dir the files named, which are every file
// the run will write. They go into the manifest before any is written, so
// that a run cut short never forgets a file it wrote; and none of them is
// removed, even when it is not written after all.
func NewWriter(dir string, names []string) (*Writer, error) {
	old, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	if err := os.Remove(filepath.Join(dir, Stamp)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	// The folder of temporary files lives as long as a run: finding it
	// means the last run was cut short, and may have written new bytes
	// under old keys. Then no key is trusted, once.
	if _, err := os.Stat(filepath.Join(dir, tmpDir)); err == nil {
		for name := range old {
			old[name] = ""
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	there, err := listFolders(dir, old, names)
	if err != nil {
		return nil, err
	}
	for name, key := range old {
		if key != "" && !there(name) {
			old[name] = "" // taken away by hand, say: written again
		}
	}
	for _, name := range names {
		if _, ours := old[name]; !ours && there(name) {
			return nil, fmt.Errorf("output folder: %s is in the way: seedfeed did not write it (it is not in %s), and never overwrites a file it did not write; move it away",
				filepath.Join(dir, filepath.FromSlash(name)), Manifest)
		}
	}
	pending := make(map[string]string, len(old)+len(names))
	for name, key := range old {
		pending[name] = key
	}
	added := false
	for _, name := range names {
		if _, ok := pending[name]; !ok {
			pending[name], added = "", true
		}
	}
	if added {
		if err := writeManifest(dir, pending); err != nil {
			return nil, err
		}
	}
	// A file named that is not written after all (its seed cannot be read
	// for now) stays as it was, untrusted.
	now := make(map[string]string, len(names))
	for _, name := range names {
		now[name] = ""
	}
	return &Writer{dir: dir, old: old, now: now}, nil
}

// Groups renders and writes the groups that are not up to date, one
// worker per CPU.
func (w *Writer) Groups(groups []Group) error {
	var todo []Group
	for _, g := range groups {
		if upToDate(w.dir, g, w.old) {
			for _, name := range g.Names {
				w.now[name] = g.Key
			}
			continue
		}
		todo = append(todo, g)
	}
	w.rendered += len(todo)
	complete, err := writeGroups(w.dir, todo, w.now)
	w.incomplete = w.incomplete || !complete
	return err
}

// Finish writes the snapshot's files, removes the files of the last run
// that this one did not write, writes the manifest and syncs. When every
// file was written whole, it leaves stamp for Current. It returns how many
// groups were rendered: those not up to date.
func (w *Writer) Finish(snap *render.Snapshot, stamp string) (rendered int, err error) {
	for _, name := range snapshotNames(snap) {
		if err := writeAtomic(filepath.Join(w.dir, tmpDir), filepath.Join(w.dir, filepath.FromSlash(name)), snap.Files[name].Body); err != nil {
			return 0, err
		}
		w.now[name] = ""
	}
	for name := range w.old {
		if _, ok := w.now[name]; ok {
			continue
		}
		if err := os.Remove(filepath.Join(w.dir, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, fmt.Errorf("output folder: remove stale file: %w", err)
		}
	}
	if !maps.Equal(w.now, w.old) {
		if err := writeManifest(w.dir, w.now); err != nil {
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

// upToDate reports whether every file of g is in dir as the manifest says
// it was made from g's key. (NewWriter has taken from the manifest the
// keys of files that are no longer there.)
func upToDate(dir string, g Group, manifest map[string]string) bool {
	if g.Key == "" {
		return false
	}
	for _, name := range g.Names {
		if manifest[name] != g.Key {
			return false
		}
	}
	return true
}

// listFolders lists, once each, the folders that hold the files named in
// the manifest and in names, and returns whether a file is there. A
// listing per folder costs far less than a lookup per file.
func listFolders(dir string, manifest map[string]string, names []string) (there func(name string) bool, err error) {
	folders := map[string]map[string]bool{}
	for name := range manifest {
		folders[path.Dir(name)] = nil
	}
	for _, name := range names {
		folders[path.Dir(name)] = nil
	}
	for folder := range folders {
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(folder)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("output folder: %w", err)
		}
		list, err := f.Readdirnames(-1)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("output folder: %w", err)
		}
		set := make(map[string]bool, len(list))
		for _, n := range list {
			set[n] = true
		}
		folders[folder] = set
	}
	return func(name string) bool { return folders[path.Dir(name)][path.Base(name)] }, nil
}

// writeGroups renders and writes groups, two workers per CPU (writing
// waits on the disk), and records in keys the key of each file written.
// A file not written after all keeps the empty key: it is not trusted
// next time; complete says whether there was none.
func writeGroups(dir string, groups []Group, keys map[string]string) (complete bool, err error) {
	var mu sync.Mutex
	var errs []error
	complete = true
	var wg errgroup.Group
	wg.SetLimit(2 * runtime.GOMAXPROCS(0))
	for _, g := range groups {
		wg.Go(func() error {
			written, err := writeGroup(dir, g)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			for _, name := range written {
				keys[name] = g.Key
			}
			complete = complete && len(written) == len(g.Names)
			return nil
		})
	}
	wg.Wait()
	return complete, errors.Join(errs...)
}

// writeGroup renders and writes one group, and returns the names of the
// files it wrote.
func writeGroup(dir string, g Group) (written []string, err error) {
	bodies, err := g.Render()
	if err != nil {
		return nil, err
	}
	if bodies != nil && len(bodies) != len(g.Names) {
		return nil, fmt.Errorf("output folder: %d bodies for %d files", len(bodies), len(g.Names))
	}
	for j, name := range g.Names {
		if bodies == nil || bodies[j] == nil {
			continue // kept as it was
		}
		if err := writeAtomic(filepath.Join(dir, tmpDir), filepath.Join(dir, filepath.FromSlash(name)), bodies[j]); err != nil {
			return written, err
		}
		written = append(written, name)
	}
	return written, nil
}

// readManifest returns the files of the manifest in dir with their keys.
// A line without a key (an older manifest, or a file being written) has
// the empty key, which never matches.
func readManifest(dir string) (map[string]string, error) {
	ours := map[string]string{}
	b, err := os.ReadFile(filepath.Join(dir, Manifest))
	if errors.Is(err, fs.ErrNotExist) {
		return ours, nil
	}
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		name, key, _ := strings.Cut(line, "\t")
		// Only paths that seedfeed could have written: never one that
		// leads out of the folder, whatever the file says.
		if name != "" && filepath.IsLocal(filepath.FromSlash(name)) {
			ours[name] = key
		}
	}
	return ours, nil
}

func writeManifest(dir string, ours map[string]string) error {
	names := make([]string, 0, len(ours))
	for name := range ours {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		b.WriteString(name)
		if key := ours[name]; key != "" {
			b.WriteString("\t" + key)
		}
		b.WriteByte('\n')
	}
	return writeAtomic(filepath.Join(dir, tmpDir), filepath.Join(dir, Manifest), []byte(b.String()))
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
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("output folder: write %s: %w", path, err)
	}
	pattern := "." + strings.TrimPrefix(filepath.Base(path), ".") + ".tmp-*"
	f, err := os.CreateTemp(tmp, pattern)
	if errors.Is(err, fs.ErrNotExist) { // the first file of the run: a run that writes nothing leaves no trace
		if err = os.MkdirAll(tmp, 0o755); err == nil {
			f, err = os.CreateTemp(tmp, pattern)
		}
	}
	if err != nil {
		return fmt.Errorf("output folder: write %s: %w", path, err)
	}
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("output folder: write %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return fmt.Errorf("output folder: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("output folder: write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("output folder: write %s: %w", path, err)
	}
	renamed = true
	return nil
}
