package extract

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders CommonMark with the GitHub extensions. Raw HTML is left
// out and dangerous link schemes are dropped (goldmark's safe defaults), so
// a seed cannot put script into a feed; a post that has raw HTML is
// rendered with it and cleaned (see markdownRaw).
//
// Headings may end in attributes, as Hugo's do ("## Install {#install}"):
// only the id is kept (see headingIDs).
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote), goldmark.WithParserOptions(parser.WithAttribute()))

// extractMarkdown reads a Markdown post: front matter first, then the first
// heading for a title and the lead for a summary. Site generators' template
// markup is taken out first (see untemplate), and MDX's syntax (see jsx),
// all of it when mdx says the post is MDX.
func extractMarkdown(s string, r *rules, mdx bool) (Doc, error) {
	fm, body, err := splitFrontMatter(s)
	if err != nil {
		return Doc{}, err
	}
	body, more := untemplate(dialects(jsx(body, mdx)))
	src := []byte(body)
	root := markdown.Parser().Parse(text.NewReader(src))
	if bare, at := bareRefs(root, src, more); bare != nil {
		src, more = bare, at
		root = markdown.Parser().Parse(text.NewReader(src))
	}
	headingIDs(root)
	dropEmpty(root, src)
	title := fm.title
	if h := titleHeading(root); h != nil {
		heading := collapse(plainText(h, src))
		if title == "" {
			title = heading
		}
		if sameTitle(heading, title) {
			root.RemoveChild(root, h) // the title is shown once, not twice
		}
	}
	var buf bytes.Buffer
	md, raw := markdown, hasRawHTML(root, src)
	if raw {
		md = markdownRaw // see rawPolicy
	}
	if err := md.Renderer().Render(&buf, src, root); err != nil {
		return Doc{}, fmt.Errorf("markdown: %w", err)
	}
	doc := Doc{
		Title:   title,
		Summary: fm.summary,
		Content: figures(buf.String()),
		Author:  fm.author,
		Links:   relativeLinks(root),
	}
	doc.Lang = fm.lang
	if raw {
		doc.Content = rawPolicy.Sanitize(doc.Content)
		doc.Links = rawLinks(doc.Content, doc.Links)
	}
	lead, quoted := leadSentences(root, src, r)
	if doc.Summary == "" && more >= 0 {
		// The author's own divider: the summary is what comes before it.
		head := src[:more]
		doc.Summary = Lead(withoutHoles(sentencesIn(collapse(blocksText(markdown.Parser().Parse(text.NewReader(head)), head, title)), r), nil), SummaryLimit)
	}
	if doc.Summary == "" {
		doc.Summary = Lead(withoutHoles(lead, func() []string { return sentencesIn(collapse(blocksText(root, src, title)), r) }), SummaryLimit)
	}
	if doc.Title == "" && len(lead) > 0 && !quoted { // a quote says something; it names nothing
		doc.Title = deriveTitleIn(withoutHoles(lead, nil)[0], r)
	}
	if strings.Contains(body, hole) {
		doc.Title, doc.Summary = collapse(strings.ReplaceAll(doc.Title, hole, "")), collapse(strings.ReplaceAll(doc.Summary, hole, ""))
		doc.Content = strings.ReplaceAll(strings.ReplaceAll(doc.Content, hole, ""), "%EF%BF%BF", "") // in a link's address, escaped
		doc.Links = slices.DeleteFunc(doc.Links, func(l string) bool { return strings.Contains(l, hole) })
	}
	return doc, nil
}

// withoutHoles returns the sentences that lost no variable (see hole),
// when there are some; else those of all, the post's sentences, that lost
// none; else sentences as they are. all is called only when needed, and
// may be nil.
func withoutHoles(sentences []string, all func() []string) []string {
	if !holed(sentences) {
		return sentences // nearly every post
	}
	kept := unholed(sentences)
	if len(kept) == 0 && all != nil {
		kept = unholed(all())
	}
	if len(kept) == 0 {
		return sentences
	}
	return kept
}

// holed reports whether one of sentences lost a variable.
func holed(sentences []string) bool {
	for _, s := range sentences {
		if strings.Contains(s, hole) {
			return true
		}
	}
	return false
}

// unholed returns the sentences that lost no variable.
func unholed(sentences []string) []string {
	var out []string
	for _, s := range sentences {
		if !strings.Contains(s, hole) {
			out = append(out, s)
		}
	}
	return out
}

// headingIDs leaves headings only their id of the attributes a post gives
// them: a style or a dir of a post's own has no place on the page.
func headingIDs(root ast.Node) {
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Attributes() != nil { // in a quote or a list too
			id, ok := h.AttributeString("id")
			h.RemoveAttributes()
			if b, isBytes := id.([]byte); ok && isBytes {
				h.SetAttributeString("id", b)
			}
		}
		return ast.WalkContinue, nil
	})
}

// dropEmpty takes out what shows nothing once the generator's variables
// are out: a paragraph of holes (see hole), a list item left with no
// block ("* <{{ release.url.gz }}>", ruby-lang.org's release template),
// and a list left with no item.
func dropEmpty(root ast.Node, src []byte) {
	var empty []ast.Node
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch {
		case !entering:
		case n.Kind() == ast.KindParagraph || n.Kind() == ast.KindTextBlock:
			if onlyHoles(n, src) {
				empty = append(empty, n)
			}
			return ast.WalkSkipChildren, nil
		case n.Kind() == ast.KindListItem && n.ChildCount() == 0:
			empty = append(empty, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range empty {
		for parent := n.Parent(); parent != nil; n, parent = parent, parent.Parent() {
			parent.RemoveChild(parent, n)
			if parent.ChildCount() > 0 || parent.Kind() != ast.KindListItem && parent.Kind() != ast.KindList {
				break
			}
		}
	}
}

// onlyHoles reports whether the block n has nothing but holes and spaces.
func onlyHoles(n ast.Node, src []byte) bool {
	for t := n.FirstChild(); t != nil; t = t.NextSibling() {
		if t, ok := t.(*ast.Text); !ok || strings.Trim(string(t.Segment.Value(src)), hole+" \t") != "" {
			return false
		}
	}
	return n.HasChildren()
}

// relativeLinks returns the destinations of the links and images under
// root that are relative URLs, or paths from the site's root, in order,
// each once.
func relativeLinks(root ast.Node) []string {
	var out []string
	seen := map[string]bool{}
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		switch n := n.(type) {
		case *ast.Link:
			dest = n.Destination
		case *ast.Image:
			dest = n.Destination
		default:
			return ast.WalkContinue, nil
		}
		if d := string(dest); isRelativeURL(d) && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
		return ast.WalkContinue, nil
	})
	return out
}

// isRelativeURL reports whether a link's destination is a path relative
// to the post, or to the root of its site ("/assets/a.png"): no scheme, no
// host, not a fragment.
func isRelativeURL(d string) bool {
	if d == "" || strings.HasPrefix(d, "//") || d[0] == '#' || d[0] == '?' {
		return false
	}
	colon := strings.IndexByte(d, ':')
	return colon < 0 || strings.ContainsAny(d[:colon], "/?#")
}

// sameTitle reports whether a heading says what the title does, give or
// take case, spacing and a final stop.
func sameTitle(heading, title string) bool {
	norm := func(s string) string { return strings.TrimRight(collapse(s), " .!:;") }
	return strings.EqualFold(norm(heading), norm(title))
}

// leadSentences returns the sentences of the post's lead: its first
// paragraph of text (a paragraph of images only is none). A paragraph that
// only introduces what follows ("The default configuration is:") is not a
// lead on its own: it is joined with the paragraph or list that follows,
// and when code or a table follows it, the next paragraph is the lead. A
// list that comes before any paragraph, under a heading, is the lead with
// the heading as its introduction; not a table of contents (links only).
// A paragraph of code alone is no lead (see codeOnly). With no paragraph
// of prose, the first quote is the lead (quoted): a tldr page's
// description, whose examples are lists and code.
func leadSentences(root ast.Node, src []byte, r *rules) (lead []string, quoted bool) {
	var intro, quote string
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		var t string
		switch n.Kind() {
		case ast.KindBlockquote:
			if quote == "" {
				quote = collapse(plainText(n, src))
			}
			continue
		case ast.KindParagraph:
			if codeOnly(n, src) {
				continue // a command, as a code block is: no lead
			}
			t = collapse(plainText(n, src))
		case ast.KindList:
			if prev := n.PreviousSibling(); intro == "" && prev != nil && prev.Kind() == ast.KindHeading && !linksOnly(n) {
				// A post that opens with a heading and its list (a
				// release's "Notable Changes"): the heading introduces it.
				// (A heading that says the title is gone by now.)
				if h := collapse(plainText(prev, src)); h != "" {
					intro = strings.TrimSuffix(h, ":") + ":"
				}
			}
			if intro == "" || n.PreviousSibling() == nil || strings.TrimSuffix(collapse(plainText(n.PreviousSibling(), src)), ":")+":" != intro {
				continue // a list is a lead only with its introduction
			}
			var items []string
			for li := n.FirstChild(); li != nil; li = li.NextSibling() {
				if it := strings.TrimRight(collapse(plainText(li, src)), ";,"); it != "" {
					items = append(items, it)
				}
			}
			return sentencesIn(intro+" "+strings.Join(items, "; "), r), false
		default:
			continue
		}
		switch {
		case t == "":
		case intro != "" && n.PreviousSibling() != nil && n.PreviousSibling().Kind() == ast.KindParagraph &&
			collapse(plainText(n.PreviousSibling(), src)) == intro:
			return sentencesIn(intro+" "+t, r), false
		case strings.HasSuffix(t, ":") && intro == "":
			intro = t
		default:
			return sentencesIn(t, r), false
		}
	}
	if intro != "" {
		return sentencesIn(intro, r), false
	}
	if quote != "" {
		return sentencesIn(quote, r), true // no paragraph of prose: the quote is the lead
	}
	return nil, false
}

// linksOnly reports whether every item of the list l is a link and
// nothing else, or a link and a list of the same: a table of contents,
// which summarizes nothing.
func linksOnly(l ast.Node) bool {
	for li := l.FirstChild(); li != nil; li = li.NextSibling() {
		block := li.FirstChild()
		if block == nil || block.FirstChild() == nil || block.FirstChild() != block.LastChild() || block.FirstChild().Kind() != ast.KindLink {
			return false
		}
		if sub := block.NextSibling(); sub != nil && (sub.Kind() != ast.KindList || sub.NextSibling() != nil || !linksOnly(sub)) {
			return false
		}
	}
	return true
}

// blocksText returns the text of the prose blocks of root, less a heading
// that says the title: paragraphs, headings, lists and quotes, not code,
// nor a paragraph that introduces code.
func blocksText(root ast.Node, src []byte, title string) string {
	var parts []string
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		switch n.Kind() {
		case ast.KindParagraph:
			if codeOnly(n, src) {
				continue
			}
		case ast.KindList, ast.KindBlockquote:
		case ast.KindHeading:
			if sameTitle(plainText(n, src), title) {
				continue
			}
		default:
			continue
		}
		t := collapse(plainText(n, src))
		if next := n.NextSibling(); strings.HasSuffix(t, ":") && (next == nil || next.Kind() != ast.KindParagraph && next.Kind() != ast.KindList) {
			continue // it introduces code, or nothing: no summary's business
		}
		if t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

// codeOnly reports whether the paragraph n is code and nothing else: a
// command in backticks, as tldr's pages give each example
// ("`tar cf {{target.tar}} {{file}}`"), which is code as a code block is,
// not prose to summarize.
func codeOnly(n ast.Node, src []byte) bool {
	code := false
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.CodeSpan:
			code = true
		case *ast.Text:
			if len(bytes.TrimSpace(c.Segment.Value(src))) > 0 {
				return false
			}
		default:
			return false
		}
	}
	return code
}

// titleHeading returns the heading that names the post: the first block when
// it is a heading, or else the first level-one heading.
func titleHeading(root ast.Node) *ast.Heading {
	if h, ok := root.FirstChild().(*ast.Heading); ok {
		return h
	}
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 1 {
			return h
		}
	}
	return nil
}

// plainText returns the text of n without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(src)
			if bytes.IndexByte(v, '\\') >= 0 {
				v = util.UnescapePunctuations(v) // "\\*" is a star, as goldmark renders it
			}
			if bytes.IndexByte(v, '&') >= 0 {
				b.WriteString(html.UnescapeString(string(v))) // "&mdash;" is a dash in plain text
			} else {
				b.Write(v)
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(lineBreak)
			}
		case *ast.CodeSpan: // as it is written: "&amp;" in code is no character
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.Label(src))
		case *ast.RawHTML, *ast.Image: // an image's alt text is no prose
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.ListItem, *ast.Heading:
			if b.Len() > 0 {
				b.WriteByte(' ') // blocks of a list or a quote are apart
			}
		}
		return ast.WalkContinue, nil
	})
	return withoutFigures(joinLines(b.String()))
}

// lineBreak marks a line break within a paragraph in plainText's text.
const lineBreak = '\n'

// joinLines turns each line break of s into a space, as a reader sees it,
// but between two characters of Chinese or Japanese, which write no
// spaces: "情况下，\n以" is "情况下，以".
func joinLines(s string) string {
	if strings.IndexByte(s, lineBreak) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.IndexByte(s, lineBreak)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+1:])
		b.WriteString(s[:i])
		if !wideScript(before) || !wideScript(after) {
			b.WriteByte(' ')
		}
		s = s[i+1:]
	}
}

// wideScript reports whether r is written without spaces between words:
// Han, kana, and the CJK marks and full-width forms.
func wideScript(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF
}

// listItem is the marker of a list item, with the spaces after it.
var listItem = regexp.MustCompile(`^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]{1,4}|[ \t]*\r?\n)`)

// startsList reports whether a list item's marker may interrupt a
// paragraph: a bullet or 1, not "2024." at the start of a line.
func startsList(marker string) bool {
	return marker[0] < '0' || marker[0] > '9' || strings.HasPrefix(marker, "1.") || strings.HasPrefix(marker, "1)")
}

// indentOf returns the columns of white space line opens with, a tab
// taking it to the next multiple of four.
func indentOf(line string) int {
	n := 0
	for _, c := range line {
		switch c {
		case ' ':
			n++
		case '\t':
			n += 4 - n%4
		default:
			return n
		}
	}
	return n
}
