package daemon

import (
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestScheduledPost: a post dated a few seconds ahead is not in the feed,
// nor its page at its link, until its date; then it appears on its own,
// with no change to the folder and no rescan. A draft never appears.
func TestScheduledPost(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
	due := time.Now().Add(3 * time.Second).UTC().Truncate(time.Second).Add(time.Second)
	feedtest.Write(t, filepath.Join(e.seeds, "soon.md"), "---\ndate: "+due.Format(time.RFC3339)+"\n---\n# Scheduled post\n\nNot before its time.\n")
	feedtest.Write(t, filepath.Join(e.seeds, "draft.md"), "---\npublished: false\n---\n# Draft post\n\nNever.\n")
	feedtest.Write(t, filepath.Join(e.seeds, "now.md"), "# Post of now\n\nAt once.\n")
	// The two samples, the post of now and the scheduled one: the draft
	// is not indexed.
	feedtest.WaitFor(t, 10*time.Second, "the post of now, and the scheduled one indexed", func() bool {
		_, ok := byTitle(getFeed(t, p), "Post of now")
		return ok && getHealth(t, p).Indexed == 4
	})
	page := p.url("/" + feed.PagePath(p.id("soon.md")))
	if time.Now().Before(due) {
		if _, ok := byTitle(getFeed(t, p), "Scheduled post"); ok {
			t.Fatalf("the scheduled post is in the feed at %v, before its date %v", time.Now(), due)
		}
		if status, _, _ := fetchPage(t, page); status != http.StatusNotFound && time.Now().Before(due) {
			t.Errorf("the scheduled post's page answers %d before its date; want 404", status)
		}
		// Asked before the date, if it is still before it once answered.
		if h := getHealth(t, p); h.Published != h.Indexed-1 && time.Now().Before(due) {
			t.Errorf("/healthz: %d published of %d indexed; want all but the scheduled one", h.Published, h.Indexed)
		}
	} else {
		t.Log("the machine was too slow to look before the date")
	}
	feedtest.WaitFor(t, 15*time.Second, "the scheduled post at its date", func() bool {
		_, ok := byTitle(getFeed(t, p), "Scheduled post")
		return ok
	})
	if time.Now().Before(due) {
		t.Errorf("the scheduled post appeared at %v, before its date %v", time.Now(), due)
	}
	if status, _, _ := fetchPage(t, page); status != http.StatusOK {
		t.Errorf("the scheduled post's page answers %d after its date; want 200", status)
	}
	if _, ok := byTitle(getFeed(t, p), "Draft post"); ok {
		t.Error("a post with published: false is in the feed")
	}
	if n := len(getFeed(t, p).Items); n != 4 {
		t.Errorf("the feed holds %d entries; want the 2 samples, the post of now and the scheduled one", n)
	}
}
