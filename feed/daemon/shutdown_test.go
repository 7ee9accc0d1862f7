package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/state"
)

// TestShutdownDuringLargeBatch cancels the daemon, as SIGTERM does, while
// it indexes a batch of 50,000 files that the watcher handed on. Run must
// return within the shutdown grace, not after the batch, and the store must
// be consistent.
func TestShutdownDuringLargeBatch(t *testing.T) {
	// A long debounce holds back the watcher's own events for the files, so
	// that the rescan asked for below hands them all on in one batch.
	e := newEnv(t, func(o *Options) { o.Debounce = 30 * time.Second })
	p := start(t, e)
	// The files are written beside the seeds folder and moved in at once.
	staging := filepath.Join(filepath.Dir(e.seeds), "staging")
	const n = 50000
	for i := range n {
		feedtest.Write(t, filepath.Join(staging, fmt.Sprintf("f%05d.txt", i)), fmt.Sprintf("Title %d\n\nBody %d.\n", i, i))
	}
	before := p.d.ix.Reads()
	if err := os.Rename(staging, filepath.Join(e.seeds, "burst")); err != nil {
		t.Fatal(err)
	}
	p.d.watcher.Rescan("test")
	feedtest.WaitFor(t, 60*time.Second, "the daemon to be well into the batch", func() bool {
		return p.d.ix.Reads()-before > 2000
	})
	cancelled := time.Now()
	p.cancel()
	atCancel := p.d.ix.Reads()
	ok, err := p.wait(shutdownGrace)
	if !ok {
		t.Fatalf("Run still indexing %v after cancel (read %d of %d); want it to stop within the grace",
			shutdownGrace, p.d.ix.Reads()-before, n)
	}
	if err != nil {
		t.Fatalf("Run = %v; want nil", err)
	}
	t.Logf("stopped %v after cancel, having read %d of %d files", time.Since(cancelled).Round(time.Millisecond), p.d.ix.Reads()-before, n)
	// Timing aside, the batch must have stopped: a few files in flight may
	// finish, not the rest of the batch.
	if after := p.d.ix.Reads() - atCancel; after > 100 {
		t.Errorf("read %d files after cancel; want the batch to stop at once", after)
	}
	p.d.Close()
	if err := state.Verify(e.state); err != nil {
		t.Errorf("state store after shutdown: %v", err)
	}
}
