package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/index"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	t0       = feedtest.T0
	testSite = feedtest.Site
)

func renderSeeds(t *testing.T) (*Snapshot, []feed.Entry) {
	t.Helper()
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	src := source.Source{Dir: feedtest.Seeds, Include: []string{"*.txt", "*.md"}, MaxSize: 1 << 20}
	ix := index.New(src, store, index.Options{Now: feedtest.Fixed(t0), Categories: feed.AllCategorySources})
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	entries, err := ix.Entries(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("indexed %d seeds; want 2", len(entries))
	}
	snap, err := Render(testSite, entries, t0)
	if err != nil {
		t.Fatal(err)
	}
	return snap, entries
}

func TestGolden(t *testing.T) {
	snap, _ := renderSeeds(t)
	for _, name := range []string{feed.Atom.Path, feed.RSS.Path, feed.JSON.Path} {
		t.Run(name, func(t *testing.T) {
			golden := filepath.Join("testdata", "seeds."+strings.TrimPrefix(filepath.Ext(name), ".")+".golden")
			got := snap.Files[name].Body
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./feed -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; if the change is meant, rerun with -update and review the diff\n got: %.400s", name, golden, got)
			}
		})
	}
}

// TestFeedsParse reads the rendered feeds back with a real parser and checks
// each field a reader relies on.
func TestFeedsParse(t *testing.T) {
	snap, entries := renderSeeds(t)
	for _, name := range []string{feed.Atom.Path, feed.RSS.Path, feed.JSON.Path} {
		t.Run(name, func(t *testing.T) {
			f, err := gofeed.NewParser().ParseString(string(snap.Files[name].Body))
			if err != nil {
				t.Fatalf("gofeed: %v", err)
			}
			if f.Title != testSite.Title || f.Language != "en" {
				t.Errorf("feed title, language = %q, %q; want %q, en", f.Title, f.Language, testSite.Title)
			}
			if f.FeedLink != testSite.BaseURL+name {
				t.Errorf("self link = %q; want %q", f.FeedLink, testSite.BaseURL+name)
			}
			if f.Link != testSite.BaseURL {
				t.Errorf("alternate link = %q; want %q", f.Link, testSite.BaseURL)
			}
			if len(f.Items) != len(entries) {
				t.Fatalf("%d items; want %d", len(f.Items), len(entries))
			}
			for i, it := range f.Items {
				e := entries[i]
				if it.GUID != e.ID || !strings.HasPrefix(it.GUID, "urn:uuid:") {
					t.Errorf("item %d id = %q; want %q", i, it.GUID, e.ID)
				}
				if it.Title != e.Title {
					t.Errorf("item %d title = %q; want %q", i, it.Title, e.Title)
				}
				if it.Link != testSite.BaseURL+feed.PagePath(e.ID) {
					t.Errorf("item %d link = %q; want the entry page", i, it.Link)
				}
				if it.PublishedParsed == nil || !it.PublishedParsed.Equal(t0) {
					t.Errorf("item %d published = %v; want %v", i, it.PublishedParsed, t0)
				}
				if name != feed.RSS.Path && (it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(t0)) {
					t.Errorf("item %d updated = %v; want %v", i, it.UpdatedParsed, t0)
				}
				if it.Description != e.Summary {
					t.Errorf("item %d summary = %q; want %q", i, it.Description, e.Summary)
				}
				if !strings.HasPrefix(it.Content, "<p>") || !strings.Contains(it.Content, "Creative Commons Attribution 4.0") {
					t.Errorf("item %d content is not the full text with its credit: %.100q", i, it.Content)
				}
				if len(it.Categories) != 1 || it.Categories[0] != "Tehran" {
					t.Errorf("item %d categories = %q; want [Tehran]", i, it.Categories)
				}
				// The index carries the author the credit line names.
				if len(it.Authors) != 1 || it.Authors[0].Name != "Mehr News Agency" {
					t.Errorf("item %d authors = %s; want the agency of the credit line, Mehr News Agency", i, people(it.Authors))
				}
			}
		})
	}
}

func TestAtomDetails(t *testing.T) {
	snap, _ := renderSeeds(t)
	atom := string(snap.Files[feed.Atom.Path].Body)
	for _, want := range []string{
		`xml:lang="en"`, `<link href="https://example.org/news/feed.atom" rel="self"`,
		`<link href="https://example.org/news/" rel="alternate"`, `<author>`, `<name>Seed news</name>`,
		`<published>2026-11-01T09:30:00Z</published>`, `<summary type="text">`, `<content type="html">`,
		`<category term="Tehran">`,
	} {
		if !strings.Contains(atom, want) {
			t.Errorf("Atom lacks %s", want)
		}
	}
	if strings.Contains(atom, "<updated></updated>") || strings.Contains(atom, "<published></published>") {
		t.Error("Atom has an empty date")
	}
	rss := string(snap.Files[feed.RSS.Path].Body)
	for _, want := range []string{`<guid isPermaLink="false">urn:uuid:`, `<atom:link href="https://example.org/news/feed.rss" rel="self" type="application/rss+xml">`,
		`xmlns:atom="http://www.w3.org/2005/Atom"`, `<language>en</language>`} {
		if !strings.Contains(rss, want) {
			t.Errorf("RSS lacks %s", want)
		}
	}
}

// TestValidators runs the outside validators: xmllint for well-formedness,
// and jing with the RELAX NG schema of RFC 4287 for Atom.
func TestValidators(t *testing.T) {
	snap, _ := renderSeeds(t)
	empty, err := Render(testSite, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	atom, rss := write("feed.atom", snap.Files[feed.Atom.Path].Body), write("feed.rss", snap.Files[feed.RSS.Path].Body)
	emptyAtom, emptyRSS := write("empty.atom", empty.Files[feed.Atom.Path].Body), write("empty.rss", empty.Files[feed.RSS.Path].Body)
	// Archive documents: a subscription feed with archives, and a page
	// between two others.
	withArchive, err := RenderSince(testSite, feedtest.Entries(t, 2), 3, t0, nil)
	if err != nil {
		t.Fatal(err)
	}
	archive := func(k feed.Kind) []byte {
		f, err := Archive(testSite, k, feedtest.Entries(t, 2), feed.Place{Page: 2, Pages: 3}, t0)
		if err != nil {
			t.Fatal(err)
		}
		return f.Body
	}
	subAtom, subRSS := write("sub.atom", withArchive.Files[feed.Atom.Path].Body), write("sub.rss", withArchive.Files[feed.RSS.Path].Body)
	arcAtom, arcRSS := write("2.atom", archive(feed.Atom)), write("2.rss", archive(feed.RSS))
	// A category's documents, with a Persian slug: its feed, an archive
	// page, and the list of every feed.
	catSite, at := CategorySite(testSite, "اقتصاد & Co"), feed.Place{Pages: 2, Dir: feed.CategoryDir(feed.Slug("اقتصاد & Co"))}
	catDoc := func(k feed.Kind, at feed.Place) []byte {
		f, err := Document(catSite, k, feedtest.Entries(t, 2), at, t0, t0)
		if err != nil {
			t.Fatal(err)
		}
		return f.Body
	}
	arcAt := at
	arcAt.Page = 1
	catAtom, catRSS := write("cat.atom", catDoc(feed.Atom, at)), write("cat.rss", catDoc(feed.RSS, at))
	catArcAtom := write("cat-1.atom", catDoc(feed.Atom, arcAt))
	list, err := OPML(testSite, []feed.Category{{Slug: feed.Slug("اقتصاد & Co"), Name: "اقتصاد & Co"}, {Slug: "business", Name: "Business"}})
	if err != nil {
		t.Fatal(err)
	}
	opml := write("feeds.opml", list.Body)
	// A configured author with an e-mail address, on the feed and on the
	// entries without an author of their own; an icon and a logo.
	authoredSite := pictured(t, 32, 88, 31)
	authoredSite.Author, authoredSite.AuthorEmail = "Ann Editor", "ann@example.org"
	byAuthor := feedtest.Entries(t, 2)
	byAuthor[1].Author = ""
	authored, err := Render(authoredSite, byAuthor, t0)
	if err != nil {
		t.Fatal(err)
	}
	authAtom, authRSS := write("authored.atom", authored.Files[feed.Atom.Path].Body), write("authored.rss", authored.Files[feed.RSS.Path].Body)
	t.Run("xmllint", func(t *testing.T) {
		xmllint := feedtest.NeedTool(t, "xmllint")
		out, err := exec.Command(xmllint, "--noout", atom, rss, emptyAtom, emptyRSS, subAtom, subRSS, arcAtom, arcRSS, catAtom, catRSS, catArcAtom, opml, authAtom, authRSS).CombinedOutput()
		if err != nil {
			t.Errorf("xmllint: %v\n%s", err, out)
		}
	})
	t.Run("RFC 4287 schema", func(t *testing.T) {
		jing := feedtest.NeedTool(t, "jing")
		for _, f := range []string{atom, emptyAtom, subAtom, arcAtom, catAtom, catArcAtom, authAtom} {
			if out, err := exec.Command(jing, "-c", "testdata/atom.rnc", f).Output(); err != nil {
				t.Errorf("jing %s: %v\n%s", filepath.Base(f), err, out)
			}
		}
		// The schema check itself must be able to fail.
		broken := write("broken.atom", bytes.Replace(snap.Files[feed.Atom.Path].Body, []byte("<id>https://example.org/news/</id>"), nil, 1))
		if err := exec.Command(jing, "-c", "testdata/atom.rnc", broken).Run(); err == nil {
			t.Error("jing accepted an Atom feed without an id")
		}
	})
}

func TestRenderLimit(t *testing.T) {
	var entries []feed.Entry
	for i := range 10 {
		entries = append(entries, feed.Entry{ID: state.NameID(string(rune('a' + i))), Title: "t", Published: t0.Add(-time.Duration(i) * time.Hour), Updated: t0})
	}
	site := testSite
	site.Limit = 3
	snap, err := Render(site, entries, t0)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Entries []struct {
			ID string `xml:"id"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(snap.Files[feed.Atom.Path].Body, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Entries) != 3 || doc.Entries[0].ID != entries[0].ID {
		t.Errorf("feed holds %d entries starting %v; want the 3 newest", len(doc.Entries), doc.Entries)
	}
	pages := 0
	for name := range snap.Files {
		if strings.HasPrefix(name, "entry/") {
			pages++
		}
	}
	if pages != 3 {
		t.Errorf("%d entry pages; want 3", pages)
	}
}

func TestControlCharactersNeverReachXML(t *testing.T) {
	e := feed.Entry{ID: state.NameID("x"), Title: "bad\x00title\x1b", Summary: "s\uFFFEum", Content: "<p>c\x08ontent ]]> end</p>",
		Author: "A\x01", Categories: []string{"c\x02"}, Published: t0, Updated: t0}
	site := testSite
	site.Title = "T\x07itle"
	snap, err := Render(site, []feed.Entry{e}, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{feed.Atom.Path, feed.RSS.Path} {
		b := snap.Files[name].Body
		if bytes.ContainsAny(b, "\x00\x01\x02\x07\x08\x1b") || bytes.Contains(b, []byte("\uFFFE")) {
			t.Errorf("%s carries a character XML forbids", name)
		}
		if _, err := gofeed.NewParser().ParseString(string(b)); err != nil {
			t.Errorf("%s does not parse: %v", name, err)
		}
	}
}

func TestPages(t *testing.T) {
	snap, entries := renderSeeds(t)
	index := string(snap.Files[feed.Index.Path].Body)
	for _, want := range []string{`<html lang="en">`, `<title>Seed news</title>`,
		`<link rel="alternate" type="application/atom+xml" title="Seed news (Atom)" href="https://example.org/news/feed.atom">`,
		`<link rel="alternate" type="application/rss+xml" title="Seed news (RSS)" href="https://example.org/news/feed.rss">`,
		`<link rel="alternate" type="application/feed+json" title="Seed news (JSON Feed)" href="https://example.org/news/feed.json">`} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
	for _, e := range entries {
		if !strings.Contains(index, `href="https://example.org/news/`+feed.PagePath(e.ID)+`"`) || !strings.Contains(index, e.Summary[:40]) {
			t.Errorf("index.html does not list %s with its summary", e.Path)
		}
		page := string(snap.Files[feed.PagePath(e.ID)].Body)
		if !strings.Contains(page, "<h1>"+e.Title+"</h1>") || !strings.Contains(page, e.Content[:200]) ||
			!strings.Contains(page, "Creative Commons Attribution 4.0 International License.</p>") {
			t.Errorf("page of %s lacks its title or full content", e.Path)
		}
	}
}

func TestPagesEscapeMarkup(t *testing.T) {
	e := feed.Entry{ID: state.NameID("x"), Title: `"><script>alert(1)</script>`, Summary: `<img src=x onerror=alert(1)> & more`,
		Author: "<b>me</b>", Categories: []string{"<i>c</i>"}, Content: "<p>&lt;script&gt;</p>", Published: t0, Updated: t0}
	snap, err := Render(testSite, []feed.Entry{e}, t0)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range snap.Files {
		s := string(b.Body)
		for _, bad := range []string{"<script>", "<img", "<b>me", "<i>c"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s carries raw %s", name, bad)
			}
		}
	}
	if !strings.Contains(string(snap.Files[feed.RSS.Path].Body), "<description>&amp;lt;img src=x onerror=alert(1)&amp;gt; &amp;amp; more</description>") {
		t.Errorf("RSS description is not escaped as HTML text:\n%s", snap.Files[feed.RSS.Path].Body)
	}
}

// TestModTimesMoveForward: a file whose bytes change is dated after every
// file before it, even within the same second; one whose bytes do not keeps
// its date; and a clock that went back does not hold dates in the future.
func TestModTimesMoveForward(t *testing.T) {
	entries := feedtest.Entries(t, 3)
	first, err := Render(testSite, entries, t0)
	if err != nil {
		t.Fatal(err)
	}
	changed := slices.Clone(entries)
	changed[0].Title = "A new title"
	second, err := RenderSince(testSite, changed, 0, t0.Add(300*time.Millisecond), first)
	if err != nil {
		t.Fatal(err)
	}
	atom := feed.Atom.Path
	if got, want := second.Files[atom].ModTime, first.Files[atom].ModTime.Add(time.Second); !got.Equal(want) {
		t.Errorf("changed feed dated %v; want a second after the last, %v", got, want)
	}
	same := feed.PagePath(entries[2].ID)
	if got := second.Files[same].ModTime; !got.Equal(first.Files[same].ModTime) {
		t.Errorf("unchanged page dated %v; want %v", got, first.Files[same].ModTime)
	}
	if !second.Newest.Equal(t0.Add(time.Second)) {
		t.Errorf("Newest = %v; want %v", second.Newest, t0.Add(time.Second))
	}
	// The clock steps back an hour: the next change is dated now.
	back := t0.Add(-time.Hour)
	changed[0].Title = "Another title"
	third, err := RenderSince(testSite, changed, 0, back, second)
	if err != nil {
		t.Fatal(err)
	}
	if got := third.Files[atom].ModTime; got.After(back) {
		t.Errorf("after the clock went back, the feed is dated %v, later than now (%v)", got, back)
	}
}

// TestArchiveLinks: RFC 5005's links and markers, in every format, as
// gofeed reads them: the subscription feed with archives links to the
// newest page, and says nothing of completeness; a middle page is marked
// as archived and links to the feed and to both neighbours; the HTML pages
// link to the older and newer ones.
func TestArchiveLinks(t *testing.T) {
	sub, err := RenderSince(testSite, feedtest.Entries(t, 2), 3, t0, nil)
	if err != nil {
		t.Fatal(err)
	}
	page := func(k feed.Kind) string {
		f, err := Archive(testSite, k, feedtest.Entries(t, 2), feed.Place{Page: 2, Pages: 3}, t0)
		if err != nil {
			t.Fatal(err)
		}
		return string(f.Body)
	}
	u := testSite.URL
	for _, c := range []struct {
		doc  string
		want []string
		not  []string
	}{
		{string(sub.Files[feed.Atom.Path].Body), []string{`<link href="` + u("archive/3.atom") + `" rel="prev-archive"`}, []string{"fh:complete", "fh:archive", "next-archive"}},
		{string(sub.Files[feed.RSS.Path].Body), []string{`<atom:link href="` + u("archive/3.rss") + `" rel="prev-archive"`}, []string{"fh:complete", "fh:archive"}},
		{string(sub.Files[feed.JSON.Path].Body), []string{`"next_url":"` + u("archive/3.json") + `"`}, nil},
		{string(sub.Files[feed.Index.Path].Body), []string{`href="` + u("archive/3.html") + `" rel="prev"`}, []string{`rel="next"`}},
		{page(feed.Atom), []string{"<fh:archive>", `href="` + u("feed.atom") + `" rel="current"`, `href="` + u("archive/1.atom") + `" rel="prev-archive"`,
			`href="` + u("archive/3.atom") + `" rel="next-archive"`, `href="` + u("archive/2.atom") + `" rel="self"`, `href="` + u("archive/2.html") + `" rel="alternate"`}, []string{"fh:complete", `rel="hub"`}},
		{page(feed.RSS), []string{"<fh:archive>", `href="` + u("feed.rss") + `" rel="current"`, `href="` + u("archive/1.rss") + `" rel="prev-archive"`, `href="` + u("archive/3.rss") + `" rel="next-archive"`}, nil},
		{page(feed.JSON), []string{`"next_url":"` + u("archive/1.json") + `"`}, nil},
		{page(feed.Index), []string{`href="` + u("archive/1.html") + `" rel="prev"`, `href="` + u("archive/3.html") + `" rel="next"`}, nil},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.doc, w) {
				t.Errorf("lacks %s:\n%.600s", w, c.doc)
			}
		}
		for _, w := range c.not {
			if strings.Contains(c.doc, w) {
				t.Errorf("has %s:\n%.600s", w, c.doc)
			}
		}
	}
}

// TestArchiveNotKnownYet: while a first index fills, the archive is not
// known (-1 pages): the feeds say neither that they hold every entry,
// which a reader may take as leave to forget the others, nor where older
// entries are.
func TestArchiveNotKnownYet(t *testing.T) {
	sub, err := RenderSince(testSite, feedtest.Entries(t, 2), -1, t0, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []feed.Kind{feed.Atom, feed.RSS, feed.JSON, feed.Index} {
		doc := string(sub.Files[k.Path].Body)
		for _, not := range []string{"fh:complete", "fh:archive", "prev-archive", "next_url", `rel="prev"`, "archive/"} {
			if strings.Contains(doc, not) {
				t.Errorf("%s has %s:\n%.600s", k.Path, not, doc)
			}
		}
	}
}

// TestEntriesMarshalledApart: a feed whose entries are marshalled apart,
// in runs of their own (see marshalApart), is byte for byte the document
// with its entries marshalled in place, however many runs there are and
// wherever the runs are cut.
func TestEntriesMarshalledApart(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	entries := feedtest.Entries(t, 70)
	for i := range entries {
		switch i % 5 {
		case 1:
			entries[i].Lang, entries[i].Author = "de", "Jürgen <Müller> & Söhne"
		case 2:
			entries[i].Title, entries[i].Summary = "Quotes \"and\" 'marks' <b>", "Tabs\tand ]]> and &amp;"
		case 3:
			entries[i].Content, entries[i].Trimmed, entries[i].Categories = "", true, nil
		case 4:
			entries[i].Media = []feed.Media{{Path: "img/a b.png", Type: "image/png", Size: 1234}}
		}
	}
	at := feed.Place{Page: 3, Pages: 5}
	for _, procs := range []int{1, 2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, apartLeast, 2*apartLeast + 1, 70} {
			es := entries[:n]
			site, es := clean(testSite, es)
			whole := atomDoc(site, es, t0, at)
			want, err := marshalXML(whole, 0)
			if err != nil {
				t.Fatal(err)
			}
			got, err := renderAtom(site, es, t0, at)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("Atom, %d entries, %d procs: marshalled apart differs from in place (%v):\n%s", n, procs, err, firstDifference(got, want))
			}
			rss := rssDocOf(site, es, t0, at)
			if want, err = marshalXML(rss, 0); err != nil {
				t.Fatal(err)
			}
			got, err = renderRSS(site, es, t0, at)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("RSS, %d entries, %d procs: marshalled apart differs from in place (%v):\n%s", n, procs, err, firstDifference(got, want))
			}
		}
	}
}

// firstDifference shows where got and want first differ.
func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return "got:  " + string(got[from:min(len(got), i+80)]) + "\nwant: " + string(want[from:min(len(want), i+80)])
}
