package state

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func openTest(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func apply(t *testing.T, s *Store, c Change, now time.Time) []Record {
	t.Helper()
	recs, err := s.Apply(c, now)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func seen(path, hash string) Observation { return Observation{Path: path, Hash: hash} }

// TestIDsNameTheirSite: the same path on two sites gets two IDs, the same
// on every store of one site (a lost state file gives it back); a record
// keeps its ID when the site's base URL changes, and a file seen after
// gets one of the new site; the ID a removed file still holds is not
// handed to the next file at its path.
func TestIDsNameTheirSite(t *testing.T) {
	const a, b = "https://alice.example/", "https://bob.example/blog/"
	mint := func(site, path string) string {
		s := openTest(t, filepath.Join(t.TempDir(), "state.db"))
		defer s.Close()
		return apply(t, s, Change{Site: site, Seen: []Observation{seen(path, "h")}}, t0)[0].ID
	}
	hello := mint(a, "posts/hello.md")
	if hello == mint(b, "posts/hello.md") || hello == NameID("posts/hello.md") {
		t.Errorf("posts/hello.md has ID %s on both sites, or the ID of no site; want one a site", hello)
	}
	if again := mint(a, "posts/hello.md"); again != hello || again != SiteID(a, "posts/hello.md") {
		t.Errorf("posts/hello.md on a new store of the same site: %s; want %s again", again, hello)
	}
	if SiteID("", "x.md") != NameID("x.md") {
		t.Error("SiteID of no site is not NameID")
	}
	if SiteID("https://e.com/", "blog/x.md") == SiteID("https://e.com/blog/", "x.md") {
		t.Error("blog/x.md on e.com/ and x.md on e.com/blog/ share an ID: a move of base_url could hand a new file a live one's")
	}

	s := openTest(t, filepath.Join(t.TempDir(), "state.db"))
	defer s.Close()
	old := apply(t, s, Change{Site: a, Seen: []Observation{seen("kept.md", "h1")}}, t0)[0]
	moved := apply(t, s, Change{Site: b, Seen: []Observation{seen("kept.md", "h1-edited"), seen("new.md", "h2")}}, t0.Add(time.Hour))
	if moved[0].ID != old.ID || moved[1].ID != SiteID(b, "new.md") {
		t.Errorf("after the move to %s: kept.md %s, new.md %s; want %s (as before) and %s", b, moved[0].ID, moved[1].ID, old.ID, SiteID(b, "new.md"))
	}
	apply(t, s, Change{Site: b, Removed: []string{"new.md"}}, t0.Add(2*time.Hour))
	if again := apply(t, s, Change{Site: b, Seen: []Observation{seen("new.md", "h3")}}, t0.Add(3*time.Hour))[0]; again.ID == moved[1].ID {
		t.Errorf("a new file at a removed file's path got its ID %s, which the removed one still holds", again.ID)
	}
}

func TestIDsAndDates(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "state.db")
	s := openTest(t, dbPath)
	first := apply(t, s, Change{Seen: []Observation{seen("a.txt", "h1"), seen("b.txt", "h2")}}, t0)
	a := first[0]
	if !strings.HasPrefix(a.ID, "urn:uuid:") || a.ID != NameID("a.txt") {
		t.Errorf("new ID = %q; want the name-based %q", a.ID, NameID("a.txt"))
	}
	if a.ID == first[1].ID {
		t.Errorf("two files share ID %q", a.ID)
	}
	if !a.FirstSeen.Equal(t0) || !a.Updated.Equal(t0) {
		t.Errorf("first seen, updated = %v, %v; want %v", a.FirstSeen, a.Updated, t0)
	}

	t.Run("unchanged content keeps every date", func(t *testing.T) {
		r := apply(t, s, Change{Seen: []Observation{seen("a.txt", "h1")}}, t0.Add(time.Hour))[0]
		if r.ID != a.ID || !r.FirstSeen.Equal(t0) || !r.Updated.Equal(t0) {
			t.Errorf("got %+v; want ID %s, both dates %v", r, a.ID, t0)
		}
	})
	t.Run("an edit moves updated only", func(t *testing.T) {
		r := apply(t, s, Change{Seen: []Observation{seen("a.txt", "h1-edited")}}, t0.Add(2*time.Hour))[0]
		if r.ID != a.ID || !r.FirstSeen.Equal(t0) || !r.Updated.Equal(t0.Add(2*time.Hour)) {
			t.Errorf("got %+v; want ID %s, first seen %v, updated %v", r, a.ID, t0, t0.Add(2*time.Hour))
		}
	})
	s.Close()
	s = openTest(t, dbPath)
	t.Run("survives a reopen", func(t *testing.T) {
		r, ok, err := s.Lookup("a.txt")
		if err != nil || !ok || r.ID != a.ID || !r.FirstSeen.Equal(t0) {
			t.Errorf("Lookup after reopen = %+v, %v, %v; want ID %s first seen %v", r, ok, err, a.ID, t0)
		}
	})
	t.Run("a rename with the same content keeps ID and first seen", func(t *testing.T) {
		r := apply(t, s, Change{Removed: []string{"b.txt"}, Seen: []Observation{seen("renamed.txt", "h2")}}, t0.Add(3*time.Hour))[0]
		if r.ID != first[1].ID || !r.FirstSeen.Equal(t0) || r.Path != "renamed.txt" {
			t.Errorf("got %+v; want ID %s first seen %v at renamed.txt", r, first[1].ID, t0)
		}
		if _, ok, _ := s.Lookup("b.txt"); ok {
			t.Error("old path still live after rename")
		}
	})
	t.Run("a rename across batches keeps the ID", func(t *testing.T) {
		apply(t, s, Change{Removed: []string{"renamed.txt"}}, t0.Add(4*time.Hour))
		r := apply(t, s, Change{Seen: []Observation{seen("moved/back.txt", "h2")}}, t0.Add(5*time.Hour))[0]
		if r.ID != first[1].ID {
			t.Errorf("ID after move out and back in = %s; want %s", r.ID, first[1].ID)
		}
	})
	t.Run("a new file at a path whose ID moved away gets a new ID", func(t *testing.T) {
		r := apply(t, s, Change{Seen: []Observation{seen("b.txt", "h3")}}, t0.Add(6*time.Hour))[0]
		if r.ID == first[1].ID || r.ID == a.ID {
			t.Errorf("new file at b.txt took a live ID %s", r.ID)
		}
	})
	recs, err := s.Records()
	if err != nil || len(recs) != 3 {
		t.Errorf("Records() = %d records, %v; want 3 live", len(recs), err)
	}
}

func TestSecondOpenFailsFast(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "state.db")
	openTest(t, dbPath)
	start := time.Now()
	s, err := Open(dbPath, false)
	if err == nil {
		s.Close()
		t.Fatal("second Open of a held state file succeeded")
	}
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), dbPath) {
		t.Errorf("error = %v; want ErrLocked naming %s", err, dbPath)
	}
	if waited := time.Since(start); waited > LockTimeout+5*time.Second {
		t.Errorf("second Open took %v; want about %v", waited, LockTimeout)
	}
}

func TestClosedStoreErrs(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "state.db"))
	s.Close()
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v; want nil", err)
	}
	if _, err := s.Apply(Change{}, t0); !errors.Is(err, ErrClosed) {
		t.Errorf("Apply after Close = %v; want ErrClosed", err)
	}
}

// TestTombstonesExpire: the record of a removed file is kept for
// tombstoneTTL, so that the file can come back with its ID and date, and is
// then forgotten, its ID freed, by the next change that removes anything.
func TestTombstonesExpire(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "state.db"))
	first := apply(t, s, Change{Seen: []Observation{seen("old.txt", "h-old"), seen("young.txt", "h-young"), seen("last.txt", "h-last")}}, t0)
	old, young := first[0], first[1]
	apply(t, s, Change{Removed: []string{"old.txt"}}, t0)
	apply(t, s, Change{Removed: []string{"young.txt"}}, t0.Add(tombstoneTTL))
	later := t0.Add(tombstoneTTL + time.Hour) // old.txt has been gone longer than tombstoneTTL, young.txt not

	// Only a change that removes something prunes; until then an expired
	// record is still there, and must not be revived.
	if r := apply(t, s, Change{Seen: []Observation{seen("early.txt", "h-old")}}, later)[0]; r.ID == old.ID {
		t.Errorf("a file removed more than %v ago was revived with ID %s", tombstoneTTL, r.ID)
	}
	apply(t, s, Change{Removed: []string{"last.txt"}}, later)

	gone := gonePaths(t, s)
	if gone["old.txt"] {
		t.Errorf("old.txt, removed %v before the last change, is still remembered; want it forgotten", later.Sub(t0))
	}
	if !gone["young.txt"] {
		t.Errorf("young.txt, removed %v before the last change, is forgotten; want it kept for %v", time.Hour, tombstoneTTL)
	}
	reserved := reservedIDs(t, s)
	if reserved[old.ID] {
		t.Errorf("old.txt's ID %s is still reserved; want it freed", old.ID)
	}
	if !reserved[young.ID] {
		t.Errorf("young.txt's ID %s is freed; want it reserved while young.txt may come back", young.ID)
	}
	recs := apply(t, s, Change{Seen: []Observation{
		seen("elsewhere.txt", "h-old"),
		seen("old.txt", "new text"),
		seen("back.txt", "h-young"),
	}}, later.Add(time.Hour))
	if r := recs[0]; r.ID == old.ID || !r.FirstSeen.Equal(later.Add(time.Hour)) {
		t.Errorf("old.txt's content back at elsewhere.txt = ID %s first seen %v; want a new ID, first seen %v", r.ID, r.FirstSeen, later.Add(time.Hour))
	}
	if r := recs[1]; r.ID != NameID("old.txt") {
		t.Errorf("a new file at old.txt got ID %s; want the freed name-based %s", r.ID, NameID("old.txt"))
	}
	if r := recs[2]; r.ID != young.ID || !r.FirstSeen.Equal(t0) {
		t.Errorf("young.txt's content back at back.txt = ID %s first seen %v; want its own %s, %v", r.ID, r.FirstSeen, young.ID, t0)
	}
}

// gonePaths returns the paths of the removed files the store remembers.
func gonePaths(t *testing.T, s *Store) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketGone).ForEach(func(_, v []byte) error {
			rec, err := decode(v)
			out[rec.Path] = true
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// reservedIDs returns the IDs the ids bucket holds, which mint will not
// give out.
func reservedIDs(t *testing.T, s *Store) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketIDs).ForEach(func(k, _ []byte) error {
			out[string(k)] = true
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBriefsMatchRecords: what a rescan reads of the store agrees with the
// full records.
func TestBriefsMatchRecords(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "state.db"))
	mod := t0.Add(-time.Hour)
	apply(t, s, Change{Seen: []Observation{
		{Path: "b.txt", Hash: "h1", Size: 10, ModTime: mod},
		{Path: "a.md", Hash: "h2", Size: 20, ModTime: mod.Add(time.Second), Date: t0.Add(-48 * time.Hour)},
		{Path: "c/d.txt", Hash: "h3", Size: 30, ModTime: mod.Add(time.Nanosecond)},
	}}, t0)
	apply(t, s, Change{Removed: []string{"b.txt"}}, t0.Add(time.Minute))
	recs, err := s.Records()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = s.Briefs("", "", func(path []byte, b Brief) bool {
		got = append(got, fmt.Sprintf("%s %s %d %d %s", path, b.ID(), b.Size, b.ModTime, b.Published.Format(time.RFC3339Nano)))
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range recs {
		want = append(want, fmt.Sprintf("%s %s %d %d %s", r.Path, r.ID, r.Size, r.ModTime.UnixNano(), r.Published().Format(time.RFC3339Nano)))
	}
	if len(want) != 2 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Briefs:\n%s\nwant the live records:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(want[0], t0.Add(-48*time.Hour).Format(time.RFC3339Nano)) {
		t.Errorf("a.md is published %q; want its own date", want[0])
	}
	// Count: the live records, and the bytes of their paths.
	if n, bytes, err := s.Count(); err != nil || n != 2 || bytes != len("a.md")+len("c/d.txt") {
		t.Errorf("Count() = %d, %d, %v; want 2 records, %d bytes of paths", n, bytes, err, len("a.md")+len("c/d.txt"))
	}
	// Ranges: [from, to), either end open.
	for _, tc := range []struct{ from, to, want string }{
		{"", "b", "a.md"}, {"b", "", "c/d.txt"}, {"a.md", "c/d.txt", "a.md"}, {"a.n", "", "c/d.txt"}, {"d", "", ""},
	} {
		var paths []string
		if err := s.Briefs(tc.from, tc.to, func(path []byte, _ Brief) bool { paths = append(paths, string(path)); return true }); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(paths, " "); got != tc.want {
			t.Errorf("Briefs(%q, %q) = %q; want %q", tc.from, tc.to, got, tc.want)
		}
	}
}

// TestOwnDatesOnlyWithNewText: a record takes the file's own dates when it
// is new or its text changed, never on a touch or a rename. A record from
// a store made before dates came from names (Date zero) keeps the date it
// was published with when its file is read again unchanged.
func TestOwnDatesOnlyWithNewText(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "state.db"))
	day := time.Date(2014, 9, 15, 0, 0, 0, 0, time.UTC)
	old := apply(t, s, Change{Seen: []Observation{seen("2014-09-15-x.md", "h1")}}, t0)[0] // as an earlier version stored it
	touched := Observation{Path: "2014-09-15-x.md", Hash: "h1", Date: day, ModTime: t0.Add(time.Hour)}
	r := apply(t, s, Change{Seen: []Observation{touched}}, t0.Add(time.Hour))[0]
	if !r.Published().Equal(old.Published()) {
		t.Errorf("a touch re-dated the entry: published %v, was %v", r.Published(), old.Published())
	}
	edited := touched
	edited.Hash = "h2"
	r = apply(t, s, Change{Seen: []Observation{edited}}, t0.Add(2*time.Hour))[0]
	if !r.Published().Equal(day) {
		t.Errorf("after an edit, published %v; want the file's own date %v", r.Published(), day)
	}
	// A rename to a name of the same date, or of none, keeps the date.
	moved := Observation{Path: "archive/2014-09-15-x.md", Hash: "h2", Date: day}
	r = apply(t, s, Change{Seen: []Observation{moved}, Removed: []string{"2014-09-15-x.md"}}, t0.Add(3*time.Hour))[0]
	if r.ID != old.ID || !r.Published().Equal(day) {
		t.Errorf("after a move: %s published %v; want %s published %v", r.ID, r.Published(), old.ID, day)
	}
	// A rename to a name of another date is the author moving the post's
	// own date, as Jekyll reads it: published follows, the ID stays.
	later := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	renamed := Observation{Path: "2020-01-01-x.md", Hash: "h2", Date: later}
	r = apply(t, s, Change{Seen: []Observation{renamed}, Removed: []string{"archive/2014-09-15-x.md"}}, t0.Add(4*time.Hour))[0]
	if r.ID != old.ID || !r.Published().Equal(later) {
		t.Errorf("after a rename to another date: %s published %v; want %s published %v", r.ID, r.Published(), old.ID, later)
	}
	// A record dated by no date of its own (as an earlier version stored
	// it, or a file whose name gave none) keeps the date readers have.
	plain := apply(t, s, Change{Seen: []Observation{seen("notes/z.md", "h3")}}, t0.Add(5*time.Hour))[0]
	dated := Observation{Path: "2021-02-03-z.md", Hash: "h3", Date: time.Date(2021, 2, 3, 0, 0, 0, 0, time.UTC)}
	r = apply(t, s, Change{Seen: []Observation{dated}, Removed: []string{"notes/z.md"}}, t0.Add(6*time.Hour))[0]
	if r.ID != plain.ID || !r.Published().Equal(plain.Published()) {
		t.Errorf("an undated record renamed to a dated name: %s published %v; want %s published %v", r.ID, r.Published(), plain.ID, plain.Published())
	}
}

// TestGeneration: every change counts; two stores made afresh never share
// a count, so a stamp left by a build on one is never taken for the other.
func TestGeneration(t *testing.T) {
	dir := t.TempDir()
	a, b := openTest(t, filepath.Join(dir, "a.db")), openTest(t, filepath.Join(dir, "b.db"))
	apply(t, a, Change{Seen: []Observation{seen("x.txt", "h1")}}, t0)
	apply(t, b, Change{Seen: []Observation{seen("x.txt", "h1")}}, t0)
	ga, _ := a.Generation()
	gb, _ := b.Generation()
	if ga == gb {
		t.Errorf("two fresh stores share the generation %d", ga)
	}
	apply(t, a, Change{}, t0) // nothing changed
	if g, _ := a.Generation(); g != ga {
		t.Errorf("an empty change moved the generation from %d to %d", ga, g)
	}
	apply(t, a, Change{Removed: []string{"x.txt"}}, t0)
	if g, _ := a.Generation(); g != ga+1 {
		t.Errorf("a removal: generation %d; want %d", g, ga+1)
	}
	if err := a.CloseArchivePages("", 0, []Bound{{Published: 1, Path: "x.txt"}}); err != nil {
		t.Fatal(err)
	}
	if g, _ := a.Generation(); g != ga+2 {
		t.Errorf("a page closed: generation %d; want %d", g, ga+2)
	}
}
