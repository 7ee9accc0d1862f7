package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
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
