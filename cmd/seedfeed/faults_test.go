package main

import (
	"encoding/json"
	"fmt"
	"net/http"
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
	resp, err := http.Get(p.url("/healthz"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct{ Entries int }
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return h.Entries
}

// checkStore opens a stopped daemon's state file and checks it.
func checkStore(t *testing.T, path string) {
	t.Helper()
	if err := state.Verify(path); err != nil {
		t.Errorf("state store is inconsistent: %v", err)
	}
}

// TestKillDuringBurst kills the daemon with SIGKILL while files land. After
// a restart every file is indexed, and earlier entries keep their IDs and
// dates.
func TestKillDuringBurst(t *testing.T) {
	e := newEnv(t, "")
	p := start(t, e.args()...)
	before := getFeed(t, p).Items
	const n = 600
	for i := range n {
		name := filepath.Join(e.seeds, fmt.Sprintf("burst-%03d.txt", i))
		if err := os.WriteFile(name, []byte(fmt.Sprintf("Burst %d\n\nBody.\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		if i == n/3 {
			p.cmd.Process.Kill() // SIGKILL: no chance to clean up
			<-p.done
		}
	}
	checkStore(t, e.state)
	again := start(t, e.args()...)
	feedtest.WaitFor(t, 10*time.Second, "every file to be indexed", func() bool { return healthz(t, again) == n+2 })
	again.stop(t, syscall.SIGTERM)
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
			t.Errorf("entry %q (%s) lost across the kill", b.Title, b.ID)
			continue
		}
		if got := r.FirstSeen.Truncate(time.Second).Format(time.RFC3339); got != b.Published {
			t.Errorf("entry %q: published %s before the kill, %s after", b.Title, b.Published, got)
		}
	}
	checkStore(t, e.state)
}
