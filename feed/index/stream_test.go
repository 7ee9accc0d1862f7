package index

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
	"unsafe"
	"weak"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/feedtest"
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
	dir, n := threeChunks(t)
	store := tempStore(t)
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

// TestFirstIndexCutShort: a first index stopped part way (the daemon was
// stopped) stored the newest files only. The index started next on that
// store closes no archive page over them until a whole rescan has read the
// rest, all older: else the oldest page would take every one of them.
func TestFirstIndexCutShort(t *testing.T) {
	dir, n := threeChunks(t)
	storePath := filepath.Join(t.TempDir(), "state.db")
	store, err := state.Open(storePath, false)
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return t0.Add(365 * 24 * time.Hour) }
	src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	ctx, stop := context.WithCancel(context.Background())
	first := New(src, store, Options{Now: now, Publish: stop}) // stopped at its first publication
	if err := first.Rescan(ctx); err == nil {
		t.Fatal("a first index stopped part way returned no error")
	}
	if got := first.Len(); got >= n {
		t.Fatalf("the first index stored %d of %d files before it stopped; want part", got, n)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	store, err = state.Open(storePath, false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	next := New(src, store, Options{Now: now, Publish: func() {}})
	if err := next.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := next.Entries(50, 0); err != nil {
		t.Fatal(err)
	}
	if l, err := next.Archive(50); err != nil || l.Pages() != -1 {
		t.Errorf("loaded from a first index cut short: %d archive pages (err %v); want -1, none closed yet", l.Pages(), err)
	}
	if err := next.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := next.Entries(50, 0); err != nil {
		t.Fatal(err)
	}
	l, err := next.Archive(50)
	if want := (n - 50 - 1) / 50; err != nil || l.Closed != want {
		t.Errorf("once the rest is read, %d closed archive pages (err %v); want %d of 50 entries each", l.Closed, err, want)
	}
	if since, err := store.Since(fillingNote); err != nil || !since.IsZero() {
		t.Errorf("once whole, the store still notes an unfinished first index (%v, %v)", since, err)
	}
}

// TestFirstIndexClosesEveryCategoryArchive: a category whose entries all
// came early in a first index, and were published as it filled, has its
// archive laid out once the index is whole, as a category that came late
// does.
func TestFirstIndexClosesEveryCategoryArchive(t *testing.T) {
	dir := t.TempDir()
	for i := range applyChunk { // the newest: the first chunk
		writeStory(t, dir, "early", i, t0.Add(time.Duration(applyChunk+i)*time.Hour))
	}
	for i := range applyChunk { // the oldest: the second
		writeStory(t, dir, "late", i, t0.Add(time.Duration(i)*time.Minute))
	}
	store := tempStore(t)
	var ix *Index
	publish := func() { // as the daemon's render does
		if err := ix.CloseCategoryArchives(ix.TakeTouched(), 10, 10); err != nil {
			t.Fatal(err)
		}
	}
	src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	ix = New(src, store, Options{Now: func() time.Time { return t0.Add(365 * 24 * time.Hour) }, Publish: publish,
		Categories: feed.CategorySources{Folders: true}})
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Once whole, no category's archive is read before the render that
	// lays them all out: as the fill left it, each would be one page.
	for _, slug := range []string{"early", "late"} {
		if l, err := ix.CategoryLayout(slug, 10); err != nil || l.Pages() != -1 {
			t.Errorf("category %s before the render after the fill: %d archive pages (err %v); want -1, not laid out yet", slug, l.Pages(), err)
		}
	}
	if _, err := ix.Entries(10, 0); err != nil { // the render, as the daemon's
		t.Fatal(err)
	}
	if _, err := ix.Archive(10); err != nil {
		t.Fatal(err)
	}
	publish()
	for _, slug := range []string{"early", "late"} {
		if l, err := ix.CategoryLayout(slug, 10); err != nil || l.Closed < applyChunk/10-2 {
			t.Errorf("category %s: %d closed archive pages (err %v); want about %d", slug, l.Closed, err, applyChunk/10)
		}
	}
}

// TestFirstIndexReservesOnce: a first index makes room for its entries
// once, for the files it found and a few more, not a chunk at a time,
// which copies the records again at each growth and leaves up to a
// quarter of their room unused.
func TestFirstIndexReservesOnce(t *testing.T) {
	for _, tc := range []struct {
		name    string
		publish func()
	}{
		{"publishing as it reads", func() {}},
		{"as a build, publishing at the end", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, n := threeChunks(t)
			store := tempStore(t)
			src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
			ix := New(src, store, Options{Now: func() time.Time { return t0.Add(365 * 24 * time.Hour) }, Publish: tc.publish})
			if err := ix.Rescan(context.Background()); err != nil {
				t.Fatal(err)
			}
			ix.mu.Lock()
			defer ix.mu.Unlock()
			if got, spare := len(ix.recs)-1, cap(ix.recs)-len(ix.recs); got != n || spare > n/20 || spare < n/40 {
				t.Errorf("after a first index, %d records with room for %d more; want %d, with a little room left for new files (see roomFor)", got, spare, n)
			}
		})
	}
}

// TestApplyLetsGoOfPaths: the list of files a long read goes through does
// not keep the paths of those it has read alive to its end: at 1,000,000
// files they were 16 MB of a first index's peak, at its end.
func TestApplyLetsGoOfPaths(t *testing.T) {
	dir := t.TempDir()
	const n = applyChunk + 100 // two chunks
	paths := make([]string, n)
	for i := range n {
		writeStory(t, dir, "stories", i, t0.Add(time.Duration(i)*time.Minute))
		paths[i] = fmt.Sprintf("stories/f%05d.txt", i) // 18 bytes: an object of its own
	}
	first := weak.Make(unsafe.StringData(paths[0]))
	src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	ix := New(src, tempStore(t), Options{Now: func() time.Time { return t0.Add(365 * 24 * time.Hour) }})
	if err := ix.apply(context.Background(), paths, nil, true, nil); err != nil {
		t.Fatal(err)
	}
	if got := ix.Len(); got != n {
		t.Fatalf("Len() = %d after apply; want %d", got, n)
	}
	runtime.GC()
	if first.Value() != nil {
		t.Errorf("the path of the first file read is still alive after apply, with the list of paths")
	}
	runtime.KeepAlive(paths)
}

// TestFirstIndexCategoriesCompact: a first index that publishes as it
// reads, newest first, leaves its categories' sets as compact as a load
// makes them, each tree filled oldest first: filled as the files came,
// each node kept room for twice the handles it held.
func TestFirstIndexCategoriesCompact(t *testing.T) {
	dir := t.TempDir()
	const n = 3 * applyChunk
	for i := range n {
		writeStory(t, dir, "stories", i, t0.Add(time.Duration(i)*time.Minute))
	}
	clock := t0.Add(365 * 24 * time.Hour)
	now := func() time.Time {
		clock = clock.Add(10 * time.Second) // every chunk is due a publication
		return clock
	}
	var ix *Index
	publish := func() {
		if cats, _ := ix.Categories(); len(cats) != 1 {
			t.Errorf("Categories() = %v while the index fills; want the folder's", cats)
		}
	}
	src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	ix = New(src, tempStore(t), Options{Now: now, Publish: publish, Categories: feed.AllCategorySources})
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ix.Len(); got != n {
		t.Fatalf("Len() = %d; want %d", got, n)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	c := ix.cats["stories"]
	if c == nil || c.order.Len() != n {
		t.Fatalf("the folder's category holds %v; want all %d entries", c, n)
	}
	runtime.GC() // pools emptied: they take two collections
	with := heapAlloc()
	c.order = nil
	per := float64(with-heapAlloc()) / n
	t.Logf("the category's tree takes %.1f bytes an entry", per)
	if per > 6.5 { // 4 for a handle, about 1 for its share of a node
		t.Errorf("the category's tree takes %.1f bytes an entry; want at most 6.5", per)
	}
}

// TestNewestFirstSortsInPlace: a first index orders its files to read,
// newest first by their paths' dates or their modification times, then by
// path, with 8 bytes a file beside the list: sorted in pairs with their
// dates, they took 24.
func TestNewestFirstSortsInPlace(t *testing.T) {
	const n = 10_000
	var found []source.Found
	var paths []string
	for i := range n {
		p := fmt.Sprintf("wire/%06d.txt", i)
		found = append(found, source.Found{Path: p, Size: 10, ModTime: t0.Add(time.Duration(i%100) * time.Hour).UnixNano()})
		paths = append(paths, p)
	}
	paths = append(paths, "2030/01/02/dated.txt") // dated by its path: the newest
	files := source.FilesOf(found)
	allocated := func(f func()) float64 {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		f()
		runtime.ReadMemStats(&m1)
		return float64(m1.TotalAlloc-m0.TotalAlloc) / n
	}
	dating := allocated(func() { // the garbage of reading the paths' dates
		for _, p := range paths {
			extract.PathDate(p)
		}
	})
	if per := allocated(func() { newestFirst(paths, files) }) - dating; per > 12 {
		t.Errorf("newestFirst allocated %.1f bytes a file besides dating them; want at most 12", per)
	}
	if paths[0] != "2030/01/02/dated.txt" || paths[1] != "wire/000099.txt" || paths[2] != "wire/000199.txt" || paths[n] != "wire/009900.txt" {
		t.Errorf("newestFirst = %q ... %q; want the dated file, then wire/000099.txt, wire/000199.txt ... wire/009900.txt", paths[:3], paths[n])
	}
}

// TestNewestFirstByMonthFolders: a file in a month's folders whose
// modification time falls outside the month comes where the month does.
func TestNewestFirstByMonthFolders(t *testing.T) {
	day := func(y, m, d int) int64 { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).UnixNano() }
	found := []source.Found{
		{Path: "2019/05/copied.txt", Size: 10, ModTime: day(2026, 11, 1)},
		{Path: "2019/06/kept.txt", Size: 10, ModTime: day(2019, 6, 20)},
		{Path: "notes/a.txt", Size: 10, ModTime: day(2020, 1, 1)},
	}
	paths := []string{"2019/05/copied.txt", "2019/06/kept.txt", "notes/a.txt"}
	newestFirst(paths, source.FilesOf(found))
	if want := []string{"notes/a.txt", "2019/06/kept.txt", "2019/05/copied.txt"}; !slices.Equal(paths, want) {
		t.Errorf("newestFirst = %q; want %q", paths, want)
	}
}

// writeStory writes story i into folder (perhaps "") of dir, modified at
// mt.
func writeStory(t *testing.T, dir, folder string, i int, mt time.Time) {
	t.Helper()
	feedtest.WriteAt(t, filepath.Join(dir, folder, fmt.Sprintf("f%05d.txt", i)), fmt.Sprintf("Story %d\n\nText of story %d.\n", i, i), mt)
}

// TestEmptyStoreIsNotComplete: loaded from an empty store, an index that
// will publish its first index as it fills lays out no archive yet, so that
// the render before the first file is read does not say that its empty
// feeds hold every entry; a build, which does not publish, is not held.
func TestEmptyStoreIsNotComplete(t *testing.T) {
	for _, publish := range []func(){func() {}, nil} {
		store := tempStore(t)
		src := source.Source{Dir: t.TempDir(), Include: []string{"*.txt"}, MaxSize: 1 << 20}
		ix := New(src, store, Options{Publish: publish})
		if err := ix.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := ix.Entries(10, 0); err != nil {
			t.Fatal(err)
		}
		want := -1
		if publish == nil {
			want = 0
		}
		if l, err := ix.Archive(10); err != nil || l.Pages() != want {
			t.Errorf("publishing %v, loaded from an empty store: %d archive pages (err %v); want %d", publish != nil, l.Pages(), err, want)
		}
		store.Close()
	}
}

// threeChunks returns a folder of stories that a first index reads in
// three chunks, and their count. The later a story's path, the newer it
// is: path order reads the newest last.
func threeChunks(t *testing.T) (dir string, n int) {
	dir, n = t.TempDir(), 2*applyChunk+100
	for i := range n {
		writeStory(t, dir, "", i, t0.Add(time.Duration(i)*time.Minute))
	}
	return dir, n
}
