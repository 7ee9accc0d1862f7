package daemon

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestServeEndToEnd follows the seeds folder through a new file, a slow
// writer, an edit and a deletion, then restarts the daemon on the same
// state: the feed comes back with the same IDs, titles and dates.
func TestServeEndToEnd(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
	before := getFeed(t, p)
	if len(before.Items) != 2 {
		t.Fatalf("%d items at start; want the 2 seeds", len(before.Items))
	}
	t.Run("every link answers 200", func(t *testing.T) {
		for _, it := range before.Items {
			resp, err := http.Get(it.URL)
			if err != nil || resp.StatusCode != 200 {
				t.Errorf("GET %s = %v, %v; want 200", it.URL, resp, err)
			}
			if resp != nil {
				resp.Body.Close()
			}
		}
	})

	feedtest.Write(t, filepath.Join(e.seeds, "new.txt"), "A new entry arrives\n\nIt was written while the daemon ran.\n")
	feedtest.WaitFor(t, 5*time.Second, "the new entry", func() bool { _, ok := byTitle(getFeed(t, p), "A new entry arrives"); return ok })

	// A writer that pauses longer than the debounce still ends as one entry
	// with the whole text.
	slow, err := os.Create(filepath.Join(e.seeds, "slow.txt"))
	if err != nil {
		t.Fatal(err)
	}
	slow.WriteString("A slow writer\n\nThe first half arrives. ")
	time.Sleep(4 * e.opts.Debounce) // the writer's pause, not a wait for the daemon
	slow.WriteString("The second half arrives later.\n")
	slow.Close()
	feedtest.WaitFor(t, 5*time.Second, "the slow file's whole text", func() bool {
		it, ok := byTitle(getFeed(t, p), "A slow writer")
		return ok && strings.Contains(it.Content, "The second half arrives later.")
	})
	if n := len(getFeed(t, p).Items); n != 4 {
		t.Errorf("%d entries after the slow write; want 4", n)
	}
	os.Remove(filepath.Join(e.seeds, "slow.txt"))

	edited := before.Items[0]
	seed := filepath.Join(e.seeds, "001_c401cae448f2668c.txt")
	if strings.HasPrefix(edited.Title, "Commander") {
		seed = filepath.Join(e.seeds, "000_b0004d0eae77d0dc.txt")
	}
	text, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	// Dates have whole seconds: the edit must land in a later second than
	// the entry's last update for its date to differ.
	updated, err := time.Parse(time.RFC3339, edited.Modified)
	if err != nil {
		t.Fatalf("date_modified %q: %v", edited.Modified, err)
	}
	feedtest.WaitFor(t, 2*time.Second, "the clock to pass the entry's updated second", func() bool {
		return !time.Now().Before(updated.Add(time.Second))
	})
	feedtest.Write(t, seed, string(text)+" One more sentence was added.")
	var after jsonItem
	feedtest.WaitFor(t, 5*time.Second, "the edit", func() bool {
		after, _ = byTitle(getFeed(t, p), edited.Title)
		return after.Modified != edited.Modified
	})
	if after.ID != edited.ID || after.Published != edited.Published || after.Title != edited.Title {
		t.Errorf("the edit changed more than updated: %+v -> %+v", edited, after)
	}

	if err := os.Remove(filepath.Join(e.seeds, "new.txt")); err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 5*time.Second, "the deletion", func() bool { return len(getFeed(t, p).Items) == 2 })
	if n := healthz(t, p); n != 2 {
		t.Errorf("healthz counts %d entries; want 2", n)
	}
	final := getFeed(t, p)
	p.stop(t)

	restarted := start(t, e)
	again := getFeed(t, restarted)
	// Links follow the port, which changes; IDs, titles and dates must not.
	strip := func(items []jsonItem) []jsonItem {
		out := append([]jsonItem(nil), items...)
		for i := range out {
			out[i].URL = ""
		}
		return out
	}
	if fmt.Sprint(strip(again.Items)) != fmt.Sprint(strip(final.Items)) {
		t.Errorf("after restart\n got %+v\nwant %+v", again.Items, final.Items)
	}
	restarted.stop(t)
}
