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
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"sync/atomic"
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
	FirstSeen  time.Time // when first seen, or the file's modification time then if earlier; never changes
	Updated    time.Time // when Hash last changed; FirstSeen while it never has
	Size       int64     // of the file, when last read
	ModTime    time.Time // of the file, when last read
	Removed    time.Time // zero while the file exists
	Date       time.Time // the file's own publication date (front matter); zero when none
	DocUpdated time.Time // the file's own update date (front matter); zero when none
	Tags       []string  // the file's front matter tags and categories
	Place      string    // the place of the file's dateline
	// OldFormat marks a record written before stores kept Tags and Place:
	// they are unknown until the file is read again, which the next
	// rescan does once.
	OldFormat bool
}

// Observation is one file as it was just read.
type Observation struct {
	Path       string
	Hash       string
	Size       int64
	ModTime    time.Time
	Date       time.Time
	DocUpdated time.Time
	Month      time.Time // the month the path's folders name, when Date is zero (see MonthDate)
	Tags       []string
	Place      string
	// Expires is when the file stops being published (Hugo's expiryDate);
	// zero when it never does. The store keeps it apart from the record
	// (see Expiries).
	Expires time.Time
}

// Store is an open state file.
type Store struct {
	mu   sync.RWMutex // writers replace db when the file was replaced under it
	db   *bolt.DB
	file *os.File // bbolt's, to tell whether the file at path is still it
	path string
	log  *slog.Logger // for a file replaced under the store; none when nil

	lastRehome time.Time    // when keepHome last wrote the file anew
	looked     atomic.Int64 // bytes of the map that lookups may have made resident since they last let go of it (see dropLooked)
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
	buckets := [][]byte{bucketEntries, bucketIDs, bucketGone, bucketMeta}
	whole := false // a store made before has them all: a write, and its two syncs, would change nothing
	s.db.View(func(tx *bolt.Tx) error {
		whole = !slices.ContainsFunc(buckets, func(b []byte) bool { return tx.Bucket(b) == nil })
		return nil
	})
	if whole {
		return s, nil
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range buckets {
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
	s.keepHome() // a file deleted under a quiet store is written anew before it is let go
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// view runs fn in a read transaction.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return ErrClosed
	}
	return s.db.View(fn)
}

// update runs fn in a write transaction, once a file deleted or replaced
// under the store has been written anew (see keepHome).
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	s.keepHome()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return ErrClosed
	}
	if err := s.db.Update(fn); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	return nil
}

// Lookup returns the live record for path, if there is one.
func (s *Store) Lookup(path string) (Record, bool, error) {
	var rec Record
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		rec, ok, err = lookup(tx, path)
		s.dropLooked(tx, 1)
		return err
	})
	return rec, ok, err
}

// LookupAll returns the live record of each path, in order, in one
// transaction. A path with no live record gives a zero Record.
func (s *Store) LookupAll(paths []string) ([]Record, error) {
	out := make([]Record, len(paths))
	err := s.view(func(tx *bolt.Tx) error {
		for i, p := range paths {
			rec, ok, err := lookup(tx, p)
			if err != nil {
				return err
			}
			if ok {
				out[i] = rec
			}
		}
		s.dropLooked(tx, len(paths))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Removed reports whether id belonged to a file that was removed, and
// that the store still remembers (for tombstoneTTL), so that its page can
// say it is gone rather than never was.
func (s *Store) Removed(id string) (bool, error) {
	var gone bool
	err := s.view(func(tx *bolt.Tx) error {
		gone = bytes.Equal(tx.Bucket(bucketIDs).Get([]byte(id)), removedMark)
		return nil
	})
	return gone, err
}

// Empty reports whether the store holds no live record.
func (s *Store) Empty() bool {
	empty := true
	s.view(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bucketEntries).Cursor().First()
		empty = k == nil
		return nil
	})
	return empty
}

// Count returns the number of live records and the bytes of their paths,
// for a caller about to hold them all, to make room once. It goes through
// the records as Briefs does, and lets go of their pages as it goes.
func (s *Store) Count() (records, pathBytes int, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		pg := pager{tx: tx}
		defer pg.done()
		c := tx.Bucket(bucketEntries).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			pg.add(len(k) + len(v))
			records++
			pathBytes += len(k)
		}
		return nil
	})
	return records, pathBytes, err
}

// Brief is the part of a live record that a rescan needs: enough to tell
// whether its file changed, and to order its entry among the others.
type Brief struct {
	Size      int64     // of the file, when last read
	ModTime   int64     // of the file, when last read, in Unix nanoseconds
	Published time.Time // see Record.Published
	OldFormat bool      // see Record.OldFormat
	id        []byte    // the ID, when kept as text; only valid during the call
	uuid      [16]byte  // the ID, when kept as the bytes of NameID's URN
	isUUID    bool
	facts     []byte // the encoded tags and place; only valid during the call
}

// ID returns the record's ID, as Record.ID has it, only valid during the
// call that hands b over. An ID that NameID made is kept as its 16 bytes,
// and written out here: a walk that needs no text takes UUID.
func (b Brief) ID() []byte {
	if b.isUUID {
		return AppendURN(nil, b.uuid)
	}
	return b.id
}

// UUID returns the bytes of an ID kept as those of NameID's URN, and
// whether it is kept so; an ID kept as text is not, whatever it reads.
func (b Brief) UUID() ([16]byte, bool) { return b.uuid, b.isUUID }

// Facts returns the record's tags and place (see Record). It allocates:
// a walk that needs no categories does not call it.
func (b Brief) Facts() (tags []string, place string) {
	tags, place, _ = decodeFacts(b.facts)
	return tags, place
}

// FactsKey returns the record's tags and place as the store encodes them,
// only valid during the call: records with the same bytes have the same
// Facts, so a walk can tell them apart without decoding them.
func (b Brief) FactsKey() []byte { return b.facts }

// Briefs calls fn with the path and brief of every live record whose path
// is in [from, to), in path order, until fn returns false. An empty from or
// to leaves that end open. path and brief are only valid during the call:
// a full walk makes no garbage, which counts at 100,000 records. Walks of
// different ranges can run at once.
func (s *Store) Briefs(from, to string, fn func(path []byte, b Brief) bool) error {
	return s.view(func(tx *bolt.Tx) error {
		pg := pager{tx: tx}
		defer pg.done()
		c := tx.Bucket(bucketEntries).Cursor()
		for k, v := c.Seek([]byte(from)); k != nil && (to == "" || string(k) < to); k, v = c.Next() {
			pg.add(len(k) + len(v))
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

// MonthDate returns the date of a file whose folders name only its month
// (month, its first day at midnight UTC) and that was first seen at
// firstSeen, its modification time or earlier: none when firstSeen falls
// within the month, since it tells the day and the hour too; else the
// month's first day. Zero when month is.
func MonthDate(month, firstSeen time.Time) time.Time {
	if month.IsZero() || !firstSeen.Before(month) && firstSeen.Before(month.AddDate(0, 1, 0)) {
		return time.Time{}
	}
	return month
}

// Published returns when the entry was published: the file's own date
// when it has one, else FirstSeen.
func (r Record) Published() time.Time {
	if !r.Date.IsZero() {
		return r.Date
	}
	return r.FirstSeen
}
