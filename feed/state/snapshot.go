package state

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketSnapshot holds the files of the last snapshot the daemon served,
// so that a restarted daemon serves them, with their validators, before
// its index is loaded: file path → SavedFile, encoded (see encodeFile);
// and under snapshotHead, the snapshot's own fields, as JSON. A store
// made before it has none, and an earlier seedfeed leaves it alone.
var (
	bucketSnapshot = []byte("snapshot")
	snapshotHead   = []byte("\x00head") // no file path starts with a NUL
)

// snapshotFormat is the version of the bucket's encoding; a head of
// another is not read.
const snapshotFormat = 1

// Saved is a snapshot as the store keeps it across a restart.
type Saved struct {
	// Key names what the snapshot was rendered from: seedfeed's version
	// and settings. A daemon whose key differs does not use it.
	Key       string
	Updated   time.Time
	Newest    time.Time
	SiteSince time.Time
	Archive   int
	Published int // entries known when it was rendered
	Files     map[string]SavedFile
}

// SavedFile is one file of a saved snapshot.
type SavedFile struct {
	Body    []byte
	Type    string
	ETag    string
	ModTime time.Time
}

// head is what snapshotHead holds.
type head struct {
	Format    int       `json:"format"`
	Key       string    `json:"key"`
	Updated   time.Time `json:"updated"`
	Newest    time.Time `json:"newest"`
	SiteSince time.Time `json:"site_since"`
	Archive   int       `json:"archive"`
	Published int       `json:"published"`
	Files     int       `json:"files"`
}

// Snapshot returns the snapshot saved last; ok is false when there is
// none, or none this version can read, or it is incomplete.
func (s *Store) Snapshot() (sv Saved, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSnapshot)
		if b == nil {
			return nil
		}
		var h head
		if v := b.Get(snapshotHead); v == nil || json.Unmarshal(v, &h) != nil || h.Format != snapshotFormat {
			return nil
		}
		sv = Saved{Key: h.Key, Updated: h.Updated, Newest: h.Newest, SiteSince: h.SiteSince, Archive: h.Archive,
			Published: h.Published, Files: make(map[string]SavedFile, h.Files)}
		err := b.ForEach(func(k, v []byte) error {
			if bytes.Equal(k, snapshotHead) {
				return nil
			}
			f, err := decodeFile(v)
			if err != nil {
				return fmt.Errorf("state: %s %q: %w", bucketSnapshot, k, err)
			}
			f.Body = append([]byte{}, f.Body...) // v is only valid in the transaction
			sv.Files[string(k)] = f
			return nil
		})
		ok = err == nil && len(sv.Files) == h.Files
		return err
	})
	if !ok {
		sv = Saved{}
	}
	return sv, ok, err
}

// SaveSnapshot stores sv in place of the snapshot saved before, in one
// transaction: only the files whose ETag or date changed are written
// again, and those sv no longer holds are removed.
func (s *Store) SaveSnapshot(sv Saved) error {
	h, err := json.Marshal(head{Format: snapshotFormat, Key: sv.Key, Updated: sv.Updated.UTC(), Newest: sv.Newest.UTC(),
		SiteSince: sv.SiteSince.UTC(), Archive: sv.Archive, Published: sv.Published, Files: len(sv.Files)})
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSnapshot)
		if err != nil {
			return err
		}
		var drop [][]byte
		err = b.ForEach(func(k, v []byte) error {
			if _, keep := sv.Files[string(k)]; !keep && !bytes.Equal(k, snapshotHead) {
				drop = append(drop, k)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range drop {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		for name, f := range sv.Files {
			if old, err := decodeFile(b.Get([]byte(name))); err == nil && old.ETag == f.ETag && old.ModTime.Equal(f.ModTime) && old.Type == f.Type {
				continue
			}
			if err := b.Put([]byte(name), encodeFile(f)); err != nil {
				return err
			}
		}
		return b.Put(snapshotHead, h)
	})
}

// encodeFile encodes f: its type and ETag, each after its length as a
// uvarint; its modification time in Unix nanoseconds, 8 bytes big-endian;
// then its body.
func encodeFile(f SavedFile) []byte {
	out := make([]byte, 0, 2*binary.MaxVarintLen64+len(f.Type)+len(f.ETag)+8+len(f.Body))
	out = binary.AppendUvarint(out, uint64(len(f.Type)))
	out = append(out, f.Type...)
	out = binary.AppendUvarint(out, uint64(len(f.ETag)))
	out = append(out, f.ETag...)
	out = binary.BigEndian.AppendUint64(out, uint64(nanos(f.ModTime)))
	return append(out, f.Body...)
}

var errShortFile = errors.New("saved file cut short")

// decodeFile decodes what encodeFile made. The body is v's own bytes.
func decodeFile(v []byte) (SavedFile, error) {
	var f SavedFile
	str := func() (string, bool) {
		n, k := binary.Uvarint(v)
		if k <= 0 || uint64(len(v)-k) < n {
			return "", false
		}
		s := string(v[k : k+int(n)])
		v = v[k+int(n):]
		return s, true
	}
	var ok1, ok2 bool
	if f.Type, ok1 = str(); !ok1 {
		return f, errShortFile
	}
	if f.ETag, ok2 = str(); !ok2 || len(v) < 8 {
		return f, errShortFile
	}
	f.ModTime = fromNanos(int64(binary.BigEndian.Uint64(v)))
	f.Body = v[8:]
	return f, nil
}
