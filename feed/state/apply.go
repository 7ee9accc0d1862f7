package state

import (
	"bytes"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Change is one batch of what happened to the folder: files read, and files
// gone. Apply records gone files first, so that a file renamed within the
// batch keeps its ID.
type Change struct {
	Seen    []Observation
	Removed []string
	// Site is the base URL of the site, whose name the IDs minted for
	// new files take (see SiteID); empty, they take NameID's.
	Site string
}

// Apply records a change at time now and returns the resulting record of
// every seen file, in the order of c.Seen. It runs in one transaction: either
// all of the change is stored or none of it.
func (s *Store) Apply(c Change, now time.Time) ([]Record, error) {
	now = now.UTC() // full precision: what comes later must sort later
	out := make([]Record, len(c.Seen))
	err := s.update(func(tx *bolt.Tx) error {
		tx.Bucket(bucketEntries).FillPercent = 0.9 // most inserts come in path order
		exp := tx.Bucket(bucketExpiries)           // nil until an entry has an expiry
		for _, p := range c.Removed {
			err := remove(tx, p, now)
			if err == nil {
				exp, err = noteExpiry(tx, exp, p, time.Time{})
			}
			if err != nil {
				return err
			}
		}
		for i, o := range c.Seen {
			rec, err := observe(tx, o, c.Site, now)
			if err == nil {
				exp, err = noteExpiry(tx, exp, o.Path, o.Expires)
			}
			if err != nil {
				return err
			}
			out[i] = rec
		}
		if len(c.Seen) > 0 || len(c.Removed) > 0 {
			if err := bumpGeneration(tx); err != nil {
				return err
			}
		}
		if len(c.Removed) > 0 {
			return prune(tx, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.dropAfter(len(c.Seen) + len(c.Removed))
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

func observe(tx *bolt.Tx, o Observation, site string, now time.Time) (Record, error) {
	rec, ok, err := lookup(tx, o.Path)
	if err != nil {
		return Record{}, err
	}
	// The file's own dates are taken when it is new, or when its text
	// changed (front matter dates are part of it). Never on a touch, nor
	// on a rename but to a name of another date (below): a record from
	// before the dates of names, say, keeps the date it was published
	// with, since readers have it.
	dated := !ok
	switch {
	case ok:
		if rec.Hash != o.Hash {
			rec.Hash, rec.Updated, dated = o.Hash, now, true
		}
	default:
		if rec, ok = revive(tx, o.Hash, now); ok {
			dated = false
			// The same text under a name of another date: a Jekyll post
			// renamed from 2024-01-02-x.md to 2024-03-05-x.md, whose
			// author moved its date. A record dated by no date of its own
			// keeps the one it was published with.
			if !o.Date.IsZero() && !rec.Date.IsZero() {
				rec.Date = o.Date.UTC()
			}
			if err := reserve(tx, site, rec.ID, o.Path); err != nil {
				return Record{}, err
			}
		} else {
			// A file that gives no date of its own is dated by its
			// modification time, never later than now: a folder of years
			// of files keeps its years.
			born := now
			if !o.ModTime.IsZero() && o.ModTime.Before(now) {
				born = o.ModTime.UTC()
			}
			rec = Record{Hash: o.Hash, FirstSeen: born, Updated: born}
			if rec.ID, err = mint(tx, site, o.Path, now); err != nil {
				return Record{}, err
			}
		}
	}
	rec.Path, rec.Size, rec.ModTime, rec.Removed = o.Path, o.Size, o.ModTime.UTC(), time.Time{}
	if dated {
		rec.Date, rec.DocUpdated = o.Date.UTC(), o.DocUpdated.UTC()
		if rec.Date.IsZero() {
			rec.Date = MonthDate(o.Month, rec.FirstSeen)
		}
	}
	rec.Tags, rec.Place, rec.OldFormat = o.Tags, o.Place, false
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

// mint makes the ID of a path seen for the first time on site: a
// name-based UUID of the path (SiteID), or, when that one is taken (a file
// removed or renamed away still holds it), of the path and the time.
func mint(tx *bolt.Tx, site, path string, now time.Time) (string, error) {
	ids := tx.Bucket(bucketIDs)
	id := SiteID(site, path)
	if ids.Get([]byte(id)) == nil {
		return id, nil // the common case: no entry needed, see reserve
	}
	for n := 1; ids.Get([]byte(id)) != nil; n++ {
		id = SiteID(site, fmt.Sprintf("%s\x00%s\x00%d", path, now.Format(time.RFC3339), n))
	}
	return id, ids.Put([]byte(id), []byte(path))
}

// reserve records in ids that id lives at path, unless id is simply the
// name-based ID of path on site, which needs no entry: a later mint for
// path cannot be handed it, as a live record holds path.
func reserve(tx *bolt.Tx, site, id, path string) error {
	ids := tx.Bucket(bucketIDs)
	if id == SiteID(site, path) {
		if ids.Get([]byte(id)) != nil {
			return ids.Delete([]byte(id))
		}
		return nil
	}
	return ids.Put([]byte(id), []byte(path))
}

// namespace is the UUID namespace of seedfeed's entry IDs
// (a name-based UUID of "https://seedfeed.dev/entry" in the URL namespace).
