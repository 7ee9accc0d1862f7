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
//   - Markdown (.md, and MDX's .mdx): front matter (TOML +++ or YAML ---),
//     else the first heading; the body is rendered to HTML.
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
	"sync"
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

// IsMarkdown reports whether a file of this name is read as Markdown:
// MDX's (.mdx) too, less its JSX and JavaScript (see jsx).
func IsMarkdown(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdx":
		return true
	}
	return false
}

// isMDX reports whether a file of this name is MDX.
func isMDX(name string) bool { return strings.EqualFold(path.Ext(name), ".mdx") }

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
	// Site is the site generator whose root the seeds folder is: its
	// files outside its posts are none (see Site). Zero for a plain
	// folder. The name given to Extract and Inspect is then the path
	// from that root.
	Site Site
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
	if o.Site.Withholds(name) != "" {
		// Withheld whatever it holds, as Inspect has it; what it says is
		// kept when it can be read, for seedfeed extract to show.
		plain := o
		plain.Site = Site{}
		doc, err := plain.Extract(name, data)
		if err != nil {
			doc = Doc{}
		}
		doc.Draft, doc.Withheld = true, o.notAPost(name)
		return doc, nil
	}
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
	return o.complete(name, s, data, facts, false)
}

// complete is the package's complete, as o says: a brief extraction makes
// its paragraphs in an arena, and copies what it keeps of the text s and
// of the arena, since s may be data itself (see Doc.own).
func (o Options) complete(name, s string, data []byte, facts Facts, placed bool) (Doc, error) {
	if !o.Brief {
		return complete(name, s, facts, placed, nil)
	}
	bf := newBriefing(len(s))
	defer bf.done()
	doc, err := complete(name, s, facts, placed, bf)
	doc.own(data, bf.arena)
	return doc, err
}

// own copies every string of d that points into data or into arena, so
// that the caller may use data again, and the arena may serve another
// extraction: a brief extraction reads UTF-8 text where it lies, and
// makes its paragraphs in an arena (see briefing). With data and arena
// both nil, it copies every string.
func (d *Doc) own(data, arena []byte) {
	for _, s := range [...]*string{&d.Title, &d.Summary, &d.Content, &d.Author, &d.Lang, &d.Hash, &d.Place, &d.Encoding, &d.DateNote} {
		ownString(s, data, arena)
	}
	for i := range d.Tags {
		ownString(&d.Tags[i], data, arena)
	}
	for i := range d.Links {
		ownString(&d.Links[i], data, arena)
	}
}

// ownString copies *s when it points into data or arena, or, with both
// nil, always.
func ownString(s *string, data, arena []byte) {
	if data == nil && arena == nil || within(*s, data) || within(*s, arena[:cap(arena)]) {
		*s = strings.Clone(*s)
	}
}

// within reports whether s points into b.
func within(s string, b []byte) bool {
	if len(s) == 0 || len(b) == 0 {
		return false
	}
	at := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	from := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return from <= at && at < from+uintptr(len(b))
}

// briefing is the state of one brief extraction: the arena its paragraphs
// are collapsed into, rather than each into a string of its own. Strings
// that point into it live no longer than the extraction (see Doc.own).
type briefing struct{ arena []byte }

// arenas keep the arenas of brief extractions done, for the next.
var arenas = sync.Pool{New: func() any { return new(briefing) }}

// arenaKept is the largest arena kept for another extraction.
const arenaKept = 64 << 10

// newBriefing returns a briefing whose arena has room for the paragraphs
// of a text of n bytes, which are never longer than it: no string made in
// the arena is ever moved out of it.
func newBriefing(n int) *briefing {
	bf := arenas.Get().(*briefing)
	if cap(bf.arena) < n {
		bf.arena = make([]byte, 0, n)
	}
	bf.arena = bf.arena[:0]
	return bf
}

// done gives the arena back, once nothing points into it.
func (bf *briefing) done() {
	if cap(bf.arena) <= arenaKept {
		arenas.Put(bf)
	}
}

// collapse is the package's collapse; for a brief extraction, what it
// makes is in the arena.
func (bf *briefing) collapse(s string) string {
	if bf == nil {
		return collapse(s)
	}
	i := nextMend(s, 0)
	if i < 0 {
		return s
	}
	start := len(bf.arena)
	bf.arena = appendMended(bf.arena, s, i)
	if len(bf.arena) == start {
		return ""
	}
	return unsafe.String(&bf.arena[start], len(bf.arena)-start)
}

// Complete is the package's Complete, reading files as o says.
func (o Options) Complete(name string, data []byte, facts Facts) (Doc, error) {
	s, _, err := decodeText(data, o.Encoding, o.Brief)
	if err != nil {
		return Doc{}, err
	}
	return o.complete(name, s, data, facts, true)
}

// complete is Complete on the decoded text s. placed says whether
// facts.Place is found already; if not, the extraction finds it. bf is
// the state of a brief extraction (see Options.Brief), nil for a whole one.
func complete(name, s string, facts Facts, placed bool, bf *briefing) (Doc, error) {
	var doc Doc
	sample := s
	var head frontMatter // plain text's header block (see splitHeaders)
	if isMDX(name) {
		sample = proseOf(jsx(s, true)) // its imports and tags say nothing of its language
	} else if IsMarkdown(name) {
		sample = proseOf(s)
	} else {
		head, sample, _ = splitHeaders(s) // a mail's header says nothing of its language
	}
	lang := langOf(sample)
	if IsMarkdown(name) {
		var err error
		if doc, err = extractMarkdown(s, rulesFor(lang), isMDX(name)); err != nil {
			return Doc{}, err
		}
	} else {
		var place string
		doc, place = extractText(sample, head, rulesFor(lang), bf)
		if !placed {
			facts.Place = place
		}
	}
	doc.Facts = facts
	// The language the post says it is in, else its file name (Hugo's
	// post.it.md), else what its text tells.
	if doc.Lang == "" {
		doc.Lang = first(nameLang(name), lang)
	}
	doc.Title = Shorten(doc.Title, GivenTitleLimit)
	if !hasWordChar(doc.Title) && !namesFile(doc.Title, name) {
		doc.Title = fallbackTitle(name)
	}
	if utf8.RuneCountInString(doc.Summary) > SummaryLimit {
		doc.Summary = Shorten(doc.Summary, SummaryLimit)
	}
	return doc, nil
}

// extractText reads plain text: title-first when the first line reads as a
// title, wire copy or plain prose otherwise. s is the text after its
// header block, if it had one, and head what that block said: its title
// and summary, when it gives them, are the post's. Its sentences are cut
// by r. It also returns the place of the dateline, which Inspect finds
// alone (see textPlace). brief leaves the Content out.
func extractText(s string, head frontMatter, r *rules, bf *briefing) (Doc, string) {
	brief := bf != nil
	var doc Doc
	body := s
	if head.title != "" {
		doc.Title = head.title
	} else if title, rest, ok := leadTitle(s); ok {
		doc.Title, body = title, rest
	}
	pr := parseProseIn(body, r, bf)
	sentences := pr.sentences()
	switch {
	case doc.Title != "" && len(pr.paras) > 0:
		first := pr.paras[ownFirst(pr.paras)]
		if brief {
			first = laidOut(first)
		}
		doc.Summary = Lead(first, SummaryLimit)
	case head.title != "": // the header's title stands, over a body of no paragraph
	case len(sentences) > 0:
		doc.Title = deriveTitleIn(sentences[0], r)
		doc.Summary = Lead(sentences, SummaryLimit)
	case len(pr.credit) > 0:
		doc.Title = deriveTitleIn(pr.credit[0], r)
	}
	if !brief {
		doc.Content = pr.html()
	}
	doc.Summary = first(head.summary, doc.Summary)
	doc.Author = first(head.author, creditAuthor(pr.credit, pr.wire))
	doc.Lang = head.lang
	return doc, pr.place
}

// namesFile reports whether title, though it has no letter nor digit, is
// the file's name less its extension: a page on the command "[" or "$"
// (tldr's "[.md", headed "# [") is titled by its name.
func namesFile(title, name string) bool {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	return title != "" && title == strings.TrimSuffix(base, path.Ext(base))
}

var nameSeparators = regexp.MustCompile(`[\s_\-.]+`)

// fallbackTitle makes a title from a file name: "my_first-post.txt" gives
// "my first post". A date the name starts with dates the post (see
// PathDate), and is no part of its title: "2022-11-28-state-of-eleventy.md"
// gives "state of eleventy"; a name that is only a date keeps it.
func fallbackTitle(name string) string {
	base := path.Base(strings.ToValidUTF8(strings.ReplaceAll(name, "\\", "/"), ""))
	base = strings.TrimSuffix(base, path.Ext(base))
	if _, n, ok := leadingDate(base); ok && n < len(base) && hasWordChar(base[n+1:]) {
		base = base[n+1:] // past the date and its separator
	}
	t := Shorten(strings.TrimSpace(nameSeparators.ReplaceAllString(Clean(base), " ")), TitleLimit)
	if !hasWordChar(t) {
		return "Untitled"
	}
	return t
}

// ownFirst returns the index of the first paragraph of paras that is the
// text's own, not a quotation from a mail replied to: a reply opens with
// the line that names who wrote what it quotes ("On Sun, 4 Feb 2024, Ada
// wrote:") and the quoted lines (">"), which make no summary. When every
// paragraph is quoted, it is the first.
func ownFirst(paras [][]string) int {
	for i, p := range paras {
		if !quotedMail(strings.Join(p, " ")) {
			return i
		}
	}
	return 0
}

// quotedMail reports whether the paragraph p is quoted mail: lines opened
// by ">", or a reply's attribution line, alone or followed by them. A
// news lead that opens "On Monday, the minister wrote:" and goes on is
// not.
func quotedMail(p string) bool {
	if strings.HasPrefix(p, ">") {
		return true
	}
	m := attribution.FindStringIndex(p)
	if m == nil {
		return false
	}
	rest := strings.TrimSpace(p[m[1]:])
	return rest == "" || strings.HasPrefix(rest, ">")
}

// attribution is the line a mail client writes above what it quotes, in
// a few languages.
var attribution = regexp.MustCompile(`^(?:On|Am|Le|El|Il|Op|Em) .{4,200}?(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu)\s?:`)
