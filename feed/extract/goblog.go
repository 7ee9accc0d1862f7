package extract

import (
	"regexp"
	"strconv"
	"strings"
)

// The Go blog (golang.org/x/website) runs each post as a Go template
// before its Markdown is read, code and all. Of its functions, raw prints
// its string as it is ({{raw `…`}} holds code that has braces of its own,
// over lines, blank ones too; {{raw "<"}}), a string prints itself
// ({{" < "}}), image shows a picture and video a video. code and play
// include a file of the site, which seedfeed cannot read: they go as any
// tag does.

// goRawOpen opens the raw string of {{raw `…`}}.
const goRawOpen = "{{raw `"

// goRawBlock reads the raw string that lines[i] opens, alone on its line
// but for indentation, up to the backtick that closes it: a raw string
// holds none. It returns what the template prints, the line that closes
// it, and whether it is one.
func goRawBlock(lines []string, i int) (text string, end int, ok bool) {
	line := lines[i]
	at := strings.Index(line, goRawOpen)
	if at < 0 || strings.TrimSpace(line[:at]) != "" {
		return "", 0, false
	}
	var b strings.Builder
	b.WriteString(line[:at])
	s := line[at+len(goRawOpen):]
	for j := i; j < len(lines); j++ {
		if j > i {
			s = lines[j]
		}
		k := strings.IndexByte(s, '`')
		if k < 0 {
			b.WriteString(s)
			continue
		}
		if !strings.HasPrefix(s[k+1:], "}}") {
			return "", 0, false // {{raw `x` | f}}: no string alone
		}
		b.WriteString(s[:k] + s[k+len("`}}"):])
		return b.String(), j, true
	}
	return "", 0, false
}

// goAction matches a Go template action of one string, maybe given to
// raw, image or video, with the Go blog's image width after it, at the
// start of a text; backticks in it stand as tickInTag (see untemplateText).
var goAction = regexp.MustCompile(`^\{\{-?\s*(?:(raw|image|video)\s+)?("(?:[^"\\\n]|\\.)*"|` + tickInTag + `[^` + tickInTag + "`\n" + `]*` + tickInTag + `)(?:\s+\d+)?\s*-?\}\}`)

// goTickedString is a string with backticks given to raw, on one line:
// {{raw "`<-`"}} is no code span between two tags.
var goTickedString = regexp.MustCompile("\\{\\{-?\\s*raw\\s+\"(?:[^\"\\\\\\n]|\\\\.)*`(?:[^\"\\\\\\n]|\\\\.)*\"\\s*-?\\}\\}")

// goTemplate returns what the Go blog's action tag prints, as Markdown,
// and whether it is one of those it knows.
func goTemplate(tag string) (string, bool) {
	m := goAction.FindStringSubmatch(tag)
	if m == nil || len(m[0]) != len(tag) {
		return "", false
	}
	s, err := strconv.Unquote(strings.ReplaceAll(m[2], tickInTag, "`"))
	if err != nil {
		return "", false
	}
	switch m[1] {
	case "raw":
		return s, true
	case "image":
		if s == "" || strings.ContainsAny(s, " <>()\"'&\n") {
			return "", true
		}
		return `<img src="` + s + `" alt="">` + figMark + figMark, true // HTML, as it may be within HTML
	case "video":
		if !strings.HasPrefix(s, "https://") || strings.ContainsAny(s, " <>()[]\n") {
			return "", true
		}
		return figMark + "[" + s + "](" + s + ")" + figMark, true
	}
	return markdownText.Replace(s), true // html/template's escaping, which Markdown reads as the characters
}

// markdownText escapes what Markdown would read as markup of HTML.
var markdownText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// goRawInCode is {{raw "…"}} in code, on one line ("if n {{raw "<"}}= 1").
var goRawInCode = regexp.MustCompile(`\{\{raw "(?:[^"\\\n]|\\.)*"\}\}`)

// untemplateGoCode prints what {{raw "…"}} holds.
func untemplateGoCode(line string) string {
	if !strings.Contains(line, "{{raw \"") {
		return line
	}
	return goRawInCode.ReplaceAllStringFunc(line, func(tag string) string {
		s, err := strconv.Unquote(tag[len("{{raw ") : len(tag)-len("}}")])
		if err != nil {
			return tag
		}
		return s
	})
}

// isGoRawBlock reports whether lines[i] opens a raw string that a later
// line closes; one that closes on its line is read with the line's prose.
func isGoRawBlock(lines []string, i int) bool {
	_, end, ok := goRawBlock(lines, i)
	return ok && end > i
}
