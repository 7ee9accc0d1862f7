package extract

import (
	"regexp"
	"strings"
)

// Markdown of other dialects than CommonMark's, as the generators' posts
// carry it, outside code: Kramdown's attribute lists (Jekyll's default
// Markdown), which say a class or an id and show nothing ("{: .note}"
// under a paragraph, "{: #v4-4-1}" under a heading, "text{:.big}"); and
// GitHub's alerts ("> [!NOTE]" opening a quote), which show as a label.
func dialects(body string) string {
	if !strings.Contains(body, "{:") && !strings.Contains(body, "[!") {
		return body // most posts
	}
	lines := strings.SplitAfter(body, "\n")
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if isFence(line) {
			end := closingFence(lines, i)
			for _, l := range lines[i:end] {
				b.WriteString(l)
			}
			i = end - 1
			continue
		}
		if i+1 < len(lines) && opensIAL(line) && !isFence(lines[i+1]) {
			// An attribute list broken over two lines ("![x](x.gif){:" and
			// ".icon width=\"70\"}Text"): the two are one line without it.
			two := line + lines[i+1]
			if joined := ialSpanBreak.ReplaceAllString(ialEndBreak.ReplaceAllString(two, "$1"), "$1"); joined != two {
				line = joined
				i++
			}
		}
		line = ialSpan.ReplaceAllString(ialEnd.ReplaceAllString(line, "$1"), "$1")
		if m := alert.FindStringSubmatchIndex(line); m != nil {
			prefix := line[m[2]:m[3]]
			kind := strings.ToLower(line[m[4]:m[5]])
			label := "**" + strings.ToUpper(kind[:1]) + kind[1:] + "**"
			if rest := line[m[1]:]; strings.TrimSpace(rest) != "" {
				line = prefix + label + " " + rest
			} else { // the label, then the alert's text as a paragraph of its own
				line = prefix + label + "\n" + strings.TrimRight(prefix, " \t") + "\n"
			}
		}
		b.WriteString(line)
	}
	return b.String()
}

// ial is a Kramdown attribute list: classes, ids and key="value" pairs,
// and nothing else, so that a Ruby hash in code ({:verbose => true}) or a
// symbol ({:a}) is none. ialBreak is one that may break its line once,
// where a space may be, to be matched on two lines made one.
var (
	ial      = ialOf(`[ \t]*`, `[ \t]+`)
	ialBreak = ialOf(`[ \t]*(?:\r?\n[ \t]*)?`, `(?:[ \t]+|[ \t]*\r?\n[ \t]*)`)
)

// ialOf is an attribute list whose items are apart by sep, and whose
// first comes after "{:" and open.
func ialOf(open, sep string) string {
	const item = `(?:[.#][\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'))`
	return `\{:` + open + item + `(?:` + sep + item + `)*[ \t]*\}`
}

// opensIAL reports whether line ends inside what may be an attribute list:
// after its last "{:", no "}".
func opensIAL(line string) bool {
	i := strings.LastIndex(line, "{:")
	return i >= 0 && !strings.Contains(line[i:], "}")
}

var (
	// ialEnd is an attribute list that ends a line, alone on it or after
	// text and no space or one.
	ialEnd = regexp.MustCompile(`[ \t]?` + ial + `[ \t]*(\r?\n?)$`)
	// ialSpan is one right after an element of a line: "*word*{:.big}".
	ialSpan = regexp.MustCompile("([*_)\\]`])" + ial)
	// ialEndBreak and ialSpanBreak are ialEnd and ialSpan over two lines.
	ialEndBreak  = regexp.MustCompile(`[ \t]?` + ialBreak + `[ \t]*(\r?\n?)$`)
	ialSpanBreak = regexp.MustCompile("([*_)\\]`])" + ialBreak)
	// alert is GitHub's alert marker opening a quote.
	alert = regexp.MustCompile(`(?i)^([ \t]*>[ \t]*)\[!(note|tip|important|warning|caution)\][ \t]*`)
)
