package state

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

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
