package daemon

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed/atom"
	gojson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// walk follows a feed's archive from the subscription feed, as a reader
// does (RFC 5005 prev-archive; JSON Feed's next_url), parsing each
// document with gofeed. It returns how often each entry ID was seen and
// the bytes of each document, by URL.
func walk(t *testing.T, p *proc, format string) (map[string]int, map[string][]byte) {
	t.Helper()
	return walkFrom(t, p.url("/feed."+format), format)
}

// walkFrom is walk from the subscription feed at url.
func walkFrom(t *testing.T, url, format string) (map[string]int, map[string][]byte) {
	t.Helper()
	ids, docs := map[string]int{}, map[string][]byte{}
	for n := 0; url != ""; n++ {
		if n > 1000 {
			t.Fatalf("%s: more than 1000 archive pages: a loop?", format)
		}
		if _, ok := docs[url]; ok {
			t.Fatalf("%s: %s comes twice in the walk", format, url)
		}
		b := get(t, url)
		docs[url] = b
		next := ""
		switch format {
		case "atom":
			f, err := (&atom.Parser{}).Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("gofeed: %s: %v", url, err)
			}
			for _, e := range f.Entries {
				ids[e.ID]++
			}
			for _, l := range f.Links {
				if l.Rel == "prev-archive" {
					next = l.Href
				}
			}
			if _, archived := f.Extensions["fh"]["archive"]; archived == (n == 0) {
				t.Errorf("%s: fh:archive %v; want it on archive pages only", url, archived)
			}
		case "rss":
			f, err := (&rss.Parser{}).Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("gofeed: %s: %v", url, err)
			}
			for _, it := range f.Items {
				ids[it.GUID.Value]++
			}
			for _, l := range f.Extensions["atom"]["link"] {
				if l.Attrs["rel"] == "prev-archive" {
					next = l.Attrs["href"]
				}
			}
		case "json":
			f, err := (&gojson.Parser{}).Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("gofeed: %s: %v", url, err)
			}
			for _, it := range f.Items {
				ids[it.ID]++
			}
			next = f.NextURL
		}
		url = next
	}
	return ids, docs
}

// checkOnce checks that a walk saw every ID of live exactly once, and no
// other.
func checkOnce(t *testing.T, format string, seen map[string]int, live map[string]bool) {
	t.Helper()
	bad := 0
	for id, n := range seen {
		if n != 1 || !live[id] {
			if bad++; bad <= 5 {
				t.Errorf("%s walk: %s seen %d times, live %v", format, id, n, live[id])
			}
		}
	}
	for id := range live {
		if seen[id] == 0 {
			if bad++; bad <= 5 {
				t.Errorf("%s walk: live entry %s never seen", format, id)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s walk: %d wrong of %d seen, %d live", format, bad, len(seen), len(live))
	}
}

// TestArchiveWalk: a reader that walks the archive from the subscription
// feed collects every live entry exactly once, in all three formats, over
// 10,000 entries. After an add, a late arrival (an old date), an edit and
// a deletion, it still does, and the archive pages that changed are only
// those the changes fall in.
func TestArchiveWalk(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 files")
	}
	e := newEnv(t, nil)
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	name := func(i int) string { return fmt.Sprintf("d%02d/f%05d.txt", i/1000, i) }
	const n = 10000
	for i := range n {
		p := filepath.Join(e.seeds, filepath.FromSlash(name(i)))
		feedtest.WriteAt(t, p, fmt.Sprintf("Story %d\n\nThe text of story %d.\n", i, i), base.Add(time.Duration(i)*time.Hour))
	}
	p := start(t, e)
	live := map[string]bool{}
	for i := range n {
		live[p.id(name(i))] = true
	}
	samples, err := filepath.Glob(filepath.Join(e.seeds, "*.txt"))
	if err != nil || len(samples) != 2 {
		t.Fatalf("sample seeds %v, %v; want 2", samples, err)
	}
	for _, s := range samples {
		live[p.id(filepath.Base(s))] = true
	}
	for _, format := range []string{"atom", "rss", "json"} {
		seen, _ := walk(t, p, format)
		checkOnce(t, format, seen, live)
	}
	_, before := walk(t, p, "atom")
	var resp *http.Response
	if len(before) < n/50 {
		t.Fatalf("%d Atom documents in the walk; want the feed and about %d archive pages", len(before), n/50)
	}
	resp, err = http.Get(p.url("/archive/1.atom"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=86400") {
		t.Errorf("a closed archive page has Cache-Control %q; want a long max-age", cc)
	}

	// An add, a late arrival, an edit, a deletion.
	feedtest.Write(t, filepath.Join(e.seeds, "new.txt"), "New story\n\nJust in.\n")
	late := filepath.Join(e.seeds, "late.txt")
	feedtest.Write(t, late, "Late story\n\nDated in the middle of the archive.\n")
	mt := base.Add(5000*time.Hour + 30*time.Minute)
	if err := os.Chtimes(late, mt, mt); err != nil {
		t.Fatal(err)
	}
	feedtest.Write(t, filepath.Join(e.seeds, filepath.FromSlash(name(2000))), "Story 2000\n\nEdited since.\n")
	if err := os.Remove(filepath.Join(e.seeds, filepath.FromSlash(name(7000)))); err != nil {
		t.Fatal(err)
	}
	live[p.id("new.txt")], live[p.id("late.txt")] = true, true
	delete(live, p.id(name(7000)))
	feedtest.WaitFor(t, 20*time.Second, "the four changes indexed", func() bool {
		h := getHealth(t, p)
		return h.Indexed == n+3 && h.Published == n+3
	})
	feedtest.WaitFor(t, 10*time.Second, "the edit in the archive", func() bool {
		_, docs := walk(t, p, "atom")
		for _, b := range docs {
			if bytes.Contains(b, []byte("Edited since.")) {
				return true
			}
		}
		return false
	})
	for _, format := range []string{"atom", "rss", "json"} {
		seen, _ := walk(t, p, format)
		checkOnce(t, format, seen, live)
	}
	_, after := walk(t, p, "atom")
	var changed []string
	for url, b := range after {
		if url != p.url("/feed.atom") && !bytes.Equal(before[url], b) {
			changed = append(changed, url)
		}
	}
	for url := range before {
		if _, ok := after[url]; !ok {
			changed = append(changed, url+" (gone)")
		}
	}
	t.Logf("archive pages changed: %v", changed)
	// The new entry pushes one into the open page; the late one, the edit
	// and the deletion each change the page they fall in.
	if len(changed) > 4 {
		t.Errorf("%d archive pages changed: %v; want at most the 4 the changes fall in", len(changed), changed)
	}
}
