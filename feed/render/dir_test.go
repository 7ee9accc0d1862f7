package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/state"
)

func TestTextDirection(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       string
		hasRTL     bool
	}{
		{"English", "Commander of Iran’s elite Quds Force attended a closed session.", ltr, false},
		{"Persian", "نمایندگان مجلس روز چهارشنبه طرحی را تصویب کردند.", rtl, true},
		{"Arabic", "قال د. أحمد إن الاجتماع سيعقد غدا.", rtl, true},
		{"Hebrew", "הכנסת אישרה את החוק בקריאה שלישית.", rtl, true},
		{"Syriac", "ܐܢܐ ܟܬܒܬ ܐܓܪܬܐ", rtl, true},
		{"Thaana", "ދިވެހިރާއްޖެ", rtl, true},
		{"Persian with an English name", "خبرگزاری Reuters گزارش داد که نمایندگان مجلس روز چهارشنبه طرحی را تصویب کردند.", rtl, true},
		{"half and half", "The bill passed on Wednesday. نمایندگان مجلس طرح را تصویب کردند.", auto, true},
		{"English quoting a word of Arabic", "The crowd chanted the word سلام as the delegation arrived at the parliament building in the capital.", ltr, true},
		{"markup does not count", `<p class="lead"><a href="https://example.org/very/long/english/path">سلام دنیا</a></p>`, rtl, true},
		{"character references do not count", "&amp;&quot;&laquo;&raquo; سلام", rtl, true},
		{"no letters", "1234 — 5678", ltr, false},
		{"Chinese reads left to right", "伊朗议会周三通过了一项法案。", ltr, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, hasRTL := textDirection(tc.text)
			if got != tc.want || hasRTL != tc.hasRTL {
				t.Errorf("textDirection(%q) = %q, %v; want %q, %v", tc.text, got, hasRTL, tc.want, tc.hasRTL)
			}
		})
	}
}

func TestLanguageDirection(t *testing.T) {
	for tag, want := range map[string]string{"fa": rtl, "ar-EG": rtl, "he": rtl, "ur-PK": rtl, "az-Arab": rtl, "ku-Arab-IQ": rtl,
		"en": ltr, "de-AT": ltr, "zh-Hans": ltr, "": ltr, "pa-Guru": ltr, "fa-Latn": ltr} {
		if got := languageDirection(tag); got != want {
			t.Errorf("languageDirection(%q) = %q; want %q", tag, got, want)
		}
	}
}

func TestBlockDirections(t *testing.T) {
	in := "<p>سلام</p>\n<ul>\n<li>یک</li>\n</ul>\n<pre><code>go run .\n</code></pre>\n<table>\n<thead>\n<tr>\n<th align=\"left\">x</th>\n</tr>\n</thead>\n</table>\n<p>a &lt;p&gt; b <a href=\"x\">l</a> <img src=\"y\" alt=\"p\"></p>"
	want := "<p dir=\"auto\">سلام</p>\n<ul>\n<li dir=\"auto\">یک</li>\n</ul>\n<pre dir=\"ltr\"><code>go run .\n</code></pre>\n<table>\n<thead>\n<tr>\n<th dir=\"auto\" align=\"left\">x</th>\n</tr>\n</thead>\n</table>\n<p dir=\"auto\">a &lt;p&gt; b <a href=\"x\">l</a> <img src=\"y\" alt=\"p\"></p>"
	if got := withBlockDirections(in); got != want {
		t.Errorf("withBlockDirections:\n got %q\nwant %q", got, want)
	}
}

// persian is a short Persian article with an English paragraph and a code
// block, as extraction gives it.
var persian = feed.Entry{
	ID:      state.NameID("fa/majles.md"),
	Path:    "fa/majles.md",
	Title:   "مجلس طرح حمایت از کشاورزان را تصویب کرد",
	Summary: "نمایندگان مجلس روز چهارشنبه طرحی را تصویب کردند که به کشاورزان آسیب\u200cدیده از خشکسالی وام کم\u200cبهره می\u200cدهد.",
	Content: "<p>نمایندگان مجلس روز چهارشنبه طرحی را تصویب کردند که به کشاورزان آسیب\u200cدیده از خشکسالی وام کم\u200cبهره می\u200cدهد.</p>\n" +
		"<p>The bill was also reported in English by Mehr News Agency.</p>\n" +
		"<pre><code>seedfeed build -out public\n</code></pre>\n" +
		"<p>تمامی محتوای خبرگزاری مهر تحت مجوز کریتیو کامنز منتشر می\u200cشود.</p>\n",
	Author:     "خبرگزاری مهر",
	Categories: []string{"تهران"},
	Published:  t0,
	Updated:    t0,
}

// TestRTLGolden renders a Persian entry's page on an English site, and an
// index in Persian with a Persian and an English entry: each page, article
// and block runs in the direction of its own text.
func TestRTLGolden(t *testing.T) {
	english := feed.Entry{ID: state.NameID("en/bill.md"), Path: "en/bill.md", Title: "Parliament passes a bill for farmers",
		Summary: "Lawmakers passed a bill on Wednesday.", Content: "<p>Lawmakers passed a bill on Wednesday.</p>\n", Lang: "en",
		Published: t0.Add(-time.Hour), Updated: t0.Add(-time.Hour)}
	page, err := Page(testSite, persian)
	if err != nil {
		t.Fatal(err)
	}
	fa := testSite
	fa.Title, fa.Language = "اخبار", "fa"
	snap, err := Render(fa, []feed.Entry{persian, english}, t0)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"rtl-page.html": page.Body, "rtl-index.html": snap.Files[feed.Index.Path].Body} {
		golden := filepath.Join("testdata", name+".golden")
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./feed/render -update to create it)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s; if the change is meant, rerun with -update and review the diff\n got: %s", name, golden, got)
		}
	}
	// What the golden files must say, so that -update cannot bless a page
	// that lost its directions.
	for _, c := range []struct {
		name, page string
		want       []string
	}{
		{"Persian page, English site", string(page.Body), []string{`<html lang="en">`, `<article dir="rtl">`, `<h1 dir="auto">مجلس`,
			`<p dir="auto">نمایندگان`, `<p dir="auto">The bill`, `<pre dir="ltr"><code>`}},
		{"Persian index", string(snap.Files[feed.Index.Path].Body), []string{`<html lang="fa" dir="rtl">`, "<article>\n<h2 dir=\"auto\"><a href=\"https://example.org/news/" + feed.PagePath(persian.ID),
			"<article lang=\"en\" dir=\"ltr\">\n<h2 dir=\"auto\"><a href=\"https://example.org/news/" + feed.PagePath(english.ID)}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.page, w) {
				t.Errorf("%s lacks %s", c.name, w)
			}
		}
	}
	// An English page on an English site is as before: no dir at all.
	en, err := Page(testSite, english)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(en.Body), "dir=") {
		t.Errorf("English page carries dir:\n%s", en.Body)
	}
}
