package state

import (
	"encoding/binary"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// encodeV2 writes a record as stores of version 2 did: every text whole,
// every time in full.
func encodeV2(rec Record) []byte {
	b := []byte{recordVersionV2}
	for _, s := range []string{rec.ID, rec.Path, rec.Hash} {
		b = appendString(b, s)
	}
	for _, t := range []time.Time{rec.FirstSeen, rec.Updated, rec.ModTime, rec.Removed, rec.Date, rec.DocUpdated} {
		b = binary.AppendVarint(b, nanos(t))
	}
	b = binary.AppendVarint(b, rec.Size)
	b = binary.AppendUvarint(b, uint64(len(rec.Tags)))
	for _, t := range rec.Tags {
		b = appendString(b, t)
	}
	return appendString(b, rec.Place)
}

// encodeV1 writes a record as stores before version 2 did: without tags
// and place.
func encodeV1(rec Record) []byte {
	b := []byte{recordVersionV1}
	for _, s := range []string{rec.ID, rec.Path, rec.Hash} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, t := range []time.Time{rec.FirstSeen, rec.Updated, rec.ModTime, rec.Removed, rec.Date, rec.DocUpdated} {
		b = binary.AppendVarint(b, nanos(t))
	}
	return binary.AppendVarint(b, rec.Size)
}

// TestRecordFacts: a record keeps the file's tags and place; a record of
// the old format reads as OldFormat, with none, and is made whole by the
// next observation of its file, which keeps its ID and dates.
func TestRecordFacts(t *testing.T) {
	rec := Record{ID: "urn:uuid:x", Path: "a/b.md", Hash: "h", FirstSeen: t0, Updated: t0, Size: 3, ModTime: t0,
		Tags: []string{"Business", "اقتصاد"}, Place: "Tehran"}
	got, err := decode(encode(rec))
	if err != nil || !reflect.DeepEqual(got, rec) {
		t.Errorf("decode(encode(%+v)) = %+v, %v", rec, got, err)
	}
	br, err := brief(encode(rec))
	if tags, place := br.Facts(); err != nil || br.OldFormat || !reflect.DeepEqual(tags, rec.Tags) || place != rec.Place {
		t.Errorf("brief: tags %q, place %q, old %v, %v; want %q, %q", tags, place, br.OldFormat, err, rec.Tags, rec.Place)
	}
	old := rec
	old.Tags, old.Place = nil, ""
	got, err = decode(encodeV1(old))
	if old.OldFormat = true; err != nil || !reflect.DeepEqual(got, old) {
		t.Errorf("decode(v1) = %+v, %v; want %+v", got, err, old)
	}
	if br, err := brief(encodeV1(old)); err != nil || !br.OldFormat {
		t.Errorf("brief(v1): old format %v, %v; want true", br.OldFormat, err)
	}
	for _, cut := range []int{1, 3} { // a damaged tail is an error, never a crash
		if _, err := decode(encode(rec)[:len(encode(rec))-cut]); err == nil {
			t.Errorf("decode of a record %d bytes short: no error", cut)
		}
	}

	s := openTest(t, filepath.Join(t.TempDir(), "state.db"))
	if err := s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketEntries).Put([]byte(old.Path), encodeV1(old)) }); err != nil {
		t.Fatal(err)
	}
	recs := apply(t, s, Change{Seen: []Observation{{Path: old.Path, Hash: "h", Size: 3, ModTime: t0, Tags: []string{"Notes"}, Place: ""}}}, t0.Add(time.Hour))
	if r := recs[0]; r.ID != old.ID || !r.FirstSeen.Equal(old.FirstSeen) || r.OldFormat || !reflect.DeepEqual(r.Tags, []string{"Notes"}) {
		t.Errorf("after a read of its file, the old record is %+v; want its ID and dates, tags [Notes], new format", r)
	}
}

// TestRecordRoundTrips: every record reads back as it was written, in the
// compact form and from the form of version 2: IDs and fingerprints of
// every shape (only the exact forms NameID and the fingerprint write are
// kept as raw bytes), zero times, and dates far from the time first seen.
// A typical record takes a third less than in version 2.
func TestRecordRoundTrips(t *testing.T) {
	id := NameID("a/b.txt")
	hash := "affcb5f005ab0820fb39d25b46e34891"
	old, far := time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2250, 1, 1, 0, 0, 0, 0, time.UTC)
	typical := Record{ID: id, Path: "2024/05/wire-123456.txt", Hash: hash, FirstSeen: t0, Updated: t0, Size: 3012,
		ModTime: t0.Add(-time.Hour), Place: "Tehran"}
	recs := []Record{
		typical,
		{ID: strings.ToUpper(id[:9]) + id[9:], Path: "p", Hash: strings.ToUpper(hash), FirstSeen: t0},
		{ID: "urn:uuid:x", Path: "p", Hash: "h", FirstSeen: t0, Updated: t0.Add(time.Second), Removed: t0.Add(time.Hour),
			Date: old, DocUpdated: far, Tags: []string{"Business", "اقتصاد"}},
		{ID: "tag:example.org,2020:1", Path: "ü/é.md", Hash: hash[:31] + "g", FirstSeen: far, Date: old, Size: -1},
		{ID: id, Path: "q", Hash: hash},
	}
	for _, rec := range recs {
		for name, b := range map[string][]byte{"compact": encode(rec), "version 2": encodeV2(rec)} {
			got, err := decode(b)
			if err != nil || !reflect.DeepEqual(got, rec) {
				t.Errorf("decode(%s of %+v) = %+v, %v", name, rec, got, err)
			}
			br, err := brief(b)
			if err != nil || string(br.ID()) != rec.ID || br.Size != rec.Size || br.ModTime != nanos(rec.ModTime) || !br.Published.Equal(rec.Published()) {
				t.Errorf("brief(%s of %+v) = %+v, %v", name, rec, br, err)
			}
			// A walk takes the bytes of a URN that the compact form keeps
			// as bytes, not its text.
			u, isUUID := br.UUID()
			if _, isURN := ParseURN([]byte(rec.ID)); name == "compact" && isUUID != isURN || isUUID && string(AppendURN(nil, u)) != rec.ID {
				t.Errorf("brief(%s of %+v).UUID() = %x, %v; want the ID's bytes exactly when it is a URN", name, rec, u, isUUID)
			}
		}
	}
	if c, v2 := len(encode(typical)), len(encodeV2(typical)); 3*c > 2*v2 {
		t.Errorf("a typical record takes %d bytes, %d in version 2; want a third less", c, v2)
	}
	for cut := 1; cut < len(encode(typical)); cut += 7 { // a damaged record is an error, never a crash
		if _, err := decode(encode(typical)[:len(encode(typical))-cut]); err == nil {
			t.Errorf("decode of a record %d bytes short: no error", cut)
		}
	}
}
