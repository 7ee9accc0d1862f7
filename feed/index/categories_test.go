package index

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// newCategoryIndex opens a fresh store and an index over dir that takes
// categories from every source, on the clock now.
func newCategoryIndex(t *testing.T, dir string, now *time.Time, future bool) *Index {
	t.Helper()
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	src := source.Source{Dir: dir, Include: []string{"*.txt", "*.md"}, MaxSize: 1 << 20}
	return New(src, store, Options{Now: func() time.Time { return *now }, Categories: feed.AllCategorySources, Future: future})
}

// TestCategoryLastModified: a category's date moves once per version that
// can be read, a second past the one before, never by the count of
// entries a batch touched; and not at all while nothing changed.
func TestCategoryLastModified(t *testing.T) {
	dir := t.TempDir()
	for i := range 300 {
		feedtest.Write(t, filepath.Join(dir, "news", fmt.Sprintf("f%03d.txt", i)), fmt.Sprintf("Story %d\n\nText.\n", i))
	}
	now := t0
	ix := newCategoryIndex(t, dir, &now, false)
	ctx := context.Background()
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Entries(50, 0); err != nil {
		t.Fatal(err)
	}
	changed := func() time.Time {
		t.Helper()
		_, _, c, _, err := ix.CategoryFeed("news", 50)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := changed(); !c.Equal(t0.Truncate(time.Second)) {
		t.Errorf("after a first index of 300 entries the category is dated %s; want now, %s", c, t0)
	}
	if c := changed(); !c.Equal(t0.Truncate(time.Second)) {
		t.Errorf("read again unchanged, the category is dated %s; want %s still", c, t0)
	}
	for i := range 3 { // three changes within the same second, each read
		feedtest.Write(t, filepath.Join(dir, "news", fmt.Sprintf("new%d.txt", i)), "New\n\nText.\n")
		if err := ix.Update(ctx, []string{fmt.Sprintf("news/new%d.txt", i)}); err != nil {
			t.Fatal(err)
		}
		if c, want := changed(), t0.Truncate(time.Second).Add(time.Duration(i+1)*time.Second); !c.Equal(want) {
			t.Errorf("change %d within the second: dated %s; want %s, a second past the one before", i+1, c, want)
		}
	}
}

// TestScheduledInCategories: a category whose entries are all scheduled
// is not listed and has no feed until the first is due, which its feed
// then shows with the site's.
func TestScheduledInCategories(t *testing.T) {
	dir := t.TempDir()
	feedtest.Write(t, filepath.Join(dir, "a.md"), "---\ntitle: Now\ntags: [Old]\ndate: 2026-01-01T00:00:00Z\n---\nText.\n")
	feedtest.Write(t, filepath.Join(dir, "b.md"), "---\ntitle: Later\ntags: [Merger, Old]\ndate: 2026-03-01T00:00:00Z\n---\nText.\n")
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	ix := newCategoryIndex(t, dir, &now, false)
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Entries(50, 0); err != nil {
		t.Fatal(err)
	}
	slugs := func() []string {
		cats, _ := ix.Categories()
		var out []string
		for _, c := range cats {
			out = append(out, fmt.Sprintf("%s:%d", c.Slug, c.Entries))
		}
		return out
	}
	if got := slugs(); !slices.Equal(got, []string{"old:1"}) {
		t.Errorf("categories before the date: %q; want only old, with 1 entry", got)
	}
	if _, ok := ix.Category("merger"); ok {
		t.Error("a category of scheduled entries only has a feed before their date")
	}
	recs, _, _, _, err := ix.CategoryFeed("old", 50)
	if err != nil || len(recs) != 1 {
		t.Errorf("the feed of old holds %d entries (%v); want 1", len(recs), err)
	}
	_, gen := ix.Categories()
	now = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	if got := slugs(); !slices.Equal(got, []string{"old:1"}) {
		t.Errorf("categories past the date, before the render: %q; want the same as the site's feeds, old:1", got)
	}
	if _, err := ix.Entries(50, 0); err != nil {
		t.Fatal(err)
	}
	if got := slugs(); !slices.Equal(got, []string{"merger:1", "old:2"}) {
		t.Errorf("categories once due: %q; want merger:1 and old:2", got)
	}
	if _, g := ix.Categories(); g == gen {
		t.Error("the list of categories changed, but not its generation")
	}
	if recs, _, _, _, err := ix.CategoryFeed("old", 50); err != nil || len(recs) != 2 {
		t.Errorf("the feed of old holds %d entries once due (%v); want 2", len(recs), err)
	}
}

// TestEntriesOfBudget: EntriesOf keeps text, newest first, while the
// budget lasts, and then none, as the feeds' budget does. (Which reader
// finishes first is the scheduler's: the settling pass after them is
// checked by its outcome, not forced down each of its branches.)
func TestEntriesOfBudget(t *testing.T) {
	dir := t.TempDir()
	body := func(n int) string { return "Title\n\n" + strings.Repeat("word ", n/5) + "\n" }
	sizes := []int{400, 2000, 300, 300, 5000, 100}
	now := t0
	ix := newCategoryIndex(t, dir, &now, false)
	var paths []string
	for i, n := range sizes {
		p := fmt.Sprintf("f%d.txt", i)
		feedtest.Write(t, filepath.Join(dir, p), body(n))
		paths = append(paths, p)
	}
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	recs, err := ix.store.LookupAll(paths)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := ix.EntriesOf(recs, 0)
	if err != nil || len(whole) != len(sizes) {
		t.Fatalf("EntriesOf without a budget: %d entries, %v", len(whole), err)
	}
	for _, budget := range []int64{1, 500, 3000, 3200, 100000} {
		got, err := ix.EntriesOf(recs, budget)
		if err != nil {
			t.Fatal(err)
		}
		b := feed.NewBudget(budget)
		for i, e := range got {
			fits := b.Fits(len(whole[i].Content))
			if fits != !e.Trimmed || fits && e.Content != whole[i].Content || !fits && e.Content != "" {
				t.Errorf("budget %d: entry %d has %d bytes of text, trimmed %v; want fits=%v of %d", budget, i, len(e.Content), e.Trimmed, fits, len(whole[i].Content))
			}
		}
	}
	// NoText: the same entries, every one without its text, and no file's
	// text made to be dropped (nor, as it lacks it, kept for another).
	reads := ix.Reads()
	brief, err := ix.EntriesOf(recs, NoText)
	if err != nil || len(brief) != len(whole) {
		t.Fatalf("EntriesOf with NoText: %d entries, %v", len(brief), err)
	}
	for i, e := range brief {
		want := whole[i]
		want.Content, want.Trimmed = "", true
		if !reflect.DeepEqual(e, want) {
			t.Errorf("NoText: entry %d is\n%+v\nwant\n%+v", i, e, want)
		}
	}
	if got := ix.Reads() - reads; got != int64(len(recs)) {
		t.Errorf("NoText read %d files; want each of the %d once", got, len(recs))
	}
}

// TestCategoriesOfRemembers: the sets categoriesOf remembers are those it
// would make again, for records in one folder and another, a Hugo page
// bundle in a folder, other tags and places, and past the bound on what it
// remembers.
func TestCategoriesOfRemembers(t *testing.T) {
	now := t0
	ix := newCategoryIndex(t, t.TempDir(), &now, false)
	type rec struct {
		path  string
		tags  []string
		place string
	}
	recs := []rec{{"a/1.txt", nil, ""}, {"a/2.txt", nil, ""}, {"a/index.md", nil, ""}, {"a/b/index.md", nil, ""}, {"a/b/c.md", nil, ""},
		{"a/1.txt", []string{"x"}, ""}, {"a/1.txt", []string{"x", "y"}, ""}, {"a/1.txt", []string{"x\x00y"}, ""}, {"a/1.txt", nil, "Tehran"},
		{"2024/05/p.md", []string{"Go"}, "Tehran"}, {"p.txt", nil, ""}}
	for i := range catsOfSize + 10 {
		recs = append(recs, rec{fmt.Sprintf("f%d/p.txt", i), []string{"t"}, ""})
	}
	for round := range 2 {
		for _, r := range recs {
			got := ix.catNames(ix.categoriesOf(r.path, r.tags, r.place))
			if want := strings.Join(feed.AllCategorySources.Categories(r.path, r.tags, r.place), catSep); got != want {
				t.Fatalf("round %d: categoriesOf(%q, %q, %q) = %q; want %q", round, r.path, r.tags, r.place, got, want)
			}
		}
	}
}

// TestBriefCategoriesRemembers: the sets a rescan remembers by folder and
// encoded facts are those categoriesOf makes from the decoded record, for
// records in one folder and another, Hugo page bundles and files named
// index that are not, other tags and places, and past the bound on what it
// remembers.
func TestBriefCategoriesRemembers(t *testing.T) {
	store := tempStore(t)
	obs := []state.Observation{{Path: "a/1.txt"}, {Path: "a/2.txt"}, {Path: "a/index.md"}, {Path: "a/_index.markdown"},
		{Path: "a/index.txt"}, {Path: "a/b/index.md"}, {Path: "a/b/c.md"}, {Path: "a/3.txt", Tags: []string{"x"}},
		{Path: "a/4.txt", Tags: []string{"x", "y"}}, {Path: "a/5.txt", Tags: []string{"y"}}, {Path: "a/6.txt", Place: "Tehran"},
		{Path: "a/7.txt", Tags: []string{"x"}, Place: "Tehran"}, {Path: "2024/05/p.md", Tags: []string{"Go"}, Place: "Tehran"},
		{Path: "p.txt"}, {Path: "q.txt", Tags: []string{"x"}}}
	for i := range catsOfSize + 10 {
		obs = append(obs, state.Observation{Path: fmt.Sprintf("f%d/p.txt", i), Tags: []string{"t"}})
	}
	for i := range obs {
		obs[i].Hash = fmt.Sprint(i)
	}
	if _, err := store.Apply(state.Change{Seen: obs}, t0); err != nil {
		t.Fatal(err)
	}
	ix := New(source.Source{}, store, Options{Categories: feed.AllCategorySources})
	var b batch
	for round := range 2 {
		n := 0
		err := store.Briefs("", "", func(p []byte, br state.Brief) bool {
			tags, place := br.Facts()
			got := ix.catNames(ix.briefCategories(&b, string(p), br))
			if want := strings.Join(feed.AllCategorySources.Categories(string(p), tags, place), catSep); got != want {
				t.Errorf("round %d: the categories of %s (%q, %q) = %q; want %q", round, p, tags, place, got, want)
			}
			n++
			return true
		})
		if err != nil || n != len(obs) {
			t.Fatalf("Briefs walked %d records, %v; want %d", n, err, len(obs))
		}
	}
}

// TestCategoriesKeepTagsApart: C++, C# and C are three categories, each
// with its own entries; tags that differ in case are one, silently, and
// tags of the same words with other signs ("Node.js", "node js") one, said
// once in the log.
func TestCategoriesKeepTagsApart(t *testing.T) {
	dir := t.TempDir()
	for name, tags := range map[string]string{
		"a.md": "[C++]", "b.md": "[C#]", "c.md": "[C]", "d.md": "[Go]", "e.md": "[go]",
		"f.md": "[Node.js]", "g.md": "[node js]", "h.md": "[Node.js]",
	} {
		feedtest.Write(t, filepath.Join(dir, name), "---\ntitle: "+name+"\ntags: "+tags+"\n---\nText.\n")
	}
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	var logs feedtest.SyncBuffer
	src := source.Source{Dir: dir, Include: []string{"*.md"}, MaxSize: 1 << 20}
	ix := New(src, store, Options{Now: feedtest.Fixed(t0), Categories: feed.CategorySources{Tags: true}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	cats, _ := ix.Categories()
	got := map[string]int{}
	for _, c := range cats {
		got[c.Slug] = c.Entries
	}
	want := map[string]int{"c-plus-plus": 1, "c-sharp": 1, "c": 1, "go": 2, "node-js": 3}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("categories %v; want %v", got, want)
	}
	if n := strings.Count(logs.String(), "share a slug"); n != 1 || !strings.Contains(logs.String(), "slug=node-js") {
		t.Errorf("%d lines say names share a slug; want 1, of node-js:\n%s", n, &logs)
	}
}
