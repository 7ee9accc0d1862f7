package state

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketExpiries holds when each live entry that has an expiry (Hugo's
// expiryDate) stops being published: path → Unix nanoseconds, big-endian.
// Few entries have one, so a bucket of their own costs the records nothing,
// and a daemon or a rebuild finds them all without walking the records.
// It is made when the first expiry is seen.
var bucketExpiries = []byte("expiries")

// Expiry is when the entry at Path stops being published.
type Expiry struct {
	Path string
	At   time.Time
}

// Expiries returns the expiry of every live entry that has one, in path
// order.
func (s *Store) Expiries() ([]Expiry, error) {
	var out []Expiry
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketExpiries)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if len(v) != 8 {
				return fmt.Errorf("state: %s %q: %w", bucketExpiries, k, errCorrupt)
			}
			out = append(out, Expiry{Path: string(k), At: fromNanos(int64(binary.BigEndian.Uint64(v)))})
			return nil
		})
	})
	return out, err
}

// noteExpiry keeps at, the expiry of the live entry at path, or forgets
// the one it had when at is zero. exp is the bucket, nil while none was
// made; noteExpiry returns it, made if it had to be.
func noteExpiry(tx *bolt.Tx, exp *bolt.Bucket, path string, at time.Time) (*bolt.Bucket, error) {
	if at.IsZero() {
		if exp != nil && exp.Get([]byte(path)) != nil {
			return exp, exp.Delete([]byte(path))
		}
		return exp, nil
	}
	if exp == nil {
		var err error
		if exp, err = tx.CreateBucketIfNotExists(bucketExpiries); err != nil {
			return nil, err
		}
	}
	return exp, exp.Put([]byte(path), binary.BigEndian.AppendUint64(nil, uint64(nanos(at))))
}
