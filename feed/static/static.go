// Package static writes a rendered snapshot into a folder, for any static
// web server or CDN.
package static

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/render"
)

// WriteDir writes a snapshot into dir for a static web server. Each file is
// written to a temporary name and renamed into place, so a reader of dir
// never sees half a file. Entry pages go first and the feeds and the index
// last, so no link in a feed leads to a page not yet written. Files whose
// bytes have not changed are left alone. Pages of entries that no longer
// exist (live reports which IDs do) are removed; pages of entries that only
// fell out of the feeds stay, so old links keep working.
func WriteDir(dir string, snap *render.Snapshot, live func(pagePath string) bool) error {
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
			return err
		}
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "entry", "*.html"))
	for _, p := range pages {
		rel := "entry/" + filepath.Base(p)
		if _, ok := snap.Files[rel]; !ok && (live == nil || !live(rel)) {
			if err := os.Remove(p); err != nil {
				return fmt.Errorf("static: remove stale page: %w", err)
			}
		}
	}
	return nil
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
