package index

import (
	"bytes"
	"hash/maphash"
	"math"
	"slices"

	"github.com/seedfeed/seedfeed/feed/state"
)

// The index holds its entries where the collector need not look. Each
// entry is a record of fixed size without pointers, in one slice, and its
// path and ID are bytes in one arena. A handle, the record's place in the
// slice, stands for the entry in the order, in the categories' sets and
// in the tables that find it by path and by ID, all of which hold
// handles. So the collector walks a few slices and the B-trees' nodes,
// not a string per entry (issue 16; heap_test.go measures it).

// handle names a record: its place in Index.recs. Handles of removed
// entries are used again, so one is only good while ix.mu is held.
type handle uint32

// pivot is the handle of no entry: its record is set to a place in the
// order (see Index.pivotAt) to search the B-trees from there.
const pivot handle = 0

// rec is what the index holds of one entry.
type rec struct {
	published int64  // Unix nanoseconds: full precision, so that two files first seen in the same second still sort in the order they came
	at        uint32 // where its path starts in the arena; an ID kept there follows it
	pathLen   uint32 // 0 for a free record: no path is empty
	idLen     uint32 // of the ID in the arena; 0 when the ID is uuid's URN, as state.NameID makes it (no ID is empty)
	cats      uint32 // its set of category names (see Index.catSets); 0 for none
	uuid      [16]byte
}

// bytes is how much of the arena r takes.
func (r *rec) bytes() uint32 { return r.pathLen + r.idLen }

// pos is a place in the order: where an entry of this date and path
// stands, whether it is in the index or not (an archive page's bound, the
// feeds' oldest entry as it was).
type pos struct {
	published int64
	path      string
}

// batch is entries made outside the index's lock, to be put in it: records
// whose paths and IDs are in an arena of the batch's own.
type batch struct {
	recs  []rec
	arena []byte

	catsOf map[string]uint32 // the category sets of records seen, by folder and facts (see Index.briefCategories)
}

// ident is an entry's ID as the index keeps it: the bytes of the URN that
// state.NameID makes, or else the text.
type ident struct {
	text []byte // nil for a URN
	uuid [16]byte
}

// identOf returns the ident of the ID id.
func identOf(id []byte) ident {
	if u, ok := state.ParseURN(id); ok {
		return ident{uuid: u}
	}
	return ident{text: id}
}

// briefIdent returns the ident of the ID of br, without writing out a URN
// that the store keeps as bytes.
func briefIdent(br state.Brief) ident {
	if u, ok := br.UUID(); ok {
		return ident{uuid: u}
	}
	return identOf(br.ID())
}

// add appends an entry. id is copied: it may be bytes of the store's,
// only valid during a walk.
func (b *batch) add(path string, id ident, published int64, cats uint32) {
	r := rec{published: published, at: uint32(len(b.arena)), pathLen: uint32(len(path)), cats: cats}
	b.arena = append(b.arena, path...)
	if id.text == nil {
		r.uuid = id.uuid
	} else {
		b.arena = append(b.arena, id.text...)
		r.idLen = uint32(len(id.text))
	}
	b.recs = append(b.recs, r)
}

// path returns the path of entry i.
func (b *batch) path(i int) string {
	r := &b.recs[i]
	return string(b.arena[r.at : r.at+r.pathLen])
}

// urn writes u as state.NameID does.
func urn(u [16]byte) string {
	var out [len("urn:uuid:") + 36]byte
	return string(state.AppendURN(out[:0], u))
}

// The methods below read and change the records. The caller holds ix.mu.

// pathBytes returns the path of h, in the arena: good until the arena
// changes.
func (ix *Index) pathBytes(h handle) []byte {
	if h == pivot {
		return ix.pivotPath
	}
	r := &ix.recs[h]
	return ix.arena[r.at : r.at+r.pathLen]
}

// path returns the path of h.
func (ix *Index) path(h handle) string { return string(ix.pathBytes(h)) }

// id returns the ID of h.
func (ix *Index) id(h handle) string {
	r := &ix.recs[h]
	if r.idLen == 0 {
		return urn(r.uuid)
	}
	return string(ix.idBytes(h))
}

// idBytes returns the ID of h kept in the arena; nil when it is a UUID.
func (ix *Index) idBytes(h handle) []byte {
	r := &ix.recs[h]
	if r.idLen == 0 {
		return nil
	}
	return ix.arena[r.at+r.pathLen : r.at+r.pathLen+r.idLen]
}

// hasID reports whether id is the ID of h.
func (ix *Index) hasID(h handle, id ident) bool {
	if id.text == nil {
		return ix.recs[h].idLen == 0 && ix.recs[h].uuid == id.uuid
	}
	return ix.recs[h].idLen != 0 && bytes.Equal(ix.idBytes(h), id.text)
}

// holds reports whether h is entry i of b, but for its path: the same ID,
// date and categories.
func (ix *Index) holds(h handle, b *batch, i int) bool {
	r, n := &ix.recs[h], &b.recs[i]
	return r.published == n.published && r.cats == n.cats && r.idLen == n.idLen && r.uuid == n.uuid &&
		bytes.Equal(ix.idBytes(h), b.arena[n.at+n.pathLen:n.at+n.pathLen+n.idLen])
}

// posOf returns the place of h in the order.
func (ix *Index) posOf(h handle) pos { return pos{published: ix.recs[h].published, path: ix.path(h)} }

// paths returns the paths of hs.
func (ix *Index) paths(hs []handle) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = ix.path(h)
	}
	return out
}

// newer orders entries newest first, then by path, so the order is total.
// It is the B-trees' less.
func (ix *Index) newer(a, b handle) bool {
	ra, rb := &ix.recs[a], &ix.recs[b]
	if ra.published != rb.published {
		return ra.published > rb.published
	}
	return bytes.Compare(ix.pathBytes(a), ix.pathBytes(b)) < 0
}

// cmpAt compares h with the place p: -1 when h is newer, 0 when h stands
// at p, +1 when h is older.
func (ix *Index) cmpAt(h handle, p pos) int {
	r := &ix.recs[h]
	switch path := ix.pathBytes(h); {
	case r.published > p.published:
		return -1
	case r.published < p.published:
		return 1
	case string(path) < p.path:
		return -1
	case string(path) > p.path:
		return 1
	}
	return 0
}

// pivotAt sets the pivot record to the place p, and returns its handle,
// to search the order from there.
func (ix *Index) pivotAt(p pos) handle {
	ix.recs[pivot].published = p.published
	ix.pivotPath = append(ix.pivotPath[:0], p.path...)
	return pivot
}

// adopt copies entry i of b into a free record, and returns its handle.
func (ix *Index) adopt(b *batch, i int) handle {
	var h handle
	if n := len(ix.free); n > 0 {
		h, ix.free = ix.free[n-1], ix.free[:n-1]
	} else {
		h = handle(len(ix.recs))
		ix.recs = append(ix.recs, rec{})
	}
	ix.fill(h, b, i)
	return h
}

// adoptAll makes the entries of b, whose first record is a place for the
// index's pivot, the index's, when it holds none yet: b's records become
// the index's, each entry's handle its place in b, without a copy. It
// reports false, and does nothing, when the index holds entries or has
// held some. The caller holds ix.mu.
func (ix *Index) adoptAll(b *batch) bool {
	if !ix.takesBatch() {
		return false
	}
	if len(b.arena) > math.MaxUint32 {
		panic("index: more than 4 GiB of paths and IDs") // a record's offset has wrapped
	}
	b.recs[pivot] = ix.recs[pivot]
	ix.recs, ix.arena = b.recs, b.arena
	ix.flat = slices.Grow(ix.flat, len(ix.recs)-1)
	for h := handle(1); int(h) < len(ix.recs); h++ {
		ix.flat = append(ix.flat, h)
		if ix.byID.made() {
			ix.byID.insert(h)
		}
		ix.addCats(h)
	}
	ix.sortedTo = 0
	return true
}

// fill makes h entry i of b, its path and ID copied into the arena.
func (ix *Index) fill(h handle, b *batch, i int) {
	r := b.recs[i]
	from := r.at
	if len(ix.arena)+int(r.bytes()) > math.MaxUint32 {
		panic("index: more than 4 GiB of paths and IDs") // a record's offset would wrap
	}
	r.at = uint32(len(ix.arena))
	ix.arena = append(ix.arena, b.arena[from:from+r.bytes()]...)
	ix.recs[h] = r
}

// replace makes h, an entry at the same path as entry i of b, that entry.
// Its bytes stay where they are when the new ID takes as many (a UUID
// takes none): a file changed makes no garbage.
func (ix *Index) replace(h handle, b *batch, i int) {
	old, n := ix.recs[h], b.recs[i]
	if old.idLen != n.idLen {
		ix.garbage += int(old.bytes())
		ix.fill(h, b, i)
		ix.compact()
		return
	}
	copy(ix.arena[old.at+old.pathLen:old.at+old.bytes()], b.arena[n.at+n.pathLen:n.at+n.bytes()])
	n.at = old.at
	ix.recs[h] = n
}

// release frees h, whose entry has left the order, the tables and the
// categories' sets.
func (ix *Index) release(h handle) {
	ix.garbage += int(ix.recs[h].bytes())
	ix.recs[h] = rec{}
	ix.free = append(ix.free, h)
	ix.compact()
}

// compact copies the arena without the bytes of entries gone or changed
// once they are more than half of it. Handles stay as they were, so the
// order and the tables stay good.
func (ix *Index) compact() {
	if ix.garbage <= len(ix.arena)/2 {
		return
	}
	arena := make([]byte, 0, len(ix.arena)-ix.garbage)
	for h := range ix.recs {
		r := &ix.recs[h]
		if handle(h) == pivot || r.pathLen == 0 {
			continue
		}
		from := r.at
		r.at = uint32(len(arena))
		arena = append(arena, ix.arena[from:from+r.bytes()]...)
	}
	ix.arena, ix.garbage = arena, 0
}

// reserve makes room for b: a first index of a large folder is sized to
// it, with little room to spare (see roomFor).
func (ix *Index) reserve(b *batch) {
	ix.recs = slices.Grow(ix.recs, roomFor(len(b.recs)))
	ix.arena = slices.Grow(ix.arena, roomFor(len(b.arena)))
}

// roomFor returns the room to make at once for n records, or n bytes of
// paths and IDs: n, and a thirty-second more for the files that come
// later. Sized to the byte, an index copied all its records at its first
// new file, into room a quarter larger, made beside them: at 1,000,000
// files, 50 MB more at once, after each start.
func roomFor(n int) int { return n + n/32 }

// pathHash and idHash are the keys of the tables that find entries.
func (ix *Index) pathHash(h handle) uint64 { return maphash.Bytes(ix.seed, ix.pathBytes(h)) }

func (ix *Index) idHash(h handle) uint64 {
	if r := &ix.recs[h]; r.idLen == 0 {
		return maphash.Bytes(ix.seed, r.uuid[:])
	}
	return maphash.Bytes(ix.seed, ix.idBytes(h))
}

// lookup returns the handle of the entry at path. It finds none while the
// index is flat (see settle).
func (ix *Index) lookup(path string) (handle, bool) {
	return ix.byPath.find(maphash.String(ix.seed, path), func(h handle) bool { return string(ix.pathBytes(h)) == path })
}

// lookupID returns the handle of the entry whose ID is id. See ensureIDs.
func (ix *Index) lookupID(id []byte) (handle, bool) {
	if u, ok := state.ParseURN(id); ok {
		return ix.byID.find(maphash.Bytes(ix.seed, u[:]), func(h handle) bool { return ix.recs[h].idLen == 0 && ix.recs[h].uuid == u })
	}
	return ix.byID.find(maphash.Bytes(ix.seed, id), func(h handle) bool { return ix.recs[h].idLen != 0 && bytes.Equal(ix.idBytes(h), id) })
}
