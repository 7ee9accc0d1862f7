package state

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func savedFile(body, etag string) SavedFile {
	return SavedFile{Body: []byte(body), Type: "text/plain", ETag: etag, ModTime: t0}
}

// TestSnapshotRoundTrip: a saved snapshot comes back as it was, after the
// store is closed and opened again; a later save replaces it whole, the
// files it no longer holds included.
func TestSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := openTest(t, path)
	if _, ok, err := s.Snapshot(); ok || err != nil {
		t.Fatalf("Snapshot() of a new store = ok %v, %v; want none", ok, err)
	}
	sv := Saved{Key: "k1", Updated: t0, Newest: t0.Add(time.Second), SiteSince: t0, Archive: 3, Published: 7,
		Files: map[string]SavedFile{"feed.atom": savedFile("<feed/>", `"a"`), "entry/x.html": savedFile("x", `"x"`), "empty": savedFile("", `"e"`)}}
	if err := s.SaveSnapshot(sv); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTest(t, path)
	got, ok, err := s.Snapshot()
	if !ok || err != nil {
		t.Fatalf("Snapshot() = ok %v, %v; want the one saved", ok, err)
	}
	sv.Files["empty"] = SavedFile{Body: []byte{}, Type: "text/plain", ETag: `"e"`, ModTime: t0}
	if !reflect.DeepEqual(got, sv) {
		t.Errorf("Snapshot() = %+v; want %+v", got, sv)
	}

	next := Saved{Key: "k1", Updated: t0, Newest: t0.Add(2 * time.Second), Published: 8,
		Files: map[string]SavedFile{"feed.atom": savedFile("<feed>2</feed>", `"b"`)}}
	if err := s.SaveSnapshot(next); err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := s.Snapshot(); !ok || !reflect.DeepEqual(got, next) {
		t.Errorf("after a second save, Snapshot() = %+v, %v; want %+v", got, ok, next)
	}
}

// TestSnapshotNotUsedWhenIncomplete: a head of another format, or one that
// counts files the bucket does not hold, gives no snapshot rather than a
// wrong one.
func TestSnapshotNotUsedWhenIncomplete(t *testing.T) {
	for name, spoil := range map[string]func(b *bolt.Bucket) error{
		"another format": func(b *bolt.Bucket) error {
			v, _ := json.Marshal(head{Format: snapshotFormat + 1, Key: "k", Files: 1})
			return b.Put(snapshotHead, v)
		},
		"a file missing": func(b *bolt.Bucket) error { return b.Delete([]byte("feed.atom")) },
		"no head":        func(b *bolt.Bucket) error { return b.Delete(snapshotHead) },
	} {
		t.Run(name, func(t *testing.T) {
			s := openTest(t, filepath.Join(t.TempDir(), "state.db"))
			if err := s.SaveSnapshot(Saved{Key: "k", Files: map[string]SavedFile{"feed.atom": savedFile("x", `"x"`)}}); err != nil {
				t.Fatal(err)
			}
			err := s.update(func(tx *bolt.Tx) error { return spoil(tx.Bucket(bucketSnapshot)) })
			if err != nil {
				t.Fatal(err)
			}
			if sv, ok, err := s.Snapshot(); ok || err != nil {
				t.Errorf("Snapshot() = %+v, ok %v, %v; want none", sv, ok, err)
			}
		})
	}
}
