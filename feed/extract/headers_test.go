package extract

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestHeaderBlocks: a block of "Key: value" lines that opens a file, as
// Pelican and MultiMarkdown write their metadata and a mail or news
// article its header, is read as front matter, in Markdown and in plain
// text, and is neither the title nor the summary nor the content.
func TestHeaderBlocks(t *testing.T) {
	edt := time.FixedZone("", -4*3600)
	for _, tt := range []struct {
		name, file, in               string
		title, summary, author, lang string
		date, updated                time.Time
		tags                         []string
		contentHas, contentNot       string
	}{
		{name: "Pelican", file: "2024-05-01-note.md",
			in:    "Title: Release notes for May\nDate: 2024-05-01 18:46\nModified: 2024-05-03\nTags: release, notes\nCategory: News, and views\nAuthor: Jane Doe\nSlug: may\nSummary: What changed in May.\n\nWe shipped a lot.\n\n## Details\n\nMore text.\n",
			title: "Release notes for May", summary: "What changed in May.", author: "Jane Doe",
			date: time.Date(2024, 5, 1, 18, 46, 0, 0, time.UTC), updated: time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC),
			tags: []string{"release", "notes", "News, and views"}, contentHas: "<h2>Details</h2>", contentNot: "Slug"},
		{name: "Pelican, This Week in Rust", file: "2020-11-4-this-week-in-rust.md",
			in:    "Title: This Week in Rust 363\nNumber: 363\nDate: 2020-11-4\nCategory: This Week in Rust\n\nHello and welcome to another issue of *This Week in Rust*!\n\n# Updates from Rust Community\n\nNo posts.\n",
			title: "This Week in Rust 363", summary: "Hello and welcome to another issue of This Week in Rust!",
			date: time.Date(2020, 11, 4, 0, 0, 0, 0, time.UTC), tags: []string{"This Week in Rust"},
			contentHas: "<h1>Updates from Rust Community</h1>", contentNot: "Number"},
		{name: "Pelican, dates with zones, authors, semicolons", file: "a.markdown",
			in:    "title: Lower-case keys\ndate: 2013-06-07T18:46:00+02:00\nauthors: Doe, Jane; Roe, Richard\ntags: a, b; c\nlang: de\n\nDer Text.\n",
			title: "Lower-case keys", summary: "Der Text.", author: "Doe, Jane, Roe, Richard", lang: "de",
			date: time.Date(2013, 6, 7, 16, 46, 0, 0, time.UTC), tags: []string{"a, b", "c"}},
		{name: "Pelican, a lone title", file: "pages/about.md",
			in:    "Title: About\n\nWho we are.\n",
			title: "About", summary: "Who we are."},
		{name: "MultiMarkdown, plain text", file: "notes/mmd.txt",
			in:    "Title:  A MultiMarkdown note\nAuthor: Fletcher T. Penney\n        and a co-author\nDate:   2009-02-06\n\nThe body of the note. A second sentence.\n\nMore.\n",
			title: "A MultiMarkdown note", summary: "The body of the note. A second sentence.", author: "Fletcher T. Penney and a co-author",
			date: time.Date(2009, 2, 6, 0, 0, 0, 0, time.UTC), contentHas: "<p>More.</p>", contentNot: "Penney"},
		{name: "news article", file: "sci.space/60154.txt",
			in:    "Newsgroups: sci.space\nPath: cantaloupe.srv.cs.cmu.edu!rochester!udel!gatech!news\nFrom: baalke@kelvin.jpl.nasa.gov (Ron Baalke)\nSubject: Galileo Update - 04/22/93\nMessage-ID: <22APR199323003578@kelvin.jpl.nasa.gov>\nDate: Thu, 22 Apr 1993 23:00:00 GMT\nLines: 9\n\nForwarded from Neal Ausman, Galileo Mission Director\n\nThe Galileo spacecraft is in excellent health.\n",
			title: "Galileo Update - 04/22/93", summary: "Forwarded from Neal Ausman, Galileo Mission Director", author: "Ron Baalke",
			date: time.Date(1993, 4, 22, 23, 0, 0, 0, time.UTC), contentHas: "excellent health", contentNot: "Newsgroups"},
		{name: "news article, no date, folded subject", file: "comp.graphics/38758.txt",
			in:    "From: lipman@oasys.dt.navy.mil (Robert Lipman)\nSubject: CALL FOR PRESENTATIONS:\n\tNavy SciViz/VR Seminar\nOrganization: Carderock Division, NSWC, Bethesda, MD\nLines: 12\n\nCall for presentations for the Navy Scientific Visualization Seminar.\n",
			title: "CALL FOR PRESENTATIONS: Navy SciViz/VR Seminar", summary: "Call for presentations for the Navy Scientific Visualization Seminar.",
			author: "Robert Lipman", contentNot: "Carderock"},
		{name: "mail, name and angle address, zone named", file: "mail.txt",
			in:    "From: Robert Lipman <lipman@oasys.dt.navy.mil>\nTo: list@example.org\nSubject: =?iso-8859-1?q?J=F6rg_says_hi?=\nDate: 2 Apr 93 23:00:00 EDT\n\nHello, all.\n",
			title: "Jörg says hi", summary: "Hello, all.", author: "Robert Lipman",
			date: time.Date(1993, 4, 2, 23, 0, 0, 0, edt).UTC(), contentNot: "list@example.org"},
		{name: "mail, a bare address", file: "mail.txt",
			in:    "From: lipman@oasys.dt.navy.mil\nSubject: Minutes\n\nThe minutes.\n",
			title: "Minutes", summary: "The minutes.", author: "lipman@oasys.dt.navy.mil"},
		{name: "mail, CRLF", file: "mail.txt",
			in:    "Subject: Windows mail\r\nDate: Mon, 19 Apr 1993 20:46:09 -0400 (EDT)\r\n\r\nBody text here.\r\n",
			title: "Windows mail", summary: "Body text here.", date: time.Date(1993, 4, 19, 20, 46, 9, 0, edt).UTC()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title || doc.Summary != tt.summary || doc.Author != tt.author {
				t.Errorf("Extract(%q): title %q, summary %q, author %q; want %q, %q, %q", tt.file, doc.Title, doc.Summary, doc.Author, tt.title, tt.summary, tt.author)
			}
			if !doc.Date.Equal(tt.date) && !(tt.date.IsZero() && doc.Date.Equal(PathDate(tt.file))) || !doc.Updated.Equal(tt.updated) {
				t.Errorf("Extract(%q): date %v, updated %v (%s); want %v, %v", tt.file, doc.Date, doc.Updated, doc.DateNote, tt.date, tt.updated)
			}
			if tt.lang != "" && doc.Lang != tt.lang {
				t.Errorf("Extract(%q): lang %q; want %q", tt.file, doc.Lang, tt.lang)
			}
			if !slices.Equal(doc.Tags, tt.tags) {
				t.Errorf("Extract(%q): tags %q; want %q", tt.file, doc.Tags, tt.tags)
			}
			if tt.contentHas != "" && !strings.Contains(doc.Content, tt.contentHas) {
				t.Errorf("Extract(%q): content %q lacks %q", tt.file, doc.Content, tt.contentHas)
			}
			for _, s := range []string{doc.Content, doc.Summary} {
				if tt.contentNot != "" && strings.Contains(s, tt.contentNot) || strings.Contains(s, "Title:") || strings.Contains(s, "Subject:") {
					t.Errorf("Extract(%q): the header is in %q", tt.file, s)
				}
			}
			facts, err := Inspect(tt.file, []byte(tt.in))
			if err != nil || !facts.Date.Equal(doc.Date) || !facts.Updated.Equal(doc.Updated) || !slices.Equal(facts.Tags, doc.Tags) {
				t.Errorf("Inspect(%q) = %+v, %v; want the facts Extract gives, %+v", tt.file, facts, err, doc.Facts)
			}
		})
	}
}

// TestNoHeaderBlock: what only may be a header block is text: a
// title-first note whose title has a colon, questions and answers, a
// wire story, a lone key that is no title, a key with a space, a block
// with a line of prose in it, and one that is not at the very start.
// Markdown with YAML front matter is read as before.
func TestNoHeaderBlock(t *testing.T) {
	for _, tt := range []struct {
		name, file, in, title string
	}{
		{"a title-first note with a colon", "note.txt", "Meeting notes: Q3 planning\n\nWe agreed on the budget.\n", "Meeting notes: Q3 planning"},
		{"a title with a colon over a date", "note.txt", "Meeting notes: Q3 planning\nDate: 2024-05-01\n\nWe agreed on the budget.\n", "Meeting notes: Q3 planning"},
		{"questions and answers", "faq.txt", "Q: Does it work?\nA: It does.\n\nMore questions follow.\n", "Q: Does it work?"},
		{"a wire story", "wire.txt", "LONDON (Reuters) - Stocks fell on Monday. Traders said so.\n", "Stocks fell on Monday"},
		{"a wire story, a place with a space", "wire.txt", "NEW DELHI: The government said on Monday that talks would resume. Officials agreed.\n", "NEW DELHI: The government said on Monday that talks would resume"},
		{"a wire story with a colon", "wire.txt", "WASHINGTON: The president spoke on Monday. Aides said so.\n", "WASHINGTON: The president spoke on Monday"},
		{"a lone date", "note.txt", "Date: 2024-05-01\n\nThe text of the note.\n", "Date: 2024-05-01"},
		{"a date that is none, no title", "note.txt", "Date: next Friday\nRoom: 4\n\nThe text of the note.\n", "Date: next Friday"},
		{"no title, date or subject", "note.txt", "Agenda: budget\nRoom: 4\n\nThe text of the note.\n", "Agenda: budget"},
		{"prose within", "note.md", "Title: A post\nthis line is prose\n\nThe text.\n", "Title: A post this line is prose"},
		{"a link first", "note.txt", "http://example.org: a site\nTitle: x\n\nThe text.\n", "http://example.org: a site"},
		{"indented", "note.txt", " Title: Indented\nDate: 2024-05-01\n\nThe text.\n", "Title: Indented"},
		{"after a blank line", "note.md", "\nTitle: Late\nDate: 2024-05-01\n\nThe text.\n", "Title: Late Date: 2024-05-01"},
		{"YAML front matter", "post.md", "---\ntitle: From YAML\ndate: 2024-05-01\n---\nTitle: Not this\nDate: 2020-01-01\n\nThe text.\n", "From YAML"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title {
				t.Errorf("Extract(%q).Title = %q; want %q", tt.in, doc.Title, tt.title)
			}
			if _, _, ok := splitHeaders(tt.in); ok {
				t.Errorf("splitHeaders(%q) finds a header block", tt.in)
			}
		})
	}
}

// TestHeaderStatus: Pelican's Status: draft is a draft, and hidden and
// skip are no posts; published is published. So in plain text.
func TestHeaderStatus(t *testing.T) {
	for _, tt := range []struct {
		file, status, withheld string // "" when published
	}{
		{"a.md", "draft", "draft"},
		{"a.md", "Draft", "draft"},
		{"a.md", "hidden", "hidden"},
		{"a.md", "skip", "skipped"},
		{"a.md", "published", ""},
		{"a.txt", "draft", "draft"},
		{"a.txt", "hidden", "hidden"},
	} {
		in := "Title: T\nDate: 2024-05-01\nStatus: " + tt.status + "\n\nThe text of a post.\n"
		f, err := Inspect(tt.file, []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if f.Draft != (tt.withheld != "") || !strings.Contains(f.Withheld, tt.withheld) {
			t.Errorf("Inspect(%s, Status: %s): draft %v, withheld %q; want withheld %q", tt.file, tt.status, f.Draft, f.Withheld, tt.withheld)
		}
	}
}

// TestHeaderDateIsTheMachines: a mail's zone named ("EDT") has the offset
// RFC 5322 gives it, and one it does not name none, whatever the zone of
// the machine.
func TestHeaderDateIsTheMachines(t *testing.T) {
	local := time.Local
	defer func() { time.Local = local }()
	for _, zone := range []string{"America/New_York", "Europe/London", "UTC"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Skipf("no zone data: %v", err)
		}
		time.Local = loc
		for in, want := range map[string]time.Time{
			"Fri, 2 Apr 1993 23:00:00 EDT": time.Date(1993, 4, 3, 3, 0, 0, 0, time.UTC),
			"Fri, 2 Apr 1993 23:00:00 PST": time.Date(1993, 4, 3, 7, 0, 0, 0, time.UTC),
			"Fri, 2 Jul 1993 23:00:00 BST": time.Date(1993, 7, 2, 23, 0, 0, 0, time.UTC),
			"Fri, 2 Apr 1993 23:00:00 GMT": time.Date(1993, 4, 2, 23, 0, 0, 0, time.UTC),
		} {
			if got, err := headerDate(in); err != nil || !got.Equal(want) {
				t.Errorf("in %s, headerDate(%q) = %v, %v; want %v", zone, in, got, err, want)
			}
		}
	}
}

// TestReplySummary: a mail that replies below what it quotes is summed up
// by its own words, not by the attribution line and the quoted lines; a
// note or a story that opens with someone's words is summed up as before.
func TestReplySummary(t *testing.T) {
	const head = "From: Ada Lovelace <ada@example.org>\nSubject: Re: The engine\nDate: Mon, 5 Feb 2024 10:00:00 +0000\n\n"
	for _, tt := range []struct {
		name, in, summary string
	}{
		{"quoted below the attribution", head + "On Sun, 4 Feb 2024 at 09:00, Charles Babbage <cb@example.org> wrote:\n> Have you seen the new cards?\n> They punch faster.\n\nI have, and they do.\n\nAda\n", "I have, and they do."},
		{"the attribution alone", head + "Le dim. 4 févr. 2024, Charles a écrit :\n\n> Avez-vous vu les cartes ?\n\nOui, je les ai vues.\n", "Oui, je les ai vues."},
		{"own words first", head + "Yes, I have.\n\nOn Sun, 4 Feb 2024, Charles wrote:\n> Have you seen the new cards?\n", "Yes, I have."},
		{"all quoted", head + "On Sun, 4 Feb 2024, Charles wrote:\n> Have you seen the new cards?\n", "On Sun, 4 Feb 2024, Charles wrote: > Have you seen the new cards?"},
		{"a story that quotes", "Minister resigns\n\nOn Monday, the minister wrote: \"I can no longer serve.\" Her party was surprised.\n", "On Monday, the minister wrote: \"I can no longer serve.\" Her party was surprised."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("reply.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Summary != tt.summary {
				t.Errorf("Summary = %q; want %q", doc.Summary, tt.summary)
			}
		})
	}
}
