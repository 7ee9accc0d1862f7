package extract

import (
	"regexp"
	"slices"
	"strings"
)

// MDX (Docusaurus, Astro, Next.js, nodejs.org, react.dev) is Markdown
// with JSX and JavaScript in it, which only its compiler can run. jsx
// takes out of a body, outside code (fenced, indented, or inline in
// backticks), what of that syntax a reader would see as text:
//
//   - JSX's comments, {/* … */}, in any Markdown post: react.dev writes
//     them in its .md files too. One that ends a heading names its id
//     ("## What is new {/*whats-new*/}"), which the heading is given as
//     Hugo's "{#whats-new}" gives it.
//   - String expressions ({'\n'}, {'  '}, {"…"}, {`…`} without ${…}),
//     which print their text: in a .mdx file anywhere, in a .md file only
//     within a component's block (react.dev's <ConsoleBlockMulti>), where
//     the post is surely MDX; a "{" of prose stays.
//   - In a .mdx file, its import and export lines (ESM, at the top level)
//     and its components' tags (<Intro>, </Intro>, <YouWillLearn />,
//     <>), whose text stays. Tags in lower case are HTML, read as raw
//     HTML is in any post; in a .md file, where HTML's may be written in
//     capitals (<P>, <BR>), no tag is taken out.
func jsx(body string, mdx bool) string {
	if !mdx && !strings.Contains(body, "{/*") && !strings.Contains(body, "{'") &&
		!strings.Contains(body, "{\"") && !strings.Contains(body, "{`") {
		return body // most posts
	}
	sc := &jsxScan{mdx: mdx}
	var b strings.Builder
	b.Grow(len(body))
	lines := strings.SplitAfter(body, "\n")
	var text []string // lines of prose not yet written
	flush := func() {
		if len(text) > 0 {
			b.WriteString(sc.prose(strings.Join(text, "")))
			text = text[:0]
		}
	}
	prevBlank := true
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case isFence(line) || mdx && isFence(strings.TrimLeft(line, " \t")):
			// MDX has no indented code: a fence in a component's block
			// may be indented as deep as the block (nodejs.org's), and is
			// a fence still, less that indent.
			flush()
			end, indent := closingFence(lines, i), ""
			if mdx {
				end = closingMDXFence(lines, i)
				if !isFence(line) {
					indent = line[:len(line)-len(strings.TrimLeft(line, " \t"))]
				}
			}
			for _, l := range lines[i:end] {
				if strings.HasPrefix(l, indent) {
					l = l[len(indent):]
				} else {
					l = strings.TrimLeft(l, " \t")
				}
				b.WriteString(l)
			}
			i = end - 1
		case !mdx && prevBlank && strings.TrimSpace(line) != "" && indentOf(line) >= 4:
			flush() // indented code, or a list's paragraph: left as it is
			for ; i < len(lines) && (strings.TrimSpace(lines[i]) == "" || indentOf(lines[i]) >= 4); i++ {
				b.WriteString(lines[i])
			}
			i--
		case mdx && prevBlank && sc.depth == 0 && esm.MatchString(line):
			flush() // up to the next blank line, as MDX reads it
			for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
				i++
			}
		default:
			text = append(text, line)
		}
		prevBlank = strings.TrimSpace(lines[i]) == ""
	}
	flush()
	return b.String()
}

// closingMDXFence is closingFence for MDX, where a fence may be indented
// any amount, as may the one that closes it.
func closingMDXFence(lines []string, i int) int {
	t := strings.TrimLeft(lines[i], " \t")
	marker := t[:len(t)-len(strings.TrimLeft(t, t[:1]))]
	for j := i + 1; j < len(lines); j++ {
		c := strings.TrimLeft(lines[j], " \t")
		if strings.HasPrefix(c, marker) && strings.TrimSpace(strings.TrimLeft(c, marker[:1])) == "" {
			return j + 1
		}
	}
	return len(lines)
}

var (
	// esm is an import or export statement of MDX, which opens a line.
	esm = regexp.MustCompile(`^(?:import|export)[ \t{*]`)
	// jsxTag is a component's tag: its name in capitals, and attributes
	// whose values are strings or expressions (of one level of braces
	// within), or a fragment's, <> and </>.
	jsxTag = regexp.MustCompile(`^<(/?)(?:([A-Z][\w.]*)((?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}))?|\s*\{\.\.\.[^{}]*\})*)\s*(/?))?>`)
	// jsxString is a string expression: quoted, or in backticks with no
	// ${…} in it, on one line.
	jsxString = regexp.MustCompile("^\\{(?:'((?:[^'\\\\\\n]|\\\\.)*)'|\"((?:[^\"\\\\\\n]|\\\\.)*)\"|`((?:[^`\\\\$\\n]|\\\\.|\\$[^{`\\n])*)`)\\}")
	// atxHeading opens a heading's line; headingID is what a JSX comment
	// that ends one holds when it names its id.
	atxHeading = regexp.MustCompile(`^ {0,3}#{1,6}[ \t]`)
	headingID  = regexp.MustCompile(`^\s*([\w-]+)\s*$`)
)

// jsxScan reads prose for jsx. depth is how many components' blocks the
// prose so far is in. Of the run of prose read, ticks holds where each
// run of backticks of each length starts, found in one pass when the
// first is met, and paraEnd where the paragraph read ends; noComment
// whether no "*/}" follows from commentEnd on: a file of openings without
// ends costs one pass.
type jsxScan struct {
	mdx        bool
	depth      int
	ticks      map[int][]int // run length: the runs' starts, in order; nil: not indexed yet
	paraEnd    int           // where the paragraph that holds the last run read ends
	commentEnd int           // where the next "*/}" is, plus one; 0: not looked for
	noComment  bool
}

// prose is jsx on a run of lines outside code.
func (sc *jsxScan) prose(s string) string {
	sc.ticks, sc.paraEnd = nil, 0
	sc.commentEnd, sc.noComment = 0, false
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		switch s[i] {
		case '`':
			n := len(s[i:]) - len(strings.TrimLeft(s[i:], "`"))
			end := sc.closingTicks(s, i, n)
			if end < 0 {
				out = append(out, s[i:i+n]...) // literal backticks
				i += n
				continue
			}
			out = append(out, s[i:end+n]...) // a code span, as written
			i = end + n
			continue
		case '{':
			if strings.HasPrefix(s[i:], "{/*") {
				if end := sc.comment(s, i); end > 0 {
					if id := headingID.FindStringSubmatch(s[i+3 : end-3]); id != nil && endsHeading(s, i, end) {
						out = append(out, "{#"+id[1]+"}"...)
					} else if strings.TrimSpace(s[i+3:end-3]) == "truncate" {
						out = append(out, "<!--more-->"...) // Docusaurus's summary divider
					}
					i = end
					continue
				}
			}
			if sc.mdx || sc.depth > 0 {
				if m := jsxString.FindStringSubmatch(s[i:]); m != nil {
					out = appendJSString(out, first(m[1], m[2], m[3]))
					i += len(m[0])
					continue
				}
			}
		case '<':
			if m := jsxTag.FindStringSubmatch(s[i:min(len(s), i+maxTag)]); m != nil && (sc.mdx || isComponent(m[2])) {
				switch {
				case m[1] == "/":
					sc.depth = max(0, sc.depth-1)
				case m[4] == "":
					sc.depth++
				}
				if sc.mdx {
					i += len(m[0]) // its text stays, the tag goes
					continue
				}
			}
		}
		out = append(out, s[i])
		i++
	}
	return string(out)
}

// comment returns the end of the JSX comment that opens at s[i], or 0 when
// it has none: one within maxTag bytes, not over a blank line.
func (sc *jsxScan) comment(s string, i int) int {
	if sc.noComment {
		return 0
	}
	if sc.commentEnd-1 < i+3 {
		j := strings.Index(s[i+3:], "*/}")
		if j < 0 {
			sc.noComment = true
			return 0
		}
		sc.commentEnd = i + 3 + j + 1
	}
	end := sc.commentEnd - 1 + len("*/}")
	if end-i > maxTag || hasBlankLine(s[i:end]) {
		return 0
	}
	return end
}

// closingTicks returns where the run of n backticks that closes the code
// span opened by the run at s[i] starts, or -1: a run of another length
// does not close it, nor one past the paragraph's end, as a code span
// does not cross a blank line.
func (sc *jsxScan) closingTicks(s string, i, n int) int {
	if sc.ticks == nil {
		sc.ticks = map[int][]int{}
		for j := 0; j < len(s); {
			k := strings.IndexByte(s[j:], '`')
			if k < 0 {
				break
			}
			j += k
			m := len(s[j:]) - len(strings.TrimLeft(s[j:], "`"))
			sc.ticks[m] = append(sc.ticks[m], j)
			j += m
		}
	}
	if i >= sc.paraEnd {
		sc.paraEnd = len(s)
		for j := i; ; {
			k := strings.IndexByte(s[j:], '\n')
			if k < 0 {
				break
			}
			j += k + 1
			if line, _, _ := strings.Cut(s[j:], "\n"); strings.TrimSpace(line) == "" {
				sc.paraEnd = j
				break
			}
		}
	}
	runs := sc.ticks[n]
	k, _ := slices.BinarySearch(runs, i+n)
	if k == len(runs) || runs[k] >= sc.paraEnd {
		return -1
	}
	return runs[k]
}

// endsHeading reports whether s[i:end] ends the line of a heading.
func endsHeading(s string, i, end int) bool {
	start := strings.LastIndexByte(s[:i], '\n') + 1
	rest, _, _ := strings.Cut(s[end:], "\n")
	return atxHeading.MatchString(s[start:i]) && strings.TrimSpace(rest) == ""
}

// isComponent reports whether a tag's name, in a .md file, is a
// component's: capitalised, not HTML's in capitals (<BR>, <P>).
func isComponent(name string) bool {
	return name != "" && strings.ToUpper(name) != name
}

// appendJSString appends the text of a JavaScript string to out, as
// Markdown that reads as that text: its escapes undone, a line break a
// space, and punctuation escaped.
func appendJSString(out []byte, v string) []byte {
	atLineStart := true
	for k := len(out) - 1; k >= 0 && out[k] != '\n'; k-- {
		atLineStart = atLineStart && (out[k] == ' ' || out[k] == '\t')
	}
	for k := 0; k < len(v); k++ {
		c := v[k]
		if c == '\\' && k+1 < len(v) {
			k++
			switch c = v[k]; c {
			case 'n', 'r', 't':
				c = ' '
			}
		}
		switch {
		case c == ' ' && atLineStart:
			continue // four spaces that open a block would make it code
		case c < 0x80 && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0:
			out = append(out, '\\', c)
		default:
			out = append(out, c)
		}
		atLineStart = atLineStart && c == ' '
	}
	return out
}
