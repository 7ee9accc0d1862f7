package state

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	bolt "go.etcd.io/bbolt"
)

// bucketArchive holds the bounds of the closed archive pages: page number
// (big-endian uint32, from 1, oldest first) → the newest entry the page
// holds, as Bound. Once a page is closed its bound never moves, so the
// page keeps its address and what falls in it.
var bucketArchive = []byte("archive")

// bucketSetArchives holds, for each category (see index), a bucket named
// by its slug, laid out as bucketArchive.
var bucketSetArchives = []byte("archive-sets")

// archiveBucket returns the bucket of the closed pages of set: "" for the
// site's own archive, else a category's slug. It is nil when none was
// made and create is false.
func archiveBucket(tx *bolt.Tx, set string, create bool) (*bolt.Bucket, error) {
	if set == "" {
		if create {
			return tx.CreateBucketIfNotExists(bucketArchive)
		}
		return tx.Bucket(bucketArchive), nil
	}
	if !create {
		if sets := tx.Bucket(bucketSetArchives); sets != nil {
			return sets.Bucket([]byte(set)), nil
		}
		return nil, nil
	}
	sets, err := tx.CreateBucketIfNotExists(bucketSetArchives)
	if err != nil {
		return nil, err
	}
	return sets.CreateBucketIfNotExists([]byte(set))
}

// Bound is a place in the order of entries: a publication time and a path,
// which break ties.
type Bound struct {
	Published int64 // Unix nanoseconds
	Path      string
}

// ArchiveBounds returns the bounds of the closed archive pages of set
// ("" for the site's own archive, else a category's slug), oldest first.
func (s *Store) ArchiveBounds(set string) ([]Bound, error) {
	var out []Bound
	err := s.view(func(tx *bolt.Tx) error {
		b, err := archiveBucket(tx, set, false)
		if b == nil || err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			if len(k) != 4 || len(v) < 8 || int(binary.BigEndian.Uint32(k)) != len(out)+1 {
				return fmt.Errorf("state: archive bound %x is damaged", k)
			}
			out = append(out, Bound{Published: int64(binary.BigEndian.Uint64(v)), Path: string(v[8:])})
			return nil
		})
	})
	return out, err
}

// CloseArchivePages records the bounds of newly closed archive pages of
// set, numbered on from the have pages closed before them.
func (s *Store) CloseArchivePages(set string, have int, bounds []Bound) error {
	return s.CloseArchivePagesOf([]Closing{{Set: set, Have: have, Bounds: bounds}})
}

// Closing is the archive pages that close in one set: Bounds, numbered on
// from the Have pages closed before them.
type Closing struct {
	Set    string
	Have   int
	Bounds []Bound
}

// CloseArchivePagesOf records the pages that close in several sets, in one
// transaction.
func (s *Store) CloseArchivePagesOf(closing []Closing) error {
	return s.update(func(tx *bolt.Tx) error {
		if err := bumpGeneration(tx); err != nil {
			return err
		}
		for _, c := range closing {
			b, err := archiveBucket(tx, c.Set, true)
			if err != nil {
				return err
			}
			for i, bd := range c.Bounds {
				k := binary.BigEndian.AppendUint32(nil, uint32(c.Have+i+1))
				v := append(binary.BigEndian.AppendUint64(nil, uint64(bd.Published)), bd.Path...)
				if err := b.Put(k, v); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// generationKey names, in the meta bucket, the count of changes the store
// has taken (see Generation).
var generationKey = []byte("generation")

// bumpGeneration counts one more change, in tx. A store's count starts at
// a random number, so that two stores (one deleted and made afresh, say)
// never share a generation.
func bumpGeneration(tx *bolt.Tx) error {
	return addGeneration(tx, 1)
}

func addGeneration(tx *bolt.Tx, step uint64) error {
	b, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	n, ok := metaValue(tx, generationKey)
	if !ok {
		n = rand.Uint64() >> 1 // room to count up
	}
	return b.Put(generationKey, binary.BigEndian.AppendUint64(nil, n+step))
}

// newGeneration moves the count of changes far from any it had: the store
// was restored from a copy, whose count an earlier run may have seen with
// other records.
func (s *Store) newGeneration() error {
	return s.update(func(tx *bolt.Tx) error { return addGeneration(tx, 1+rand.Uint64()>>33) })
}

// Generation returns the count of changes the store has taken: records
// seen or removed, archive pages closed. The same generation, the same
// records: a rebuild that finds the generation of its last run can trust
// what that run wrote.
func (s *Store) Generation() (uint64, error) { return s.meta(generationKey) }
