package extract

import (
	"regexp"
	"strings"
)

// Some of Hugo's inline shortcodes show a word of the sentence they stand
// in, given as their text argument: kubernetes/website's
// {{< glossary_tooltip text="Pod" term_id="pod" >}}, a theme's
// {{< link text="release notes" url="…" >}} or
// {{< abbr text="HTML" title="HyperText Markup Language" >}}. Taken out
// with the rest, they leave the sentence without it ("A runs on a
// node."), so untemplate keeps the text. Only text: a title is a
// tooltip, a caption or a box's heading (Docsy's alert), never a word of
// the sentence; and a paired shortcode's text is a flag of its own
// (Docsy's {{< tabpane text=true >}}), its words those it encloses.
var (
	shortcodeName = regexp.MustCompile(`^\{\{[<%]\s*([\w./-]+)`)
	shortcodeText = regexp.MustCompile("\\stext\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|`([^`]*)`|([^\\s\"'`>%]+))")
)

// inlineText returns the text argument of tag, a Hugo shortcode that
// rest, what follows it, does not close; "" when it has none.
func inlineText(tag, rest string) string {
	name := shortcodeName.FindStringSubmatch(tag)
	m := shortcodeText.FindStringSubmatch(tag)
	if name == nil || m == nil || strings.HasPrefix(name[1], "/") {
		return ""
	}
	text := first(strings.ReplaceAll(m[1], `\"`, `"`), m[2], m[3], m[4])
	if text == "true" || text == "false" {
		return "" // a flag, as tabpane's
	}
	closing := regexp.MustCompile(`\{\{[<%]\s*/\s*` + regexp.QuoteMeta(name[1]) + `\s*[>%]\}\}`)
	if closing.MatchString(rest) {
		return ""
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(text, figMark, "")), " ")
}
