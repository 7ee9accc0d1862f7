package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"
)

// markdown renders CommonMark with the GitHub extensions. Raw HTML is left
// out and dangerous link schemes are dropped (goldmark's safe defaults), so
// a seed cannot put script into a feed.
//
// Headings may end in attributes, as Hugo's do ("## Install {#install}"):
// only the id is kept (see headingIDs).
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote), goldmark.WithParserOptions(parser.WithAttribute()))

// frontMatter holds the keys seedfeed reads from a Markdown post's header.
type frontMatter struct {
	title, summary, author string
	tags                   []string
	date, updated          time.Time
	draft                  bool
	dateNote               string // why a date given was ignored
}

// splitFrontMatter separates a TOML (+++), YAML (---) or JSON ({…})
// header from the body, as Hugo, Jekyll, Zola and Eleventy write them.
func splitFrontMatter(s string) (fm frontMatter, body string, err error) {
	var fence string
	switch {
	case strings.HasPrefix(s, "+++\n"):
		fence = "+++"
	case strings.HasPrefix(s, "---\n"):
		fence = "---"
	case isJSONFrontMatter(s):
		raw := map[string]any{}
		dec := json.NewDecoder(strings.NewReader(s))
		if err := dec.Decode(&raw); err != nil {
			return fm, "", fmt.Errorf("front matter: %w", err)
		}
		fm, err = readFrontMatter(raw)
		return fm, strings.TrimPrefix(strings.TrimLeft(s[dec.InputOffset():], " \t"), "\n"), err
	default:
		return fm, s, nil
	}
	rest := s[len(fence)+1:]
	var head string
	for off := 0; ; {
		line, after, found := strings.Cut(rest[off:], "\n")
		if strings.TrimRight(line, " \t") == fence || fence == "---" && strings.TrimRight(line, " \t") == "..." {
			head, body = rest[:off], after
			break
		}
		if !found {
			return fm, "", fmt.Errorf("front matter: no closing %q", fence)
		}
		off += len(line) + 1
	}
	raw := map[string]any{}
	if fence == "+++" {
		if _, err := toml.Decode(head, &raw); err != nil {
			return fm, "", fmt.Errorf("front matter: %w", err)
		}
	} else if err := yaml.Unmarshal([]byte(head), &raw); err != nil {
		return fm, "", fmt.Errorf("front matter: %w", err)
	}
	fm, err = readFrontMatter(raw)
	return fm, body, err
}

// isJSONFrontMatter reports whether s opens with a JSON object: "{", then
// a quoted key. A body that opens with a shortcode ("{{<") does not.
func isJSONFrontMatter(s string) bool {
	rest, ok := strings.CutPrefix(s, "{")
	return ok && strings.HasPrefix(strings.TrimLeft(rest, " \t\n"), `"`)
}

// readFrontMatter reads the keys seedfeed knows from a decoded header.
func readFrontMatter(raw map[string]any) (fm frontMatter, err error) {
	fields := make(map[string]any, len(raw))
	for k, v := range raw {
		fields[strings.ToLower(k)] = v
	}
	fm.title = collapse(str(fields["title"]))
	fm.summary = collapse(first(str(fields["summary"]), str(fields["description"]), str(fields["excerpt"])))
	fm.author = collapse(author(first(fields["author"], fields["authors"])))
	fm.tags = append(list(fields["tags"]), list(fields["categories"])...)
	if tax, ok := fields["taxonomies"].(map[string]any); ok { // Zola
		fm.tags = append(fm.tags, append(list(tax["tags"]), list(tax["categories"])...)...)
	}
	fm.draft = truth(fields["draft"])
	// Jekyll's "published: false" is a draft too; true or false, it is no
	// date.
	if pub, ok := fields["published"].(bool); ok {
		fm.draft = fm.draft || !pub
		delete(fields, "published")
	} else if p, ok := fields["published"].(string); ok && strings.EqualFold(strings.TrimSpace(p), "false") {
		fm.draft = true
		delete(fields, "published")
	}
	// A date that cannot be used is noted and ignored: the post is dated as
	// if it gave none, never dropped.
	var notes []string
	if fm.date, err = date(first(fields["date"], fields["published"], fields["pubdate"])); err != nil {
		notes = append(notes, "date: "+err.Error())
	}
	if fm.updated, err = date(first(fields["lastmod"], fields["updated"], fields["modified"])); err != nil {
		notes = append(notes, "updated: "+err.Error())
	}
	fm.dateNote = strings.Join(notes, "; ")
	return fm, nil
}

// truth reads a flag written as true, "true" or "yes".
func truth(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		v = strings.ToLower(strings.TrimSpace(v))
		return v == "true" || v == "yes"
	}
	return false
}

func first[T comparable](vs ...T) T {
	var zero T
	for _, v := range vs {
		if v != zero {
			return v
		}
	}
	return zero
}

func str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func list(v any) []string {
	var out []string
	switch v := v.(type) {
	case string:
		for _, s := range strings.Split(v, ",") {
			if s = collapse(s); s != "" {
				out = append(out, s)
			}
		}
	case []any:
		for _, s := range v {
			if s := collapse(str(s)); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// author reads "Ann", ["Ann", "Bob"], {name = "Ann"} or [{name = "Ann"}]
// (which TOML gives as []map[string]any, YAML as []any).
func author(v any) string {
	switch v := v.(type) {
	case []map[string]any:
		names := make([]any, len(v))
		for i, m := range v {
			names[i] = m
		}
		return author(names)
	case []any:
		names := make([]string, 0, len(v))
		for _, a := range v {
			if n := author(a); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	case map[string]any:
		return str(v["name"])
	}
	return str(v)
}

var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04 -0700", "2006-01-02 15:04 -07:00", "2006-01-02T15:04-07:00", "2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02", time.RFC1123Z, time.RFC1123,
	time.RFC822Z, time.RFC822, "January 2, 2006", "Jan 2, 2006", "2 January 2006", "2 Jan 2006",
}

// The dates seedfeed can keep: the store holds times as Unix nanoseconds.
var (
	earliest = time.Unix(0, math.MinInt64).UTC()
	latest   = time.Unix(0, math.MaxInt64).UTC()
)

// date reads a front matter date. A date without a zone is taken as UTC, so
// the result does not depend on the machine's time zone. A date outside
// what the store can hold (before 1678 or after 2262) is refused, never
// wrapped around.
func date(v any) (time.Time, error) {
	t, err := parseDate(v)
	if err == nil && !t.IsZero() && (t.Before(earliest) || t.After(latest)) {
		return time.Time{}, fmt.Errorf("%s is outside the years 1678 to 2262", t.Format(time.DateOnly))
	}
	return t, err
}

func parseDate(v any) (time.Time, error) {
	switch v := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return v.UTC(), nil
	case string:
		v = strings.TrimSpace(v)
		if v == "" {
			return time.Time{}, nil
		}
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, v); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a date", v)
	}
	return time.Time{}, fmt.Errorf("%v is not a date", v)
}

// extractMarkdown reads a Markdown post: front matter first, then the first
// heading for a title and the lead for a summary. Site generators' template
// markup is taken out first (see untemplate).
func extractMarkdown(s string) (Doc, error) {
	fm, body, err := splitFrontMatter(s)
	if err != nil {
		return Doc{}, err
	}
	body, more := untemplate(body)
	src := []byte(body)
	root := markdown.Parser().Parse(text.NewReader(src))
	headingIDs(root)
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
	if err := markdown.Renderer().Render(&buf, src, root); err != nil {
		return Doc{}, fmt.Errorf("markdown: %w", err)
	}
	doc := Doc{
		Title:   title,
		Summary: fm.summary,
		Content: buf.String(),
		Author:  fm.author,
		Links:   relativeLinks(root),
	}
	lead := leadSentences(root, src)
	if doc.Summary == "" && more >= 0 {
		// The author's own divider: the summary is what comes before it.
		head := src[:more]
		doc.Summary = Lead(Sentences(collapse(blocksText(markdown.Parser().Parse(text.NewReader(head)), head, title))), SummaryLimit)
	}
	if doc.Summary == "" {
		doc.Summary = Lead(lead, SummaryLimit)
	}
	if doc.Title == "" && len(lead) > 0 {
		doc.Title = deriveTitle(lead[0])
	}
	return doc, nil
}

// headingIDs leaves headings only their id of the attributes a post gives
// them: a style or a dir of a post's own has no place on the page.
func headingIDs(root ast.Node) {
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Attributes() != nil {
			id, ok := h.AttributeString("id")
			h.RemoveAttributes()
			if b, isBytes := id.([]byte); ok && isBytes {
				h.SetAttributeString("id", b)
			}
		}
	}
}

// relativeLinks returns the destinations of the links and images under
// root that are relative URLs, in order, each once.
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
// to the post: no scheme, no host, not from the root, not a fragment.
func isRelativeURL(d string) bool {
	if d == "" || d[0] == '/' || d[0] == '#' || d[0] == '?' {
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
// and when code or a table follows it, the next paragraph is the lead.
func leadSentences(root ast.Node, src []byte) []string {
	var intro string
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		var t string
		switch n.Kind() {
		case ast.KindParagraph:
			t = collapse(plainText(n, src))
		case ast.KindList:
			if intro == "" || n.PreviousSibling() == nil || collapse(plainText(n.PreviousSibling(), src)) != intro {
				continue // a list is a lead only with its introduction
			}
			var items []string
			for li := n.FirstChild(); li != nil; li = li.NextSibling() {
				if it := strings.TrimRight(collapse(plainText(li, src)), ";,"); it != "" {
					items = append(items, it)
				}
			}
			return Sentences(intro + " " + strings.Join(items, "; "))
		default:
			continue
		}
		switch {
		case t == "":
		case intro != "" && n.PreviousSibling() != nil && n.PreviousSibling().Kind() == ast.KindParagraph &&
			collapse(plainText(n.PreviousSibling(), src)) == intro:
			return Sentences(intro + " " + t)
		case strings.HasSuffix(t, ":") && intro == "":
			intro = t
		default:
			return Sentences(t)
		}
	}
	if intro != "" {
		return Sentences(intro)
	}
	return nil
}

// blocksText returns the text of the prose blocks of root, less a heading
// that says the title: paragraphs, headings, lists and quotes, not code,
// nor a paragraph that introduces code.
func blocksText(root ast.Node, src []byte, title string) string {
	var parts []string
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		switch n.Kind() {
		case ast.KindParagraph, ast.KindList, ast.KindBlockquote:
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
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
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
	return b.String()
}
