package index

import "math/bits"

// digestSet is a set of 64-bit digests in one array, by open addressing
// with linear probing: 8 bytes a slot, at most three quarters full, and
// grown by half, so 11 to 16 bytes a digest. A map[uint64]struct{} costs
// about twice that, as each slot is padded to 16 bytes; at a million
// entries read, as a build reads them, the difference is about 25 MB.
// Grown by half rather than doubled, the array holds a million digests in
// 12 MB rather than 16, and the old one and the new together, as it grows
// in a build's last archive pages, took 25 MB, the peak of its live heap.
type digestSet struct {
	slots []uint64 // 0: empty; a digest of 0 is kept as 1
	n     int
}

// slot is the home of d: its place in the array, from its high bits, the
// array being of any length.
func (s *digestSet) slot(d uint64) int {
	hi, _ := bits.Mul64(d, uint64(len(s.slots)))
	return int(hi)
}

// next is the slot after i, the first after the last.
func (s *digestSet) next(i int) int {
	if i++; i == len(s.slots) {
		return 0
	}
	return i
}

// add puts d in the set.
func (s *digestSet) add(d uint64) {
	d = max(d, 1)
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow()
	}
	i := s.slot(d)
	for ; s.slots[i] != 0; i = s.next(i) {
		if s.slots[i] == d {
			return
		}
	}
	s.slots[i] = d
	s.n++
}

// has reports whether d is in the set.
func (s *digestSet) has(d uint64) bool {
	if s.n == 0 {
		return false
	}
	d = max(d, 1)
	for i := s.slot(d); s.slots[i] != 0; i = s.next(i) {
		if s.slots[i] == d {
			return true
		}
	}
	return false
}

// remove takes d out of the set, and moves back the digests after it that
// would no longer be found past the hole.
func (s *digestSet) remove(d uint64) {
	if s.n == 0 {
		return
	}
	d = max(d, 1)
	i := s.slot(d)
	for ; s.slots[i] != d; i = s.next(i) {
		if s.slots[i] == 0 {
			return
		}
	}
	s.slots[i] = 0
	s.n--
	for j := s.next(i); s.slots[j] != 0; j = s.next(j) {
		home := s.slot(s.slots[j])
		// The digest at j may move to the hole at i unless its home lies
		// cyclically in (i, j].
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			s.slots[i], s.slots[j] = s.slots[j], 0
			i = j
		}
	}
}

func (s *digestSet) grow() {
	old := s.slots
	s.slots = make([]uint64, max(len(old)+len(old)/2, 1024))
	s.n = 0
	for _, d := range old {
		if d != 0 {
			s.add(d)
		}
	}
}
