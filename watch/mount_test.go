package watch

import (
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mountTmpfs mounts a small tmpfs at dir, or skips the test where that
// cannot be done, unless CI is set: CI runs as root, where it must run.
func mountTmpfs(t *testing.T, dir string) {
	t.Helper()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("mount a tmpfs (needed under CI=true): %v %s", err, out)
		}
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
}

func unmount(t *testing.T, dir string) {
	t.Helper()
	if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
		t.Fatalf("umount %s: %v %s", dir, err, out)
	}
}

// waitRescan waits for a batch that asks for a rescan.
func waitRescan(t *testing.T, ch <-chan Batch, why string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case b := <-ch:
			if b.Rescan {
				return
			}
		case <-deadline:
			t.Fatalf("no rescan in 10s after %s", why)
		}
	}
}

// TestRootMountedAndUnmounted: a file system mounted over the seeds folder,
// or unmounted from under it, sends no event for the path, and the
// watches of an unmounted one die without a word from fsnotify. The
// watcher notices within seconds, says so once, watches the folder now at
// the path and asks for a rescan; files written there afterwards are
// handed on, with no periodic rescan to fall back on.
func TestRootMountedAndUnmounted(t *testing.T) {
	t.Run("mounted over the folder, then unmounted", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "seeds")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		_, ch := start(t, dir, Options{Keep: txtOnly})
		mountTmpfs(t, dir)
		waitRescan(t, ch, "a tmpfs mounted over the seeds folder")
		writeFile(t, filepath.Join(dir, "on-tmpfs.txt"), "x")
		waitFor(t, ch, "on-tmpfs.txt")
		unmount(t, dir)
		waitRescan(t, ch, "the tmpfs unmounted")
		writeFile(t, filepath.Join(dir, "underneath.txt"), "x")
		waitFor(t, ch, "underneath.txt")
	})
	t.Run("unmounted and mounted again at once", func(t *testing.T) {
		// A new tmpfs at once takes the device number the old one gave
		// back, and its root the same inode: the folder looks the same,
		// and only its missing watch tells.
		dir := filepath.Join(t.TempDir(), "seeds")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		mountTmpfs(t, dir)
		writeFile(t, filepath.Join(dir, "a.txt"), "x")
		logs := make(logged, 100)
		w, ch := start(t, dir, Options{Keep: txtOnly, Logger: slog.New(logs)})
		<-w.Watching()
		unmount(t, dir)
		mountTmpfs(t, dir)
		writeFile(t, filepath.Join(dir, "b.txt"), "x")
		waitRescan(t, ch, "the tmpfs mounted again")
		writeFile(t, filepath.Join(dir, "c.txt"), "x")
		waitFor(t, ch, "c.txt")
	})
}

// TestLostWatchesAreSetAgain: the kernel drops the watches of an
// unmounted file system (IN_UNMOUNT, then IN_IGNORED), and fsnotify
// forgets them without an event. The same loss, made here by removing
// the watches behind the watcher's back, is noticed within seconds: the
// folders are watched again and rescanned, and what is written there
// next is handed on. Runs where mounts cannot be made.
func TestLostWatchesAreSetAgain(t *testing.T) {
	for _, lost := range []string{".", "sub"} {
		t.Run(lost, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			w, ch := start(t, dir, Options{Keep: txtOnly})
			<-w.Watching()
			if err := w.fsw.Remove(filepath.Join(w.root, lost)); err != nil {
				t.Fatal(err)
			}
			waitRescan(t, ch, "the watch on "+lost+" was lost")
			writeFile(t, filepath.Join(dir, lost, "after.txt"), "x")
			rel := filepath.ToSlash(filepath.Join(lost, "after.txt"))
			waitFor(t, ch, rel)
		})
	}
}

// TestGoneWhileRootMissing: Gone says, from the moment the watcher sees
// the seeds folder moved away until it is back, that its changes are not
// followed.
func TestGoneWhileRootMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "seeds")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	logs := make(logged, 100)
	w, ch := start(t, dir, Options{Logger: slog.New(logs)})
	if w.Gone() {
		t.Fatal("Gone() = true for a folder watched")
	}
	if err := os.Rename(dir, dir+".away"); err != nil {
		t.Fatal(err)
	}
	logs.waitFor(t, "seeds folder is gone; waiting for it to come back")
	if !w.Gone() {
		t.Error("Gone() = false once the folder is moved away")
	}
	if err := os.Rename(dir+".away", dir); err != nil {
		t.Fatal(err)
	}
	waitRescan(t, ch, "the folder came back")
	if w.Gone() {
		t.Error("Gone() = true once the folder is back")
	}
}

// TestBindMountInsideIsNotLost: a folder of the tree bind-mounted on
// another is one folder by two paths, which fsnotify lists by one path
// only. That is not taken for a lost watch again and again: at most one
// rescan, and no warning.
func TestBindMountInsideIsNotLost(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"a", "b"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("mount", "--bind", filepath.Join(dir, "a"), filepath.Join(dir, "b")).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("bind mount (needed under CI=true): %v %s", err, out)
		}
		t.Skipf("cannot bind mount here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", filepath.Join(dir, "b")).Run() })
	logs := make(logged, 100)
	w, ch := start(t, dir, Options{Keep: txtOnly, Logger: slog.New(logs)})
	<-w.Watching()
	rescans := 0
	for _, b := range quiet(ch, 3*rootCheckEvery) {
		if b.Rescan {
			rescans++
		}
	}
	if rescans > 1 {
		t.Errorf("%d rescans in %s of a tree with a bind mount in it; want at most 1", rescans, 3*rootCheckEvery)
	}
	for len(logs) > 0 {
		if m := <-logs; strings.Contains(m, "lost their watches") {
			t.Errorf("logged %q for a bind mount inside the tree", m)
		}
	}
}
