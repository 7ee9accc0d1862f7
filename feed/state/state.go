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
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// LockTimeout is how long Open waits for another process to let go of the
// store before it gives up.
const LockTimeout = 2 * time.Second

// tombstoneTTL is how long a removed file's record is kept, so that a file
// which comes back (renamed, or moved out and in again) keeps its ID and
// publication date.
const tombstoneTTL = 90 * 24 * time.Hour

var (
	bucketRecords = []byte("records") // ID → Record
	bucketPaths   = []byte("paths")   // live path → ID
	bucketGone    = []byte("gone")    // hash + "\x00" + ID → nil, for removed files
)

// Record is what the store keeps about one entry.
type Record struct {
	ID        string    `json:"id"`
	Path      string    `json:"path"`
	Hash      string    `json:"hash"`       // of the extracted content
	FirstSeen time.Time `json:"first_seen"` // never changes
	Updated   time.Time `json:"updated"`    // when Hash last changed
	Size      int64     `json:"size"`       // of the file, when last read
	ModTime   time.Time `json:"mod_time"`   // of the file, when last read
	Removed   time.Time `json:"removed,omitzero"`
	Meta      Meta      `json:"meta"`
}

// Meta is what extraction found in the file, less its full text, so that a
// restart need not read a file that has not changed.
type Meta struct {
	Title      string    `json:"title"`
	Summary    string    `json:"summary,omitempty"`
	Author     string    `json:"author,omitempty"`
	Categories []string  `json:"categories,omitempty"`
	Date       time.Time `json:"date,omitzero"`    // from front matter
	Updated    time.Time `json:"updated,omitzero"` // from front matter
}

// Observation is one file as it was just read.
type Observation struct {
	Path    string
	Hash    string
	Size    int64
	ModTime time.Time
	Meta    Meta
}

// Store is an open state file.
type Store struct {
	db *bolt.DB
}

// ErrLocked reports a state file that another process holds open.
var ErrLocked = errors.New("state: file is in use by another seedfeed process")

// ErrClosed reports use of a store after Close.
var ErrClosed = errors.New("state: store is closed")

// Open opens or creates the state file at path. readOnly opens it shared,
// for commands that only look.
func Open(path string, readOnly bool) (*Store, error) {
	if readOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("state: %w", err)
		}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout, ReadOnly: readOnly})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (gave up after %s)", ErrLocked, path, LockTimeout)
	}
	if err != nil {
		return nil, fmt.Errorf("state: open %s: %w", path, err)
	}
	s := &Store{db: db}
	if readOnly {
		return s, nil
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketRecords, bucketPaths, bucketGone} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("state: init %s: %w", path, err)
	}
	return s, nil
}

// Close closes the store. It is safe to call twice.
func (s *Store) Close() error {
	if s == nil || s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// Lookup returns the live record for path, if there is one.
func (s *Store) Lookup(path string) (Record, bool, error) {
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

// Records returns every live record.
func (s *Store) Records() ([]Record, error) {
	var out []Record
	if s.db == nil {
		return nil, ErrClosed
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		recs := tx.Bucket(bucketRecords)
		return tx.Bucket(bucketPaths).ForEach(func(_, id []byte) error {
			rec, err := decode(recs.Get(id))
			if err != nil {
				return err
			}
			out = append(out, rec)
			return nil
		})
	})
	return out, err
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
	if s.db == nil {
		return nil, ErrClosed
	}
	now = now.UTC().Truncate(time.Second)
	out := make([]Record, len(c.Seen))
	err := s.db.Update(func(tx *bolt.Tx) error {
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
		return prune(tx, now)
	})
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	return out, nil
}

func lookup(tx *bolt.Tx, path string) (Record, bool, error) {
	id := tx.Bucket(bucketPaths).Get([]byte(path))
	if id == nil {
		return Record{}, false, nil
	}
	rec, err := decode(tx.Bucket(bucketRecords).Get(id))
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
		rec, ok = revive(tx, o.Hash)
		if !ok {
			rec = Record{ID: mint(tx, o.Path, now), Hash: o.Hash, FirstSeen: now, Updated: now}
		}
	}
	rec.Path, rec.Size, rec.ModTime, rec.Removed, rec.Meta = o.Path, o.Size, o.ModTime.UTC(), time.Time{}, o.Meta
	return rec, put(tx, rec)
}

// revive finds a removed record with the same content hash and takes it out
// of the removed set.
func revive(tx *bolt.Tx, hash string) (Record, bool) {
	c := tx.Bucket(bucketGone).Cursor()
	prefix := append([]byte(hash), 0)
	k, _ := c.Seek(prefix)
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return Record{}, false
	}
	id := k[len(prefix):]
	rec, err := decode(tx.Bucket(bucketRecords).Get(id))
	if err != nil {
		return Record{}, false
	}
	_ = c.Delete()
	return rec, true
}

func remove(tx *bolt.Tx, path string, now time.Time) error {
	rec, ok, err := lookup(tx, path)
	if err != nil || !ok {
		return err
	}
	if err := tx.Bucket(bucketPaths).Delete([]byte(path)); err != nil {
		return err
	}
	rec.Removed = now
	if err := tx.Bucket(bucketGone).Put(goneKey(rec), nil); err != nil {
		return err
	}
	return putRecord(tx, rec)
}

// prune forgets records removed longer than tombstoneTTL ago.
func prune(tx *bolt.Tx, now time.Time) error {
	recs := tx.Bucket(bucketRecords)
	c := tx.Bucket(bucketGone).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		i := bytes.IndexByte(k, 0)
		rec, err := decode(recs.Get(k[i+1:]))
		if err != nil || now.Sub(rec.Removed) > tombstoneTTL {
			if err := c.Delete(); err != nil {
				return err
			}
			if err := recs.Delete(k[i+1:]); err != nil {
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
// the path, or, when that one is taken (a file renamed away kept it), of the
// path and the time.
func mint(tx *bolt.Tx, path string, now time.Time) string {
	recs := tx.Bucket(bucketRecords)
	id := NameID(path)
	for n := 1; recs.Get([]byte(id)) != nil; n++ {
		id = NameID(fmt.Sprintf("%s\x00%s\x00%d", path, now.Format(time.RFC3339), n))
	}
	return id
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
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func put(tx *bolt.Tx, rec Record) error {
	if err := tx.Bucket(bucketPaths).Put([]byte(rec.Path), []byte(rec.ID)); err != nil {
		return err
	}
	return putRecord(tx, rec)
}

func putRecord(tx *bolt.Tx, rec Record) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketRecords).Put([]byte(rec.ID), b)
}

func decode(b []byte) (Record, error) {
	var rec Record
	if b == nil {
		return rec, errors.New("record missing")
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		return rec, fmt.Errorf("corrupt record: %w", err)
	}
	return rec, nil
}
