package daemon

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestFollowHeap checks that the soft memory limit follows the live heap
// up and down, never under its floor, and is put back at the end.
func TestFollowHeap(t *testing.T) {
	const floor, held = 64 << 20, 256 << 20
	prev := debug.SetMemoryLimit(-1)
	limit := func() int64 { return debug.SetMemoryLimit(-1) }
	stop := FollowHeap(floor, 2, 1<<40) // no bound on the room: twice
	defer stop()

	big := make([]byte, held)
	feedtest.WaitFor(t, 10*time.Second, "the limit to rise to twice a live heap of 256 MiB", func() bool {
		runtime.GC()
		return limit() >= 2*held
	})
	runtime.KeepAlive(big)
	big = nil
	feedtest.WaitFor(t, 10*time.Second, "the limit to fall back to its floor", func() bool {
		runtime.GC()
		return limit() < held
	})
	if l := limit(); l < floor {
		t.Errorf("limit %d MiB, under the floor of %d MiB", l>>20, floor>>20)
	}
	stop()
	if l := limit(); l != prev {
		t.Errorf("after stop, limit %d; want it put back to %d", l, prev)
	}
}

// TestMemoryLimit checks the limit set for a live heap: factor times it,
// never under the floor, with room for garbage bounded by maxRoom, or half
// the live heap when that is more.
func TestMemoryLimit(t *testing.T) {
	const mib = 1 << 20
	build := &follower{floor: 64 * mib, factor: 2, maxRoom: 64 * mib}
	serve := &follower{floor: 64 * mib, factor: 1.5, maxRoom: 64 * mib}
	for _, tc := range []struct {
		name        string
		f           *follower
		live, limit float64 // MiB
	}{
		{"a small heap: the floor", build, 10, 64},
		{"a heap under the bound on the room: twice", build, 48, 96},
		{"a heap over it: the room is the bound", build, 100, 164},
		{"a heap over twice the bound: half again", build, 130, 195},
		{"a large heap: half again", build, 1000, 1500},
		{"the daemon: half again", serve, 100, 150},
		{"the daemon, a small heap: the floor", serve, 20, 64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.limit(tc.live*mib) / mib; got != tc.limit {
				t.Errorf("limit(%v MiB) = %v MiB; want %v MiB", tc.live, got, tc.limit)
			}
		})
	}
}

// TestPaceHeap checks that, once the room is bounded, the collector's
// percentage puts its goal at the limit FollowHeap would set, with no
// limit set meanwhile; that while the heap is small, the limit is set
// instead; and that both are put back at the end.
func TestPaceHeap(t *testing.T) {
	const floor, held = 64 << 20, 256 << 20
	gogc := func() int64 {
		s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
		metrics.Read(s)
		return int64(s[0].Value.Uint64())
	}
	limit := func() int64 { return debug.SetMemoryLimit(-1) }
	prev, prevLimit := gogc(), limit()
	stop := PaceHeap(floor, 2, 64<<20)
	defer stop()

	big := make([]byte, held)
	feedtest.WaitFor(t, 10*time.Second, "the goal to rise to a live heap of 256 MiB and half again", func() bool {
		runtime.GC()
		p := gogc()
		return p >= 50 && p <= 52 // a little over 256 MiB is live
	})
	if l := limit(); l != math.MaxInt64 {
		t.Errorf("limit %d MiB while pacing; want none", l>>20)
	}
	runtime.KeepAlive(big)
	big = nil
	feedtest.WaitFor(t, 10*time.Second, "the limit to fall back to its floor", func() bool {
		runtime.GC()
		return limit() == floor
	})
	stop()
	if p, l := gogc(), limit(); p != prev || l != prevLimit {
		t.Errorf("after stop, GOGC %d and limit %d; want them put back to %d and %d", p, l, prev, prevLimit)
	}
}

// TestPercent checks the collector's percentage for a live heap: its goal
// is the limit FollowHeap would set, the floor's while the heap is small.
func TestPercent(t *testing.T) {
	const mib = 1 << 20
	f := &follower{floor: 64 * mib, factor: 2, maxRoom: 64 * mib, pace: true}
	for _, tc := range []struct {
		live    float64 // MiB
		percent int
	}{
		{0, 1500}, // the minimum heap, 4 MiB times 15: the floor, within 4 MiB
		{16, 300}, // the floor
		{48, 100}, // twice
		{100, 64}, // the room's bound
		{200, 50}, // half again
	} {
		if got := f.percent(tc.live * mib); got != tc.percent {
			t.Errorf("percent(%v MiB) = %d; want %d", tc.live, got, tc.percent)
		}
	}
}
