package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/httpd"
	"github.com/seedfeed/seedfeed/feed/index"
)

// TestFirstIndexPublishesAsItGoes: a daemon's first index of a folder
// larger than a chunk of reads publishes before it ends (the index's own
// test checks that it shows the newest entries then), and once more when
// it ends.
func TestFirstIndexPublishesAsItGoes(t *testing.T) {
	e := newEnv(t, nil)
	for i := range 4200 { // two chunks of the index's reads
		p := filepath.Join(e.seeds, "wire", fmt.Sprintf("%04d.txt", i))
		if i == 0 {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(p, fmt.Appendf(nil, "Story %d\n\nText of story %d.\n", i, i), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := start(t, e)
	h := getHealth(t, p)
	// One render of the empty store before the index, one during it, one
	// at its end.
	if h.Renders != 3 || h.Entries < 4200 {
		t.Errorf("after the first index: %d renders, %d entries; want 3 renders (one while indexing) and every entry", h.Renders, h.Entries)
	}
}

// TestArchivePageWhileFilling: an archive page of an archive not laid out
// yet (a first index fills) is unavailable for now, not missing.
func TestArchivePageWhileFilling(t *testing.T) {
	p := start(t, newEnv(t, nil))
	if pg := p.d.archivePage(p.d.site, index.Layout{}, feed.Place{Page: 1, Pages: -1}, feed.Atom); pg.Status != httpd.PageUnavailable {
		t.Errorf("archive page 1 while the archive is not laid out: status %v; want PageUnavailable", pg.Status)
	}
}

// TestFirstStartIsNotComplete: a first start serves, before its first
// index reads a file, empty feeds that do not say they hold every entry,
// which a reader may take as leave to forget those it has.
func TestFirstStartIsNotComplete(t *testing.T) {
	hold := make(chan struct{})
	p := startProc(t, newEnv(t, nil), hold)
	defer close(hold)
	for _, path := range []string{"/feed.atom", "/feed.rss"} {
		if r := fetchAt(t, p.url(path)); r.code != 200 || strings.Contains(r.body, "fh:complete") {
			t.Errorf("GET %s before the first index = %d, complete %v; want 200, not complete:\n%.400s", path, r.code, strings.Contains(r.body, "fh:complete"), r.body)
		}
	}
}
