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

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/render"
)

// Manifest is the file in the output folder that lists, one path a line,
// the files seedfeed wrote there. Only those are ever removed.
const Manifest = ".seedfeed-manifest"

// WriteDir writes a snapshot into dir for a static web server. Each file is
// written to a temporary name and renamed into place, so a reader of dir
// never sees half a file. Entry pages go first and the feeds and the index
// last, so no link in a feed leads to a page not yet written. Files whose
// bytes have not changed are left alone. Pages of entries that no longer
// exist (live reports which IDs do) are removed; pages of entries that only
// fell out of the feeds stay, so old links keep working. Only files that
// seedfeed wrote, as its manifest says, are removed: never another's.
//
// more are pages that the snapshot does not hold, rendered one at a time as
// they are written, so that memory does not hold them all: the pages of
// entries past the feeds' byte budget.
func WriteDir(dir string, snap *render.Snapshot, more Pages, live func(pagePath string) bool) error {
	names := make([]string, 0, len(snap.Files)+len(more.Names))
	for name := range snap.Files {
		names = append(names, name)
	}
	for _, name := range more.Names {
		if _, ok := snap.Files[name]; !ok {
			names = append(names, name)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if a, b := rank(names[i]), rank(names[j]); a != b {
			return a < b
		}
		return names[i] < names[j]
	})
	ours, err := readManifest(dir)
	if err != nil {
		return err
	}
	// The manifest names every file about to be written before any is, so
	// that a build cut short never forgets a file it wrote.
	for _, name := range names {
		ours[name] = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("static: %w", err)
	}
	if err := writeManifest(dir, ours); err != nil {
		return err
	}
	written := make(map[string]bool, len(names))
	for _, name := range names {
		var body []byte
		if f, ok := snap.Files[name]; ok {
			body = f.Body
		} else if body, err = more.Render(name); err != nil {
			return err
		}
		if err := writeAtomic(filepath.Join(dir, filepath.FromSlash(name)), body); err != nil {
			return err
		}
		written[name] = true
	}
	for name := range ours {
		if written[name] || live != nil && live(name) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("static: remove stale page: %w", err)
		}
		delete(ours, name)
	}
	return writeManifest(dir, ours)
}

// Pages are pages that WriteDir renders one at a time, as it writes them.
type Pages struct {
	Names  []string                          // their paths under the base URL
	Render func(name string) ([]byte, error) // called once for each name
}

func readManifest(dir string) (map[string]bool, error) {
	ours := map[string]bool{}
	b, err := os.ReadFile(filepath.Join(dir, Manifest))
	if errors.Is(err, fs.ErrNotExist) {
		return ours, nil
	}
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		// Only paths that seedfeed could have written: never one that
		// leads out of the folder, whatever the file says.
		if line != "" && filepath.IsLocal(filepath.FromSlash(line)) {
			ours[line] = true
		}
	}
	return ours, nil
}

func writeManifest(dir string, ours map[string]bool) error {
	names := make([]string, 0, len(ours))
	for name := range ours {
		names = append(names, name)
	}
	sort.Strings(names)
	return writeAtomic(filepath.Join(dir, Manifest), []byte(strings.Join(names, "\n")+"\n"))
}

// rank orders the files to write: pages, then the feeds, then the HTML
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
	if err := tmp.Sync(); err != nil {
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
