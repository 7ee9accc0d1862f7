package state

import bolt "go.etcd.io/bbolt"

// Records returns every live record, in path order.
func (s *Store) Records() ([]Record, error) {
	if s.db == nil {
		return nil, ErrClosed
	}
	var out []Record
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketEntries)
		out = make([]Record, 0, b.Stats().KeyN)
		return b.ForEach(func(_, v []byte) error {
			rec, err := decode(v)
			if err != nil {
				return err
			}
			out = append(out, rec)
			return nil
		})
	})
	return out, err
}
