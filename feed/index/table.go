package index

// table finds entries by a key of theirs, a path or an ID: a hash table of
// handles with open addressing, probed linearly. It holds no pointers and
// no keys, only the handles: a probe compares the key with the entry's
// own bytes. So it costs the heap 4.5 to 9 bytes per entry, where a Go
// map from a 64-bit hash to a handle costs about 23.
type table struct {
	slots []handle // handle 0, the pivot, marks a free slot
	n     int      // handles held
	// hash is the hash of the key of a handle held: the table needs it to
	// move handles when it grows or one is removed.
	hash func(handle) uint64
}

// newTable returns a table for n handles at least.
func newTable(n int, hash func(handle) uint64) table {
	size := 8
	for full(n, size) {
		size *= 2
	}
	return table{slots: make([]handle, size), hash: hash}
}

// full reports whether n handles are too many for size slots: past 7/8,
// probes get long.
func full(n, size int) bool { return n*8 > size*7 }

// made reports whether the table is in use.
func (t *table) made() bool { return t.slots != nil }

// find returns the handle whose key hashes to h and that it accepts.
func (t *table) find(h uint64, is func(handle) bool) (handle, bool) {
	if t.n == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch s := t.slots[i]; {
		case s == 0:
			return 0, false
		case is(s):
			return s, true
		}
	}
}

// insert adds x, which the table does not hold.
func (t *table) insert(x handle) {
	if full(t.n+1, len(t.slots)) {
		old := t.slots
		t.slots = make([]handle, max(2*len(old), 8))
		for _, s := range old {
			if s != 0 {
				t.place(s)
			}
		}
	}
	t.place(x)
	t.n++
}

// place puts x in the first free slot from its hash.
func (t *table) place(x handle) {
	mask := uint64(len(t.slots) - 1)
	i := t.hash(x) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = x
}

// remove takes x out, while its key is still what it was when inserted.
// The handles after it in its run move back, so that no probe stops
// short of them.
func (t *table) remove(x handle) {
	mask := uint64(len(t.slots) - 1)
	i := t.hash(x) & mask
	for t.slots[i] != x {
		i = (i + 1) & mask
	}
	for j := (i + 1) & mask; t.slots[j] != 0; j = (j + 1) & mask {
		// The handle at j may move to the hole at i unless its home, where
		// its probes start, lies in (i, j], cyclically.
		home := t.hash(t.slots[j]) & mask
		if i <= j && (home <= i || home > j) || i > j && home <= i && home > j {
			t.slots[i], i = t.slots[j], j
		}
	}
	t.slots[i] = 0
	t.n--
}
