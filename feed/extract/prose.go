package extract

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// initials are an editor's sign-off: "PA/PA", "MH/PA".
	initials = regexp.MustCompile(`^\p{Lu}{1,4}(?:/\p{Lu}{1,4})+(?:\s+|$)`)
	// creditWords mark a credit or licence line.
	creditWords = regexp.MustCompile(`(?i)licensed under|creative commons|all rights reserved|` +
		`copyright|©|\(c\)\s*\d{4}|all content by|\b(?:additional )?reporting by\b|\bediting by\b|` +
		`\bwriting by\b|\bcompiled by\b|\boriginally (?:appeared|published)\b|\brepublished\b|` +
		`\bthis (?:article|story) (?:was|is|first)\b`)
)

// signOff is an agency's sign-off that ends a story, with or without the
// initials of its editor: "Reuter", "REUTER", "(AP)", "dpa", "jf/dpa",
// "AFP/dpa", "(رويترز)", "（新华社）".
var signOff = regexp.MustCompile(`^` + signOffPattern + `$`)

// endMark ends a story, as a sign-off does, but names no agency: "（完）",
// "(完)", "【完】", "-30-", "###".
var endMark = regexp.MustCompile(`^(?:[（(【]完[）)】]|-30-|#{3})$`)

// signOffSearch is how many bytes at the end of a story may hold a sign-off
// run on after its last sentence.
const signOffSearch = 48

// splitSignOff splits a sign-off run on after the last sentence of a story
// ("… Neuwahlen folgen. dpa"), where no sentence break is seen, from the
// sentence. Only the ends of sentences near the end are tried.
func splitSignOff(s string) (body, sign string, ok bool) {
	from := max(1, len(s)-signOffSearch)
	for i := from; i < len(s); i++ {
		if !utf8.RuneStart(s[i]) {
			continue
		}
		if r, _ := utf8.DecodeLastRuneInString(s[:i]); !isMark(r) && r != ')' && r != '"' && r != '”' && r != '’' {
			continue
		}
		if rest := strings.TrimLeft(s[i:], " "); rest != "" && signOff.MatchString(rest) {
			return strings.TrimSpace(s[:i]), rest, true
		}
	}
	return s, "", false
}

const signOffPattern = `[(\[（]?(?:\p{L}{1,4}/)?(?:` + agencies + `)(?:\s*[/,]\s*(?:` + agencies + `|\p{Lu}{1,4}))*[)\]）]?[.。]?`

// agencies are the news agencies whose names sign off a story.
const agencies = `(?i:reuters?|ap|afp|dpa|upi|ansa|efe|kna|epd|apa|sda|ats|belga|anp|ctk|pap|mti|tass|itar-tass|xinhua|kyodo|` +
	`yonhap|irna|isna|wam|mena|qna|kuna|petra|sana|bernama|antara|pti|ians|anadolu|aa|ria novosti|interfax|` +
	`тасс|итар-тасс|риа новости|интерфакс|рейтер|رويترز|إرنا|ايرنا|ایرنا|ایسنا|ا ف ب|أ ف ب|د ب أ|أ ب|واس|` +
	`新华社|路透社|美联社|法新社|中央社|共同社|ロイター|共同|時事)`

// creditLimit is the longest sentence that may still be taken for a credit.
const creditLimit = 400

// isCredit reports whether sentence s is a credit line, and splits off the
// editor's initials that may open it. An agency's name alone ("Mehr News
// Agency") is a credit only in wire copy: at the end of a note, "The
// Press Office" is the note's.
func isCredit(s string, wire bool) (initial, credit string, ok bool) {
	if m := initials.FindString(s); m != "" {
		initial, s = strings.TrimSpace(m), strings.TrimSpace(s[len(m):])
		if s == "" {
			return initial, "", true
		}
	}
	if len(s) <= creditLimit && mayBeCredit(s) && creditWords.MatchString(s) {
		return initial, s, true
	}
	if len(s) <= 40 && (signOff.MatchString(s) || endMark.MatchString(s)) || wire && len(s) <= 100 && isAgencyName(s) {
		return initial, s, true
	}
	return "", "", false
}

// creditHints are words of which every match of creditWords holds one.
// Looking for them first spares most sentences the regular expression,
// which was half the cost of extraction.
var creditHints = []string{"licens", "creative", "rights", "copyright", "©", "(c)", "content by", "reporting",
	"editing", "writing by", "compiled", "originally", "republished", "this article", "this story"}

// mayBeCredit reports whether s holds one of creditHints, in any case.
func mayBeCredit(s string) bool {
	lower := strings.ToLower(s)
	for _, h := range creditHints {
		if strings.Contains(lower, h) {
			return true
		}
	}
	return false
}

// prose is running text cut into paragraphs of sentences.
type prose struct {
	wire   bool       // it opens with a dateline: wire copy
	place  string     // from the dateline, if any
	paras  [][]string // body paragraphs, each a list of sentences
	credit []string   // trailing credit lines, each kept as a paragraph
}

// paraSize is the length at which a long run of sentences with no paragraph
// breaks, as wire copy comes, is broken into a new paragraph.
const paraSize = 320

// parseProse is parseProseIn by English rules.
func parseProse(text string) prose { return parseProseIn(text, english, nil) }

// parseProseIn cuts text into paragraphs of sentences, by the rules of its
// language, and takes out the dateline and the credit lines. A brief
// extraction (bf not nil) leaves the paragraphs as found, not laid out as
// the text's HTML lays them out (see regroup and laidOut).
func parseProseIn(text string, r *rules, bf *briefing) prose {
	var pr prose
	blocks := bf.paragraphs(text)
	if len(blocks) == 0 {
		return pr
	}
	first := blocks[0]
	pr.place, blocks[0] = splitDateline(first)
	pr.wire = len(blocks[0]) < len(first)
	for _, b := range blocks {
		if s := sentencesIn(b, r); len(s) > 0 {
			pr.paras = append(pr.paras, s)
		}
	}
	pr.takeCredit()
	if bf != nil {
		return pr
	}
	var regrouped [][]string
	for _, p := range pr.paras {
		if n := joinedLen(p); n > 3*paraSize {
			regrouped = append(regrouped, regroup(p)...)
		} else {
			regrouped = append(regrouped, p)
		}
	}
	pr.paras = regrouped
	return pr
}

// takeCredit moves the credit sentences at the end of the text out of the
// body, so they never reach a title or a summary. The first sentence always
// stays in the body.
func (pr *prose) takeCredit() {
	var credit []string
	if n := len(pr.paras); n > 0 {
		// A sign-off run on after the last sentence is a sentence of its own.
		last := pr.paras[n-1]
		if body, sign, ok := splitSignOff(last[len(last)-1]); ok {
			pr.paras[n-1] = append(last[:len(last)-1:len(last)-1], body, sign)
		}
	}
	for len(pr.paras) > 0 {
		last := pr.paras[len(pr.paras)-1]
		if len(pr.paras) == 1 && len(last) == 1 {
			break
		}
		initial, line, ok := isCredit(last[len(last)-1], pr.wire)
		if !ok {
			break
		}
		if line != "" {
			credit = append([]string{line}, credit...)
		}
		if initial != "" {
			credit = append([]string{initial}, credit...)
		}
		if last = last[:len(last)-1]; len(last) == 0 {
			pr.paras = pr.paras[:len(pr.paras)-1]
		} else {
			pr.paras[len(pr.paras)-1] = last
		}
	}
	pr.credit = credit
}

// laidOut returns the first paragraph that the text's HTML makes of
// paragraph p (see parseProseIn), without making the others.
func laidOut(p []string) []string {
	if joinedLen(p) <= 3*paraSize {
		return p
	}
	return firstGroup(p)
}

// firstGroup is regroup(sentences)[0], without making the others.
func firstGroup(sentences []string) []string {
	n := 0
	for i, s := range sentences {
		if n += len(s); n >= paraSize {
			return sentences[:i+1]
		}
	}
	return sentences
}

// regroup breaks one very long paragraph of sentences into paragraphs of about
// paraSize characters, the way wire copy is laid out in print.
func regroup(sentences []string) [][]string {
	var out [][]string
	var cur []string
	n := 0
	for _, s := range sentences {
		cur = append(cur, s)
		n += len(s)
		if n >= paraSize {
			out = append(out, cur)
			cur, n = nil, 0
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// paragraphs splits text at blank lines. Inside a block, hard-wrapped lines
// are joined, and long lines each stand as a paragraph of their own.
// For a brief extraction, they are made in bf's arena.
func (bf *briefing) paragraphs(text string) []string {
	var out []string
	for _, block := range blankLine.Split(text, -1) {
		out = bf.blockParagraphs(out, block)
	}
	return out
}

// blockParagraphs appends to out the paragraphs of one block of text
// between blank lines.
func blockParagraphs(out []string, block string) []string {
	return (*briefing)(nil).blockParagraphs(out, block)
}

func (bf *briefing) blockParagraphs(out []string, block string) []string {
	lines, wrapped := blockLines(block)
	if wrapped {
		if p := bf.collapse(block); p != "" {
			out = append(out, p)
		}
		return out
	}
	for _, l := range lines {
		if p := bf.collapse(l); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// blockLines returns the lines of a block, and whether they are hard
// wrapped (one paragraph) rather than a paragraph each: no line but the
// last is longer than 120 characters.
func blockLines(block string) (lines []string, wrapped bool) {
	lines = strings.Split(strings.TrimSpace(block), "\n")
	for _, l := range lines[:len(lines)-1] {
		if utf8.RuneCountInString(l) > 120 {
			return lines, false
		}
	}
	return lines, true
}

// leadPlace returns the place of the dateline that opens plain text s, as
// extractText finds it (parseProse, on the first paragraph of the body),
// at the cost of that paragraph only: Inspect gives it for every file, so
// that an entry's categories are known without its extraction.
func leadPlace(s string) string {
	body := s
	if _, rest, ok := leadTitle(s); ok {
		body = rest
	}
	return bodyPlace(body)
}

// textPlace is leadPlace for plain text as extractText reads it: s less
// its header block, if it had one, and head what that said. A title it
// gave is the title, and s all body.
func textPlace(s string, head frontMatter) string {
	if head.title != "" {
		return bodyPlace(s)
	}
	return leadPlace(s)
}

// bodyPlace is leadPlace for body, the text after the title.
func bodyPlace(body string) string {
	for body != "" {
		block := body
		if loc := blankLine.FindStringIndex(body); loc != nil {
			block, body = body[:loc[0]], body[loc[1]:]
		} else {
			body = ""
		}
		if head, whole, ok := firstParagraphHead(block); ok {
			place, rest := splitDateline(head)
			if !whole && max(len(head)-len(rest), placeRun(head)) > len(head)-placeMargin {
				// The dateline may run on past the head: read it all.
				place, _ = splitDateline(blockParagraphs(nil, block)[0])
			}
			return place
		}
	}
	return ""
}

// placeHead and placeMargin bound what leadPlace reads of a paragraph.
// The patterns of datelines are anchored at the start, and every part of
// them is a few dozen characters at most, but for the place of the first,
// a run of capitals of any length: in the first placeHead bytes, a
// dateline that ends, and a run of capitals that stops, placeMargin bytes
// before their end are those of the whole paragraph. (FuzzLeadPlace
// checks this against parseProse.)
const (
	placeHead   = 4096
	placeMargin = 1024
)

// placeRun returns how many bytes at the start of s could be the place of
// a dateline in capitals ("NEW YORK", "AL-MUKALLA").
func placeRun(s string) int {
	from := labelEnd(s) // "Exclusive - LONDON": splitDateline takes out one label
	for i, r := range s[from:] {
		if !unicode.IsUpper(r) && !unicode.Is(unicode.M, r) && !strings.ContainsRune(".'’ -/", r) {
			return from + i
		}
	}
	return len(s)
}

// firstParagraphHead returns the start of the first paragraph of block, as
// blockParagraphs makes it, collapsed, of at most about placeHead bytes,
// and whether that is the whole paragraph; ok is false when the block has
// none.
func firstParagraphHead(block string) (head string, whole, ok bool) {
	lines, wrapped := blockLines(block)
	src := ""
	if wrapped {
		src = block
	} else {
		for _, l := range lines {
			if strings.TrimSpace(l) != "" {
				src = l
				break
			}
		}
	}
	cut := utf8ValidPrefix(src, placeHead)
	head = collapse(src[:cut])
	return head, cut == len(src), head != ""
}

// mayHaveDateline reports whether text may hold a dateline, which always
// has a dash ("TEHRAN –", "LONDON (Reuters) -", "東京（ロイター）－"), a
// date in Chinese ("新华社北京11月30日电"), TASS's "/ТАСС/" or a Japanese
// "【東京】": other text is spared the decoding that leadPlace needs.
func mayHaveDateline(text []byte) bool {
	return bytes.IndexByte(text, '-') >= 0 || bytes.Contains(text, []byte("–")) || bytes.Contains(text, []byte("—")) ||
		bytes.Contains(text, []byte("－")) || bytes.Contains(text, []byte("日")) || bytes.Contains(text, []byte(". /")) ||
		bytes.Contains(text, []byte("【"))
}

// headingMarks open a Markdown-style heading in a plain text file.
var headingMarks = regexp.MustCompile(`^\s*#{1,6}\s+`)

var blankLine = regexp.MustCompile(`\n[ \t\f\v]*\n`)

// leadTitle returns the title line of plain text and the body after it,
// as extractText and leadPlace read them: the first line when it reads as
// a title (see titleLine), is no wire lead, and the rest of the text is
// more than a sign-off. A story of one paragraph and its sign-off
// ("…tres años.\n\nReuter") is a story: a sign-off is never a body.
func leadTitle(s string) (title, rest string, ok bool) {
	title, rest, ok = titleLine(s)
	if !ok || isWireLead(title) || onlyCredit(rest) {
		return "", "", false
	}
	return title, rest, true
}

// onlyCredit reports whether rest, the text after a title line, is a
// sign-off or a credit line and nothing else.
func onlyCredit(rest string) bool {
	rest = strings.TrimSpace(rest)
	if len(rest) > creditLimit || blankLine.MatchString(rest) {
		return false
	}
	_, _, ok := isCredit(collapse(rest), false)
	return ok
}

// titleLine returns the first line of text when it reads as a title: a
// line of at most TitleLimit characters followed by a blank line, or one
// without a final period followed by a capitalised line. A longer line is
// a paragraph: a title line is bounded as a derived title is, and what
// would not fit stays in the content.
func titleLine(text string) (title, rest string, ok bool) {
	text = strings.TrimLeft(text, " \t\n\f\v\uFEFF")
	first, rest, found := strings.Cut(text, "\n")
	if !found || strings.TrimSpace(rest) == "" {
		return "", "", false
	}
	first = collapse(headingMarks.ReplaceAllString(first, ""))
	n := utf8.RuneCountInString(first)
	if n == 0 || n > TitleLimit || !hasWordChar(first) || isSentences(first) {
		return "", "", false
	}
	if strings.HasPrefix(strings.TrimLeft(rest, " \t\f\v"), "\n") {
		return first, rest, true
	}
	next, _ := utf8.DecodeRuneInString(strings.TrimSpace(rest))
	if !strings.HasSuffix(first, ".") && !strings.HasSuffix(first, ",") &&
		(unicode.IsUpper(next) || unicode.IsDigit(next) || isOpener(next)) {
		return first, rest, true
	}
	return "", "", false
}

// isSentences reports whether line is two sentences or more, the last
// ended by a full stop: "Called the plumber. He comes on Thursday.",
// "数据显示价格上涨。分析人士此前预计增幅会更小。", as a paragraph is and a
// headline is not ("快讯！央行宣布降息", "U.S. stocks fall."). Sentences are
// cut by English rules, which know "U.S." and "Jan. 5" and the full stops
// of Chinese and Japanese, whatever the language: the line's is not known
// yet.
func isSentences(line string) bool {
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(line, "」』”’）)"))
	return (last == '.' || isFullStop(last)) && len(sentencesIn(line, english)) > 1
}

func hasWordChar(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// html renders the prose as HTML paragraphs, credit lines last.
func (pr prose) html() string {
	var b strings.Builder
	for _, p := range pr.paras {
		b.WriteString("<p>")
		for i, s := range p {
			if i > 0 {
				b.WriteString(sentenceSep(p[i-1]))
			}
			b.WriteString(html.EscapeString(s))
		}
		b.WriteString("</p>\n")
	}
	for _, c := range pr.credit {
		b.WriteString("<p>")
		b.WriteString(html.EscapeString(c))
		b.WriteString("</p>\n")
	}
	return b.String()
}

// sentences returns every body sentence in order.
func (pr prose) sentences() []string {
	n := 0
	for _, p := range pr.paras {
		n += len(p)
	}
	out := make([]string, 0, n)
	for _, p := range pr.paras {
		out = append(out, p...)
	}
	return out
}
