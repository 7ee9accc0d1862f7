package render

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/seedfeed/seedfeed/feed"
)

// TestEntryLanguage: an entry whose language differs from the feed's
// carries its own xml:lang in Atom and language in JSON Feed (1.1), and
// its page and the index mark its article with it; an entry in the feed's
// language, or of no known language, carries none.
func TestEntryLanguage(t *testing.T) {
	entries := []feed.Entry{
		{ID: "urn:uuid:00000000-0000-4000-8000-000000000001", Path: "de.txt", Title: "Am 14. Juli", Summary: "Die Stadt feierte.",
			Content: "<p>Die Stadt feierte.</p>", Lang: "de", Published: t0, Updated: t0},
		{ID: "urn:uuid:00000000-0000-4000-8000-000000000002", Path: "en.txt", Title: "In English", Summary: "It is.",
			Content: "<p>It is.</p>", Lang: "en-GB", Published: t0, Updated: t0},
		{ID: "urn:uuid:00000000-0000-4000-8000-000000000003", Path: "x.txt", Title: "Unknown", Summary: "OK",
			Content: "<p>OK</p>", Published: t0, Updated: t0},
	}
	snap, err := Render(testSite, entries, t0) // testSite is in "en"
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Entries []struct {
			Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(snap.Files[feed.Atom.Path].Body, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Am 14. Juli": "de", "In English": "", "Unknown": ""}
	if doc.Lang != "en" || len(doc.Entries) != len(want) {
		t.Fatalf("Atom feed xml:lang %q with %d entries; want en and %d", doc.Lang, len(doc.Entries), len(want))
	}
	for _, e := range doc.Entries {
		if e.Lang != want[e.Title] {
			t.Errorf("Atom entry %q has xml:lang %q; want %q", e.Title, e.Lang, want[e.Title])
		}
	}
	var jf struct {
		Language string
		Items    []struct{ Title, Language string }
	}
	if err := json.Unmarshal(snap.Files[feed.JSON.Path].Body, &jf); err != nil {
		t.Fatal(err)
	}
	if jf.Language != "en" || len(jf.Items) != len(want) {
		t.Fatalf("JSON Feed language %q with %d items; want en and %d", jf.Language, len(jf.Items), len(want))
	}
	for _, it := range jf.Items {
		if it.Language != want[it.Title] {
			t.Errorf("JSON Feed item %q has language %q; want %q", it.Title, it.Language, want[it.Title])
		}
	}
	for _, e := range entries {
		page := string(snap.Files[feed.PagePath(e.ID)].Body)
		article := `<article>`
		if e.Lang == "de" {
			article = `<article lang="de">`
		}
		if !strings.Contains(page, `<html lang="en">`) || !strings.Contains(page, article) {
			t.Errorf("page of %s lacks <html lang=\"en\"> or %s", e.Path, article)
		}
	}
	index := string(snap.Files[feed.Index.Path].Body)
	if !strings.Contains(index, `<html lang="en">`) || strings.Count(index, `<article lang="de">`) != 1 || strings.Count(index, `<article>`) != 2 {
		t.Errorf("the index lacks <html lang=\"en\">, one <article lang=\"de\"> and two <article>:\n%s", index)
	}
}
