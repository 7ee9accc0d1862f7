package daemon

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestNewsboat subscribes Debian's newsboat to the running daemon and reads
// its cache back: every entry must be there with its title, link and date,
// and a reload after a new file lands must pick it up.
func TestNewsboat(t *testing.T) {
	newsboat, sqlite := feedtest.NeedTool(t, "newsboat"), feedtest.NeedTool(t, "sqlite3")
	e := newEnv(t, nil)
	p := start(t, e)
	home := t.TempDir()
	reload := func(feed string) map[string][3]string {
		t.Helper()
		urls := filepath.Join(home, "urls."+feed)
		cache := filepath.Join(home, "cache."+feed+".db")
		feedtest.Write(t, urls, p.url("/feed."+feed)+"\n")
		cmd := exec.Command(newsboat, "-u", urls, "-c", cache, "-C", os.DevNull, "-x", "reload")
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home, "TERM=dumb")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("newsboat: %v\n%s", err, out)
		}
		out, err := exec.Command(sqlite, "-separator", "\t", cache, "select guid, title, url, pubDate from rss_item").Output()
		if err != nil {
			t.Fatalf("sqlite3: %v", err)
		}
		items := map[string][3]string{}
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			f := strings.Split(sc.Text(), "\t")
			if len(f) == 4 {
				items[f[0]] = [3]string{f[1], f[2], f[3]}
			}
		}
		return items
	}
	check := func(feed string) {
		t.Helper()
		items := reload(feed)
		doc := getFeed(t, p)
		if len(items) != len(doc.Items) {
			t.Errorf("%s: newsboat holds %d items; want %d", feed, len(items), len(doc.Items))
		}
		for _, it := range doc.Items {
			got, ok := items[it.ID]
			pub, _ := time.Parse(time.RFC3339, it.Published)
			if !ok || got[0] != it.Title || got[1] != it.URL || got[2] != fmt.Sprint(pub.Unix()) {
				t.Errorf("%s: newsboat has %q for %s; want title %q, link %s, date %d", feed, got, it.ID, it.Title, it.URL, pub.Unix())
			}
		}
	}
	for _, feed := range []string{"atom", "rss"} {
		check(feed)
	}
	feedtest.Write(t, filepath.Join(e.seeds, "later.txt"), "A later entry\n\nFor the reader.\n")
	feedtest.WaitFor(t, 5*time.Second, "the new entry", func() bool { _, ok := byTitle(getFeed(t, p), "A later entry"); return ok })
	for _, feed := range []string{"atom", "rss"} {
		check(feed)
	}
	p.stop(t)
}
