package state

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestExpiriesFollowTheirFiles: the store remembers the expiry of each
// live entry that has one, across a reopen, takes a new one when the file
// gives another or none, and forgets it with the file, or moves it with a
// file renamed.
func TestExpiriesFollowTheirFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := openTest(t, path)
	at, later := t0.Add(time.Hour), t0.Add(2*time.Hour)
	expiring := func(p, hash string, at time.Time) Observation {
		o := seen(p, hash)
		o.Expires = at
		return o
	}
	check := func(when string, want ...Expiry) {
		t.Helper()
		got, err := s.Expiries()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(got, want, func(a, b Expiry) bool { return a.Path == b.Path && a.At.Equal(b.At) }) {
			t.Errorf("%s: Expiries() = %v; want %v", when, got, want)
		}
	}
	check("a new store")
	apply(t, s, Change{Seen: []Observation{expiring("offer.md", "h1", at), seen("post.md", "h2"), expiring("sale.md", "h3", later)}}, t0)
	check("first seen", Expiry{"offer.md", at}, Expiry{"sale.md", later})
	s.Close()
	s = openTest(t, path)
	check("reopened", Expiry{"offer.md", at}, Expiry{"sale.md", later})
	apply(t, s, Change{Seen: []Observation{expiring("offer.md", "h1", later), seen("sale.md", "h3b")}}, t0)
	check("one moved, one dropped", Expiry{"offer.md", later})
	apply(t, s, Change{Removed: []string{"offer.md"}, Seen: []Observation{expiring("offer-renamed.md", "h1", later)}}, t0)
	check("renamed", Expiry{"offer-renamed.md", later})
	apply(t, s, Change{Removed: []string{"offer-renamed.md"}}, t0)
	check("removed")
	if err := s.check(); err != nil {
		t.Errorf("check: %v", err)
	}
	// A value that is no time is damage, which check finds.
	s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketExpiries).Put([]byte("x.md"), []byte{1, 2, 3}) })
	if _, err := s.Expiries(); !errors.Is(err, errCorrupt) {
		t.Errorf("Expiries() with a damaged value: %v; want errCorrupt", err)
	}
	if err := s.check(); !errors.Is(err, errCorrupt) {
		t.Errorf("check with a damaged expiry: %v; want errCorrupt", err)
	}
}
