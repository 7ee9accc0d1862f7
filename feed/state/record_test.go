package state

import (
	"encoding/binary"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

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
