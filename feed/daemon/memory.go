package daemon

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// FollowHeap makes the collector's soft memory limit follow the live
// heap: after each collection it becomes factor times the heap that
// collection found live, and never less than floor. A fixed limit below
// the live heap makes the collector run back to back (at 1,000,000 files
// it took half of a build's CPU); a limit that follows it keeps the
// garbage of a large scan in proportion to what the process holds anyway.
// The returned func stops following and puts the limit back as it was.
//
// It is for a process that has not been given GOMEMLIMIT, whose limit is
// the user's to set.
func FollowHeap(floor int64, factor float64) (stop func()) {
	f := &follower{floor: floor, factor: factor, prev: debug.SetMemoryLimit(-1)}
	f.follow()
	return func() {
		if f.stopped.CompareAndSwap(false, true) {
			debug.SetMemoryLimit(f.prev)
		}
	}
}

type follower struct {
	floor   int64
	factor  float64
	prev    int64 // the limit before FollowHeap
	stopped atomic.Bool
	limits  atomic.Int64 // how many times the limit was set, for tests
}

// sentinel is a heap object of its own (not one packed by the tiny
// allocator with others), unreachable as soon as it is made: its
// finalizer runs after the next collection.
type sentinel struct{ _ [2]*int }

// follow sets the limit for the heap live now, then arms itself to run
// again after the next collection.
func (f *follower) follow() {
	if f.stopped.Load() {
		return
	}
	debug.SetMemoryLimit(f.limitFor(liveHeap()))
	f.limits.Add(1)
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) { f.follow() })
}

// limitFor returns the limit for a live heap of live bytes.
func (f *follower) limitFor(live uint64) int64 {
	return max(f.floor, int64(f.factor*float64(live)))
}

// liveHeap returns the bytes of heap objects that the last collection
// found live; 0 before the first.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
