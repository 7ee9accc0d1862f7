package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/state"
)

// TestStateStoreFull puts the state store on a tiny tmpfs and fills it. The
// daemon keeps serving, logs, and never serves an entry it could not
// record; once there is room again it records what it missed. The store
// is never corrupted.
func TestStateStoreFull(t *testing.T) {
	e, p, dir := storeOnTmpfs(t, "1m")
	filler := fillDisk(t, dir, 0)
	const n = 400
	for i := range n {
		feedtest.Write(t, filepath.Join(e.seeds, fmt.Sprintf("full-%03d.txt", i)), fmt.Sprintf("While full %d\n\nBody.\n", i))
	}
	feedtest.WaitFor(t, 10*time.Second, "the failure to be logged", func() bool {
		return strings.Contains(p.logs.String(), "could not record changes")
	})
	// The files come in batches as the machine allows, and a batch that
	// fits in the pages the store has free is recorded: what matters is
	// that the feed holds no entry the store lacks. The store can be read
	// once the daemon lets go of it.
	served := getFeed(t, p)
	p.stop(t)
	store, err := state.Open(e.state, true)
	if err != nil {
		t.Fatal(err)
	}
	recorded := map[string]bool{}
	for i := range n {
		path := fmt.Sprintf("full-%03d.txt", i)
		if _, ok, err := store.Lookup(path); err != nil {
			t.Fatal(err)
		} else if ok {
			recorded[p.id(path)] = true
		}
	}
	store.Close()
	if len(recorded) == n {
		t.Fatalf("the full store recorded all %d files: nothing was tested", n)
	}
	for _, it := range served.Items {
		if strings.HasPrefix(it.Title, "While full") && !recorded[it.ID] {
			t.Errorf("while the store is full the feed serves %q, which the store did not record", it.Title)
		}
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	p = start(t, e)
	feedtest.WaitFor(t, 40*time.Second, "the missed files once there is room", func() bool { return healthz(t, p) == n+2 })
	p.stop(t)
	if err := state.Verify(e.state); err != nil {
		t.Errorf("state store is inconsistent: %v", err)
	}
}
