// Package extract turns the bytes of one seed file into a title, a summary
// and the full text as HTML. It is a pure function of its input: it does no
// I/O, so it is safe to run in parallel, to fuzz and to check against golden
// files.
//
// Three shapes of file are read:
//
//   - wire copy: prose with no title, opened by a dateline ("TEHRAN –") and
//     closed by a credit line. The title is the first sentence without the
//     dateline, shortened at a word boundary to TitleLimit characters.
//   - title-first text: a short first line, then the body. The first line is
//     the title and the first paragraph the summary.
//   - Markdown (.md): front matter (TOML +++ or YAML ---), else the first
//     heading; the body is rendered to HTML.
//
// The summary is always the lead: whole sentences up to SummaryLimit
// characters. Credit lines stay in the content and never reach the title or
// the summary; the author is the front matter's, or the one a credit line
// names (see creditAuthor).
package extract

import (
	"path"
	"regexp"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Doc is what one seed file says about itself.
type Doc struct {
	Facts
	Title   string
	Summary string
	Content string // the full text as HTML
	Author  string // front matter author or authors, or the one a credit line names
	// Lang is the BCP 47 tag of the language the text is written in
	// ("de", "zh", "fa"), or "" when it cannot be told (see langOf).
	Lang string
	// Links are the destinations of a Markdown post's links and images
	// that are relative URLs ("cat.jpg", "../img/a.png") or paths from the
	// root of its site ("/assets/a.png"), as written, in order: the files
	// beside a post, or in its site, that it references (see
	// feed.ResolveRef and feed.ResolveRootRef).
	Links []string
}

// IsMarkdown reports whether a file of this name is read as Markdown.
func IsMarkdown(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".mdown", ".mkd", ".mkdn":
		return true
	}
	return false
}

// Options say how seed files are read. The zero Options detect each
// file's encoding.
type Options struct {
	// Encoding is the WHATWG label ("gbk", "windows-1251") of the encoding
	// of every file that has no byte-order mark; empty detects it for each
	// file. See LookupEncoding.
	Encoding string
	// Brief leaves out the HTML of plain text's Content, for a reader
	// that shows only titles and summaries (an archive document): making
	// it is a part of extraction of its own. Everything else is as
	// without it.
	Brief bool
}

// Extract reads one seed file. name is its path, used only for hints: the
// extension picks Markdown, and the base name is the title of last resort.
func Extract(name string, data []byte) (Doc, error) { return Options{}.Extract(name, data) }

// Complete is Extract for a file already inspected: facts must be what
// Inspect gave for the same name and data. It spares a reader that
// inspects every file, and extracts some, from inspecting those twice.
func Complete(name string, data []byte, facts Facts) (Doc, error) {
	return Options{}.Complete(name, data, facts)
}

// Extract is the package's Extract, reading files as o says.
func (o Options) Extract(name string, data []byte) (Doc, error) {
	// A brief extraction makes a few short strings of the text, which
	// are copied at the end: the text itself need not be (see Doc.own).
	s, charset, decodeErr := decodeText(data, o.Encoding, o.Brief) // once, for both steps
	var decoded *decodedText
	if decodeErr == nil {
		decoded = &decodedText{s, charset}
	}
	// The place is left to extraction, which reads it in the same pass as
	// the rest of the first paragraph (a quarter of the cost of an archive
	// page was reading it twice).
	facts, err := o.inspect(name, data, decoded, false)
	if err == nil {
		err = decodeErr // Inspect fails with Decode, but say so anyway
	}
	if err != nil {
		return Doc{}, err
	}
	doc, err := complete(name, s, facts, false, o.Brief)
	if o.Brief {
		doc.own(data)
	}
	return doc, err
}

// own copies every string of d that points into data, so that the caller
// may use data again: a brief extraction reads UTF-8 text where it lies.
func (d *Doc) own(data []byte) {
	for _, s := range [...]*string{&d.Title, &d.Summary, &d.Content, &d.Author, &d.Lang, &d.Hash, &d.Place, &d.Encoding, &d.DateNote} {
		ownString(s, data)
	}
	for i := range d.Tags {
		ownString(&d.Tags[i], data)
	}
	for i := range d.Links {
		ownString(&d.Links[i], data)
	}
}

// ownString copies *s when it points into data.
func ownString(s *string, data []byte) {
	if len(*s) == 0 || len(data) == 0 {
		return
	}
	at := uintptr(unsafe.Pointer(unsafe.StringData(*s)))
	from := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	if from <= at && at < from+uintptr(len(data)) {
		*s = strings.Clone(*s)
	}
}

// Complete is the package's Complete, reading files as o says.
func (o Options) Complete(name string, data []byte, facts Facts) (Doc, error) {
	s, _, err := decode(data, o.Encoding)
	if err != nil {
		return Doc{}, err
	}
	return complete(name, s, facts, true, o.Brief)
}

// complete is Complete on the decoded text s. placed says whether
// facts.Place is found already; if not, the extraction finds it. brief is
// Options.Brief.
func complete(name, s string, facts Facts, placed, brief bool) (Doc, error) {
	var doc Doc
	lang := langOf(s)
	if IsMarkdown(name) {
		var err error
		if doc, err = extractMarkdown(s, rulesFor(lang)); err != nil {
			return Doc{}, err
		}
	} else {
		var place string
		doc, place = extractText(s, rulesFor(lang), brief)
		if !placed {
			facts.Place = place
		}
	}
	doc.Facts, doc.Lang = facts, lang
	doc.Title = Shorten(doc.Title, GivenTitleLimit)
	if !hasWordChar(doc.Title) {
		doc.Title = fallbackTitle(name)
	}
	if utf8.RuneCountInString(doc.Summary) > SummaryLimit {
		doc.Summary = Shorten(doc.Summary, SummaryLimit)
	}
	return doc, nil
}

// extractText reads plain text: title-first when the first line reads as a
// title, wire copy or plain prose otherwise. Its sentences are cut by r.
// It also returns the place of the dateline, which Inspect finds alone
// (see leadPlace). brief leaves the Content out.
func extractText(s string, r *rules, brief bool) (Doc, string) {
	var doc Doc
	body := s
	if title, rest, ok := leadTitle(s); ok {
		doc.Title, body = title, rest
	}
	pr := parseProseIn(body, r, brief)
	sentences := pr.sentences()
	switch {
	case doc.Title != "" && len(pr.paras) > 0:
		first := pr.paras[0]
		if brief {
			first = laidOut(first)
		}
		doc.Summary = Lead(first, SummaryLimit)
	case len(sentences) > 0:
		doc.Title = deriveTitleIn(sentences[0], r)
		doc.Summary = Lead(sentences, SummaryLimit)
	case len(pr.credit) > 0:
		doc.Title = deriveTitleIn(pr.credit[0], r)
	}
	if !brief {
		doc.Content = pr.html()
	}
	doc.Author = creditAuthor(pr.credit)
	return doc, pr.place
}

var nameSeparators = regexp.MustCompile(`[\s_\-.]+`)

// fallbackTitle makes a title from a file name: "my_first-post.txt" gives
// "my first post".
func fallbackTitle(name string) string {
	base := path.Base(strings.ToValidUTF8(strings.ReplaceAll(name, "\\", "/"), ""))
	base = strings.TrimSuffix(base, path.Ext(base))
	t := Shorten(strings.TrimSpace(nameSeparators.ReplaceAllString(Clean(base), " ")), TitleLimit)
	if !hasWordChar(t) {
		return "Untitled"
	}
	return t
}
