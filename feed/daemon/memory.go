package daemon

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
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
	f := &follower{floor: float64(floor), factor: factor, prev: debug.SetMemoryLimit(-1)}
	f.follow()
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if !f.stopped {
			f.stopped = true
			debug.SetMemoryLimit(f.prev)
		}
	}
}

type follower struct {
	floor  float64
	factor float64
	prev   int64 // the limit before FollowHeap

	mu      sync.Mutex // so that a finalizer that runs as stop does cannot set the limit after stop
	stopped bool
}

// sentinel is a heap object of its own (not one packed by the tiny
// allocator with others), unreachable as soon as it is made: its
// finalizer runs after the next collection.
type sentinel struct{ _ [2]*int }

// follow sets the limit for the heap live now, then arms itself to run
// again after the next collection.
func (f *follower) follow() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return
	}
	debug.SetMemoryLimit(int64(max(f.floor, f.factor*float64(liveHeap()))))
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) { f.follow() })
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
