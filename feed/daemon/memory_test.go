package daemon

import (
	"runtime"
	"runtime/debug"
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
	stop := FollowHeap(floor, 2)
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
