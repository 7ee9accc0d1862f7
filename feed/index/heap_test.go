package index

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// heapEntries is the size of the synthetic index the heap is measured on.
const heapEntries = 100_000

// maxHeapPerEntry is what an entry may cost the heap, in bytes, with
// every form of the index made: its order, its lookups by path and by ID,
// and its categories' sets (issue 16).
const maxHeapPerEntry = 100

// syntheticStore returns a store of n wire articles, in folders by year
// and month, each with a tag and a place: two categories.
func syntheticStore(tb testing.TB, n int) *state.Store {
	tb.Helper()
	store, err := state.Open(filepath.Join(tb.TempDir(), "state.db"), false)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	tags := []string{"politics", "business", "sport", "science", "health", "culture", "world", "technology"}
	places := []string{"LONDON", "PARIS", "BERLIN", "NAIROBI", "LIMA", "TOKYO"}
	for start := 0; start < n; start += applyChunk {
		var c state.Change
		for i := start; i < min(start+applyChunk, n); i++ {
			date := t0.Add(-time.Duration(i) * 7 * time.Minute)
			c.Seen = append(c.Seen, state.Observation{
				Path: fmt.Sprintf("%d/%02d/wire-%06d.txt", date.Year(), date.Month(), i),
				Hash: fmt.Sprintf("%032x", i), Size: 3000, ModTime: date, Date: date,
				Tags: []string{tags[i%len(tags)]}, Place: places[i%len(places)],
			})
		}
		if _, err := store.Apply(c, t0); err != nil {
			tb.Fatal(err)
		}
	}
	return store
}

// liveIndex loads an index of store and makes every form of it a daemon
// ends up holding: settled, with its categories' sets and its map of IDs.
func liveIndex(tb testing.TB, store *state.Store) *Index {
	tb.Helper()
	ix := New(source.Source{Dir: tb.TempDir(), Include: []string{"*.txt"}}, store,
		Options{Now: func() time.Time { return t0 }, Categories: feed.AllCategorySources})
	if err := ix.Load(context.Background()); err != nil {
		tb.Fatal(err)
	}
	ix.Settle()
	if cats, _ := ix.Categories(); len(cats) == 0 {
		tb.Fatal("Categories() = none; want the tags' and places'")
	}
	if _, found, err := ix.Find(state.NameID("nothing")); err != nil || found != Unknown {
		tb.Fatalf("Find(nothing) = %v, %v; want Unknown", found, err)
	}
	return ix
}

func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestHeapPerEntry: a live index holds its entries in little heap, so
// that the collector, which walks the heap while the daemon serves, has
// little to do.
func TestHeapPerEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a store of 100,000 entries")
	}
	store := syntheticStore(t, heapEntries)
	before := heapAlloc()
	ix := liveIndex(t, store)
	after := heapAlloc()
	if got := ix.Len(); got != heapEntries {
		t.Fatalf("Len() = %d; want %d", got, heapEntries)
	}
	per := (int64(after) - int64(before)) / heapEntries
	t.Logf("heap per entry: %d bytes", per)
	if per > maxHeapPerEntry {
		t.Errorf("heap per entry = %d bytes; want at most %d", per, maxHeapPerEntry)
	}
	runtime.KeepAlive(ix)
}

// TestLoadAllocatesOnce: a first load makes room for the store's records
// once, and the index takes them as they are: grown as they came, then
// copied into the index, they took three times their room at once at
// 1,000,000 files, the peak of a restart. An entry's record and path take
// 63 bytes, and the garbage of reading it (its path as a string, its tags)
// and its categories about 80 more: 141 in all, 472 with the copies.
func TestLoadAllocatesOnce(t *testing.T) {
	const n, maxPerEntry = 20_000, 180
	store := syntheticStore(t, n)
	ix := New(source.Source{Dir: t.TempDir(), Include: []string{"*.txt"}}, store,
		Options{Now: func() time.Time { return t0 }, Categories: feed.AllCategorySources})
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	if err := ix.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&m1)
	if got := ix.Len(); got != n {
		t.Fatalf("Len() = %d; want %d", got, n)
	}
	per := int64(m1.TotalAlloc-m0.TotalAlloc) / n
	t.Logf("Load allocated %d bytes an entry", per)
	if per > maxPerEntry {
		t.Errorf("Load allocated %d bytes an entry; want at most %d", per, maxPerEntry)
	}
	// An index that holds entries puts the records in one by one.
	if err := ix.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := ix.Len(); got != n {
		t.Errorf("Len() = %d after a second Load; want %d", got, n)
	}
}

// TestLoadedIndexTakesNewFiles: an index loaded from its store takes its
// first new files in the room it made, without copying every record: at
// 1,000,000 files that copy took 50 MB more at once, after each start.
func TestLoadedIndexTakesNewFiles(t *testing.T) {
	const n, news = 20_000, 100
	ix := liveIndex(t, syntheticStore(t, n))
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for i := range news {
		var b batch
		b.add(fmt.Sprintf("new/%03d.txt", i), identOf([]byte(state.NameID(fmt.Sprint(i)))), t0.UnixNano(), 0)
		ix.mu.Lock()
		ix.putAll(&b, false)
		ix.mu.Unlock()
	}
	runtime.ReadMemStats(&m1)
	if got := ix.Len(); got != n+news {
		t.Fatalf("Len() = %d; want %d", got, n+news)
	}
	if got := m1.TotalAlloc - m0.TotalAlloc; got > 64<<10 {
		t.Errorf("%d new files allocated %d bytes; want at most 64 KiB, with the %d records not copied", news, got, n)
	}
}

// BenchmarkGCWithIndex times a full collection while an index of
// heapEntries is live: the cost of what the collector must walk.
func BenchmarkGCWithIndex(b *testing.B) {
	ix := liveIndex(b, syntheticStore(b, heapEntries))
	runtime.GC()
	for b.Loop() {
		runtime.GC()
	}
	runtime.KeepAlive(ix)
}

// BenchmarkLoad times a first index of heapEntries from the store: the
// flat form, which a warm rebuild makes and never settles.
func BenchmarkLoad(b *testing.B) {
	store := syntheticStore(b, heapEntries)
	for b.Loop() {
		ix := New(source.Source{Dir: b.TempDir(), Include: []string{"*.txt"}}, store,
			Options{Now: func() time.Time { return t0 }, Categories: feed.AllCategorySources})
		if err := ix.Load(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSettle times turning a first index of heapEntries into the
// form that takes changes.
func BenchmarkSettle(b *testing.B) {
	store := syntheticStore(b, heapEntries)
	for b.Loop() {
		b.StopTimer()
		ix := New(source.Source{Dir: b.TempDir(), Include: []string{"*.txt"}}, store,
			Options{Now: func() time.Time { return t0 }, Categories: feed.AllCategorySources})
		if err := ix.Load(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		ix.Settle()
	}
}

// TestHeapPerEntryRead: an entry read that references no file, as most
// do, costs the index a few bytes to remember that it was read, and does
// not keep alive the record its path was cut from. A build reads every
// entry.
func TestHeapPerEntryRead(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100,000 entries")
	}
	ix := &Index{}
	before := heapAlloc()
	for i := range heapEntries {
		// A path cut from a longer string, as a record's is.
		rec := fmt.Sprintf("urn:uuid:%08d-0000-4000-8000-000000000000wire/%08d.txt%064d", i, i, i)
		ix.noteMedia(&feed.Entry{Path: rec[45 : 45+17]})
	}
	after := heapAlloc()
	per := (int64(after) - int64(before)) / heapEntries
	t.Logf("heap per entry read: %d bytes", per)
	if per > 40 {
		t.Errorf("heap per entry read = %d bytes; want at most 40", per)
	}
	if !ix.WasRead("wire/00000042.txt") || ix.WasRead("wire/absent.txt") {
		t.Errorf("WasRead = %v, %v for an entry read and one not; want true, false", ix.WasRead("wire/00000042.txt"), ix.WasRead("wire/absent.txt"))
	}
	runtime.KeepAlive(ix)
}

// TestRescanOfLoadedIndexReservesNothing: the rescan that follows a
// restart, when the index holds every record already, sets no room aside
// for the unchanged files it does not hold (none): at 1,000,000 files that
// room was 40 MB of the peak, for nothing.
func TestRescanOfLoadedIndexReservesNothing(t *testing.T) {
	const n = 10_000
	store := syntheticStore(t, n)
	ix := liveIndex(t, store)
	var found []source.Found
	err := store.Briefs("", "", func(p []byte, b state.Brief) bool {
		found = append(found, source.Found{Path: string(p), Size: b.Size, ModTime: b.ModTime})
		return true
	})
	if err != nil || len(found) != n {
		t.Fatalf("Briefs gave %d records, %v; want %d", len(found), err, n)
	}
	v := verdict{found: source.FilesOf(found)}
	ix.mu.Lock()
	ix.judge(&v)
	ix.mu.Unlock()
	if v.err != nil || len(v.changed) != 0 || len(v.gone) != 0 || len(v.same.recs) != 0 {
		t.Fatalf("judge = %d changed, %d gone, %d same, %v; want nothing to do", len(v.changed), len(v.gone), len(v.same.recs), v.err)
	}
	if c := cap(v.same.recs); c >= n/2 {
		t.Errorf("judge set aside room for %d unchanged records; want little, the index holds all %d", c, n)
	}
}

// TestFirstIndexJudgeSizesOnce: the rescan of a first index, with an empty
// store, sets no room aside for unchanged files (there are none: at
// 1,000,000 files that room was 40 MB of the first index's peak), and
// makes its list of files to read once, the size of the files found.
func TestFirstIndexJudgeSizesOnce(t *testing.T) {
	const n = 10_000
	ix := New(source.Source{Dir: t.TempDir(), Include: []string{"*.txt"}}, syntheticStore(t, 0), Options{Now: func() time.Time { return t0 }})
	var found []source.Found
	for i := range n {
		found = append(found, source.Found{Path: fmt.Sprintf("wire/%06d.txt", i), Size: 3000, ModTime: t0.UnixNano()})
	}
	v := verdict{found: source.FilesOf(found), stored: !ix.store.Empty()}
	ix.mu.Lock()
	ix.judge(&v)
	ix.mu.Unlock()
	if v.err != nil || len(v.changed) != n || len(v.gone) != 0 || len(v.same.recs) != 0 {
		t.Fatalf("judge = %d changed, %d gone, %d same, %v; want all %d changed", len(v.changed), len(v.gone), len(v.same.recs), v.err, n)
	}
	if c := cap(v.same.recs); c >= n/2 {
		t.Errorf("judge set aside room for %d unchanged records; want little, the store is empty", c)
	}
	if c := cap(v.changed); c != n {
		t.Errorf("judge's files to read have room for %d; want %d, made once", c, n)
	}
}
