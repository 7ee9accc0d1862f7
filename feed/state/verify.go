package state

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/seedfeed/seedfeed/feed/source/mapped"
)

// ErrDamaged reports a state file that is not a sound store: truncated,
// overwritten in part, or not a bbolt file at all.
var ErrDamaged = errors.New("damaged")

// safely runs fn with memory faults turned into panics, and panics into
// errors. bbolt reads its file through a memory map and trusts what it
// finds: a truncated file faults, a scribbled page panics.
func safely(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return fn()
}

// open opens the bbolt file at path and reads every page of its records, so
// that damage shows here, as ErrDamaged, not later as a crash.
func open(path string, readOnly bool) (*Store, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("state: %s is a folder, not a store file", path)
	}
	if err := precheck(path); err != nil {
		return nil, fmt.Errorf("state: %s is %w: %v", path, ErrDamaged, err)
	}
	var db *bolt.DB
	var file *os.File // bbolt's, so that a panic inside Open does not leave it open and locked
	opts := &bolt.Options{Timeout: LockTimeout, ReadOnly: readOnly,
		OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag, perm)
			file = f
			return f, err
		}}
	err := safely(func() error {
		var err error
		db, err = bolt.Open(path, 0o600, opts)
		return err
	})
	if db == nil && file != nil {
		file.Close() // bbolt closes it on the errors it returns, not on a panic; twice is harmless
	}
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("%w: %s (gave up after %s)", ErrLocked, path, LockTimeout)
	case errors.Is(err, fs.ErrNotExist) && !readOnly:
		return nil, fmt.Errorf("state: cannot create %s: folder %s does not exist", path, filepath.Dir(path))
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("state: open %s: %w", path, unwrapPath(err))
	case err != nil:
		// An invalid meta page, a bad checksum, a panic: the file is not
		// a store that bbolt can use. (The lock it took, if any, goes with
		// the process.)
		return nil, fmt.Errorf("state: %s is %w: %v", path, ErrDamaged, unwrapPath(err))
	}
	s := &Store{db: db, file: file, path: path}
	if err := safely(s.walk); err != nil {
		safely(db.Close) // the read transaction was rolled back, even after a panic: let go of the lock
		return nil, fmt.Errorf("state: %s is %w: %v", path, ErrDamaged, err)
	}
	return s, nil
}

// unwrapPath drops the path from an *fs.PathError, which the messages
// above name already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// walk reads every key of every bucket, and decodes every record: a file
// shorter than its pages, or a page that is not what its parent says,
// faults or panics here.
func (s *Store) walk() error {
	fi, err := os.Stat(s.path)
	if err != nil {
		return err
	}
	return s.db.View(func(tx *bolt.Tx) error {
		if fi.Size() < tx.Size() {
			return fmt.Errorf("the file has %d bytes, but its pages need %d: it was cut short", fi.Size(), tx.Size())
		}
		// Every page is about to be read: those not in the page cache
		// (after a large build, or a reboot) are read ahead, not one
		// fault at a time (at 100,000 files, 3,000 reads of a page or two).
		_ = mapped.WillNeed(tx.DB().Info().Data, int(tx.Size()))
		pg := pager{tx: tx}
		defer pg.done()
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				pg.add(len(k) + len(v))
				if string(name) == string(bucketEntries) || string(name) == string(bucketGone) {
					if _, err := parse(v); err != nil { // every field read, nothing copied
						return fmt.Errorf("%s %q: %w", name, k, err)
					}
				}
				return nil
			})
		})
	})
}

// BackupPath is where Backup keeps the last good copy of the store at path.
func BackupPath(path string) string { return path + ".bak" }

// Backup writes a consistent copy of the store beside it, at BackupPath,
// replacing the previous one only once the new one is whole on disk. The
// daemon makes one after each clean start and once a day.
func (s *Store) Backup() error {
	s.keepHome()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return ErrClosed
	}
	dst := BackupPath(s.path)
	tmp := dst + ".tmp"
	err := s.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(tmp, 0o600) })
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		// The pages are copied as they are: a store damaged since it was
		// opened must not replace the last good copy.
		err = Verify(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("state: back up %s: %w", s.path, err)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// OpenOrRestore opens the store at path, as Open does. When it is damaged,
// it starts from the last good copy that Backup made: the damaged file is
// kept beside it, and one warning names both. Without a good copy it
// returns one error that names the file, the damage and what to do.
//
// A store opened so also notices when its file is deleted or replaced while
// it is open, at its next write at the latest: it logs it and writes the
// file anew from what it holds, so that no ID or date is lost.
func OpenOrRestore(path string, log *slog.Logger) (*Store, error) {
	s, err := Open(path, false)
	if s != nil {
		s.log = log
	}
	if !errors.Is(err, ErrDamaged) {
		return s, err
	}
	bak := BackupPath(path)
	if _, statErr := os.Stat(bak); statErr != nil {
		return nil, fmt.Errorf("%w; there is no good copy at %s: move the file away to start afresh (entry IDs come back from the file paths, but first-seen dates are lost), or put a backup in its place", err, bak)
	}
	if verr := Verify(bak); verr != nil {
		return nil, fmt.Errorf("%w; the copy at %s is no good either (%v): move the file away to start afresh, or put a backup in its place", err, bak, verr)
	}
	// The copy goes beside the store first; only when it is whole does the
	// damaged file step aside, so that a failure leaves the store as it was.
	restore := path + ".restore"
	if cerr := copyFile(bak, restore); cerr != nil {
		return nil, fmt.Errorf("%w; could not restore %s: %v", err, bak, cerr)
	}
	kept := fmt.Sprintf("%s.damaged-%s", path, time.Now().UTC().Format("20060102T150405.000000000Z"))
	if rerr := os.Rename(path, kept); rerr != nil {
		os.Remove(restore)
		return nil, fmt.Errorf("%w; could not move it aside to restore %s: %v", err, bak, rerr)
	}
	if rerr := os.Rename(restore, path); rerr != nil {
		os.Rename(kept, path)
		os.Remove(restore)
		return nil, fmt.Errorf("%w; could not restore %s: %v", err, bak, rerr)
	}
	log.Warn("state store is damaged; started from its last good copy",
		"store", path, "copy", bak, "damaged_file_kept_as", kept, "damage", err.Error())
	s, err = Open(path, false)
	if s != nil {
		s.log = log
		if gerr := s.newGeneration(); gerr != nil {
			s.Close()
			return nil, gerr
		}
	}
	return s, err
}

// copyFile copies src to dst through a temporary file, synced, then renamed.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".tmp"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// atHome reports whether the file at the store's path is the one it has
// open. The caller holds s.mu.
func (s *Store) atHome() bool {
	mine, err := s.file.Stat()
	if err != nil {
		return true // nothing to compare: leave it
	}
	there, err := os.Stat(s.path)
	return err == nil && os.SameFile(mine, there)
}

// keepHome makes sure the store's file is still the one open: when it was
// deleted, or replaced by another file, the store writes what it holds to
// its path anew and goes on there.
func (s *Store) keepHome() {
	if s.log == nil {
		return
	}
	s.mu.RLock()
	home := s.db == nil || s.atHome()
	s.mu.RUnlock()
	if home {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil || s.atHome() || time.Since(s.lastRehome) < time.Minute {
		return // done meanwhile, or tried a moment ago
	}
	s.lastRehome = time.Now()
	_, err := os.Stat(s.path)
	what := "deleted"
	if err == nil {
		what = "replaced by another file"
	}
	tmp := s.path + ".tmp"
	err = s.db.View(func(tx *bolt.Tx) error { return tx.CopyFile(tmp, 0o600) })
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, s.path)
	}
	if err != nil {
		os.Remove(tmp)
		s.log.Error("state store file was "+what+" and could not be written anew; still using the open one", "store", s.path, "reason", err.Error())
		return
	}
	fresh, err := open(s.path, false)
	if err != nil {
		s.log.Error("state store file was "+what+"; written anew but could not be opened; still using the old one", "store", s.path, "reason", err.Error())
		return
	}
	s.db.Close()
	s.db, s.file = fresh.db, fresh.file
	s.log.Warn("state store file was "+what+" while open; wrote it anew from what seedfeed holds", "store", s.path)
}

// Verify opens the store at path and checks it through, as Open does, and
// with bbolt's own consistency check: seedfeed state check. It changes
// nothing in the file.
func Verify(path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("state: %s does not exist", path)
	} else if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	s, err := open(path, true)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := safely(s.check); err != nil {
		return fmt.Errorf("state: %s is %w: %v", path, ErrDamaged, err)
	}
	return nil
}

// check verifies the store's on-disk structure (bbolt's consistency check)
// and that every record decodes.
func (s *Store) check() error {
	if s.db == nil {
		return ErrClosed
	}
	return s.db.View(func(tx *bolt.Tx) error {
		var errs []error
		stop := dropWhile(tx)
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		stop()
		pg := pager{tx: tx}
		defer pg.done()
		for _, name := range [][]byte{bucketEntries, bucketGone} {
			b := tx.Bucket(name)
			if b == nil {
				continue // a store that never held an entry
			}
			b.ForEach(func(k, v []byte) error {
				pg.add(len(k) + len(v))
				if _, err := decode(v); err != nil {
					errs = append(errs, fmt.Errorf("%s %q: %w", name, k, err))
				}
				return nil
			})
		}
		if b := tx.Bucket(bucketExpiries); b != nil {
			b.ForEach(func(k, v []byte) error {
				if len(v) != 8 {
					errs = append(errs, fmt.Errorf("%s %q: %w", bucketExpiries, k, errCorrupt))
				}
				return nil
			})
		}
		return errors.Join(errs...)
	})
}
