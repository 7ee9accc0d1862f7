package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Site generators' Markdown carries template markup that only the
// generator can run: Hugo's shortcodes ({{< name >}}, {{% name %}}),
// Liquid's tags and outputs in Jekyll and Eleventy ({% link … %},
// {{ site.title }}), Zola's shortcodes ({{ name() }}, {% name() %}…{% end %}).
// seedfeed cannot run them, and must not show them: untemplate takes them
// out of a body before it is parsed.
//
//   - A tag is removed; what a paired one encloses stays, as text
//     ({{< note >}}Text{{< /note >}} keeps "Text").
//   - {% highlight go %}…{% endhighlight %} and {{< highlight go >}}…
//     {{< /highlight >}} become a fenced code block.
//   - {% raw %}…{% endraw %} keeps what it encloses literally, markup and all.
//   - {% comment %}…{% endcomment %}, {# … #} and {% capture x %}…
//     {% endcapture %} (which the generator keeps for later, unseen) go,
//     with what they enclose.
//   - Hugo's figure shortcode becomes a figure, and its youtube and vimeo
//     shortcodes links to the video (see figures.go); an inline
//     shortcode's text argument stays, as a word of its sentence (see
//     shortcodes.go).
//   - Code (fenced, indented, or inline in backticks) keeps every tag as
//     written: a post that shows how to write a shortcode shows it. Only
//     what the generator itself does there is done: Hugo's escaped
//     {{</* name */>}} reads {{< name >}}, and Jekyll's raw tags vanish.
//   - <!--more--> (or Docusaurus's <!-- truncate -->) marks the end of the
//     summary: more is where it was in the result, or -1.
func untemplate(body string) (out string, more int) {
	if !strings.Contains(body, "{{") && !strings.Contains(body, "{%") && !strings.Contains(body, "{#") && !strings.Contains(body, "<!--") {
		return body, -1 // most posts
	}
	var b strings.Builder
	b.Grow(len(body))
	more = -1
	lines := strings.SplitAfter(body, "\n")
	var text []string // lines of prose not yet written
	flush := func() {
		if len(text) > 0 {
			b.WriteString(untemplateText(strings.Join(text, "")))
			text = text[:0]
		}
	}
	prevBlank := true
	listCol := -1 // where the text of the list the lines are in starts, or -1
	unclosed := map[string]bool{}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		// Indented after a blank line is code, but in a list, where it is
		// code only indented past the items' text (hugoDocs' lists).
		ind := indentOf(line)
		isCode := prevBlank && trimmed != "" && ind >= 4 && (listCol < 0 || ind >= listCol+4)
		if trimmed != "" && !isCode {
			if m := strings.TrimLeft(listItem.FindString(line), " \t"); m != "" && (prevBlank || listCol >= 0 || startsList(m)) {
				listCol = ind + len(m)
			} else if ind == 0 && prevBlank {
				listCol = -1
			}
		}
		// A block's tags are the generator's wherever they are, indented in
		// a list item too (hugoDocs' configuration/introduction.md).
		block := blockStart.FindStringSubmatch(trimmed)
		var name, arg string
		var end int
		if block != nil {
			name, arg = strings.ToLower(first(block[1], block[3], block[5])), strings.TrimSpace(first(block[2], block[4], block[6]))
			var ok bool
			end, ok = blockEnd(lines, i, block[0], name, unclosed)
			if !ok || name == "raw" && jekyllRawEnd.MatchString(trimmed) { // "{% raw %}`%}`{% endraw %}." opens a line of prose, no block
				end = -1
			}
		}
		switch {
		case isFence(line):
			flush()
			end := closingFence(lines, i)
			for _, l := range lines[i:end] {
				b.WriteString(untemplateCode(l))
			}
			i = end - 1
		case block != nil && end >= 0:
			flush()
			indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
			inner := strings.Join(lines[i+1:end], "")
			if rest := strings.TrimSpace(strings.TrimPrefix(trimmed, block[0])); rest != "" {
				inner = indent + rest + "\n" + inner // {% highlight go %}code on the tag's line
			}
			switch name {
			case "highlight", "code", "codeblock", "code-toggle":
				lang, _, _ := strings.Cut(strings.Trim(arg, `"'`), " ")
				if name == "code-toggle" || strings.Contains(lang, "=") {
					lang = "" // Hugo's code-toggle shows configuration, in a format of its own; file=… is no language
				}
				fence := "```"
				for strings.Contains(inner, fence) {
					fence += "`"
				}
				b.WriteString(indent + fence + strings.Trim(lang, `"',`) + "\n" + strings.TrimRight(inner, "\n") + "\n" + indent + fence + "\n")
			case "raw":
				b.WriteString(inner)
			}
			i = end
		case strings.HasPrefix(trimmed, goRawOpen) && isGoRawBlock(lines, i):
			flush()
			text, end, _ := goRawBlock(lines, i)
			b.WriteString(text) // the Go blog's code, as it is
			i = end
		case isCode:
			// Indented code: up to the next line that is neither blank nor indented.
			flush()
			for ; i < len(lines) && (strings.TrimSpace(lines[i]) == "" || strings.HasPrefix(lines[i], "    ") || strings.HasPrefix(lines[i], "\t")); i++ {
				b.WriteString(untemplateCode(lines[i]))
			}
			i--
		case block != nil: // no end: prose
			text = append(text, line)
		case strings.Contains(trimmed, "<!--") && moreMark.MatchString(line) && more < 0:
			loc := moreMark.FindStringIndex(line)
			text = append(text, line[:loc[0]])
			flush()
			more = b.Len()
			text = append(text, line[loc[1]:])
		default:
			text = append(text, line)
		}
		prevBlank = strings.TrimSpace(lines[i]) == ""
	}
	flush()
	return b.String(), more
}

// moreMark is the summary divider of Hugo, Jekyll and Eleventy, and
// Docusaurus's (<!-- truncate -->; in MDX, {/* truncate */}: see jsx).
var moreMark = regexp.MustCompile(`(?i)<!--\s*(?:more|truncate)\s*-->`)

// blockStart matches a tag that opens a block seedfeed treats apart, alone
// on its line: a code block, raw text, or a comment.
var blockStart = regexp.MustCompile(`^(?:\{%-?\s*(highlight|raw|comment|capture)\b([^%]*?)-?%\}|\{\{<\s*(highlight|code-toggle|codeblock|code)(\s.*?)?>\}\}|\{\{%\s*(highlight|code-toggle|codeblock|code)(\s.*?)?%\}\})`)

// blockEnds match the tags that close the blocks blockStart opens, by the
// opening's first three bytes and the block's name.
var blockEnds = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for _, name := range []string{"highlight", "code", "codeblock", "code-toggle"} {
		m["{{<"+name] = regexp.MustCompile(`^\{\{<\s*/` + name + `\s*>\}\}`)
		m["{{%"+name] = regexp.MustCompile(`^\{\{%\s*/` + name + `\s*%\}\}`)
	}
	for _, name := range []string{"highlight", "raw", "comment", "capture"} {
		m["{%"+name] = regexp.MustCompile(`^\{%-?\s*end` + name + `\s*-?%\}`)
	}
	return m
}()

// blockEnd finds the line that closes the block opened on lines[i] by tag.
// unclosed remembers the blocks found to have no end after some line,
// which they then have after no later one either: a file of openings
// without ends costs one pass, not one per opening.
func blockEnd(lines []string, i int, tag, name string, unclosed map[string]bool) (int, bool) {
	key := tag[:3] + name
	if tag[1] == '%' {
		key = "{%" + name
	}
	end := blockEnds[key]
	if end == nil || unclosed[key] {
		return 0, false
	}
	for j := i + 1; j < len(lines); j++ {
		if end.MatchString(strings.TrimSpace(lines[j])) {
			return j, true
		}
	}
	unclosed[key] = true
	return 0, false
}

// isFence reports whether line opens or closes fenced code.
func isFence(line string) bool {
	t := strings.TrimLeft(line, " ")
	return len(line)-len(t) <= 3 && (strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"))
}

// closingFence returns the index just past the fence that closes the one
// at lines[i], or len(lines) when none does.
func closingFence(lines []string, i int) int {
	t := strings.TrimLeft(lines[i], " ")
	n := len(t) - len(strings.TrimLeft(t, t[:1]))
	marker := t[:n]
	for j := i + 1; j < len(lines); j++ {
		c := strings.TrimLeft(lines[j], " ")
		if len(lines[j])-len(c) <= 3 && strings.HasPrefix(c, marker) && strings.TrimSpace(strings.TrimLeft(c, marker[:1])) == "" {
			return j + 1
		}
	}
	return len(lines)
}

// hugoEscaped is Hugo's way to show a shortcode: {{</* name */>}}.
var hugoEscaped = strings.NewReplacer("{{</*", "{{<", "*/>}}", ">}}", "{{%/*", "{{%", "*/%}}", "%}}")

// jekyllRaw are the raw tags, which Jekyll removes even in code;
// jekyllRawOpen and jekyllRawEnd each of them.
var (
	jekyllRaw     = regexp.MustCompile(`\{%-?\s*(?:end)?raw\s*-?%\}`)
	jekyllRawOpen = regexp.MustCompile(`\{%-?\s*raw\s*-?%\}`)
	jekyllRawEnd  = regexp.MustCompile(`\{%-?\s*endraw\s*-?%\}`)
)

// untemplateCode is what the generators make of a line of code.
func untemplateCode(line string) string {
	if !strings.Contains(line, "{") {
		return line
	}
	return untemplateGoCode(jekyllRaw.ReplaceAllString(hugoEscaped.Replace(line), ""))
}

// nextTag finds the first template tag in s: its start and end, or -1. A
// tag may run over lines, but not over a blank one, nor over maxTag bytes:
// a lone "{{" in prose is text. Where each kind of closer occurs next is
// remembered, so that a run of lone openers costs one pass.
func nextTag(s string) (start, end int) {
	var next [len(closers)]int // where closers[k] is next, plus one; 0: not looked for yet; -1: nowhere
	for from := 0; ; {
		i := strings.IndexByte(s[from:], '{')
		if i < 0 {
			return -1, -1
		}
		i += from
		from = i + 1
		k := closerOf(s[i:])
		if k < 0 {
			continue
		}
		if next[k] == 0 || next[k] > 0 && next[k]-1 < i+2 {
			next[k] = -1
			if j := strings.Index(s[i+2:], closers[k]); j >= 0 {
				next[k] = i + 2 + j + 1
			}
		}
		if next[k] < 0 {
			continue
		}
		if pos := next[k] - 1; pos-i <= maxTag && !hasBlankLine(s[i+2:pos]) {
			return i, pos + len(closers[k])
		}
	}
}

// closers end the tags that openers open, in the same order: the longer
// openings first.
var (
	openers = [...]string{"{{<", "{{%", "{#", "{{", "{%"}
	closers = [...]string{">}}", "%}}", "#}", "}}", "%}"} // "{#": a comment of Nunjucks, Jinja and Zola
)

// closerOf returns which opener s starts with, or -1.
func closerOf(s string) int {
	for k, o := range openers {
		if strings.HasPrefix(s, o) {
			return k
		}
	}
	return -1
}

// maxTag bounds the length of a template tag.
const maxTag = 2000

// hasBlankLine reports whether s holds a line of nothing but white space
// between two others.
func hasBlankLine(s string) bool {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return false
		}
		s = s[i+1:]
		if j := strings.IndexByte(s, '\n'); j >= 0 && strings.TrimSpace(s[:j]) == "" {
			return true
		}
	}
}

// hiddenOpen matches the Liquid tags whose text is never shown, and
// hiddenEndAnywhere the tags that close them.
var (
	hiddenOpen        = regexp.MustCompile(`^\{%-?\s*(comment|capture)\b`)
	hiddenEndAnywhere = map[string]*regexp.Regexp{
		"comment": regexp.MustCompile(`\{%-?\s*endcomment\s*-?%\}`),
		"capture": regexp.MustCompile(`\{%-?\s*endcapture\s*-?%\}`),
	}
)

// hole stands in the text for a variable that only the generator can
// fill, taken out of a sentence ("lives at {{ site.repository }} on"),
// until the summary is chosen (see withoutHoles). It is a noncharacter,
// which Clean takes out of every seed: no text holds it.
const hole = "\uFFFF"

// untemplateText is untemplateProse, where a tag whose arguments are in
// backticks ({{code "x.go" `/START/` `/END/`}}, {{< param `x` >}}) is a
// tag, not code spans.
func untemplateText(s string) string {
	if !strings.Contains(s, "`") || !tickedTag.MatchString(s) && !goTickedString.MatchString(s) {
		return untemplateProse(s)
	}
	protect := func(t string) string { return strings.ReplaceAll(t, "`", tickInTag) }
	s = goTickedString.ReplaceAllStringFunc(tickedTag.ReplaceAllStringFunc(s, protect), protect)
	return strings.ReplaceAll(untemplateProse(s), tickInTag, "`")
}

// tickedTag is a tag on one line with an argument in backticks, after a
// name, which may hold braces (`/^}/`): "{{` and `}}" is two code spans,
// no tag.
var tickedTag = regexp.MustCompile("\\{\\{[<%]?\\s*[\\w./\"-][^{}\\n`]*\\s`[^`\\n]*`(?:[^{}\\n`]|`[^`\\n]*`)*[>%]?\\}\\}")

// tickInTag stands for a backtick within a tag while code spans are found.
const tickInTag = "\uFDD0" // a noncharacter; figMark is U+FFFE

// untemplateProse is untemplate for prose: a run of lines outside code.
// Inline code spans keep their tags, as code does.
func untemplateProse(s string) string {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "{%") && !strings.Contains(s, "{#") {
		return s
	}
	// Liquid's raw: what it encloses is shown as it is, code spans and
	// all, and the tags go without a trace, the spaces around them kept
	// ("{% raw %}`{{`{% endraw %} and" reads "`{{` and").
	if open := jekyllRawOpen.FindStringIndex(s); open != nil {
		if end := jekyllRawEnd.FindStringIndex(s[open[1]:]); end != nil {
			return untemplateText(s[:open[0]]) + s[open[1]:open[1]+end[0]] + untemplateText(s[open[1]+end[1]:])
		}
	}
	var b strings.Builder
	unclosed := map[int]bool{} // lengths of backtick runs that no later run closes
	for s != "" {
		tick := strings.IndexByte(s, '`')
		chunk := s
		if tick >= 0 {
			chunk = s[:tick]
		}
		b.WriteString(untemplateTags(chunk))
		if tick < 0 {
			break
		}
		s = s[tick:]
		n := len(s) - len(strings.TrimLeft(s, "`"))
		run := s[:n]
		end := -1
		if !unclosed[n] {
			end = strings.Index(s[n:], run)
		}
		for end >= 0 && n+end+n < len(s) && s[n+end+n] == '`' { // a longer run does not close it
			next := strings.Index(s[n+end+n:], run)
			if next < 0 {
				end = -1
				break
			}
			end += n + next
		}
		if end < 0 {
			unclosed[n] = true
			b.WriteString(run) // not a code span: literal backticks
			s = s[n:]
			continue
		}
		b.WriteString(untemplateCode(s[:n+end+n]))
		s = s[n+end+n:]
	}
	return b.String()
}

// untemplateTags removes every tag from prose, keeps what raw tags
// enclose as it is, and makes Hugo's figures images.
func untemplateTags(s string) string {
	var b strings.Builder
	unclosed := map[string]bool{}
	for {
		start, end := nextTag(s)
		if start < 0 {
			b.WriteString(s)
			return b.String()
		}
		if m := goAction.FindStringIndex(s[start:]); m != nil {
			end = start + m[1] // a string may hold braces: {{raw "[`{{block}}` action]"}}
		}
		tag := s[start:end]
		if start > 0 && s[start-1] == '<' && end < len(s) && s[end] == '>' && isVariable(tag) {
			// "<{{ release.url.gz }}>", ruby-lang.org's release template:
			// an autolink to an address only the generator knows is none.
			b.WriteString(s[:start-1])
			s = closeGap(&b, tag, s[end+1:])
			continue
		}
		b.WriteString(s[:start])
		s = s[end:]
		written := b.Len()
		switch {
		case jekyllRaw.MatchString(tag) && !strings.Contains(tag, "endraw"):
			if end := jekyllRaw.FindStringIndex(s); end != nil {
				b.WriteString(s[:end[0]])
				s = s[end[1]:]
			}
		case goAction.MatchString(tag):
			text, _ := goTemplate(tag)
			b.WriteString(text)
		case hiddenOpen.MatchString(tag):
			name := hiddenOpen.FindStringSubmatch(tag)[1]
			if unclosed[name] {
				break
			}
			if end := hiddenEndAnywhere[name].FindStringIndex(s); end != nil {
				s = s[end[1]:] // what it encloses is never shown
			} else {
				unclosed[name] = true // nor later: one search, whatever the count of openings
			}
		case (strings.HasPrefix(tag, "{{<") || strings.HasPrefix(tag, "{{%")) && strings.Contains(tag, "/*"):
			b.WriteString(hugoEscaped.Replace(tag)) // Hugo's escape, shown as the tag it stands for
		case liquidLink.MatchString(tag):
			// A link to a file of the site, from its root: the post's page
			// once the index knows it (see feed.SeedsOf).
			m := liquidLink.FindStringSubmatch(tag)
			if m[1] == "post_url" {
				b.WriteString("/_posts/" + strings.TrimPrefix(m[2], "/"))
			} else {
				b.WriteString("/" + strings.TrimPrefix(m[2], "/"))
			}
		case figure.MatchString(tag):
			b.WriteString(figureImage(tag))
		case video.MatchString(tag):
			b.WriteString(videoLink(tag))
		case strings.HasPrefix(tag, "{{<") || strings.HasPrefix(tag, "{{%"):
			b.WriteString(inlineText(tag, s)) // a word of the sentence, as glossary_tooltip's (see shortcodes.go)
		}
		if b.Len() == written {
			s = closeGap(&b, tag, s)
		}
	}
}

// closeGap mends the text where tag was taken out, before rest: of the
// spaces on either side one stays ("new {{< new-in 0.140 >}} in" reads
// "new in"), none at the start of a line; and a variable taken out of a
// sentence leaves a hole in it. It returns rest, less the space it drops.
func closeGap(b *strings.Builder, tag, rest string) string {
	text := b.String()
	if isVariable(tag) { // "**{{ site.ruby }}**" leaves no "****"
		for _, m := range []string{"**", "__", "*", "_", "`"} {
			if strings.HasSuffix(text, m) && strings.HasPrefix(rest, m) {
				text, rest = text[:len(text)-len(m)], rest[len(m):]
				b.Reset()
				b.WriteString(text)
				break
			}
		}
	}
	lineStart := text == "" || text[len(text)-1] == '\n'
	spaceBefore := strings.HasSuffix(text, " ")
	if (spaceBefore || lineStart) && strings.HasPrefix(rest, " ") {
		rest = strings.TrimLeft(rest, " ")
	}
	next, _ := utf8.DecodeRuneInString(rest)
	lineEnd := rest == "" || next == '\n' || next == '\r'
	if isVariable(tag) && (spaceBefore || lineStart) && !(lineStart && lineEnd) {
		b.WriteString(hole)
	}
	return rest
}

// isVariable reports whether tag prints a value only the generator knows:
// Liquid's, Eleventy's and Zola's {{ site.title }}, and Hugo's
// {{< param "x" >}}.
func isVariable(tag string) bool {
	if strings.HasPrefix(tag, "{{<") || strings.HasPrefix(tag, "{{%") {
		return hugoParam.MatchString(tag)
	}
	return strings.HasPrefix(tag, "{{")
}

// liquidLink matches Jekyll's tags that print the address of a file of the
// site: {% link _posts/2020-01-01-x.md %}, and {% post_url 2020-01-01-x %},
// which names a post without its extension.
var liquidLink = regexp.MustCompile(`^\{%-?\s*(link|post_url)\s+["']?([^\s"'%]+)["']?\s*-?%\}$`)

// hugoParam matches Hugo's shortcodes that print a value.
var hugoParam = regexp.MustCompile(`^\{\{[<%]\s*(?:param|site|version)\b`)
