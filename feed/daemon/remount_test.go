package daemon

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/httpd"
)

// mount runs mount with args, or skips the test where mounts cannot be
// made, unless CI is set: CI runs as root, where the test must run.
// The mount at dir is undone after the test.
func mount(t *testing.T, dir string, args ...string) {
	t.Helper()
	if out, err := exec.Command("mount", append(args, dir)...).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("mount %v %s (needed under CI=true): %v %s", args, dir, err, out)
		}
		t.Skipf("cannot mount here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() }) // after the daemon's own clean-up
}

func unmount(t *testing.T, dir string) {
	t.Helper()
	if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
		t.Fatalf("umount %s: %v %s", dir, err, out)
	}
}

// storeOnTmpfs starts a daemon whose state store is alone on a tmpfs of
// size (as mount's size= takes it), and returns it and the tmpfs's
// folder. The daemon's log is shown if the test fails.
func storeOnTmpfs(t *testing.T, size string) (env, *proc, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mount(t, dir, "-t", "tmpfs", "-o", "size="+size, "tmpfs")
	e := newEnv(t, func(o *Options) { o.State = filepath.Join(dir, "state.db") })
	e.state = e.opts.State
	p := start(t, e)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("daemon log:\n%s", p.logs)
		}
	})
	return e, p, dir
}

// fillDisk takes the room left on the file system of dir with one file,
// all but leave bytes of it (0: to the last byte), and returns its path.
func fillDisk(t *testing.T, dir string, leave int64) string {
	t.Helper()
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for left := int64(fs.Bavail)*fs.Bsize - leave; leave == 0 || left > 0; {
		c := chunk
		if leave > 0 && left < int64(len(c)) {
			c = c[:left]
		}
		n, err := f.Write(c)
		if err != nil {
			break // full
		}
		left -= int64(n)
	}
	return filler
}

// problems returns /healthz's problems as one text.
func problems(t *testing.T, p *proc) string {
	t.Helper()
	return strings.Join(getHealth(t, p).Problems, "\n")
}

// TestRemountedSeedsFolderIsFollowed: the seeds folder is a mount point
// (a tmpfs, filled with the seeds each time it is mounted, as a disk
// would come back with them) that is unmounted and mounted again while
// the daemon runs, with no periodic rescan to fall back on. Each change is
// noticed within seconds and said once; the folder now at the path is
// watched and rescanned, the entries kept through the empty grace while
// the mount is away (a problem in /healthz says so), and files written
// after it is back arrive at once, even when it came back before the
// daemon could look: its watches died with the file system unmounted.
func TestRemountedSeedsFolderIsFollowed(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Rescan = 0 })
	disk := e.seeds
	e.seeds = filepath.Join(t.TempDir(), "seeds")
	e.opts.Source.Dir = e.seeds
	if err := os.Mkdir(e.seeds, 0o755); err != nil {
		t.Fatal(err)
	}
	mountSeeds := func() {
		t.Helper()
		mount(t, e.seeds, "-t", "tmpfs", "-o", "size=1m", "tmpfs")
		files, _ := filepath.Glob(filepath.Join(disk, "*"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			feedtest.Write(t, filepath.Join(e.seeds, filepath.Base(f)), string(b))
		}
	}
	mountSeeds()
	p := start(t, e)
	defer func() {
		if t.Failed() {
			t.Logf("daemon log:\n%s", p.logs)
		}
	}()
	changed := func() int {
		n := 0
		for _, l := range logLines(t, p) {
			if strings.Contains(l.Msg, "not the folder watched any more") || strings.Contains(l.Msg, "watch is gone") {
				n++
			}
		}
		return n
	}
	arrives := func(name, title string) {
		t.Helper()
		feedtest.Write(t, filepath.Join(e.seeds, name), title+"\n\nBody.\n")
		feedtest.WaitFor(t, 10*time.Second, title+" in the feed", func() bool {
			_, ok := byTitle(getFeed(t, p), title)
			return ok
		})
	}

	unmount(t, e.seeds)
	feedtest.WaitFor(t, 10*time.Second, "the empty folder under the mount named in /healthz", func() bool {
		return strings.Contains(problems(t, p), "empty")
	})
	if n := changed(); n != 1 {
		t.Errorf("%d lines say the folder changed at the unmount; want 1", n)
	}
	if n := len(getFeed(t, p).Items); n != 2 {
		t.Errorf("the feed holds %d entries while the disk is away; want the 2 known", n)
	}

	mountSeeds()
	feedtest.WaitFor(t, 10*time.Second, "the folder taken up again", func() bool { return problems(t, p) == "" })
	arrives("after.txt", "After the mount")

	// Unmounted and mounted again between two looks: the folder is the
	// same one, but its watches died with the unmount.
	unmount(t, e.seeds)
	mountSeeds()
	feedtest.WaitFor(t, 10*time.Second, "the lost watch noticed", func() bool { return changed() == 3 })
	arrives("quick.txt", "After a quick remount")
	// after.txt was on the tmpfs let go of: the 2 seeds and quick.txt.
	if h := getHealth(t, p); h.Status != "ok" || len(h.Problems) != 0 || h.Entries != 3 {
		t.Errorf("healthz = %+v; want ok, no problem, 3 entries", h)
	}
	p.stop(t)
}

// TestSeedsFolderMovedAwayIsAProblem: from the moment the seeds folder is
// moved away, /healthz names it, not only after the next rescan; once it
// is back, the problem is gone.
func TestSeedsFolderMovedAwayIsAProblem(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Rescan = 0 })
	p := start(t, e)
	if err := os.Rename(e.seeds, e.seeds+".away"); err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 10*time.Second, "the missing folder named in /healthz", func() bool {
		return strings.Contains(problems(t, p), e.seeds+" is missing")
	})
	if err := os.Rename(e.seeds+".away", e.seeds); err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 10*time.Second, "no problem once the folder is back", func() bool { return problems(t, p) == "" })
	p.stop(t)
}

// TestStoreFullIsReported: while changes cannot be recorded (the state
// store's disk is full), /healthz says "degraded" and why, and the health
// check fails; once there is room again, the next retry records them, one
// line says so, and the daemon is ok again without a restart.
func TestStoreFullIsReported(t *testing.T) {
	e, p, dir := storeOnTmpfs(t, "1m")
	if _, err := httpd.Probe(context.Background(), p.url("/")); err != nil {
		t.Fatalf("health check of a healthy daemon: %v", err)
	}
	filler := fillDisk(t, dir, 0)
	const n = 400
	for i := range n {
		feedtest.Write(t, filepath.Join(e.seeds, fmt.Sprintf("full-%03d.txt", i)), fmt.Sprintf("While full %d\n\nBody.\n", i))
	}
	feedtest.WaitFor(t, 10*time.Second, "/healthz degraded, saying why", func() bool {
		h := getHealth(t, p)
		return h.Status == "degraded" && strings.Contains(strings.Join(h.Problems, "\n"), "cannot be recorded")
	})
	if _, err := httpd.Probe(context.Background(), p.url("/")); err == nil || !strings.Contains(err.Error(), "cannot be recorded") {
		t.Errorf("health check while changes cannot be recorded = %v; want it to fail, saying why", err)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 20*time.Second, "ok again, every file recorded", func() bool {
		h := getHealth(t, p)
		return h.Status == "ok" && len(h.Problems) == 0 && h.Entries == n+2
	})
	recovered := 0
	for _, l := range logLines(t, p) {
		if l.Msg == "changes are recorded again; the feeds follow the seeds folder" {
			recovered++
		}
	}
	if recovered != 1 {
		t.Errorf("%d lines say the changes are recorded again; want 1", recovered)
	}
	p.stop(t)
}

// TestSnapshotNotKeptIsReported: with room for the records but not for
// the feeds' bytes (a store on a nearly full disk, long entries), the
// feeds are served and follow the folder, but /healthz names the problem
// that a restart would serve older ones, with status ok. Once there is
// room, the save is tried again with no change to the folder: the
// problem goes, with no render, and one line says so.
func TestSnapshotNotKeptIsReported(t *testing.T) {
	e, p, dir := storeOnTmpfs(t, "4m")
	// All but 600 KB of the disk taken: room for the records of what
	// follows, not for the feeds that hold their text (about 2 MB).
	filler := fillDisk(t, dir, 600<<10)
	const n = 40
	para := strings.Repeat("A long paragraph of the wire copy that fills the feed. ", 80) // 4.4 KB
	for i := range n {
		feedtest.Write(t, filepath.Join(e.seeds, fmt.Sprintf("long-%03d.txt", i)),
			fmt.Sprintf("Long story %d\n\n%s\n\n%s\n\n%s\n", i, para, para, para))
	}
	var h health
	feedtest.WaitFor(t, 20*time.Second, "every file in the feed, and the problem named", func() bool {
		h = getHealth(t, p)
		return h.Published == n+2 && h.Status == "ok" && strings.Contains(strings.Join(h.Problems, "\n"), "cannot be kept in the state store for the next start")
	})
	if _, err := httpd.Probe(context.Background(), p.url("/")); err != nil {
		t.Errorf("health check while only the feeds cannot be kept = %v; want it to pass (the feeds follow the folder)", err)
	}
	renders := h.Renders
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 30*time.Second, "no problem once there is room, the folder unchanged", func() bool {
		h = getHealth(t, p)
		return len(h.Problems) == 0
	})
	if h.Renders != renders {
		t.Errorf("%d renders while the folder did not change; want none: the save is tried again on its own", h.Renders-renders)
	}
	again := 0
	for _, l := range logLines(t, p) {
		if l.Msg == "the feeds are kept for the next start again" {
			again++
		}
	}
	if again != 1 {
		t.Errorf("%d lines say the feeds are kept again; want 1", again)
	}
	p.stop(t)
}
