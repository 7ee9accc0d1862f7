package extract

import (
	"regexp"
	"strings"
)

// postLoop is a template's loop over the site's posts: over one of
// Eleventy's collections, or Jekyll's site.posts, a category's or a tag's
// posts, or its paginator's.
var postLoop = regexp.MustCompile(`\{%-?\s*for\s+\w+\s+in\s+(?:collections(?:\.[\w$]+|\[)|site\.(?:posts|categories|tags)\b|paginator\.posts\b)`)

// listsPosts reports whether body loops over the site's posts outside its
// code, as a blog's listing page does (Eleventy's blog.md, a Jekyll
// blog/index.md, with no pagination in its front matter): fenced or
// indented code, code in backticks and a raw block show such a loop
// rather than run it, as a post about templates does.
func listsPosts(body string) bool {
	if !strings.Contains(body, "{%") || !postLoop.MatchString(body) {
		return false
	}
	lines := strings.SplitAfter(body, "\n")
	prevBlank, indented, raw := true, false, false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		indented = trimmed != "" && indentOf(line) >= 4 && (indented || prevBlank) || trimmed == "" && indented
		prevBlank = trimmed == ""
		switch {
		case raw:
			raw = !jekyllRawEnd.MatchString(line)
		case isFence(line):
			i = closingFence(lines, i) - 1
		case indented:
		default:
			text := withoutCodeSpans(line)
			if open := jekyllRawOpen.FindStringIndex(text); open != nil {
				if end := jekyllRawEnd.FindStringIndex(text[open[1]:]); end == nil {
					raw = true
				}
				text = text[:open[0]]
			}
			if postLoop.MatchString(text) {
				return true
			}
		}
	}
	return false
}

// withoutCodeSpans returns line less what it holds in backticks.
func withoutCodeSpans(line string) string {
	if !strings.Contains(line, "`") {
		return line
	}
	var b strings.Builder
	for i, part := range strings.Split(line, "`") {
		if i%2 == 0 {
			b.WriteString(part)
		}
	}
	return b.String()
}

// paginates reports whether a front matter's pagination makes the page a
// listing of others: Eleventy's (pagination: {data: collections.posts,
// size: 10}) or jekyll-paginate-v2's (pagination: {enabled: true}); not
// one turned off (enabled: false), nor a value that is no map.
func paginates(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for k, e := range m {
		if strings.EqualFold(k, "enabled") {
			return truth(e)
		}
	}
	return len(m) > 0
}
