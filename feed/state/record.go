package state

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"time"
)

// recordVersion opens every encoded record, so that the format can change.
// Version 2 added the facts (tags and place) at the end; a record of
// version 1 is read as OldFormat. Version 3 is version 2 made compact
// (see encode): a record takes about a third less, and so does the store,
// which a daemon maps into memory. Records of versions 1 and 2 are read
// as they are, and written in version 3 when they next change.
const (
	recordVersion   = 3
	recordVersionV2 = 2
	recordVersionV1 = 1
)

// The flags of a record of version 3: which of its texts are kept as raw
// bytes, and which of its times are not zero.
const (
	flagURN    = 1 << iota // the ID is a UUID URN as NameID writes it, kept as its 16 bytes
	flagHash16             // the fingerprint is 32 lower-case hex digits, kept as their 16 bytes
	flagUpdated
	flagModTime
	flagRemoved
	flagDate
	flagDocUpdated
)

// encode writes a record compactly: the version byte, a byte of flags, the
// ID (16 bytes, or length-prefixed), the length-prefixed path, the
// fingerprint (16 bytes, or length-prefixed), the time first seen in Unix
// nanoseconds, each other time that is not zero as its distance from it,
// the size, then the facts: a count of tags, each tag, and the place, each
// length-prefixed. Numbers are varints.
func encode(rec Record) []byte {
	n := 32 + len(rec.ID) + len(rec.Path) + len(rec.Hash) + len(rec.Place) + 8*binary.MaxVarintLen64
	for _, t := range rec.Tags {
		n += len(t) + binary.MaxVarintLen64
	}
	b := make([]byte, 2, n)
	b[0] = recordVersion
	var flags byte
	if u, ok := ParseURN([]byte(rec.ID)); ok {
		flags |= flagURN
		b = append(b, u[:]...)
	} else {
		b = appendString(b, rec.ID)
	}
	b = appendString(b, rec.Path)
	if h, ok := parseHex16([]byte(rec.Hash)); ok {
		flags |= flagHash16
		b = append(b, h[:]...)
	} else {
		b = appendString(b, rec.Hash)
	}
	first := nanos(rec.FirstSeen)
	b = binary.AppendVarint(b, first)
	for i, t := range []time.Time{rec.Updated, rec.ModTime, rec.Removed, rec.Date, rec.DocUpdated} {
		if !t.IsZero() {
			flags |= flagUpdated << i
			// The distance wraps around, so that any two times give it.
			b = binary.AppendVarint(b, int64(uint64(nanos(t))-uint64(first)))
		}
	}
	b[1] = flags
	b = binary.AppendVarint(b, rec.Size)
	b = binary.AppendUvarint(b, uint64(len(rec.Tags)))
	for _, t := range rec.Tags {
		b = appendString(b, t)
	}
	return appendString(b, rec.Place)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// fields are the parts of an encoded record of any version, not copied:
// they are only valid as long as the record's bytes.
type fields struct {
	old         bool   // version 1: no facts
	id, hash    []byte // text, or 16 raw bytes when urn, hash16
	urn, hash16 bool
	path        []byte
	times       [6]int64 // first seen, updated, mod time, removed, date, doc updated; 0 for zero
	size        int64
	facts       []byte // nil for version 1
}

// parse splits an encoded record into its fields.
func parse(b []byte) (fields, error) {
	var f fields
	if len(b) == 0 {
		return f, errCorrupt
	}
	version := b[0]
	b = b[1:]
	str := func() ([]byte, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return nil, false
		}
		s := b[k : k+int(n)]
		b = b[k+int(n):]
		return s, true
	}
	raw := func() ([]byte, bool) {
		if len(b) < 16 {
			return nil, false
		}
		s := b[:16]
		b = b[16:]
		return s, true
	}
	varint := func() (int64, bool) {
		v, k := binary.Varint(b)
		if k <= 0 {
			return 0, false
		}
		b = b[k:]
		return v, true
	}
	ok := true
	switch version {
	case recordVersionV1, recordVersionV2:
		f.old = version == recordVersionV1
		f.id, ok = str()
		if ok {
			f.path, ok = str()
		}
		if ok {
			f.hash, ok = str()
		}
		for i := range f.times {
			if ok {
				f.times[i], ok = varint()
			}
		}
	case recordVersion:
		if len(b) == 0 {
			return f, errCorrupt
		}
		flags := b[0]
		b = b[1:]
		f.urn, f.hash16 = flags&flagURN != 0, flags&flagHash16 != 0
		if f.urn {
			f.id, ok = raw()
		} else {
			f.id, ok = str()
		}
		if ok {
			f.path, ok = str()
		}
		if ok && f.hash16 {
			f.hash, ok = raw()
		} else if ok {
			f.hash, ok = str()
		}
		if ok {
			f.times[0], ok = varint()
		}
		for i := 1; i < len(f.times) && ok; i++ {
			if flags&(flagUpdated<<(i-1)) != 0 {
				var d int64
				d, ok = varint()
				f.times[i] = int64(uint64(f.times[0]) + uint64(d))
			}
		}
	default:
		return f, errCorrupt
	}
	if ok {
		f.size, ok = varint()
	}
	if !ok {
		return f, errCorrupt
	}
	if !f.old {
		f.facts = b
	}
	return f, nil
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
	f, err := parse(b)
	if err != nil {
		return rec, err
	}
	rec.OldFormat = f.old
	// One string holds the three texts, so a record costs one allocation.
	buf := make([]byte, 0, urnLen+len(f.path)+2*len(f.hash))
	buf = f.appendID(buf)
	idEnd := len(buf)
	buf = append(buf, f.path...)
	pathEnd := len(buf)
	if f.hash16 {
		buf = hex.AppendEncode(buf, f.hash)
	} else {
		buf = append(buf, f.hash...)
	}
	all := string(buf)
	rec.ID, rec.Path, rec.Hash = all[:idEnd], all[idEnd:pathEnd], all[pathEnd:]
	for i, t := range []*time.Time{&rec.FirstSeen, &rec.Updated, &rec.ModTime, &rec.Removed, &rec.Date, &rec.DocUpdated} {
		*t = fromNanos(f.times[i])
	}
	rec.Size = f.size
	if !f.old {
		if rec.Tags, rec.Place, err = decodeFacts(f.facts); err != nil {
			return rec, err
		}
	}
	return rec, nil
}

// appendID appends the ID's text.
func (f fields) appendID(dst []byte) []byte {
	if f.urn {
		return AppendURN(dst, [16]byte(f.id))
	}
	return append(dst, f.id...)
}

// brief decodes what Brief holds of an encoded record, without copying.
func brief(b []byte) (Brief, error) {
	var br Brief
	f, err := parse(b)
	if err != nil {
		return br, err
	}
	br.OldFormat = f.old
	if f.urn {
		br.uuid, br.isUUID = [16]byte(f.id), true
	} else {
		br.id = f.id
	}
	br.Size, br.ModTime, br.facts = f.size, f.times[2], f.facts
	br.Published = fromNanos(f.times[0])
	if f.times[4] != 0 {
		br.Published = fromNanos(f.times[4])
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
