package index

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/source"
)

// TestRescanSizesItsBatches: a build's rescan of files it knows, none
// changed, makes the batches it judges them into at their size, the
// paths' bytes too, not growing them as they fill; the first half's is
// made for both halves, and is the index's records: every byte allocated that the index does
// not keep is a page the kernel must find, as a warm rebuild collects no
// garbage.
func TestRescanSizesItsBatches(t *testing.T) {
	dir := t.TempDir()
	n := 2*applyChunk + 10
	for i := range n {
		feedtest.Write(t, filepath.Join(dir, fmt.Sprintf("wire/2024-05-%02d/story-%05d.txt", i%28+1, i)), "Title\n\nBody.")
	}
	ix, store := newTestIndex(t, dir, feedtest.Fixed(t0), nil)
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	again := New(src, store, Options{Now: feedtest.Fixed(t0.Add(time.Hour))})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := again.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if again.Reads() != 0 || again.Len() != n {
		t.Fatalf("rescan read %d files and holds %d entries; want 0 and %d", again.Reads(), again.Len(), n)
	}
	again.mu.Lock()
	held := cap(again.recs)*int(unsafe.Sizeof(rec{})) + cap(again.arena)
	recs, room := len(again.recs), cap(again.recs)
	again.mu.Unlock()
	// Both halves' records go to room made once for them all, not grown
	// again for the second (which left a tenth of it unused).
	if room > recs+recs/20 {
		t.Errorf("the index has room for %d records, holding %d; want it made once, at their number", room, recs)
	}
	// The scan's list of files and the second half's batch come on top
	// of the index: 3.4 times what it holds. The first half's batch is
	// the index's records (see takesBatch); copied into room made beside
	// it, it took 3.9 times.
	// (Not under the race detector, whose sync.Pool drops the scan's
	// buffers, which are then made again.)
	if alloc := int(after.TotalAlloc - before.TotalAlloc); !raceOn && 10*alloc > 36*held {
		t.Errorf("the rescan allocated %d bytes a file; want at most 3.6 times the %d the index holds", alloc/n, held/n)
	}
}
