package state

import (
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Since returns the time noted under name, or the zero time.
func (s *Store) Since(name string) (time.Time, error) {
	var t time.Time
	err := s.view(func(tx *bolt.Tx) error {
		if n, ok := metaValue(tx, []byte(name)); ok {
			t = fromNanos(int64(n))
		}
		return nil
	})
	return t, err
}

// metaValue reads the number stored under key in the meta bucket.
func metaValue(tx *bolt.Tx, key []byte) (uint64, bool) {
	if b := tx.Bucket(bucketMeta); b != nil {
		if v := b.Get(key); len(v) == 8 {
			return binary.BigEndian.Uint64(v), true
		}
	}
	return 0, false
}

// Note notes t under name; the zero time forgets it.
func (s *Store) Note(name string, t time.Time) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if t.IsZero() {
			return b.Delete([]byte(name))
		}
		return b.Put([]byte(name), binary.BigEndian.AppendUint64(nil, uint64(nanos(t))))
	})
}

// rulesKey names, in the meta bucket, the version of the rules the
// store's files were last judged by (see Rules).
var rulesKey = []byte("rules")

// Rules returns the version of the rules by which the store's files were
// judged posts or not, as SetRules noted it; 0 for a store that never
// noted one (those of versions before seedfeed noted it).
func (s *Store) Rules() (uint64, error) { return s.meta(rulesKey) }

// SetRules notes the version of the rules the store's files were judged
// by.
func (s *Store) SetRules(n uint64) error { return s.setMeta(rulesKey, n) }

// meta returns the number stored under key in the meta bucket; 0 when
// there is none.
func (s *Store) meta(key []byte) (uint64, error) {
	var n uint64
	err := s.view(func(tx *bolt.Tx) error {
		n, _ = metaValue(tx, key)
		return nil
	})
	return n, err
}

// setMeta stores n under key in the meta bucket.
func (s *Store) setMeta(key []byte, n uint64) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(key, binary.BigEndian.AppendUint64(nil, n))
	})
}
