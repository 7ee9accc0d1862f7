package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestExtractSeeds(t *testing.T) {
	tests := []struct {
		file, title, summaryStart, credit string
	}{
		{"000_b0004d0eae77d0dc.txt",
			"Commander of Iran’s elite Quds Force attended a closed session of the Iranian Parliament…",
			"Commander of Iran’s elite Quds Force attended", "PA/PA"},
		{"001_c401cae448f2668c.txt",
			"Parliament Speaker Ali Larijani has said ridding the region of American forces…",
			"Parliament Speaker Ali Larijani has said", "MH/PA"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "seeds", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Extract(tt.file, data)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if doc.Title != tt.title {
				t.Errorf("title = %q; want %q", doc.Title, tt.title)
			}
			if !strings.HasPrefix(doc.Summary, tt.summaryStart) || utf8.RuneCountInString(doc.Summary) > SummaryLimit {
				t.Errorf("summary = %q; want the lead, starting %q, within %d characters", doc.Summary, tt.summaryStart, SummaryLimit)
			}
			for _, field := range []string{doc.Title, doc.Summary} {
				if strings.Contains(field, "TEHRAN") || strings.Contains(field, "Creative Commons") || strings.Contains(field, tt.credit) {
					t.Errorf("dateline or credit leaked into %q", field)
				}
			}
			if !strings.Contains(doc.Content, "<p>"+tt.credit+"</p>") ||
				!strings.Contains(doc.Content, "licensed under a Creative Commons Attribution 4.0 International License.</p>") {
				t.Errorf("content lost the credit lines: %q", doc.Content[max(0, len(doc.Content)-300):])
			}
			if strings.Count(doc.Content, "<p>") < 4 {
				t.Errorf("content has %d paragraphs; want the wire copy split into several", strings.Count(doc.Content, "<p>"))
			}
			if doc.Place != "Tehran" || len(doc.Tags) != 0 {
				t.Errorf("place = %q, tags = %q; want the dateline's place Tehran, no tags", doc.Place, doc.Tags)
			}
			if doc.Author != "Mehr News Agency" {
				t.Errorf("author = %q; want the agency the credit names, Mehr News Agency", doc.Author)
			}
		})
	}
}

func TestExtractShapes(t *testing.T) {
	tests := []struct {
		name, file, in string
		title, summary string
		contentHas     []string
		tags           []string
		date, updated  string
		author         string
		draft          bool
	}{
		{name: "title first", file: "note.txt",
			in:    "Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three months to December. Its shares rose.\n\nThe firm said it was pleased.\n",
			title: "Ad sales boost Time Warner profit", summary: "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three months to December. Its shares rose.",
			contentHas: []string{"<p>The firm said it was pleased.</p>"}},
		{name: "title first, title ends in a period", file: "note.txt",
			in:    "Dollar gains on Greenspan speech.\n\nThe dollar has hit its highest level against the euro in almost three months.\n",
			title: "Dollar gains on Greenspan speech.", summary: "The dollar has hit its highest level against the euro in almost three months."},
		{name: "title line without blank line", file: "note.txt",
			in:    "Storm hits coast\nHeavy rain fell overnight. Roads were closed.\n",
			title: "Storm hits coast", summary: "Heavy rain fell overnight. Roads were closed."},
		{name: "hard-wrapped prose is not title first", file: "note.txt",
			in:    "The council met on Tuesday to discuss the budget and\nagreed to delay the vote until next month.\n",
			title: "The council met on Tuesday to discuss the budget and agreed to delay the vote until next month"},
		{name: "title-first with CRLF", file: "note.txt",
			in:    "Windows title\r\n\r\nBody text here.\r\n",
			title: "Windows title", summary: "Body text here."},
		{name: "markdown, TOML front matter", file: "post.md",
			in:    "+++\ntitle = \"Hello, world\"\ndate = 2024-03-01T10:00:00Z\nsummary = \"A first post.\"\ntags = [\"intro\", \"meta\"]\nauthor = \"Ann\"\n+++\n\n# Hello, world\n\nSome *emphasis* here.\n",
			title: "Hello, world", summary: "A first post.", contentHas: []string{"<em>emphasis</em>"},
			tags: []string{"intro", "meta"}, date: "2024-03-01T10:00:00Z", author: "Ann"},
		{name: "markdown, YAML front matter", file: "post.markdown",
			in:    "---\ntitle: \"Second post\"\ndate: 2024-03-02\nlastmod: 2024-03-05 12:00:00\ntags: [a, b]\nauthor:\n  name: Bob\n---\nFirst paragraph. Second sentence.\n\nMore.\n",
			title: "Second post", summary: "First paragraph. Second sentence.", tags: []string{"a", "b"},
			date: "2024-03-02T00:00:00Z", updated: "2024-03-05T12:00:00Z", author: "Bob"},
		{name: "markdown, heading only", file: "post.md",
			in:    "# The *real* title\n\nA paragraph with a [link](https://example.com).\n",
			title: "The real title", summary: "A paragraph with a link.", contentHas: []string{`<a href="https://example.com">link</a>`}},
		{name: "markdown draft", file: "post.md",
			in:    "---\ntitle: Wip\ndraft: true\n---\nbody\n",
			title: "Wip", summary: "body", draft: true},
		{name: "markdown raw HTML is not passed through", file: "post.md",
			in:    "# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n",
			title: "T"},
		{name: "text with markup is escaped", file: "x.txt",
			in:    "Title <b>bold</b> & co\n\nBody with <script>alert(1)</script> and \"><img src=x onerror=alert(1)>.\n",
			title: "Title <b>bold</b> & co", contentHas: []string{"&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt;"}},
		{name: "headline that looks like a dateline", file: "x.txt",
			in:    "US - China trade talks resume\n\nNegotiators met in Geneva.\n",
			title: "US - China trade talks resume", summary: "Negotiators met in Geneva."},
		{name: "wire lead on its own line is not a title", file: "x.txt",
			in:    "LONDON (Reuters) - Stocks fell on Monday.\n\nTraders sold banks.\n",
			title: "Stocks fell on Monday", tags: []string{"London"}},
		{name: "hashtag headline keeps its hash", file: "x.txt",
			in:    "#MeToo founder speaks\n\nShe spoke on Friday.\n",
			title: "#MeToo founder speaks"},
		{name: "markdown-style heading in a text file", file: "x.txt",
			in:    "## Heading here\n\nBody.\n",
			title: "Heading here"},
		{name: "punctuation only falls back to the file name", file: "my_first-post.txt",
			in: "....\n", title: "my first post"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if doc.Title != tt.title {
				t.Errorf("title = %q; want %q", doc.Title, tt.title)
			}
			if tt.summary != "" && doc.Summary != tt.summary {
				t.Errorf("summary = %q; want %q", doc.Summary, tt.summary)
			}
			for _, s := range tt.contentHas {
				if !strings.Contains(doc.Content, s) {
					t.Errorf("content %q lacks %q", doc.Content, s)
				}
			}
			if strings.Contains(doc.Content, "<script") || strings.Contains(doc.Content, "javascript:") || strings.Contains(doc.Content, "<img") {
				t.Errorf("content carries live markup: %q", doc.Content)
			}
			tags := doc.Tags
			if doc.Place != "" {
				tags = append(tags, doc.Place)
			}
			if strings.Join(tags, ",") != strings.Join(tt.tags, ",") {
				t.Errorf("tags and place = %q; want %q", tags, tt.tags)
			}
			if got := fmtTime(doc.Date); got != tt.date {
				t.Errorf("date = %s; want %s", got, tt.date)
			}
			if got := fmtTime(doc.Updated); got != tt.updated {
				t.Errorf("updated = %s; want %s", got, tt.updated)
			}
			if doc.Author != tt.author || doc.Draft != tt.draft {
				t.Errorf("author, draft = %q, %v; want %q, %v", doc.Author, doc.Draft, tt.author, tt.draft)
			}
		})
	}
}

// TestFrontMatterAuthorWins: a Markdown post's author is its front
// matter's, whatever its text says at the end; a post without one has none.
func TestFrontMatterAuthorWins(t *testing.T) {
	for _, tt := range []struct{ in, author string }{
		{"---\ntitle: T\nauthor: Ann\n---\nBody.\n\nReporting by Jane Doe; Editing by John Roe\n", "Ann"},
		{"---\ntitle: T\nauthors: [Ann, Bob]\n---\nBody.\n", "Ann, Bob"},
		{"+++\ntitle = \"T\"\n[[authors]]\nname = \"Ann\"\n+++\nBody.\n", "Ann"},
		{"+++\ntitle = \"T\"\nauthors = [{name = \"Ann\"}, {name = \"Bob\"}]\n+++\nBody.\n", "Ann, Bob"},
		{"---\ntitle: T\nauthors:\n  - name: Ann\n---\nBody.\n", "Ann"},
		{"---\ntitle: T\n---\nBody.\n", ""},
	} {
		doc, err := Extract("post.md", []byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Author != tt.author {
			t.Errorf("author of %q = %q; want %q", tt.in, doc.Author, tt.author)
		}
	}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func TestExtractErrors(t *testing.T) {
	for _, tt := range []struct{ name, file, in string }{
		{"unclosed front matter", "a.md", "---\ntitle: x\n"},
		{"bad TOML front matter", "a.md", "+++\ntitle = \n+++\nbody"},
		{"empty file", "a.txt", ""},
	} {
		if doc, err := Extract(tt.file, []byte(tt.in)); err == nil {
			t.Errorf("Extract(%s) = %v, nil; want an error", tt.name, doc)
		}
	}
}

// TestUnusableDatesAreIgnored: a front matter date that does not parse, or
// that the store could not hold, is noted and ignored; the post is kept and
// dated as if it gave none. Nothing wraps around.
func TestUnusableDatesAreIgnored(t *testing.T) {
	for _, tt := range []struct{ name, in, note string }{
		{"not a date", "---\ntitle: T\ndate: someday\n---\nbody", `date: "someday" is not a date`},
		{"after 2262", "---\ntitle: T\ndate: 2300-01-01\n---\nbody", "date: 2300-01-01 is outside the years 1678 to 2262"},
		{"before 1678", "+++\ntitle = \"T\"\ndate = 1500-06-01T00:00:00Z\n+++\nbody", "date: 1500-06-01 is outside the years 1678 to 2262"},
		{"updated after 2262", "---\ntitle: T\ndate: 2020-01-01\nlastmod: 9999-12-31\n---\nbody", "lastmod: 9999-12-31 is outside the years 1678 to 2262"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("a.md", []byte(tt.in))
			if err != nil {
				t.Fatalf("Extract = %v; want the post kept", err)
			}
			if doc.Title != "T" || doc.DateNote != tt.note {
				t.Errorf("title %q, note %q; want T and %q", doc.Title, doc.DateNote, tt.note)
			}
			if !doc.Updated.IsZero() && doc.Updated.Year() != 2020 || !doc.Date.IsZero() && doc.Date.Year() != 2020 {
				t.Errorf("dates %v, %v; want none, or 2020's", doc.Date, doc.Updated)
			}
		})
	}
}

func TestExtractBoundsTitle(t *testing.T) {
	huge := strings.Repeat("word ", 200_000) // a 1 MB line with no punctuation
	doc, err := Extract("big.txt", []byte(huge))
	if err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(doc.Title); n == 0 || n > TitleLimit {
		t.Errorf("title of a 1 MB line is %d characters; want 1 to %d", n, TitleLimit)
	}
	if n := utf8.RuneCountInString(doc.Summary); n > SummaryLimit {
		t.Errorf("summary of a 1 MB line is %d characters; want at most %d", n, SummaryLimit)
	}
}

// TestTitleFromNameLeavesTheDate: a title made from a file's name leaves
// out the date the name starts with, which dates the post already.
func TestTitleFromNameLeavesTheDate(t *testing.T) {
	for _, tt := range []struct{ file, in, title string }{
		{"2022-11-28-state-of-eleventy-2022.md", "---\nauthor: zach\n---\n\n- [Watch on YouTube](https://www.youtube.com/watch?v=x)\n", "state of eleventy 2022"},
		{"2024-01-02_shopping-list.txt", "* * *\n", "shopping list"},
		{"2020-1-9-x.md", "---\nauthor: a\n---\n", "x"},
		{"2014-09-15.md", "---\nauthor: a\n---\n", "2014 09 15"},   // a date alone stays
		{"1-2-3-notes.md", "---\nauthor: a\n---\n", "1 2 3 notes"}, // no date
		{"my_first-post.txt", "* * *\n", "my first post"},
	} {
		doc, err := Extract(tt.file, []byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != tt.title {
			t.Errorf("Extract(%s).Title = %q; want %q", tt.file, doc.Title, tt.title)
		}
	}
}
