package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/state"
)

// healthz returns the number of entries /healthz reports.
func healthz(t *testing.T, p *daemonProc) int {
	t.Helper()
	return health(t, p).Entries
}

// checkStore opens a stopped daemon's state file and checks it.
func checkStore(t *testing.T, path string) {
	t.Helper()
	if err := state.Verify(path); err != nil {
		t.Errorf("state store is inconsistent: %v", err)
	}
}

// TestKillDuringBurst kills the daemon with SIGKILL, three times, while
// files stream in and it is busy storing them (each batch is a bbolt
// transaction with an fsync, one after another). After each restart the
// store is consistent, every file is indexed, and earlier entries keep
// their IDs and dates.
func TestKillDuringBurst(t *testing.T) {
	e := newEnv(t, "debounce = \"20ms\"\n")
	p := start(t, e.args()...)
	before := getFeed(t, p).Items
	written := 0
	write := func(n int) {
		for range n {
			name := filepath.Join(e.seeds, fmt.Sprintf("burst-%04d.txt", written))
			if err := os.WriteFile(name, []byte(fmt.Sprintf("Burst %d\n\nBody.\n", written)), 0o644); err != nil {
				t.Fatal(err)
			}
			written++
		}
	}
	for round := range 3 {
		// Files keep coming while the daemon stores the earlier ones; the
		// kill lands once it has stored some of this round's.
		had := healthz(t, p)
		stop := make(chan struct{})
		streamed := make(chan struct{})
		go func() { // exits when told to stop
			defer close(streamed)
			for {
				select {
				case <-stop:
					return
				default:
					write(1)
				}
			}
		}()
		feedtest.WaitFor(t, 20*time.Second, "the daemon to store part of the stream", func() bool { return healthz(t, p) > had+50 })
		p.cmd.Process.Kill() // SIGKILL: no chance to clean up
		<-p.done
		close(stop)
		<-streamed
		checkStore(t, e.state)
		t.Logf("round %d: killed after %d files written", round, written)
		p = start(t, e.args()...)
		feedtest.WaitFor(t, 20*time.Second, "every file to be indexed", func() bool { return healthz(t, p) == written+2 })
	}
	p.stop(t, syscall.SIGTERM)
	// The samples are no longer among the newest 50 in the feed: ask the
	// store, which knows every entry.
	s, err := state.Open(e.state, true)
	if err != nil {
		t.Fatal(err)
	}
	recs := feedtest.Records(t, s)
	s.Close()
	byID := map[string]state.Record{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	for _, b := range before {
		r, ok := byID[b.ID]
		if !ok {
			t.Errorf("entry %q (%s) lost across the kills", b.Title, b.ID)
			continue
		}
		if got := r.FirstSeen.Truncate(time.Second).Format(time.RFC3339); got != b.Published {
			t.Errorf("entry %q: published %s before the kills, %s after", b.Title, b.Published, got)
		}
	}
	if len(recs) != written+2 {
		t.Errorf("%d records; want %d", len(recs), written+2)
	}
	checkStore(t, e.state)
}
