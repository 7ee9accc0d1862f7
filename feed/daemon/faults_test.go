package daemon

import (
	"fmt"
	"os"
	"os/exec"
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
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("mount a tmpfs (needed under CI=true): %v %s", err, out)
		}
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() }) // after the daemon's own clean-up
	e := newEnv(t, func(o *Options) { o.State = filepath.Join(dir, "state.db") })
	e.state = e.opts.State
	p := start(t, e)
	defer func() {
		if t.Failed() {
			t.Logf("daemon log:\n%s", p.logs)
		}
	}()
	// Fill the file system to the last byte.
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
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
