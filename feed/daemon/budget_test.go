package daemon

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestFeedByteBudget: large entries do not make a feed larger than readers
// take. Past the budget, entries carry their summary and a link; their
// pages keep the whole text.
func TestFeedByteBudget(t *testing.T) {
	const budget = 1 << 20
	e := newEnv(t, func(o *Options) { o.Site.FeedBytes = budget })
	p := start(t, e)
	para := strings.Repeat("A long sentence of wire copy about the markets. ", 40) + "\n\n"
	body := strings.Repeat(para, 200) // about 400 KB
	for i := range 6 {
		feedtest.Write(t, filepath.Join(e.seeds, fmt.Sprintf("big%d.txt", i)), fmt.Sprintf("Big story %d\n\n%sThe end of story %d.\n", i, body, i))
	}
	feedtest.WaitFor(t, 20*time.Second, "the six stories published", func() bool { return getHealth(t, p).Published == 8 })
	for _, path := range []string{"/feed.atom", "/feed.rss", "/feed.json"} {
		resp, err := http.Get(p.url(path))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(b) > budget+budget/2 {
			t.Errorf("%s is %d bytes; want the budget of %d, give or take markup", path, len(b), budget)
		}
		if !strings.Contains(string(b), "Read the whole entry") {
			t.Errorf("%s has no teaser for the entries past the budget", path)
		}
		if !strings.Contains(string(b), "The end of story") {
			t.Errorf("%s has no whole story: the newest must fit", path)
		}
	}
	for _, it := range getFeed(t, p).Items {
		if !strings.Contains(it.Title, "Big story") {
			continue
		}
		resp, err := http.Get(it.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), "The end of story") {
			t.Errorf("the page of %q lacks the end of its text", it.Title)
		}
	}
}
