package render

import (
	"strconv"
	"strings"
	"time"
)

// The HTML pages are written here by hand, in the order they read, with
// the escaping html/template would give each value in its place: text,
// quoted attributes and <title> by htmlText, link addresses by htmlURL.
// With a template, the page cost three times as much, as every field and
// every escaper is called through reflection, and a first build writes a
// page for every file (BenchmarkPage: 53 µs a page with html/template,
// 17 µs here). TestEscapesAsHTMLTemplate holds the escaping to
// html/template's.

// pageWriter is a page being written.
type pageWriter struct{ b []byte }

func (h *pageWriter) raw(s string) { h.b = append(h.b, s...) }

// text writes s escaped for text, a quoted attribute's value or a
// <title>: html/template's htmlEscaper, attrEscaper and rcdataEscaper,
// which are the same for text that is not already HTML.
func (h *pageWriter) text(s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case 0:
			esc = "\uFFFD"
		case '"':
			esc = "&#34;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '+':
			esc = "&#43;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		default:
			continue
		}
		h.b = append(append(h.b, s[written:i]...), esc...)
		written = i + 1
	}
	h.b = append(h.b, s[written:]...)
}

// url writes s as the whole value of an attribute that holds an address,
// as html/template does: an address with a scheme other than http, https
// or mailto becomes "#ZgotmplZ"; bytes that are not allowed in an address
// are percent-encoded (those of non-ASCII letters too), and the result is
// escaped as an attribute's value.
func (h *pageWriter) url(s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		h.raw("#ZgotmplZ")
		return
	}
	const hex = "0123456789abcdef"
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("!#$*,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '&':
			h.b = append(append(h.b, s[written:i]...), "&amp;"...)
		case c == '+':
			h.b = append(append(h.b, s[written:i]...), "&#43;"...)
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		default:
			h.b = append(append(h.b, s[written:i]...), '%', hex[c>>4], hex[c&15])
		}
		written = i + 1
	}
	h.b = append(h.b, s[written:]...)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// attr writes ` name="value"` when value is not empty.
func (h *pageWriter) attr(name, value string) {
	if value != "" {
		h.raw(" " + name + `="`)
		h.text(value)
		h.raw(`"`)
	}
}

// link writes <a href="url" rel="rel">text</a>.
func (h *pageWriter) link(url, rel, text string) {
	h.raw(`<a href="`)
	h.url(url)
	h.raw(`"`)
	h.attr("rel", rel)
	h.raw(">")
	h.text(text)
	h.raw("</a>")
}

// writeEntry writes the page of one entry.
func writeEntry(d pageData) []byte {
	e := d.Entry
	h := &pageWriter{b: make([]byte, 0, len(style)+len(e.Content)+2048)}
	h.open(d)
	h.raw("<title>")
	h.text(e.Title)
	h.raw(" · ")
	h.text(d.Site.Title)
	h.raw("</title>\n")
	h.head(d)
	h.raw("\n<link rel=\"canonical\" href=\"")
	h.url(e.URL)
	h.raw("\">\n</head>\n<body>\n<p>")
	h.link(d.Home, "", "← "+d.Site.Title)
	h.raw("</p>\n<article")
	h.attr("lang", e.Lang)
	h.attr("dir", e.Dir)
	h.raw(">\n<h1")
	h.mixed(e)
	h.raw(">")
	h.text(e.Title)
	h.raw("</h1>\n<p class=\"meta\">Published ")
	h.time(e.Published, e.Published.Format("2 January 2006"))
	if e.Updated.After(e.Published) {
		h.raw(" · updated ")
		h.time(e.Updated, e.Updated.Format("2 January 2006 15:04 MST"))
	}
	h.byline(e)
	h.raw("</p>\n")
	h.raw(e.Content)
	h.raw("\n</article>\n")
	h.feeds(d)
	h.raw("\n</body>\n</html>\n")
	return h.b
}

// writeIndex writes the index, or one of its archive pages, or a
// category's.
func writeIndex(d pageData) []byte {
	h := &pageWriter{b: make([]byte, 0, len(style)+2048+512*len(d.Entries))}
	h.open(d)
	h.raw("<title>")
	h.text(d.Site.Title)
	if d.Page != 0 {
		h.raw(": older entries, page " + strconv.Itoa(d.Page))
	}
	h.raw("</title>\n")
	h.head(d)
	h.raw("\n</head>\n<body>\n<header>\n<h1>")
	if d.Page != 0 || d.Dir != "" {
		h.link(d.Home, "", d.Site.Title)
	} else {
		h.text(d.Site.Title)
	}
	h.raw("</h1>\n")
	if d.Site.Subtitle != "" {
		h.raw("<p>")
		h.text(d.Site.Subtitle)
		h.raw("</p>")
	}
	h.raw("\n")
	h.feeds(d)
	h.raw("\n</header>\n<main>\n")
	for _, e := range d.Entries {
		h.raw("<article")
		h.attr("lang", e.Lang) // its own, so that its letters are drawn in its glyphs (Japanese's, not Chinese's)
		h.attr("dir", e.Dir)
		h.raw(">\n<h2")
		h.mixed(e)
		h.raw(">")
		h.link(e.URL, "", e.Title)
		h.raw("</h2>\n<p class=\"meta\">")
		h.time(e.Published, e.Published.Format("2 January 2006"))
		h.byline(e)
		h.raw("</p>\n<p")
		h.mixed(e)
		h.raw(">")
		h.text(e.Summary)
		h.raw("</p>\n</article>\n")
	}
	switch {
	case len(d.Entries) > 0:
	case d.Page != 0:
		h.raw("<p>No entries on this page any more.</p>\n")
	default:
		h.raw("<p>No entries yet. Drop a text file into the seeds folder.</p>\n")
	}
	h.raw("</main>\n")
	if d.Newer != "" || d.Older != "" {
		h.raw(`<nav class="pages">`)
		if d.Newer != "" {
			h.link(d.Newer, "next", "← Newer entries")
		}
		if d.Older != "" {
			h.link(d.Older, "prev", "Older entries →")
		}
		h.raw("</nav>\n")
	}
	h.raw("\n</body>\n</html>\n")
	return h.b
}

// open writes what every page begins with, up to its <title>.
func (h *pageWriter) open(d pageData) {
	h.raw("<!doctype html>\n<html lang=\"")
	h.text(d.Site.Language)
	h.raw(`"`)
	h.attr("dir", d.TextDir)
	h.raw(">\n<head>\n")
}

// head writes the rest of every page's <head>: the icon, the feeds to
// discover, and the style.
func (h *pageWriter) head(d pageData) {
	h.raw("<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"seedfeed\">\n")
	if d.Icon != "" {
		h.raw(`<link rel="icon" href="`)
		h.url(d.Icon)
		h.raw("\">\n")
	}
	for _, f := range d.Feeds {
		h.raw(f.Alternate)
		h.raw("\n")
	}
	h.raw(`<link rel="outline" type="text/x-opml" title="Every feed of `)
	h.text(d.Site.Title)
	h.raw(`" href="`)
	h.url(d.OPML)
	h.raw("\">\n")
	h.raw(style)
}

// feeds writes the paragraph of links to the feeds.
func (h *pageWriter) feeds(d pageData) {
	h.raw(`<p class="feeds">Subscribe: `)
	for _, f := range d.Feeds {
		h.link(f.URL, "", f.Title)
	}
	h.link(d.OPML, "", "Every feed (OPML)")
	h.raw("</p>")
}

// mixed writes dir="auto" on a heading or paragraph of an entry that has
// letters of both directions.
func (h *pageWriter) mixed(e pageEntry) {
	if e.Mixed {
		h.raw(` dir="auto"`)
	}
}

// time writes a <time> element of t, which reads text.
func (h *pageWriter) time(t time.Time, text string) {
	h.raw(`<time datetime="`)
	h.text(t.Format(time.RFC3339))
	h.raw(`">`)
	h.text(text)
	h.raw("</time>")
}

// byline writes the author and the categories of an entry, each after a
// middle dot.
func (h *pageWriter) byline(e pageEntry) {
	if e.Author != "" {
		h.raw(" · ")
		h.text(e.Author)
	}
	for _, c := range e.Categories {
		h.raw(" · ")
		if c.URL != "" {
			h.link(c.URL, "tag", c.Name)
		} else {
			h.text(c.Name)
		}
	}
}

// style is every page's style sheet.
const style = `<style>
body{font:17px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:44em;margin:2em auto;padding:0 1em;color:#1d1d1f;background:#fff}
a{color:#0b57d0}h1{line-height:1.2}header p{color:#555;margin-top:-.5em}
article{border-top:1px solid #e3e3e3;padding:.6em 0}article h2{font-size:1.2em;margin:.4em 0 .2em}
.meta{color:#666;font-size:.85em}
body{overflow-wrap:anywhere}img,video,svg,iframe{max-width:100%;height:auto}figure{margin:1em 0}
pre{overflow-x:auto;max-width:100%;direction:ltr;text-align:left;padding:.6em;background:#f5f5f5}pre code{overflow-wrap:normal}code{unicode-bidi:isolate}
table{display:block;max-width:100%;overflow-x:auto}td,th{overflow-wrap:break-word}.feeds a{margin-right:1em}
.pages{display:flex;justify-content:space-between;border-top:1px solid #e3e3e3;padding:1em 0}.pages a:only-child[rel=prev]{margin-left:auto}
@media (prefers-color-scheme:dark){body{background:#121212;color:#e6e6e6}a{color:#8ab4f8}.meta,header p{color:#aaa}article{border-color:#333}pre{background:#1e1e1e}}
</style>`
