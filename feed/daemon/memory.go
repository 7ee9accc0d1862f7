package daemon

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// FollowHeap makes the collector's soft memory limit follow the live
// heap: after each collection it becomes the heap that collection found
// live, plus room for the garbage to come, and never less than floor. The
// room is factor−1 times the live heap, but no more than maxRoom, unless
// half the live heap is more: then that. A fixed limit below the live heap
// makes the collector run back to back (at 1,000,000 files it took half of
// a build's CPU); a limit that follows it keeps the garbage of a large
// scan in proportion to what the process holds anyway. The bound on the
// room is for a large heap of records without pointers, which a collection
// marks in little time: past maxRoom, more room costs memory and saves
// little. The returned func stops following and puts the limit back as it
// was.
//
// It is for a process that has not been given GOMEMLIMIT, whose limit is
// the user's to set.
func FollowHeap(floor int64, factor float64, maxRoom int64) (stop func()) {
	return follow(&follower{floor: float64(floor), factor: factor, maxRoom: float64(maxRoom)})
}

// PaceHeap is FollowHeap for a process that fills its heap with garbage
// from start to end, as a build does: the collector comes at the same
// goal, but once the room is bounded (a large heap), it is paced by its
// percentage (GOGC), which PaceHeap sets after each collection, not by a
// limit. Near a soft limit, the runtime hands pages back to the system to
// keep under it, and the next allocations take them again: at 1,000,000
// files, with its limit at one and a half times its live heap, a build
// spent 400 s of CPU in the kernel, from 120. Paced, it keeps up to a
// tenth more than the goal, and hands back no more than that. While the
// heap is small, the limit stays, and the collector is off under it (see
// follow): a goal of the heap alone let a build of 100,000 files take 7
// MiB more. The returned func stops and puts the limit and the percentage
// back as they were.
//
// It is for a process that has been given neither GOGC nor GOMEMLIMIT.
func PaceHeap(floor int64, factor float64, maxRoom int64) (stop func()) {
	return follow(&follower{floor: float64(floor), factor: factor, maxRoom: float64(maxRoom), pace: true})
}

// follow starts f, and returns the func that stops it.
func follow(f *follower) (stop func()) {
	f.prevLimit = debug.SetMemoryLimit(-1)
	f.prevPercent = debug.SetGCPercent(100)
	debug.SetGCPercent(f.prevPercent)
	f.follow()
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if !f.stopped {
			f.stopped = true
			debug.SetMemoryLimit(f.prevLimit)
			debug.SetGCPercent(f.prevPercent)
		}
	}
}

type follower struct {
	floor   float64
	factor  float64
	maxRoom float64
	pace    bool // set the collector's percentage, not the limit, once the room is bounded

	prevLimit   int64 // before
	prevPercent int

	mu      sync.Mutex // so that a finalizer that runs as stop does cannot set the limit after stop
	stopped bool
}

// sentinel is a heap object of its own (not one packed by the tiny
// allocator with others), unreachable as soon as it is made: its
// finalizer runs after the next collection.
type sentinel struct{ _ [2]*int }

// follow sets the limit, or the percentage, for the heap live now, then
// arms itself to run again after the next collection. Pacing, it sets the
// percentage once the room is bounded, and no limit; before, the limit,
// with the collector off under it.
func (f *follower) follow() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		return
	}
	live := float64(liveHeap())
	limit := f.limit(live)
	switch {
	case f.pace && limit-live < (f.factor-1)*live:
		debug.SetMemoryLimit(math.MaxInt64)
		debug.SetGCPercent(f.percent(live))
	case f.pace:
		debug.SetMemoryLimit(int64(limit))
		debug.SetGCPercent(-1)
	default:
		debug.SetMemoryLimit(int64(limit))
	}
	runtime.SetFinalizer(&sentinel{}, func(*sentinel) { f.follow() })
}

// percent is the collector's percentage that puts its goal for a live
// heap of live bytes at limit(live). Before the first collection, and
// under 4 MiB live, the runtime's goal is 4 MiB times the percentage over
// 100 (its minimum heap), which this gives too, within 4 MiB.
func (f *follower) percent(live float64) int {
	live = max(live, 4<<20)
	return int(min(math.Ceil(100*(f.limit(live)-live)/live), 1e6))
}

// limit is the memory limit, or the collector's goal, for a live heap of
// live bytes.
func (f *follower) limit(live float64) float64 {
	room := min((f.factor-1)*live, max(f.maxRoom, live/2))
	return max(f.floor, live+room)
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
