package index

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/render"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

var t0 = feedtest.T0

// tempStore opens a fresh state store, closed when the test ends.
func tempStore(t *testing.T) *state.Store {
	t.Helper()
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// newTestIndex opens a fresh state store and an index over dir.
func newTestIndex(t *testing.T, dir string, now func() time.Time, log *slog.Logger) (*Index, *state.Store) {
	t.Helper()
	store := tempStore(t)
	src := source.Source{Dir: dir, Include: []string{"*.txt", "*.md"}, MaxSize: 1 << 20}
	return New(src, store, Options{Now: now, Logger: log}), store
}

// entryPaths returns the paths of every entry, newest first.
func entryPaths(t *testing.T, ix *Index) []string {
	t.Helper()
	all, err := ix.Entries(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range all {
		out = append(out, e.Path)
	}
	return out
}

// TestWarmIndexTakesChanges: an index made from a warm store holds its
// items in the flat form until the first change; that change and those after
// it must leave the same entries, in the same order, as an index that took
// every change one at a time.
func TestWarmIndexTakesChanges(t *testing.T) {
	dir := t.TempDir()
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	ctx := context.Background()
	now := t0
	clock := func() time.Time { return now }
	live := New(src, store, Options{Now: clock})
	for i := range 30 { // one file a minute: a total order by date
		now = t0.Add(time.Duration(i) * time.Minute)
		feedtest.Write(t, filepath.Join(dir, fmt.Sprintf("f%02d.txt", i)), fmt.Sprintf("Title %d\n\nBody.", i))
		if err := live.Update(ctx, []string{fmt.Sprintf("f%02d.txt", i)}); err != nil {
			t.Fatal(err)
		}
	}
	warm := New(src, store, Options{Now: clock})
	if err := warm.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if warm.Reads() != 0 {
		t.Errorf("a warm rescan read %d files; want 0", warm.Reads())
	}
	if got, want := entryPaths(t, warm), entryPaths(t, live); !reflect.DeepEqual(got, want) {
		t.Fatalf("warm index = %q; want %q", got, want)
	}
	// Changes: one file removed, one made new, one edited.
	now = t0.Add(time.Hour)
	feedtest.Write(t, filepath.Join(dir, "new.txt"), "Brand new\n\nBody.")
	feedtest.Write(t, filepath.Join(dir, "f03.txt"), "Title 3, edited\n\nBody.")
	if err := os.Remove(filepath.Join(dir, "f07.txt")); err != nil {
		t.Fatal(err)
	}
	change := []string{"new.txt", "f03.txt", "f07.txt"}
	if err := warm.Update(ctx, change); err != nil {
		t.Fatal(err)
	}
	got := entryPaths(t, warm)
	if len(got) != 30 || got[0] != "new.txt" || warm.Len() != 30 {
		t.Fatalf("after the changes: %d entries, Len %d, newest %q; want 30, 30 and new.txt", len(got), warm.Len(), got[0])
	}
	for _, p := range got {
		if p == "f07.txt" {
			t.Errorf("removed file f07.txt is still an entry")
		}
	}
	// What the changed index holds must agree with the store: an index
	// loaded from the store afresh gives the same entries in the same order.
	again := New(src, store, Options{Now: clock})
	if err := again.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	again.Settle()
	if want := entryPaths(t, again); !reflect.DeepEqual(got, want) {
		t.Errorf("entries after changes = %q; want %q", got, want)
	}
}

// TestColdIndexWithBadFile: a first index goes flat even when a file fails;
// mending that file later adds it exactly once.
func TestColdIndexWithBadFile(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		feedtest.Write(t, filepath.Join(dir, fmt.Sprintf("f%d.txt", i)), fmt.Sprintf("Title %d\n\nBody.", i))
	}
	feedtest.Write(t, filepath.Join(dir, "bad.txt"), "")
	ix, _ := newTestIndex(t, dir, feedtest.Fixed(t0), nil)
	ctx := context.Background()
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if ix.Len() != 5 {
		t.Fatalf("%d entries with one empty file among six; want 5", ix.Len())
	}
	feedtest.Write(t, filepath.Join(dir, "bad.txt"), "Mended\n\nBody.")
	for range 2 {
		if err := ix.Update(ctx, []string{"bad.txt"}); err != nil {
			t.Fatal(err)
		}
	}
	got := entryPaths(t, ix)
	n := 0
	for _, p := range got {
		if p == "bad.txt" {
			n++
		}
	}
	if len(got) != 6 || n != 1 || ix.Len() != 6 {
		t.Errorf("entries %q (Len %d); want six, bad.txt once", got, ix.Len())
	}
}

// TestRescanInTwoParts: a folder large enough to be compared with the store
// in two halves at once; changes on both sides of the split and near it
// must all be found, and nothing else read.
func TestRescanInTwoParts(t *testing.T) {
	dir := t.TempDir()
	n := 2*applyChunk + 10
	name := func(i int) string { return fmt.Sprintf("f%05d.txt", i) }
	for i := range n {
		feedtest.Write(t, filepath.Join(dir, name(i)), fmt.Sprintf("Title %d\n\nBody.", i))
	}
	ix, store := newTestIndex(t, dir, feedtest.Fixed(t0), nil)
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Near the split, which falls about the middle file, one file goes.
	mid := n / 2
	for _, i := range []int{3, mid + 3} { // edited: new size
		feedtest.Write(t, filepath.Join(dir, name(i)), fmt.Sprintf("Title %d, edited\n\nBody.", i))
	}
	for _, i := range []int{5, mid - 2, n - 1} {
		if err := os.Remove(filepath.Join(dir, name(i))); err != nil {
			t.Fatal(err)
		}
	}
	feedtest.Write(t, filepath.Join(dir, "a-new.txt"), "New\n\nBody.")
	src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	again := New(src, store, Options{Now: feedtest.Fixed(t0.Add(time.Hour))})
	if err := again.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if again.Reads() != 3 || again.Len() != n-2 {
		t.Errorf("rescan read %d files and holds %d entries; want 3 and %d", again.Reads(), again.Len(), n-2)
	}
	top, err := again.Entries(3, 0)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range top {
		titles = append(titles, e.Title)
	}
	if len(titles) != 3 || titles[0] != "New" {
		t.Errorf("newest entries = %q; want the new file first", titles)
	}
	recs := feedtest.Records(t, store)
	if len(recs) != n-2 {
		t.Errorf("%d live records; want %d", len(recs), n-2)
	}
}

// TestBadFilesAreSkipped checks that a bad file costs exactly its own entry
// and one log line that names it and says why.
func TestBadFilesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	feedtest.Write(t, filepath.Join(dir, "good.txt"), "Good title\n\nGood body.")
	feedtest.Write(t, filepath.Join(dir, "also good.md"), "# Markdown\n\nText.")
	feedtest.Write(t, filepath.Join(dir, "binary.txt"), "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
	feedtest.Write(t, filepath.Join(dir, "empty.txt"), "")
	feedtest.Write(t, filepath.Join(dir, "broken.md"), "---\ntitle: [unclosed\n---\nbody")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(t.TempDir(), "secret.txt")
	feedtest.Write(t, elsewhere, "Not a seed\n\nOutside the folder.")
	if err := os.Symlink(elsewhere, filepath.Join(dir, "outside.txt")); err != nil {
		t.Fatal(err)
	}
	// A link to nothing, a link to another seed (published once, under
	// its own name), a socket.
	if err := os.Symlink("nowhere.txt", filepath.Join(dir, "dangling.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("good.txt", filepath.Join(dir, "alias.txt")); err != nil {
		t.Fatal(err)
	}
	sock, err := net.Listen("unix", filepath.Join(dir, "sock.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ix, _ := newTestIndex(t, dir, feedtest.Fixed(t0), log)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for range 2 { // the second rescan finds them untouched: it says nothing again
		if err := ix.Rescan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := ix.Entries(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, e := range entries {
		titles = append(titles, e.Title)
	}
	if want := []string{"Markdown", "Good title"}; !reflect.DeepEqual(titles, want) { // same date: by path
		t.Errorf("entries = %q; want %q", titles, want)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	for _, name := range []string{"binary.txt", "empty.txt", "broken.md", "pipe.txt", "outside.txt", "dangling.txt", "alias.txt", "sock.txt"} {
		n := 0
		for _, l := range lines {
			if strings.Contains(l, "path="+name) && strings.Contains(l, "reason=") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d log lines name %s with a reason; want 1\n%s", n, name, logs.String())
		}
	}
	snap, err := render.Render(feedtest.Site, entries, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := feedtest.WellFormed(snap.Files[feed.Atom.Path].Body); err != nil {
		t.Errorf("feed with bad files skipped is not well-formed: %v", err)
	}
}

func TestUpdate(t *testing.T) {
	dir := t.TempDir()
	feedtest.Write(t, filepath.Join(dir, "a.txt"), "First\n\nBody.")
	feedtest.Write(t, filepath.Join(dir, "b.txt"), "Second\n\nBody.")
	now := t0
	ix, _ := newTestIndex(t, dir, func() time.Time { return now }, nil)
	ctx := context.Background()
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	before := map[string]feed.Entry{}
	all, _ := ix.Entries(0, 0)
	for _, e := range all {
		before[e.Path] = e
	}
	now = t0.Add(time.Hour)
	feedtest.Write(t, filepath.Join(dir, "a.txt"), "First, edited\n\nBody.")
	if err := os.Remove(filepath.Join(dir, "b.txt")); err != nil {
		t.Fatal(err)
	}
	if err := ix.Update(ctx, []string{"a.txt", "b.txt", ".hidden.txt"}); err != nil {
		t.Fatal(err)
	}
	after, _ := ix.Entries(0, 0)
	if len(after) != 1 {
		t.Fatalf("%d entries after delete; want 1", len(after))
	}
	a := after[0]
	if a.ID != before["a.txt"].ID || !a.Published.Equal(t0) || !a.Updated.Equal(now) || a.Title != "First, edited" {
		t.Errorf("edited entry = %+v; want same ID and published, updated %v, new title", a, now)
	}
}

func TestRestartReadsOnlyChangedFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		feedtest.Write(t, filepath.Join(dir, name), "Title "+name+"\n\nBody.")
	}
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	ctx := context.Background()
	first := New(src, store, Options{Now: feedtest.Fixed(t0)})
	if err := first.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if first.Reads() != 3 {
		t.Fatalf("first scan read %d files; want 3", first.Reads())
	}
	// b.txt changes: same size, new modification time.
	feedtest.Write(t, filepath.Join(dir, "b.txt"), "Title b.txx\n\nBody.")
	if err := os.Chtimes(filepath.Join(dir, "b.txt"), t0, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	restarted := New(src, store, Options{Now: feedtest.Fixed(t0.Add(time.Hour))})
	if err := restarted.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if restarted.Reads() != 1 || restarted.Len() != 3 {
		t.Errorf("restart read %d files and holds %d entries; want 1 read (b.txt) and 3 entries", restarted.Reads(), restarted.Len())
	}
	entries, err := restarted.Entries(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	titles := map[string]string{}
	for _, e := range entries {
		titles[e.Path] = e.Title
		if e.Content == "" {
			t.Errorf("%s has no content after restart", e.Path)
		}
	}
	if titles["a.txt"] != "Title a.txt" || titles["b.txt"] != "Title b.txx" {
		t.Errorf("titles after restart = %v; want a.txt from the store and b.txt re-read", titles)
	}
}

// TestNewFileSortsFirst: a file that arrives just after a large index comes
// first in the feed, even within the same second and with a path that
// sorts last.
func TestNewFileSortsFirst(t *testing.T) {
	dir := t.TempDir()
	for i := range 60 {
		feedtest.Write(t, filepath.Join(dir, fmt.Sprintf("a%02d.txt", i)), fmt.Sprintf("Old %d\n\nBody.", i))
	}
	now := t0
	ix, _ := newTestIndex(t, dir, func() time.Time { return now }, nil)
	ctx := context.Background()
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	now = t0.Add(time.Millisecond)
	feedtest.Write(t, filepath.Join(dir, "zzz.txt"), "Brand new\n\nBody.")
	if err := ix.Update(ctx, []string{"zzz.txt"}); err != nil {
		t.Fatal(err)
	}
	top, err := ix.Entries(1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 1 || top[0].Title != "Brand new" {
		t.Errorf("newest entry = %v; want the file that came last", top)
	}
	if !top[0].Published.Equal(t0) {
		t.Errorf("published = %v; want whole seconds (%v)", top[0].Published, t0)
	}
}

// TestCancelledRescanStoresNoHalfChunk cancels a rescan in the middle of a
// chunk: what was not read must not be stored as an entry, and a rescan
// after it indexes everything.
func TestCancelledRescanStoresNoHalfChunk(t *testing.T) {
	dir := t.TempDir()
	n := 2*applyChunk + 100
	for i := range n {
		feedtest.Write(t, filepath.Join(dir, fmt.Sprintf("f%05d.txt", i)), fmt.Sprintf("Title %d\n\nBody.", i))
	}
	// Three rounds: a half chunk, if it were handed on, would race the
	// cancellation to the store, and might lose one round.
	for range 3 {
		ix, store := newTestIndex(t, dir, feedtest.Fixed(t0), nil)
		ctx, cancel := context.WithCancel(context.Background())
		ix.afterRead = func(n int64) { // cancels in the middle of the second chunk
			if n == applyChunk+applyChunk/2 {
				cancel()
			}
		}
		if err := ix.Rescan(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Rescan = %v; want it cancelled", err)
		}
		ix.afterRead = nil
		// The first chunk was read whole before the cancel, and is stored;
		// the second was cut short, and nothing of it is.
		recs := feedtest.Records(t, store)
		for _, r := range recs {
			if r.Path == "" || r.ID == "" {
				t.Fatalf("a cancelled rescan stored %+v", r)
			}
		}
		if len(recs) != applyChunk {
			t.Fatalf("%d records after cancelling in the second chunk; want the first chunk's %d", len(recs), applyChunk)
		}
		if err := ix.Rescan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if ix.Len() != n {
			t.Errorf("%d entries after a full rescan; want %d", ix.Len(), n)
		}
	}
}

// TestNewFileIsReadOnce: a file that lands in a running index is read once
// on its way to the feed: the read that indexes it also extracts it, and
// the next Entries takes that. A large batch keeps no text beyond what a
// feed needs.
func TestNewFileIsReadOnce(t *testing.T) {
	dir := t.TempDir()
	for i := range 10 {
		feedtest.Write(t, filepath.Join(dir, fmt.Sprintf("old%02d.txt", i)), fmt.Sprintf("Old %d\n\nBody.", i))
	}
	now := t0
	ix, _ := newTestIndex(t, dir, func() time.Time { return now }, nil)
	ctx := context.Background()
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Entries(5, 0); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"new.txt", "new.md"} {
		now = t0.Add(time.Duration(i+1) * time.Minute)
		text := "New text\n\nBody."
		if name == "new.md" {
			text = "---\ntitle: New post\n---\nBody."
		}
		feedtest.Write(t, filepath.Join(dir, name), text)
		before := ix.Reads()
		if err := ix.Update(ctx, []string{name}); err != nil {
			t.Fatal(err)
		}
		top, err := ix.Entries(5, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(top) == 0 || top[0].Path != name || top[0].Content == "" {
			t.Fatalf("newest entry = %v; want %s with its content", top, name)
		}
		if reads := ix.Reads() - before; reads != 1 {
			t.Errorf("%s was read %d times on its way to the feed; want 1", name, reads)
		}
	}
	// A batch larger than the feed is only inspected: what Entries does not
	// return is not kept.
	var paths []string
	for i := range 20 {
		p := fmt.Sprintf("burst%02d.txt", i)
		feedtest.Write(t, filepath.Join(dir, p), fmt.Sprintf("Burst %d\n\nBody.", i))
		paths = append(paths, p)
	}
	now = t0.Add(time.Hour)
	if err := ix.Update(ctx, paths); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Entries(5, 0); err != nil {
		t.Fatal(err)
	}
	ix.mu.Lock()
	kept, fresh := len(ix.docs), len(ix.fresh)
	ix.mu.Unlock()
	if kept != 5 || fresh != 0 {
		t.Errorf("after a render of 5, the index keeps %d extracted entries and %d fresh ones; want 5 and 0", kept, fresh)
	}
}

// TestEntriesKeepTextWithinBudget: the text the index keeps for the next
// render, and hands to it, is bounded by the feeds' byte budget, newest
// first; the rest come Trimmed, with title and summary. When the newer
// entries leave, an older one gets its text back.
func TestEntriesKeepTextWithinBudget(t *testing.T) {
	dir := t.TempDir()
	now := t0
	ix, _ := newTestIndex(t, dir, func() time.Time { return now }, nil)
	ctx := context.Background()
	const budget = 9000                               // two stories of about 4 KB
	if _, err := ix.Entries(50, budget); err != nil { // as a render before the files came
		t.Fatal(err)
	}
	para := strings.Repeat("Wire copy about the harbour and its ships. ", 50) // about 2 KB
	for i := range 4 {
		now = t0.Add(time.Duration(i) * time.Second)
		name := fmt.Sprintf("s%d.txt", i)
		feedtest.Write(t, filepath.Join(dir, name), fmt.Sprintf("Story %d\n\n%s\n\n%s\n", i, para, para))
		if err := ix.Update(ctx, []string{name}); err != nil {
			t.Fatal(err)
		}
	}
	kept := func() (n int) {
		ix.mu.Lock()
		defer ix.mu.Unlock()
		for _, k := range ix.docs {
			n += len(k.doc.Content)
		}
		for _, k := range ix.fresh {
			n += len(k.doc.Content)
		}
		return n
	}
	if n := kept(); n > budget {
		t.Errorf("the index keeps %d bytes of text from indexing; want at most the budget, %d", n, budget)
	}
	entries, err := ix.Entries(0, budget)
	if err != nil {
		t.Fatal(err)
	}
	var full []string
	for _, e := range entries {
		if e.Title == "" || e.Summary == "" {
			t.Errorf("entry %s has no title or summary", e.Path)
		}
		if e.Trimmed != (e.Content == "") {
			t.Errorf("entry %s: Trimmed %v with %d bytes of text", e.Path, e.Trimmed, len(e.Content))
		}
		if !e.Trimmed {
			full = append(full, e.Path)
		}
	}
	if !reflect.DeepEqual(full, []string{"s3.txt", "s2.txt"}) {
		t.Errorf("entries with their text: %v; want the two newest", full)
	}
	if n := kept(); n > budget {
		t.Errorf("the index keeps %d bytes of text; want at most the budget, %d", n, budget)
	}
	for _, name := range []string{"s3.txt", "s2.txt"} {
		os.Remove(filepath.Join(dir, name))
	}
	if err := ix.Update(ctx, []string{"s3.txt", "s2.txt"}); err != nil {
		t.Fatal(err)
	}
	entries, err = ix.Entries(0, budget)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Trimmed || entries[1].Trimmed || !strings.Contains(entries[1].Content, "harbour") {
		t.Errorf("after the newest left, entries %v; want both older ones with their text", entries)
	}
}

// TestOldStoreGainsCategories: a store made before records kept tags and
// places (record format 1) still works: the first rescan reads each of
// its files once more, keeping its ID and dates, and the entries get
// their categories.
func TestOldStoreGainsCategories(t *testing.T) {
	dir := t.TempDir()
	feedtest.Write(t, filepath.Join(dir, "a.txt"), "TEHRAN – Officials met on Monday. Talks went on.\n")
	feedtest.Write(t, filepath.Join(dir, "b.md"), "---\ntitle: B\ntags: [Notes]\n---\nText.\n")
	dbPath := filepath.Join(t.TempDir(), "state.db")
	store, err := state.Open(dbPath, false)
	if err != nil {
		t.Fatal(err)
	}
	src := source.Source{Dir: dir, Include: []string{"*.txt", "*.md"}, MaxSize: 1 << 20}
	opts := Options{Now: feedtest.Fixed(t0), Categories: feed.AllCategorySources}
	if err := New(src, store, opts).Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := feedtest.Records(t, store)
	store.Close()
	// Rewrite every record as format 1 wrote it: no tags, no place.
	db, err := bolt.Open(dbPath, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, rec := range before {
			b := []byte{1}
			for _, s := range []string{rec.ID, rec.Path, rec.Hash} {
				b = binary.AppendUvarint(b, uint64(len(s)))
				b = append(b, s...)
			}
			for _, tm := range []time.Time{rec.FirstSeen, rec.Updated, rec.ModTime, rec.Removed, rec.Date, rec.DocUpdated} {
				n := int64(0)
				if !tm.IsZero() {
					n = tm.UnixNano()
				}
				b = binary.AppendVarint(b, n)
			}
			if err := tx.Bucket([]byte("entries")).Put([]byte(rec.Path), binary.AppendVarint(b, rec.Size)); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	store, err = state.Open(dbPath, false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ix := New(src, store, Options{Now: feedtest.Fixed(t0.Add(time.Hour)), Categories: feed.AllCategorySources})
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if ix.Reads() != 2 {
		t.Errorf("the first rescan of an old store read %d files; want each of its 2 once", ix.Reads())
	}
	var slugs []string
	cats, _ := ix.Categories()
	for _, c := range cats {
		slugs = append(slugs, c.Slug)
	}
	if strings.Join(slugs, " ") != "notes tehran" {
		t.Errorf("categories %q; want notes and tehran", slugs)
	}
	after := feedtest.Records(t, store)
	for i, rec := range after {
		if rec.ID != before[i].ID || !rec.Published().Equal(before[i].Published()) || rec.OldFormat {
			t.Errorf("%s: %+v after the rescan; want the ID and dates of %+v, in the new format", rec.Path, rec, before[i])
		}
	}
	again := New(src, store, Options{Now: feedtest.Fixed(t0.Add(2 * time.Hour)), Categories: feed.AllCategorySources})
	if err := again.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if again.Reads() != 0 {
		t.Errorf("a rescan of the upgraded store read %d files; want none", again.Reads())
	}
}
