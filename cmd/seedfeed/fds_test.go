package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestOutOfFileDescriptors takes every file descriptor from the running
// daemon (its soft RLIMIT_NOFILE lowered to 0), then edits
// a file and adds one. The daemon cannot open either, nor list its folder
// when it retries: that is the machine's trouble, so every entry stays in
// the feed as it was, and /healthz says what is wrong. Once descriptors
// are back, the edit and the new file arrive, and the edited entry keeps
// its ID and published date. The test talks over one kept-alive
// connection, opened before the outage, since the daemon cannot accept
// another during it.
func TestOutOfFileDescriptors(t *testing.T) {
	e := newEnv(t, "")
	feedtest.Write(t, filepath.Join(e.seeds, "keep.txt"), "Kept story\n\nThe text before the outage.\n")
	p := start(t, e.args()...)
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1, MaxIdleConnsPerHost: 1}, Timeout: 5 * time.Second}
	getJSON := func(path string, v any) {
		t.Helper()
		resp, err := client.Get(p.url(path))
		if err != nil {
			t.Fatalf("GET %s over the kept connection: %v\n%s", path, err, p.logs)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	feedNow := func() jsonDoc {
		var doc jsonDoc
		getJSON("/feed.json", &doc)
		return doc
	}
	before, ok := byTitle(feedNow(), "Kept story")
	if !ok {
		t.Fatal("the kept story is not in the feed")
	}

	// A soft limit of 0 lets the daemon keep what it has open and open
	// nothing more.
	pid := p.cmd.Process.Pid
	var old unix.Rlimit
	if err := unix.Prlimit(pid, unix.RLIMIT_NOFILE, nil, &old); err != nil {
		t.Fatal(err)
	}
	if err := unix.Prlimit(pid, unix.RLIMIT_NOFILE, &unix.Rlimit{Cur: 0, Max: old.Max}, nil); err != nil {
		t.Fatal(err)
	}
	restored := false
	restore := func() {
		if !restored {
			restored = true
			if err := unix.Prlimit(pid, unix.RLIMIT_NOFILE, &old, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer restore()

	feedtest.Write(t, filepath.Join(e.seeds, "keep.txt"), "Kept story\n\nThe text edited during the outage.\n")
	feedtest.Write(t, filepath.Join(e.seeds, "new.txt"), "New story\n\nWritten during the outage.\n")
	feedtest.WaitFor(t, 20*time.Second, "a problem in /healthz, and a rescan that could not list the folder", func() bool {
		var h feedtest.Health
		getJSON("/healthz", &h)
		return strings.Contains(strings.Join(h.Problems, "\n"), "could not be read for now") &&
			strings.Contains(p.logs.String(), "cannot list folder")
	})
	during := feedNow()
	if len(during.Items) != 3 {
		t.Errorf("the feed holds %d entries during the outage; want the 3 known", len(during.Items))
	}
	if it, ok := byTitle(during, "Kept story"); !ok || it.ID != before.ID || !strings.Contains(it.Content, "before the outage") {
		t.Errorf("during the outage the kept story is %+v; want it as it was", it)
	}

	restore()
	feedtest.WaitFor(t, 40*time.Second, "the edit and the new file, once descriptors are back", func() bool {
		doc := feedNow()
		it, _ := byTitle(doc, "Kept story")
		_, added := byTitle(doc, "New story")
		return added && strings.Contains(it.Content, "edited during the outage")
	})
	after, _ := byTitle(feedNow(), "Kept story")
	if after.ID != before.ID || after.Published != before.Published {
		t.Errorf("the edited entry is %s published %s; want %s published %s, as before the outage", after.ID, after.Published, before.ID, before.Published)
	}
	feedtest.WaitFor(t, 40*time.Second, "no problem left in /healthz", func() bool {
		var h feedtest.Health
		getJSON("/healthz", &h)
		return len(h.Problems) == 0
	})
	p.stop(t, syscall.SIGTERM)
}
