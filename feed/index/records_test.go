package index

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// TestURN: an ID in state.NameID's form is kept as its 16 bytes and
// written back exactly; any other, even one that differs only in case,
// is kept as it is.
func TestURN(t *testing.T) {
	for _, name := range []string{"a.txt", "2019/05/wire-123456.txt", "ünïcode/ß.md"} {
		id := state.NameID(name)
		u, ok := state.ParseURN([]byte(id))
		if !ok {
			t.Errorf("parseURN(%q) = not a UUID; want one", id)
			continue
		}
		if got := urn(u); got != id {
			t.Errorf("urn(parseURN(%q)) = %q; want it back", id, got)
		}
	}
	id := state.NameID("a.txt")
	for _, bad := range []string{
		strings.ToUpper(id),
		"URN:uuid:" + id[9:],
		id[:len(id)-1],
		id + "0",
		id[:17] + "0" + id[18:], // a dash replaced
		id[:20] + "g" + id[21:],
		id[:9] + strings.ToUpper(id[9:]),
		"",
		"tag:example.com,2024:post-1",
	} {
		if _, ok := state.ParseURN([]byte(bad)); ok {
			t.Errorf("parseURN(%q) = a UUID; want none: it would not be written back as it is", bad)
		}
	}
}

// TestTable: the table finds every handle it holds and none it does not,
// through inserts and removals, with hashes that collide and runs that
// wrap around its end.
func TestTable(t *testing.T) {
	hash := func(h handle) uint64 { return uint64(h) * 7 % 5 * 3 } // few homes, near the end of small tables too
	tb := newTable(0, hash)
	held := map[handle]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	for step := range 5000 {
		x := handle(1 + rng.IntN(60))
		if held[x] {
			tb.remove(x)
			delete(held, x)
		} else {
			tb.insert(x)
			held[x] = true
		}
		for y := handle(1); y <= 60; y++ {
			got, ok := tb.find(hash(y), func(s handle) bool { return s == y })
			if ok != held[y] || ok && got != y {
				t.Fatalf("step %d: find(%d) = %d, %v; want held %v", step, y, got, ok, held[y])
			}
		}
		if tb.n != len(held) {
			t.Fatalf("step %d: table holds %d; want %d", step, tb.n, len(held))
		}
	}
}

// modelEntry is an entry as the test expects the index to hold it.
type modelEntry struct {
	path, id  string
	published int64
	cats      uint32
}

// TestRecordsFollowChanges: through entries put, changed and dropped at
// random, the index holds each as it was last put, in order, found by
// path and by ID, in the sets of its categories; and its arena holds no
// more than twice their bytes.
func TestRecordsFollowChanges(t *testing.T) {
	ix := New(source.Source{}, nil, Options{})
	sets := []uint32{0, ix.intern("a"), ix.intern("b"), ix.intern("a\x00b")}
	ix.ensureCats()
	model := map[string]modelEntry{}
	rng := rand.New(rand.NewPCG(3, 4))
	// A first index, flat until its first change.
	var first batch
	for i := range 100 {
		e := modelEntry{path: fmt.Sprintf("%d/entry-%d.txt", i%3, i), id: state.NameID(fmt.Sprint("first", i)), published: int64(rng.IntN(50)), cats: sets[i%len(sets)]}
		first.add(e.path, identOf([]byte(e.id)), e.published, e.cats)
		model[e.path] = e
	}
	ix.putAll(&first, true)
	for step := range 3000 {
		p := fmt.Sprintf("%d/entry-%d.txt", rng.IntN(3), rng.IntN(200))
		if rng.IntN(3) == 0 {
			if got, want := ix.drop(p), model[p].path != ""; got != want {
				t.Fatalf("step %d: drop(%q) = %v; want %v", step, p, got, want)
			}
			delete(model, p)
		} else {
			e := modelEntry{path: p, id: state.NameID(fmt.Sprint(rng.IntN(1000))), published: int64(rng.IntN(50)), cats: sets[rng.IntN(len(sets))]}
			if rng.IntN(4) == 0 {
				e.id = fmt.Sprintf("tag:example.com,2024:%d", rng.IntN(1000))
			}
			if other, ok := ix.lookupIDString(e.id); ok && other != p {
				e.id += "-" + p // IDs are unique
			}
			var b batch
			b.add(e.path, identOf([]byte(e.id)), e.published, e.cats)
			ix.putAll(&b, false)
			model[p] = e
		}
		if step%100 == 0 {
			checkRecords(t, ix, model)
		}
	}
	checkRecords(t, ix, model)
}

// lookupIDString is lookupID for a test's string.
func (ix *Index) lookupIDString(id string) (string, bool) {
	if !ix.byID.made() {
		return "", false
	}
	h, ok := ix.lookupID([]byte(id))
	if !ok {
		return "", false
	}
	return ix.path(h), true
}

func checkRecords(t *testing.T, ix *Index, model map[string]modelEntry) {
	t.Helper()
	want := make([]modelEntry, 0, len(model))
	live := 0
	for _, e := range model {
		want = append(want, e)
		live += len(e.path)
		if _, ok := state.ParseURN([]byte(e.id)); !ok {
			live += len(e.id)
		}
	}
	slices.SortFunc(want, func(a, b modelEntry) int {
		return cmp.Or(cmp.Compare(b.published, a.published), cmp.Compare(a.path, b.path))
	})
	var got []modelEntry
	ix.ascend(func(h handle) bool {
		got = append(got, modelEntry{path: ix.path(h), id: ix.id(h), published: ix.recs[h].published, cats: ix.recs[h].cats})
		return true
	})
	for i := range max(len(got), len(want)) {
		if i >= len(got) || i >= len(want) || got[i] != want[i] {
			t.Fatalf("%d entries in order, then at %d: %v; want %d entries, then %v", len(got), i, at(got, i), len(want), at(want, i))
		}
	}
	if ix.size() != len(want) {
		t.Fatalf("size() = %d; want %d", ix.size(), len(want))
	}
	ix.settle() // if flat: lookups need it
	ix.ensureIDs()
	for _, e := range want {
		if h, ok := ix.lookup(e.path); !ok || ix.id(h) != e.id {
			t.Fatalf("lookup(%q) = %v; want the entry of ID %q", e.path, ok, e.id)
		}
		if p, ok := ix.lookupIDString(e.id); !ok || p != e.path {
			t.Fatalf("lookupID(%q) = %q, %v; want %q", e.id, p, ok, e.path)
		}
	}
	for _, slug := range []string{"a", "b"} {
		var inSet, wantSet []string
		if c := ix.cats[slug]; c != nil {
			c.order.Ascend(func(h handle) bool {
				inSet = append(inSet, ix.path(h))
				return true
			})
		}
		for _, e := range want {
			if strings.Contains(ix.catSets[e.cats], slug) {
				wantSet = append(wantSet, e.path)
			}
		}
		if !slices.Equal(inSet, wantSet) {
			t.Fatalf("category %q = %q; want %q", slug, inSet, wantSet)
		}
	}
	if len(ix.arena)-ix.garbage != live || ix.garbage > len(ix.arena)/2 {
		t.Fatalf("arena of %d bytes, %d of them garbage; want %d in use, garbage at most half", len(ix.arena), ix.garbage, live)
	}
}

// at returns es[i], or the zero entry past the end.
func at(es []modelEntry, i int) modelEntry {
	if i < len(es) {
		return es[i]
	}
	return modelEntry{}
}

// TestRecordKeyIsStable: RecordKey and RecordsKey, which write their
// numbers into a string made once, say what the key always said. A
// build's manifest keeps these keys: a change would make every page again.
func TestRecordKeyIsStable(t *testing.T) {
	t1 := time.Date(2019, 3, 4, 5, 6, 7, 8, time.UTC)
	recs := []state.Record{
		{ID: "urn:uuid:6f6e1c52-5d0e-5f0b-9d6c-3f9a3c7b2a10", Path: "a/b.txt", Hash: "affcb5f005ab0820fb39d25b46e34891", FirstSeen: t1, Updated: t1, Size: 2820, ModTime: t1},
		{ID: "tag:example.org,2024:x", Path: "ü/ß.md", Hash: "00", FirstSeen: t1, Updated: t1.Add(time.Hour), Size: 0, ModTime: time.Unix(-5, -3), Date: t1.AddDate(-3, 0, 0), DocUpdated: t1.AddDate(1, 0, 0)},
		{},
	}
	var all string
	for _, rec := range recs {
		pub, upd := dates(rec)
		want := rec.ID + "\x00" + rec.Path + "\x00" + rec.Hash + "\x00" + strconv.FormatInt(rec.Size, 10) + "\x00" +
			strconv.FormatInt(rec.ModTime.UnixNano(), 10) + "\x00" + strconv.FormatInt(pub.UnixNano(), 10) + "\x00" +
			strconv.FormatInt(upd.UnixNano(), 10) + "\x00"
		if got := RecordKey(rec); got != want {
			t.Errorf("RecordKey(%+v) = %q; want %q", rec, got, want)
		}
		all += want
	}
	if got := RecordsKey(recs); got != all {
		t.Errorf("RecordsKey = %q; want %q", got, all)
	}
}

// TestFlatOrderSortsWhatIsRead: a flat index (a build's, until its first
// change) yields its entries in order from the newest, and from any place,
// after a second batch too, while it has put in order only about as many
// as were read.
func TestFlatOrderSortsWhatIsRead(t *testing.T) {
	ix := New(source.Source{}, nil, Options{})
	rng := rand.New(rand.NewPCG(5, 6))
	var want []modelEntry
	add := func(from, to int) {
		var b batch
		for i := from; i < to; i++ {
			e := modelEntry{path: fmt.Sprintf("%05d.txt", i), id: state.NameID(fmt.Sprint(i)), published: int64(rng.IntN(3000))}
			if i%2 == 0 {
				e.published = int64(i) // half of them dated in the order of their paths
			}
			b.add(e.path, identOf([]byte(e.id)), e.published, 0)
			want = append(want, e)
		}
		ix.putAll(&b, true)
		slices.SortFunc(want, func(a, b modelEntry) int {
			return cmp.Or(cmp.Compare(b.published, a.published), cmp.Compare(a.path, b.path))
		})
	}
	read := func(from pos, n int) []string {
		var got []string
		ix.ascendFrom(from, func(h handle) bool {
			got = append(got, ix.path(h))
			return len(got) < n
		})
		return got
	}
	paths := func(es []modelEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.path)
		}
		return out
	}
	add(0, 5000)
	for round := range 2 {
		if got, want := read(pos{published: math.MaxInt64}, 10), paths(want[:10]); !slices.Equal(got, want) {
			t.Fatalf("round %d: the 10 newest = %q; want %q", round, got, want)
		}
		if ix.sortedTo > len(ix.flat)/4 {
			t.Errorf("round %d: %d of %d entries put in order to read the 10 newest; want a few hundred", round, ix.sortedTo, len(ix.flat))
		}
		for _, i := range []int{3, 700, 40, 2999, 12, len(want) - 3} {
			from := pos{published: want[i].published, path: want[i].path}
			if got, want := read(from, 5), paths(want[i:min(i+5, len(want))]); !slices.Equal(got, want) {
				t.Fatalf("round %d: 5 entries from %v = %q; want %q", round, from, got, want)
			}
		}
		add(5000, 6000)
	}
	var all []string
	ix.ascend(func(h handle) bool { all = append(all, ix.path(h)); return true })
	if !slices.Equal(all, paths(want)) {
		t.Errorf("ascend yields %d entries, not in order; want %d", len(all), len(want))
	}
	all = all[:0]
	ix.descend(func(h handle) { all = append(all, ix.path(h)) })
	if slices.Reverse(all); !slices.Equal(all, paths(want)) {
		t.Errorf("descend yields %d entries, not in order; want %d", len(all), len(want))
	}
}
