package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/state"
)

// TestEmptySeedsFolderKeepsEntries: a seeds folder that comes back empty
// (an unmounted disk, a failed sync) keeps its entries in the feed for the
// empty grace, with a problem in /healthz; once files appear again, the
// folder is taken at its word. With a grace of 0 the entries go at once.
func TestEmptySeedsFolderKeepsEntries(t *testing.T) {
	empty := func(t *testing.T, e env) {
		t.Helper()
		if err := os.Rename(e.seeds, e.seeds+".away"); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(e.seeds, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("within the grace", func(t *testing.T) {
		e := newEnv(t, func(o *Options) { o.EmptyGrace = time.Hour })
		p := start(t, e)
		empty(t, e)
		feedtest.WaitFor(t, 10*time.Second, "a problem saying the folder is empty", func() bool {
			return strings.Contains(strings.Join(getHealth(t, p).Problems, "\n"), "empty")
		})
		if n := len(getFeed(t, p).Items); n != 2 {
			t.Errorf("the feed holds %d entries while the folder is empty; want the 2 known", n)
		}
		if !strings.Contains(p.logs.String(), "keeping the entries known") {
			t.Error("no warning that the entries are kept")
		}
		feedtest.Write(t, filepath.Join(e.seeds, "back.txt"), "Files are back\n\nBody.\n")
		feedtest.WaitFor(t, 20*time.Second, "the folder taken at its word once files are back", func() bool {
			h := getHealth(t, p)
			return len(h.Problems) == 0 && h.Published == 1
		})
		if _, ok := byTitle(getFeed(t, p), "Files are back"); !ok {
			t.Error("the new file is not in the feed")
		}
		p.stop(t)
	})
	t.Run("no grace", func(t *testing.T) {
		e := newEnv(t, func(o *Options) { o.EmptyGrace = 0 })
		p := start(t, e)
		empty(t, e)
		feedtest.WaitFor(t, 10*time.Second, "the entries removed at once", func() bool { return getHealth(t, p).Published == 0 })
		p.stop(t)
	})
}

// TestDamagedStateStartsFromCopy: a daemon whose state store was cut short
// while it was down starts from the copy it made at its last clean start,
// with one warning naming both files, and every entry keeps its ID and
// date. Without a copy it refuses to start, with one line that says what
// to do.
func TestDamagedStateStartsFromCopy(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
	before := getFeed(t, p).Items
	p.stop(t)
	if _, err := os.Stat(state.BackupPath(e.state)); err != nil {
		t.Fatalf("no copy of the store after a clean start: %v", err)
	}
	fi, err := os.Stat(e.state)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(e.state, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	p = start(t, e)
	after := getFeed(t, p).Items
	if len(after) != len(before) {
		t.Fatalf("%d entries after the restore; want %d", len(after), len(before))
	}
	for i := range before {
		if after[i].ID != before[i].ID || after[i].Published != before[i].Published {
			t.Errorf("entry %q: %s %s after the restore; want %s %s", before[i].Title, after[i].ID, after[i].Published, before[i].ID, before[i].Published)
		}
	}
	warned := 0
	for _, l := range strings.Split(p.logs.String(), "\n") {
		if strings.Contains(l, `"level":"WARN"`) && strings.Contains(l, e.state) && strings.Contains(l, state.BackupPath(e.state)) {
			warned++
		}
	}
	if warned != 1 {
		t.Errorf("%d warnings name the store and its copy; want 1\n%s", warned, p.logs)
	}
	p.stop(t)

	// No copy: a clear refusal.
	if err := os.Remove(state.BackupPath(e.state)); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(e.state, 8192); err != nil {
		t.Fatal(err)
	}
	d, err := New(e.opts)
	if err == nil {
		d.Close()
		t.Fatal("New started on a damaged store with no copy")
	}
	if msg := err.Error(); !strings.Contains(msg, e.state) || !strings.Contains(msg, "damaged") || !strings.Contains(msg, "no good copy") || strings.Contains(msg, "\n") {
		t.Errorf("New = %q; want one line naming the file, the damage and what to do", msg)
	}
}

// TestStateFileDeletedWhileRunning: the state file deleted, or replaced by
// another file, under a running daemon is noticed at the next change and
// written anew from what the daemon holds, so that a restart keeps every ID
// and date.
func TestStateFileDeletedWhileRunning(t *testing.T) {
	for _, how := range []string{"deleted", "replaced by another file"} {
		t.Run(how, func(t *testing.T) {
			e := newEnv(t, nil)
			p := start(t, e)
			before := getFeed(t, p).Items
			if how == "deleted" {
				if err := os.Remove(e.state); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(e.state+".new", []byte("not a store"), 0o600); err != nil || os.Rename(e.state+".new", e.state) != nil {
				t.Fatal("could not replace the state file")
			}
			feedtest.Write(t, filepath.Join(e.seeds, "next.txt"), "The next entry\n\nBody.\n")
			feedtest.WaitFor(t, 10*time.Second, "the warning", func() bool {
				return strings.Contains(p.logs.String(), "state store file was "+how)
			})
			p.stop(t)
			os.Remove(state.BackupPath(e.state)) // what counts is the file written anew
			p = start(t, e)
			after := getFeed(t, p)
			if len(after.Items) != len(before)+1 {
				t.Fatalf("%d entries after a restart; want %d", len(after.Items), len(before)+1)
			}
			for _, b := range before {
				a, ok := byTitle(after, b.Title)
				if !ok || a.ID != b.ID || a.Published != b.Published {
					t.Errorf("entry %q after a restart: %+v; want ID %s, published %s", b.Title, a, b.ID, b.Published)
				}
			}
			p.stop(t)
		})
	}
}

// TestSymlinkedSeedsFolderIsWatched: a seeds folder given as a symlink is
// watched at its target, so a new file arrives at once, not at the next
// periodic rescan; and a folder replaced by a symlink while the daemon runs
// is followed the same way.
func TestSymlinkedSeedsFolderIsWatched(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Rescan = 0 }) // no safety net: only events count
	real := e.seeds
	link := filepath.Join(t.TempDir(), "seeds-link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	e.opts.Source.Dir = link
	p := start(t, e)
	feedtest.Write(t, filepath.Join(real, "through.txt"), "Through the link\n\nBody.\n")
	feedtest.WaitFor(t, 5*time.Second, "a file in the linked folder to arrive", func() bool {
		_, ok := byTitle(getFeed(t, p), "Through the link")
		return ok
	})
	p.stop(t)

	// The folder itself is replaced by a symlink to another one.
	e2 := newEnv(t, func(o *Options) { o.Rescan = 0 })
	p = start(t, e2)
	other := filepath.Join(t.TempDir(), "other")
	if err := os.Rename(e2.seeds, other); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(other, e2.seeds); err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 5*time.Second, "the folder followed", func() bool {
		return strings.Contains(p.logs.String(), "seeds folder is back")
	})
	feedtest.Write(t, filepath.Join(other, "after.txt"), "After the swap\n\nBody.\n")
	feedtest.WaitFor(t, 5*time.Second, "a file in the new target to arrive", func() bool {
		_, ok := byTitle(getFeed(t, p), "After the swap")
		return ok
	})
	p.stop(t)
}

// TestMissingSeedsFolderAtStart: a daemon restarted while its seeds folder
// is missing (an unmounted disk at boot) starts, keeps the entries it knows
// in its index, says so in /healthz, and takes the folder up when it
// appears. (Their text is in the files: a feed rendered before the folder
// is back lacks them.) With an empty store it refuses to start, as before:
// then a typo is likelier.
func TestMissingSeedsFolderAtStart(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
	p.stop(t)
	away := e.seeds + ".unmounted"
	if err := os.Rename(e.seeds, away); err != nil {
		t.Fatal(err)
	}
	p = start(t, e)
	if h := getHealth(t, p); h.Indexed != 2 || !strings.Contains(strings.Join(h.Problems, "\n"), "missing") {
		t.Errorf("healthz = %+v; want the 2 entries known kept, and the missing folder named", h)
	}
	// The folder is said to be missing, not each of its files.
	for _, l := range logLines(t, p) {
		if l.Msg == "skipping file" || strings.HasPrefix(l.Msg, "cannot read file") {
			t.Errorf("a log line for one file of the missing folder: %+v", l)
		}
	}
	if err := os.Rename(away, e.seeds); err != nil {
		t.Fatal(err)
	}
	feedtest.Write(t, filepath.Join(e.seeds, "mounted.txt"), "Mounted again\n\nBody.\n")
	feedtest.WaitFor(t, 10*time.Second, "the folder taken up", func() bool {
		h := getHealth(t, p)
		return len(h.Problems) == 0 && h.Published == 3
	})
	p.stop(t)

	fresh := newEnv(t, nil)
	fresh.opts.Source.Dir = filepath.Join(t.TempDir(), "nowhere")
	if d, err := New(fresh.opts); err == nil {
		d.Close()
		t.Error("New started with a missing seeds folder and an empty store")
	}
}
