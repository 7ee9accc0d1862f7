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
// daemon keeps serving its last feed, logs, and once there is room again it
// records what it missed. The store is never corrupted.
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
	if got := len(getFeed(t, p).Items); got != 2 {
		t.Errorf("while the store is full the feed has %d entries; want the last good 2", got)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			t.Logf("daemon log:\n%s", p.logs)
		}
	}()
	feedtest.WaitFor(t, 40*time.Second, "the missed files once there is room", func() bool { return healthz(t, p) == n+2 })
	p.stop(t)
	if err := state.Verify(e.state); err != nil {
		t.Errorf("state store is inconsistent: %v", err)
	}
}
