package index

import (
	"math/rand/v2"
	"testing"
)

// TestDigestSet: the set answers as a map does through adds and removes
// in any order, with digests that share their slot, at the start of the
// array or at its end (their runs wrap around), and the digest 0.
func TestDigestSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s digestSet
	model := map[uint64]bool{}
	digest := func() uint64 {
		d := rng.Uint64N(5000) << 40 // many share the first slots (a slot is of the high bits)
		switch rng.IntN(10) {
		case 0:
			return rng.Uint64N(3) // 0, and its stand-in 1
		case 1, 2, 3, 4:
			return ^d // many share the last slots
		}
		return d
	}
	for step := range 200_000 {
		d := digest()
		switch rng.IntN(3) {
		case 0, 1:
			s.add(d)
			model[max(d, 1)] = true
		case 2:
			s.remove(d)
			delete(model, max(d, 1))
		}
		probe := digest()
		if got, want := s.has(probe), model[max(probe, 1)]; got != want {
			t.Fatalf("step %d: has(%#x) = %v; want %v", step, probe, got, want)
		}
	}
	for d := range model {
		if !s.has(d) {
			t.Fatalf("has(%#x) = false at the end; want true", d)
		}
	}
	if s.n != len(model) {
		t.Errorf("n = %d; want %d", s.n, len(model))
	}
}

// TestDigestSetSize: the set takes at most 16 bytes a digest, as many as
// it holds, its array grown by half when three quarters full.
func TestDigestSetSize(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var s digestSet
	for n := 1; n <= 200_000; n++ {
		s.add(rng.Uint64())
		if s.n != n {
			t.Fatalf("n = %d after %d adds of random digests; want %d", s.n, n, n)
		}
		if n >= 1024 && 8*len(s.slots) > 16*n {
			t.Fatalf("%d bytes of slots for %d digests; want at most 16 a digest", 8*len(s.slots), n)
		}
	}
}
