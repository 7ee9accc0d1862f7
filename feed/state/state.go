// Package state persists what must survive a restart for feed readers to
// trust a feed: each entry's stable ID, the time seedfeed first saw it, the
// hash of its extracted content and the time that content last changed.
//
// The store is a bbolt file, so a crash mid-write leaves the last committed
// state intact. One process holds it at a time; a second one fails at Open
// within the lock timeout instead of waiting forever.
//
// IDs are minted once and never recomputed: the first ID a path gets is a
// name-based UUID of that path (so even a lost state file gives the same IDs
// back), and a file that reappears under a new name with the same content
// takes over the ID of the one that vanished.
package state

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// LockTimeout is how long Open waits for another process to let go of the
// store before it gives up.
const LockTimeout = 2 * time.Second

// tombstoneTTL is how long a removed file's record is kept, so that a file
// which comes back (renamed, or moved out and in again) keeps its ID and
// publication date.
const tombstoneTTL = 90 * 24 * time.Hour

// The buckets. Live records are keyed by path, so that a first scan, which
// goes in path order, appends rather than inserts. Most records carry the
// ID minted from their own path; ids lists every other ID still in use
// (those of removed files, and of files renamed away from the path their ID
// was minted from), so that no ID is ever given out twice.
var (
	bucketEntries = []byte("entries") // live path → Record
	bucketIDs     = []byte("ids")     // reserved ID → live path, or removedMark
	removedMark   = []byte{0}         // in ids: the ID's file was removed
	bucketGone    = []byte("gone")    // hash + "\x00" + ID → Record, for removed files
	bucketMeta    = []byte("meta")    // name → a time, in Unix nanoseconds: what the daemon must remember of the folder
)

// Record is what the store keeps about one entry: no text, only what keeps
// IDs and dates stable and lets a restart skip files that did not change.
type Record struct {
	ID         string
	Path       string
	Hash       string    // fingerprint of the file's text
	FirstSeen  time.Time // never changes
	Updated    time.Time // when Hash last changed
	Size       int64     // of the file, when last read
	ModTime    time.Time // of the file, when last read
	Removed    time.Time // zero while the file exists
	Date       time.Time // the file's own publication date (front matter); zero when none
	DocUpdated time.Time // the file's own update date (front matter); zero when none
}

// Observation is one file as it was just read.
type Observation struct {
	Path       string
	Hash       string
	Size       int64
	ModTime    time.Time
	Date       time.Time
	DocUpdated time.Time
}

// Store is an open state file.
type Store struct {
	mu   sync.RWMutex // writers replace db when the file was replaced under it
	db   *bolt.DB
	file *os.File // bbolt's, to tell whether the file at path is still it
	path string
	log  *slog.Logger // for a file replaced under the store; none when nil
}

// ErrLocked reports a state file that another process holds open.
var ErrLocked = errors.New("state: file is in use by another seedfeed process")

// ErrClosed reports use of a store after Close.
var ErrClosed = errors.New("state: store is closed")

// Open opens or creates the state file at path, and verifies it: every
// page of its records is read once, so that a damaged file is found here,
// as an error that wraps ErrDamaged, and never makes bbolt crash later.
// readOnly opens it shared, for commands that only look.
func Open(path string, readOnly bool) (*Store, error) {
	if readOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("state: %w", err)
		}
	}
	s, err := open(path, readOnly)
	if err != nil || readOnly {
		return s, err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketEntries, bucketIDs, bucketGone, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.db.Close()
		return nil, fmt.Errorf("state: init %s: %w", path, err)
	}
	return s, nil
}

// Close closes the store. It is safe to call twice.
func (s *Store) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// Lookup returns the live record for path, if there is one.
func (s *Store) Lookup(path string) (Record, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var rec Record
	var ok bool
	if s.db == nil {
		return rec, false, ErrClosed
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		rec, ok, err = lookup(tx, path)
		return err
	})
	return rec, ok, err
}

// LookupAll returns the live record of each path, in order, in one
// transaction. A path with no live record gives a zero Record.
func (s *Store) LookupAll(paths []string) ([]Record, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return nil, ErrClosed
	}
	out := make([]Record, len(paths))
	err := s.db.View(func(tx *bolt.Tx) error {
		for i, p := range paths {
			rec, ok, err := lookup(tx, p)
			if err != nil {
				return err
			}
			if ok {
				out[i] = rec
			}
		}
		return nil
	})
	return out, err
}

// Verify opens the store at path and checks it through, as Open does, and
// with bbolt's own consistency check: seedfeed state check. It changes
// nothing in the file.
func Verify(path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	s, err := open(path, false)
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
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		for _, b := range [][]byte{bucketEntries, bucketGone} {
			tx.Bucket(b).ForEach(func(k, v []byte) error {
				if _, err := decode(v); err != nil {
					errs = append(errs, fmt.Errorf("%s %q: %w", b, k, err))
				}
				return nil
			})
		}
		return errors.Join(errs...)
	})
}

// Empty reports whether the store holds no live record.
func (s *Store) Empty() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return true
	}
	empty := true
	s.db.View(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bucketEntries).Cursor().First()
		empty = k == nil
		return nil
	})
	return empty
}

// Brief is the part of a live record that a rescan needs: enough to tell
// whether its file changed, and to order its entry among the others.
type Brief struct {
	ID        []byte    // only valid during the call that hands it over
	Size      int64     // of the file, when last read
	ModTime   int64     // of the file, when last read, in Unix nanoseconds
	Published time.Time // see Record.Published
}

// Briefs calls fn with the path and brief of every live record whose path
// is in [from, to), in path order, until fn returns false. An empty from or
// to leaves that end open. path and brief are only valid during the call:
// a full walk makes no garbage, which counts at 100,000 records. Walks of
// different ranges can run at once.
func (s *Store) Briefs(from, to string, fn func(path []byte, b Brief) bool) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return ErrClosed
	}
	return s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketEntries).Cursor()
		for k, v := c.Seek([]byte(from)); k != nil && (to == "" || string(k) < to); k, v = c.Next() {
			b, err := brief(v)
			if err != nil {
				return fmt.Errorf("state: %s %q: %w", bucketEntries, k, err)
			}
			if !fn(k, b) {
				return nil
			}
		}
		return nil
	})
}

// Since returns the time noted under name, or the zero time.
func (s *Store) Since(name string) (time.Time, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return time.Time{}, ErrClosed
	}
	var t time.Time
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			if v := b.Get([]byte(name)); len(v) == 8 {
				t = fromNanos(int64(binary.BigEndian.Uint64(v)))
			}
		}
		return nil
	})
	return t, err
}

// Note notes t under name; the zero time forgets it.
func (s *Store) Note(name string, t time.Time) error {
	s.keepHome()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return ErrClosed
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if t.IsZero() {
			return b.Delete([]byte(name))
		}
		return b.Put([]byte(name), binary.BigEndian.AppendUint64(nil, uint64(nanos(t))))
	})
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	return nil
}

// Published returns when the entry was published: the file's own date
// when it has one, else when seedfeed first saw it.
func (r Record) Published() time.Time {
	if !r.Date.IsZero() {
		return r.Date
	}
	return r.FirstSeen
}

// Change is one batch of what happened to the folder: files read, and files
// gone. Apply records gone files first, so that a file renamed within the
// batch keeps its ID.
type Change struct {
	Seen    []Observation
	Removed []string
}

// Apply records a change at time now and returns the resulting record of
// every seen file, in the order of c.Seen. It runs in one transaction: either
// all of the change is stored or none of it.
func (s *Store) Apply(c Change, now time.Time) ([]Record, error) {
	s.keepHome()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return nil, ErrClosed
	}
	now = now.UTC() // full precision: what comes later must sort later
	out := make([]Record, len(c.Seen))
	err := s.db.Update(func(tx *bolt.Tx) error {
		tx.Bucket(bucketEntries).FillPercent = 0.9 // most inserts come in path order
		for _, p := range c.Removed {
			if err := remove(tx, p, now); err != nil {
				return err
			}
		}
		for i, o := range c.Seen {
			rec, err := observe(tx, o, now)
			if err != nil {
				return err
			}
			out[i] = rec
		}
		if len(c.Removed) > 0 {
			return prune(tx, now)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	return out, nil
}

func lookup(tx *bolt.Tx, path string) (Record, bool, error) {
	v := tx.Bucket(bucketEntries).Get([]byte(path))
	if v == nil {
		return Record{}, false, nil
	}
	rec, err := decode(v)
	return rec, err == nil, err
}

func observe(tx *bolt.Tx, o Observation, now time.Time) (Record, error) {
	rec, ok, err := lookup(tx, o.Path)
	if err != nil {
		return Record{}, err
	}
	switch {
	case ok:
		if rec.Hash != o.Hash {
			rec.Hash, rec.Updated = o.Hash, now
		}
	default:
		if rec, ok = revive(tx, o.Hash, now); ok {
			if err := reserve(tx, rec.ID, o.Path); err != nil {
				return Record{}, err
			}
		} else {
			rec = Record{Hash: o.Hash, FirstSeen: now, Updated: now}
			if rec.ID, err = mint(tx, o.Path, now); err != nil {
				return Record{}, err
			}
		}
	}
	rec.Path, rec.Size, rec.ModTime, rec.Removed = o.Path, o.Size, o.ModTime.UTC(), time.Time{}
	rec.Date, rec.DocUpdated = o.Date.UTC(), o.DocUpdated.UTC()
	return rec, tx.Bucket(bucketEntries).Put([]byte(rec.Path), encode(rec))
}

// revive finds a removed record with the same content hash, removed less
// than tombstoneTTL ago, and takes it out of the removed set.
func revive(tx *bolt.Tx, hash string, now time.Time) (Record, bool) {
	c := tx.Bucket(bucketGone).Cursor()
	prefix := append([]byte(hash), 0)
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		rec, err := decode(v)
		if err != nil || now.Sub(rec.Removed) > tombstoneTTL {
			continue // prune will forget it
		}
		if c.Delete() != nil {
			return Record{}, false
		}
		return rec, true
	}
	return Record{}, false
}

func remove(tx *bolt.Tx, path string, now time.Time) error {
	rec, ok, err := lookup(tx, path)
	if err != nil || !ok {
		return err
	}
	if err := tx.Bucket(bucketEntries).Delete([]byte(path)); err != nil {
		return err
	}
	if err := tx.Bucket(bucketIDs).Put([]byte(rec.ID), removedMark); err != nil {
		return err
	}
	rec.Removed = now
	return tx.Bucket(bucketGone).Put(goneKey(rec), encode(rec))
}

// prune forgets records removed longer than tombstoneTTL ago, and frees
// their IDs.
func prune(tx *bolt.Tx, now time.Time) error {
	gone, ids := tx.Bucket(bucketGone), tx.Bucket(bucketIDs)
	var expired [][]byte
	err := gone.ForEach(func(k, v []byte) error {
		if rec, err := decode(v); err != nil || now.Sub(rec.Removed) > tombstoneTTL {
			expired = append(expired, k)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range expired {
		if err := gone.Delete(k); err != nil {
			return err
		}
		id := k[bytes.IndexByte(k, 0)+1:]
		if bytes.Equal(ids.Get(id), removedMark) {
			if err := ids.Delete(id); err != nil {
				return err
			}
		}
	}
	return nil
}

func goneKey(rec Record) []byte {
	return append(append([]byte(rec.Hash), 0), rec.ID...)
}

// mint makes the ID of a path seen for the first time: a name-based UUID of
// the path, or, when that one is taken (a file removed or renamed away still
// holds it), of the path and the time.
func mint(tx *bolt.Tx, path string, now time.Time) (string, error) {
	ids := tx.Bucket(bucketIDs)
	id := NameID(path)
	if ids.Get([]byte(id)) == nil {
		return id, nil // the common case: no entry needed, see reserve
	}
	for n := 1; ids.Get([]byte(id)) != nil; n++ {
		id = NameID(fmt.Sprintf("%s\x00%s\x00%d", path, now.Format(time.RFC3339), n))
	}
	return id, ids.Put([]byte(id), []byte(path))
}

// reserve records in ids that id lives at path, unless id is simply the
// name-based ID of path, which needs no entry: a later mint for path cannot
// be handed it, as a live record holds path.
func reserve(tx *bolt.Tx, id, path string) error {
	ids := tx.Bucket(bucketIDs)
	if id == NameID(path) {
		if ids.Get([]byte(id)) != nil {
			return ids.Delete([]byte(id))
		}
		return nil
	}
	return ids.Put([]byte(id), []byte(path))
}

// namespace is the UUID namespace of seedfeed's entry IDs
// (a name-based UUID of "https://seedfeed.dev/entry" in the URL namespace).
var namespace = [16]byte{0x2b, 0x5f, 0x3d, 0x0e, 0x8a, 0x41, 0x5b, 0x7c, 0x9d, 0x12, 0x6e, 0x4f, 0xa0, 0xb3, 0xc5, 0xd7}

// NameID returns the ID a path gets when first seen: the RFC 9562 version 5
// UUID of the path, as a URN. It is never random, so it comes out the same
// on every machine and after a lost state file.
func NameID(name string) string {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte(name))
	var sum [sha1.Size]byte
	u := h.Sum(sum[:0])[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	var out [45]byte
	copy(out[:], "urn:uuid:")
	i := 9
	for j := range u {
		if j == 4 || j == 6 || j == 8 || j == 10 {
			out[i] = '-'
			i++
		}
		hex.Encode(out[i:i+2], u[j:j+1])
		i += 2
	}
	return string(out[:])
}
