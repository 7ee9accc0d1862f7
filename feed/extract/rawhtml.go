package extract

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
)

// Posts of site generators carry raw HTML: a picture with its width, a
// figure, a video, details to unfold, keys, a table written by hand. The
// markdown renderer leaves it out; a post that has some is rendered by
// markdownRaw with it, and its whole HTML then goes through rawPolicy, an
// allow-list: no script, style, event handler, form, frame or
// javascript: URL reaches a feed or a page.
var markdownRaw = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote),
	goldmark.WithParserOptions(parser.WithAttribute()), goldmark.WithRendererOptions(html.WithUnsafe()))

// rawPolicy is what raw HTML may keep: the elements and attributes of
// text, pictures, sound, video, lists, tables and code, with URLs of the
// usual schemes or relative ones. It adds no rel="nofollow": the posts
// are the publisher's own.
var rawPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardURLs()
	p.AllowRelativeURLs(true)
	p.AllowStandardAttributes()
	p.AllowImages()
	p.AllowLists()
	p.AllowTables()
	p.AllowStyles("text-align").MatchingEnum("left", "right", "center").OnElements("th", "td") // GFM's columns
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("cite").OnElements("blockquote", "q", "del", "ins")
	p.AllowElements("p", "br", "hr", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6",
		"b", "strong", "i", "em", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "kbd", "code", "pre",
		"samp", "var", "abbr", "cite", "q", "blockquote", "figure", "figcaption", "details", "summary",
		"picture", "center", "dl", "dt", "dd", "time", "wbr")
	p.AllowAttrs("open").OnElements("details")
	p.AllowAttrs("datetime").OnElements("time", "del", "ins")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(language-[\w+#-]+|footnote-ref|footnote-backref|footnotes|task-list-item)$`)).OnElements("code", "a", "div", "section", "li")
	p.AllowElements("section")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|backlink|endnotes)$`)).OnElements("a", "div", "section")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input") // GFM's task lists
	p.AllowAttrs("checked", "disabled").OnElements("input")
	// bluemonday checks the URLs of href and src, but not of the media
	// elements' src: those must be a web address or a relative one. A
	// picture's srcset, a video's poster and <source> are left out, as
	// none is checked (their pictures show by the img or src beside them).
	p.AllowAttrs("src").Matching(mediaURL).OnElements("video", "audio")
	p.AllowAttrs("controls", "loop", "muted", "playsinline", "width", "height", "preload").OnElements("video", "audio")
	p.AllowAttrs("loading").OnElements("img")
	p.AllowElements("video", "audio")
	p.RequireNoFollowOnLinks(false) // last: AllowStandardURLs and AllowImages set it
	return p
}()

// comment is an HTML comment.
var comment = regexp.MustCompile(`(?s)<!--.*?-->`)

// mediaURL is a web address, or a relative one: no scheme before its first
// slash, question mark or hash.
var mediaURL = regexp.MustCompile(`^(?:https?://[^\s"]+|[^:/?#\s"]+(?:[/?#][^\s"]*)?|[/?#.][^\s"]*)$`)

// hasRawHTML reports whether root holds raw HTML other than comments
// ("<!-- more -->", which the summary reads, and notes to the author).
func hasRawHTML(root ast.Node, src []byte) bool {
	found := false
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if found {
			return ast.WalkStop, nil
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock:
			// A comment alone is none: "<!-- c --><img …>" on one line is.
			found = n.HTMLBlockType != ast.HTMLBlockType2 || strings.TrimSpace(comment.ReplaceAllString(string(n.Lines().Value(src)), "")) != ""
		case *ast.RawHTML:
			raw := string(n.Segments.Value(src))
			found = !strings.HasPrefix(raw, "<!--")
		}
		return ast.WalkContinue, nil
	})
	return found
}

// rawLinks returns the relative URLs of the src and href attributes of
// html, those of raw HTML among them, that links does not hold yet: the
// pictures and files a post's raw HTML shows are published with it.
func rawLinks(html string, links []string) []string {
	seen := make(map[string]bool, len(links))
	for _, l := range links {
		seen[l] = true
	}
	for rest := html; ; {
		i := NextURLAttr(rest)
		if i < 0 {
			return links
		}
		rest = rest[i:]
		end := strings.IndexByte(rest, '"')
		if end < 0 {
			return links
		}
		u := unescapeAttr(rest[:end])
		rest = rest[end:]
		if isRelativeURL(u) && !seen[u] {
			seen[u] = true
			links = append(links, u)
		}
	}
}

// NextURLAttr returns where the value of the next href or src attribute in
// s, HTML as extract and render write it, starts, or -1. It reads s once,
// up to that attribute: a text of many links is read in one pass by
// calls on what follows each.
func NextURLAttr(s string) int {
	for i := 0; ; {
		j := strings.Index(s[i:], `="`)
		if j < 0 {
			return -1
		}
		i += j
		if strings.HasSuffix(s[:i], " href") || strings.HasSuffix(s[:i], " src") {
			return i + len(`="`)
		}
		i += len(`="`)
	}
}

// unescapeAttr undoes the escapes an attribute's value has in HTML that
// goldmark or bluemonday wrote.
func unescapeAttr(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return strings.NewReplacer("&amp;", "&", "&#34;", `"`, "&#39;", "'", "&quot;", `"`, "&lt;", "<", "&gt;", ">").Replace(s)
}
