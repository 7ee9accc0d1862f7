package static

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/source"
)

// MediaManifest is the file in the output folder that lists the files of
// the seeds folder that build copied under feed.MediaDir, each with the
// entries (their paths in the seeds folder) that reference it.
const MediaManifest = ".seedfeed-media"

// ReadMedia returns the media manifest of dir; an empty one when there is
// none.
func ReadMedia(dir string) (map[string][]string, error) {
	out := map[string][]string{}
	b, err := os.ReadFile(filepath.Join(dir, MediaManifest))
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("static: %s: %w", MediaManifest, err)
	}
	for rel := range out {
		if _, ok := feed.MediaRel(feed.MediaPath(rel)); !ok {
			delete(out, rel) // never a path that leads out, whatever the file says
		}
	}
	return out, nil
}

// CopyMedia copies into dir, at feed.MediaPath, each file of src that want
// names (by its path in the seeds folder, with the entries that reference
// it), unless the copy there has its size and modification time already.
// Each copy is written to a temporary name and renamed into place. It
// removes the copies of files that old, the manifest of the last run,
// names and want does not, and writes want as the new manifest. A file in
// the way that build did not copy is never overwritten: it stops the run.
// A file that cannot be opened now (gone, not a regular file, through a
// symlink that leads out of the folder) is left out, with a log line.
func CopyMedia(dir string, src source.Source, want, old map[string][]string, log *slog.Logger) error {
	copied := make(map[string][]string, len(want))
	for rel, entries := range want {
		if _, ok := feed.MediaRel(feed.MediaPath(rel)); !ok || src.Wants(rel) {
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(feed.MediaPath(rel)))
		if _, ours := old[rel]; !ours {
			if _, err := os.Lstat(dst); err == nil {
				return fmt.Errorf("static: %s is in the way: seedfeed did not write it, and would copy %s there", dst, rel)
			}
		}
		if err := copyMedia(dir, src, rel, dst); err != nil {
			log.Warn("not copying a file an entry references", "path", rel, "entries", strings.Join(entries, ", "), "reason", err.Error())
			continue
		}
		copied[rel] = entries
	}
	for rel := range old {
		if _, ok := copied[rel]; ok {
			continue
		}
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(feed.MediaPath(rel)))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("static: remove stale file: %w", err)
		}
	}
	if len(copied) == 0 && len(old) == 0 {
		return nil
	}
	b, err := json.Marshal(copied)
	if err != nil {
		return fmt.Errorf("static: %w", err)
	}
	return writeAtomic(filepath.Join(dir, tmpDir), filepath.Join(dir, MediaManifest), b)
}

// copyMedia copies the file at rel in src to dst, unless dst has its size
// and modification time already.
func copyMedia(dir string, src source.Source, rel, dst string) error {
	in, st, err := src.OpenMedia(rel)
	if err != nil {
		return err
	}
	defer in.Close()
	if fi, err := os.Lstat(dst); err == nil && fi.Mode().IsRegular() && fi.Size() == st.Size && fi.ModTime().Equal(st.ModTime) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(dir, tmpDir)
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(tmp, ".media.tmp-*")
	if err != nil {
		return err
	}
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(f.Name())
		}
	}()
	_, err = io.Copy(f, in)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chtimes(f.Name(), st.ModTime, st.ModTime) // how the next run knows the copy is current
	}
	if err == nil {
		err = os.Rename(f.Name(), dst)
	}
	if err != nil {
		return err
	}
	renamed = true
	return nil
}
