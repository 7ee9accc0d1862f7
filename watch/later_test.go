package watch

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLaterWatchesInRun: with Later, New sets no watch, so it returns at
// once whatever the tree; Run walks the tree, then closes Watching, and a
// file written after that in a folder that was there before is handed on.
func TestLaterWatchesInRun(t *testing.T) {
	dir := t.TempDir()
	deep := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := New(dir, Options{Debounce: settle, Later: true})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.Watching():
		t.Fatal("Watching is closed before Run; want it open until Run has set the watches")
	default:
	}
	if len(w.dirs) != 0 {
		t.Fatalf("New watched %d folders; want none until Run", len(w.dirs))
	}
	w.Close()

	w, ch := start(t, dir, Options{Later: true})
	select {
	case <-w.Watching():
	case <-time.After(10 * time.Second):
		t.Fatal("Watching still open 10 s after Run started")
	}
	writeFile(t, filepath.Join(deep, "x.txt"), "x")
	waitFor(t, ch, "a/b/x.txt")
}

// TestWatchingClosedAtNew: without Later, the watches are set by New, and
// Watching says so at once.
func TestWatchingClosedAtNew(t *testing.T) {
	w, err := New(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	select {
	case <-w.Watching():
	default:
		t.Fatal("Watching is open after New without Later; want it closed")
	}
}
