package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// TestFirstIndexPublishesNewestFirst: a first index of more files than a
// chunk reads them newest first, by modification time, not in the order of
// their paths, and publishes as it goes: the first publication, with part
// of the folder indexed, already shows the newest entries of the whole
// folder. It publishes between chunks, never after the last, which its
// caller publishes.
func TestFirstIndexPublishesNewestFirst(t *testing.T) {
	dir := t.TempDir()
	const n = 2*applyChunk + 100 // three chunks
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("f%05d.txt", i))
		if err := os.WriteFile(p, fmt.Appendf(nil, "Story %d\n\nText of story %d.\n", i, i), 0o644); err != nil {
			t.Fatal(err)
		}
		// The later the path, the newer the file: path order reads the
		// newest last.
		mt := t0.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	clock := t0.Add(365 * 24 * time.Hour)
	now := func() time.Time {
		clock = clock.Add(10 * time.Second) // every chunk is due a publication
		return clock
	}
	type seen struct {
		indexed int
		newest  []string
	}
	var pubs []seen
	var ix *Index
	publish := func() {
		top, err := ix.Entries(3, 0)
		if err != nil {
			t.Fatal(err)
		}
		if l, err := ix.Archive(3); err != nil || l.Pages() != -1 {
			t.Errorf("while the index fills, the archive has %d pages (err %v); want -1, not known yet", l.Pages(), err)
		}
		s := seen{indexed: ix.Len()}
		for _, e := range top {
			s.newest = append(s.newest, e.Path)
		}
		pubs = append(pubs, s)
	}
	src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	ix = New(src, store, Options{Now: now, Publish: publish})
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{fmt.Sprintf("f%05d.txt", n-1), fmt.Sprintf("f%05d.txt", n-2), fmt.Sprintf("f%05d.txt", n-3)}
	if len(pubs) != 2 {
		t.Fatalf("published %d times during a first index of three chunks; want 2, after the first two: %+v", len(pubs), pubs)
	}
	for i, p := range pubs {
		if p.indexed != (i+1)*applyChunk {
			t.Errorf("publication %d saw %d entries indexed; want %d", i+1, p.indexed, (i+1)*applyChunk)
		}
		if !slices.Equal(p.newest, want) {
			t.Errorf("publication %d showed %v; want the newest of the folder, %v", i+1, p.newest, want)
		}
	}
	if got := entryPaths(t, ix); len(got) != n || !slices.Equal(got[:3], want) {
		t.Errorf("after the index, %d entries, newest %v; want %d, newest %v", len(got), got[:min(3, len(got))], n, want)
	}

	// Once it is whole, the archive closes its pages, each of its size.
	if _, err := ix.Entries(50, 0); err != nil {
		t.Fatal(err)
	}
	l, err := ix.Archive(50)
	if want := (n - 50 - 1) / 50; err != nil || l.Closed != want {
		t.Errorf("after the index, %d closed archive pages (err %v); want %d", l.Closed, err, want)
	}

	// A rescan of an index that holds entries publishes nothing: only a
	// first index does.
	pubs = nil
	if err := ix.Rescan(context.Background()); err != nil || len(pubs) != 0 {
		t.Errorf("a second rescan: err %v, published %d times; want none", err, len(pubs))
	}
}
