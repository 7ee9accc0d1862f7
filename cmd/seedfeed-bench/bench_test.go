//go:build linux

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for the bench's own helpers,
// which the bench starts through os.Executable.
func TestMain(m *testing.M) {
	helper()
	os.Exit(m.Run())
}

// TestSmoke runs the whole bench on a small corpus, as CI does. It checks
// that every row is measured and printed; it asserts no timing, because
// shared machines are noisy.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the bench smoke run takes about 20 s")
	}
	var out bytes.Buffer
	dir := t.TempDir()
	if err := run(context.Background(), []string{"-files", "2000", "-quick", "-dir", dir}, &out); err != nil {
		t.Fatalf("bench: %v\n%s", err, out.String())
	}
	for _, row := range []string{"build, cold state", "rebuild, warm state", "peak RSS, build", "new file to /feed.json",
		"burst of 500 files", "uncached entry page at 2000 entries", "uncached archive page (Atom) at 2000 entries", "peak RSS, serve, first index", "peak RSS, serve, 5 files of 3.9 MB", "peak RSS, serve, restarted", "restarted on its state: the last feed served", "serve /feed.atom, plain", "serve /feed.atom, gzip", "serve /feed.atom, 304",
		"hub: one change delivered to 100 subscribers", "hub: serve /feed.atom while changes fan out"} {
		if !strings.Contains(out.String(), row) {
			t.Errorf("the table lacks the row %q:\n%s", row, out.String())
		}
	}
	t.Log("\n" + out.String())
	// The corpus is kept for the next run, whole.
	kept, err := filepath.Glob(filepath.Join(dir, "corpus-2000-*", "*", "*.txt"))
	if err != nil || len(kept) != 2000 {
		t.Errorf("the corpus kept in %s has %d files, %v; want the 2000 generated", dir, len(kept), err)
	}
}
