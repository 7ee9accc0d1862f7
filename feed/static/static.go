// Package static writes a rendered snapshot into a folder, for any static
// web server or CDN.
package static

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/render"
	"github.com/seedfeed/seedfeed/feed/source"
)

// Manifest is the file in the output folder that lists, one path a line,
// the files seedfeed wrote there, each with the key of what it was made
// from. Only those files are ever removed.
const Manifest = ".seedfeed-manifest"

// Group is files that WriteDir renders together, one at a time as it
// writes them, so that memory never holds them all: an entry's page, or
// an archive page in every kind.
type Group struct {
	Names []string
	// Key names what the files are made from. When the manifest holds the
	// same key for each of them, and they are there, they are up to date
	// and Render is not called: a rebuild costs what changed.
	Key    string
	Render func() ([][]byte, error) // one body for each name, in order; none: nothing to write after all
}

// WriteDir writes into dir the groups, then the snapshot's files, for a
// static web server. Each file is written to a temporary name and renamed
// into place, so a reader of dir never sees half a file, and no link in a
// feed leads to a page not yet written: the feeds and the index go last.
// Nothing is synced file by file; the file system is synced once at the
// end. Files whose bytes have not changed are left alone. Files that
// seedfeed wrote before, as its manifest says, and did not write now are
// removed (the pages of removed entries); a file it did not write never
// is. It returns how many groups it rendered: those not up to date.
func WriteDir(dir string, snap *render.Snapshot, groups []Group) (rendered int, err error) {
	old, err := readManifest(dir)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("static: %w", err)
	}
	// The manifest names every file about to be written before any is,
	// without a key, so that a build cut short never forgets a file it
	// wrote, nor trusts one it did not finish.
	now := make(map[string]string, len(old)+len(snap.Files))
	var todo []Group
	for _, g := range groups {
		if upToDate(dir, g, old) {
			for _, name := range g.Names {
				now[name] = g.Key
			}
			continue
		}
		todo = append(todo, g)
		for _, name := range g.Names {
			now[name] = ""
		}
	}
	for name := range snap.Files {
		now[name] = ""
	}
	pending := make(map[string]string, len(old)+len(now))
	for name, key := range old {
		pending[name] = key
	}
	for name, key := range now {
		if pending[name] != key {
			pending[name] = ""
		}
	}
	if err := writeManifest(dir, pending); err != nil {
		return 0, err
	}
	if err := writeGroups(dir, todo, now); err != nil {
		return 0, err
	}
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
	for _, name := range names {
		if err := writeAtomic(filepath.Join(dir, filepath.FromSlash(name)), snap.Files[name].Body); err != nil {
			return 0, err
		}
	}
	for name := range old {
		if _, ok := now[name]; ok {
			continue
		}
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return 0, fmt.Errorf("static: remove stale file: %w", err)
		}
	}
	if err := writeManifest(dir, now); err != nil {
		return 0, err
	}
	if err := source.SyncFS(dir); err != nil {
		return 0, fmt.Errorf("static: %w", err)
	}
	return len(todo), nil
}

// upToDate reports whether every file of g is in dir as the manifest says
// it was made from g's key.
func upToDate(dir string, g Group, manifest map[string]string) bool {
	if g.Key == "" {
		return false
	}
	for _, name := range g.Names {
		if manifest[name] != g.Key {
			return false
		}
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			return false
		}
	}
	return true
}

// writeGroups renders and writes groups, one worker per CPU, and records
// the key of each file written in keys.
func writeGroups(dir string, groups []Group, keys map[string]string) error {
	var mu sync.Mutex
	var errs []error
	render.Parallel(len(groups), func(i int) {
		g := groups[i]
		bodies, err := g.Render()
		if err == nil && bodies == nil {
			return // nothing to write after all: left as it was, and not trusted
		}
		if err == nil && len(bodies) != len(g.Names) {
			err = fmt.Errorf("static: %d bodies for %d files", len(bodies), len(g.Names))
		}
		for j := 0; err == nil && j < len(g.Names); j++ {
			err = writeAtomic(filepath.Join(dir, filepath.FromSlash(g.Names[j])), bodies[j])
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
			return
		}
		for _, name := range g.Names {
			keys[name] = g.Key
		}
	})
	return errors.Join(errs...)
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
		return nil, fmt.Errorf("static: %w", err)
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
	return writeAtomic(filepath.Join(dir, Manifest), []byte(b.String()))
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

// writeAtomic writes data to path through a temporary name, unless path
// holds data already. It does not sync: WriteDir syncs once at the end.
func writeAtomic(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("static: write %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+strings.TrimPrefix(filepath.Base(path), ".")+".tmp-*")
	if err != nil {
		return fmt.Errorf("static: write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("static: write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("static: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("static: write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("static: write %s: %w", path, err)
	}
	return nil
}
