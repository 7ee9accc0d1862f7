package daemon

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestDatesOutOfRange: a post dated 2300, which Unix nanoseconds cannot
// hold, is published as if it gave no date, with one log line; it is never
// wrapped around to 1715.
func TestDatesOutOfRange(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
	feedtest.Write(t, filepath.Join(e.seeds, "far.md"), "---\ntitle: Far future\ndate: 2300-01-01\n---\nBody.\n")
	var it jsonItem
	feedtest.WaitFor(t, 10*time.Second, "the post in the feed", func() bool {
		var ok bool
		it, ok = byTitle(getFeed(t, p), "Far future")
		return ok
	})
	pub, err := time.Parse(time.RFC3339, it.Published)
	if err != nil || time.Since(pub) > time.Hour || time.Since(pub) < -time.Minute {
		t.Errorf("published %q, %v; want the time it was first seen, a moment ago", it.Published, err)
	}
	n := 0
	for _, l := range strings.Split(p.logs.String(), "\n") {
		var rec struct{ Msg, Path, Reason string }
		if json.Unmarshal([]byte(l), &rec) == nil && rec.Path == "far.md" && strings.Contains(rec.Reason, "2300-01-01") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d log lines say why the date of far.md was ignored; want 1\n%s", n, p.logs)
	}
}
