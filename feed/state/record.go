package state

import (
	"encoding/binary"
	"errors"
	"time"
)

// recordVersion opens every encoded record, so that the format can change.
// Version 2 added the facts (tags and place) at the end; a record of
// version 1 is read as OldFormat.
const (
	recordVersion   = 2
	recordVersionV1 = 1
)

// encode writes a record compactly: a version byte, three length-prefixed
// strings, then the times as Unix nanoseconds and the size, as varints,
// then the facts: a count of tags, each tag, and the place, each
// length-prefixed.
func encode(rec Record) []byte {
	n := 16 + len(rec.ID) + len(rec.Path) + len(rec.Hash) + len(rec.Place) + 7*binary.MaxVarintLen64
	for _, t := range rec.Tags {
		n += len(t) + binary.MaxVarintLen64
	}
	b := make([]byte, 0, n)
	b = append(b, recordVersion)
	for _, s := range []string{rec.ID, rec.Path, rec.Hash} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, t := range []time.Time{rec.FirstSeen, rec.Updated, rec.ModTime, rec.Removed, rec.Date, rec.DocUpdated} {
		b = binary.AppendVarint(b, nanos(t))
	}
	b = binary.AppendVarint(b, rec.Size)
	b = binary.AppendUvarint(b, uint64(len(rec.Tags)))
	for _, t := range rec.Tags {
		b = binary.AppendUvarint(b, uint64(len(t)))
		b = append(b, t...)
	}
	b = binary.AppendUvarint(b, uint64(len(rec.Place)))
	return append(b, rec.Place...)
}

// decodeFacts reads the tags and place at the end of an encoded record.
func decodeFacts(b []byte) (tags []string, place string, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, "", errCorrupt
	}
	b = b[k:]
	str := func() (string, bool) {
		m, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < m {
			return "", false
		}
		s := string(b[k : k+int(m)])
		b = b[k+int(m):]
		return s, true
	}
	for range n {
		t, ok := str()
		if !ok {
			return nil, "", errCorrupt
		}
		tags = append(tags, t)
	}
	place, ok := str()
	if !ok {
		return nil, "", errCorrupt
	}
	return tags, place, nil
}

func decode(b []byte) (Record, error) {
	var rec Record
	if b == nil {
		return rec, errors.New("record missing")
	}
	if len(b) == 0 || b[0] != recordVersion && b[0] != recordVersionV1 {
		return rec, errCorrupt
	}
	rec.OldFormat = b[0] == recordVersionV1
	// One string holds the three texts, so a record costs one allocation.
	all := string(b[1:])
	off := 0
	for _, s := range []*string{&rec.ID, &rec.Path, &rec.Hash} {
		n, k := binary.Uvarint(b[1+off:])
		if k <= 0 || uint64(len(all)-off-k) < n {
			return rec, errCorrupt
		}
		*s, off = all[off+k:off+k+int(n)], off+k+int(n)
	}
	b = b[1+off:]
	for _, t := range []*time.Time{&rec.FirstSeen, &rec.Updated, &rec.ModTime, &rec.Removed, &rec.Date, &rec.DocUpdated} {
		v, k := binary.Varint(b)
		if k <= 0 {
			return rec, errCorrupt
		}
		*t, b = fromNanos(v), b[k:]
	}
	size, k := binary.Varint(b)
	if k <= 0 {
		return rec, errCorrupt
	}
	rec.Size = size
	if !rec.OldFormat {
		var err error
		if rec.Tags, rec.Place, err = decodeFacts(b[k:]); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// brief decodes what Brief holds of an encoded record, without copying.
func brief(b []byte) (Brief, error) {
	var br Brief
	if len(b) == 0 || b[0] != recordVersion && b[0] != recordVersionV1 {
		return br, errCorrupt
	}
	br.OldFormat = b[0] == recordVersionV1
	b = b[1:]
	for i := range 3 { // ID, path, hash
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return br, errCorrupt
		}
		if i == 0 {
			br.ID = b[k : k+int(n)]
		}
		b = b[k+int(n):]
	}
	var t [6]int64 // first seen, updated, mod time, removed, date, doc updated
	for i := range t {
		v, k := binary.Varint(b)
		if k <= 0 {
			return br, errCorrupt
		}
		t[i], b = v, b[k:]
	}
	size, k := binary.Varint(b)
	if k <= 0 {
		return br, errCorrupt
	}
	br.Size, br.ModTime = size, t[2]
	if !br.OldFormat {
		br.facts = b[k:]
	}
	br.Published = fromNanos(t[0])
	if t[4] != 0 {
		br.Published = fromNanos(t[4])
	}
	return br, nil
}

var errCorrupt = errors.New("corrupt record")

// nanos and fromNanos keep the zero time zero.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
