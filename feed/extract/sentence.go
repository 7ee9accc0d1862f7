package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// titleAbbrevs come before a name and so never end a sentence.
var titleAbbrevs = setOf("mr", "mrs", "ms", "mx", "dr", "gen", "lt", "col", "maj", "capt", "cpt",
	"sgt", "cpl", "pvt", "adm", "cmdr", "cdr", "brig", "gov", "sen", "rep", "rev", "prof", "hon",
	"pres", "supt", "det", "insp", "st", "mt", "ft", "gens", "sens", "reps", "messrs", "mme",
	"mlle", "fr", "sr", "sra", "srta", "dept", "univ", "no", "nos", "vol", "fig", "art", "sec",
	"ch", "pp", "p", "op", "cf", "vs", "v", "approx", "est", "ca", "al", "atty", "amb", "asst")

// monthAbbrevs are followed by a day ("Jan. 5") more often than they end a
// sentence.
var monthAbbrevs = setOf("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
	"nov", "dec")

// tailAbbrevs may end a sentence or sit inside one ("Acme Inc. said").
var tailAbbrevs = setOf("inc", "ltd", "co", "corp", "bros", "jr", "etc", "llc", "plc", "ave",
	"blvd", "rd", "ln", "hwy", "mins", "hrs")

// starters are words that open sentences far more often than they follow an
// abbreviation such as "U.S." inside one.
var starters = setOf("the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this",
	"that", "these", "those", "there", "but", "and", "or", "so", "yet", "in", "on", "at", "as",
	"for", "if", "when", "while", "after", "before", "since", "although", "though", "however",
	"meanwhile", "his", "her", "its", "their", "our", "my", "your", "some", "many", "most",
	"several", "other", "another", "one", "both", "each", "all", "such", "what", "why", "how",
	"who", "where", "according", "earlier", "later", "last", "now", "then", "still", "also",
	"no", "not", "to", "with", "from", "by", "during", "under", "over", "despite", "asked")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Sentences splits one paragraph of English prose into sentences. It keeps
// abbreviations ("U.S.", "Gen.", "Jan. 5"), initials ("J. R. R. Tolkien") and
// decimals ("3.5") inside their sentence, and a quotation of several
// sentences stays whole when it closes soon enough. "。", "！" and "？" end
// a sentence with no space after them, and "؟" as "?" does.
func Sentences(p string) []string { return sentencesIn(p, english) }

// sentencesIn is Sentences by the rules of the paragraph's language.
func sentencesIn(p string, r *rules) []string {
	p = strings.TrimSpace(p)
	if p == "" {
		return nil
	}
	var scratch [64]int // the cuts of most paragraphs, on the stack
	cuts := boundaries(scratch[:0], p, r)
	cuts = dropInsideQuotes(p, cuts)
	out := make([]string, 0, len(cuts)+1)
	start := 0
	for _, c := range cuts {
		if s := strings.TrimSpace(p[start:c]); s != "" {
			out = append(out, s)
		}
		start = c
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// closers may follow a sentence's final mark and still belong to it.
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '»', '›', '*', '_', '」', '』', '）', '】', '》', '〉', '］':
		return true
	}
	return false
}

// openers may begin a sentence before its first letter.
func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '(', '[', '«', '‹', '¿', '¡', '*', '_', '—', '–', '-':
		return true
	}
	return false
}

// isMark reports whether r ends a sentence.
func isMark(r rune) bool {
	switch r {
	case '.', '?', '!', '…', '؟', '。', '！', '？', '｡':
		return true
	}
	return false
}

// isFullStop reports whether r is a mark of Chinese or Japanese, which ends
// a sentence with no space after it.
func isFullStop(r rune) bool { return r == '。' || r == '！' || r == '？' || r == '｡' }

// quoteParticle reports whether r is a Japanese particle that follows a
// quotation within its sentence ("」と言った", "」が").
func quoteParticle(r rune) bool { return strings.ContainsRune("とっがはをにでのもや", r) }

// markLead holds the bytes that a mark of isMark opens with.
var markLead = bytesOf(".?!\xE2\xE3\xEF\xD8")

// quoteLead holds the bytes that a quotation mark of dropInsideQuotes
// opens with.
var quoteLead = bytesOf("\"\xE2\xE3\xC2")

// boundaries appends to cuts the byte offsets at which p may be cut into
// sentences.
func boundaries(cuts []int, p string, rl *rules) []int {
	for i := 0; i < len(p); {
		// Every mark is an ASCII byte or opens with 0xE2 ("…"), 0xE3
		// ("。"), 0xEF ("！", "？", "｡") or 0xD8 ("؟"), which no other byte
		// of a character can be: the scan goes by bytes.
		next := nextIn(p[i:], &markLead)
		if next < 0 {
			break
		}
		i += next
		r, size := utf8.DecodeRuneInString(p[i:])
		if !isMark(r) {
			i += size
			continue
		}
		mark := i
		j := i + size
		full := isFullStop(r)
		for j < len(p) { // runs like "?!", "...", and the closers after them
			r2, s2 := utf8.DecodeRuneInString(p[j:])
			if !isMark(r2) && !isCloser(r2) {
				break
			}
			full = full || isFullStop(r2)
			j += s2
		}
		j = spacedGuillemet(p, j)
		i = j
		if j >= len(p) {
			break
		}
		r2, _ := utf8.DecodeRuneInString(p[j:])
		if full && !unicode.IsSpace(r2) {
			// "。他说": no space between sentences; but "「…。」と言った",
			// a quotation and the particle that takes it, is one.
			if last, _ := utf8.DecodeLastRuneInString(p[:j]); !isCloser(last) || !quoteParticle(r2) {
				cuts = append(cuts, j)
			}
			continue
		}
		if !unicode.IsSpace(r2) {
			continue // "3.5", "U.S.-led", "example.com"
		}
		k := j
		for k < len(p) {
			r3, s3 := utf8.DecodeRuneInString(p[k:])
			if !unicode.IsSpace(r3) {
				break
			}
			k += s3
		}
		if k >= len(p) {
			break
		}
		if full || rl.endsSentence(p[:mark], r == '.' && mark+1 == j, p[k:]) {
			cuts = append(cuts, j)
		}
	}
	return cuts
}

// spacedGuillemet returns the offset past a closing guillemet that French
// sets after a space ("pas ! »"), when one follows at j; j otherwise.
func spacedGuillemet(p string, j int) int {
	k := j
	for n := 0; n < 2 && k < len(p); n++ { // a space, a no-break space or a narrow one
		if p[k] == ' ' {
			k++
		} else if strings.HasPrefix(p[k:], "\u00a0") || strings.HasPrefix(p[k:], "\u202f") {
			_, size := utf8.DecodeRuneInString(p[k:])
			k += size
		} else {
			break
		}
	}
	if strings.HasPrefix(p[k:], "»") {
		return k + len("»")
	}
	return j
}

// endsSentence decides whether a mark ends a sentence, given the text before
// the mark, whether the mark is a lone period, and the text after the space.
func (rl *rules) endsSentence(before string, lonePeriod bool, after string) bool {
	next, _ := utf8.DecodeRuneInString(after)
	rest := after
	for isOpener(next) && len(rest) > 0 {
		rest = rest[utf8.RuneLen(next):]
		next, _ = utf8.DecodeRuneInString(rest)
	}
	opened := len(rest) != len(after)
	if unicode.IsLower(next) {
		return false
	}
	if !lonePeriod {
		return true
	}
	word := lastWord(before)
	var wordBuf, nextBuf [wordBuffer]byte
	lower := lowered(&wordBuf, word)
	nextWord := firstWord(rest)
	// Whether the next word opens sentences: asked only of an
	// abbreviation, as lowering the word costs.
	starter := func() bool { return rl.starters[string(lowered(&nextBuf, nextWord))] }
	switch {
	case word == "" && isOrdinal(before) && germanMonths[string(lowered(&nextBuf, nextWord))]:
		return false // "bis zum 1. Januar", in a text of any language
	case word != "" && numberUnits[string(lower)] && endsInDigit(before[:len(before)-len(word)]):
		return false // "58 Mio. Euro"
	case word == "" && rl.ordinals && isOrdinal(before):
		// "am 14. Juli", but "auf Platz 3. Der Verein".
		return opened || starter()
	case word == "":
		return true
	case rl.never[string(lower)]:
		return false
	case rl.years[string(lower)]:
		return endsInDigit(before[:len(before)-len(word)])
	case rl.months[string(lower)] && (unicode.IsDigit(next) || !starter()):
		return false
	case utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(word)[0]):
		// An initial, as in "J. R. R. Tolkien" or "George W. Bush".
		// A letter alone ("A", "I", "В") is another initial more
		// often than it opens a sentence.
		return opened || starter() && utf8.RuneCountInString(nextWord) > 1
	case rl.letters && utf8.RuneCountInString(word) == 1 && !rl.stops[word]:
		return false
	case strings.Contains(word, ".") || rl.tail[string(lower)]:
		// "U.S.", "a.m.", "Inc.": a boundary only before a typical opener.
		return opened || starter()
	}
	return true
}

// wordBuffer is the longest word, in bytes, that lowered lowers in place.
const wordBuffer = 32

// lowered returns word in lower case, as strings.ToLower does, for the
// sets of rules to look up: an ASCII word that fits is lowered into buf, as
// a lookup of string(b) makes no string, and a word is looked up at
// almost every period of a text.
func lowered(buf *[wordBuffer]byte, word string) []byte {
	if len(word) <= len(buf) {
		b := buf[:len(word)]
		i := 0
		for ; i < len(word) && word[i] < utf8.RuneSelf; i++ {
			c := word[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b[i] = c
		}
		if i == len(word) {
			return b
		}
	}
	return []byte(strings.ToLower(word))
}

// lastWord returns the run of letters and inner periods just before the end
// of s, so "the U.S" gives "U.S" and "Gen" gives "Gen".
func lastWord(s string) string {
	end := len(s)
	i := end
	for i > 0 {
		if c := s[i-1]; c < utf8.RuneSelf { // most words are ASCII: no decoding
			if asciiLetter[c] == 0 && c != '.' {
				break
			}
			i--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		i -= size
	}
	return strings.Trim(s[i:end], ".")
}

// firstWord returns the run of letters that s opens with.
func firstWord(s string) string {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiLetter[c] == 0 {
				return s[:i]
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			return s[:i]
		}
		i += size
	}
	return s
}

// quoteLimit is how long, in bytes, a quotation may run and still hold its
// sentences together; past it the quote is taken to be unclosed.
const quoteLimit = 700

// dropInsideQuotes removes the cuts that fall inside a closed quotation.
// Curly quotes pair “ with ”, corner brackets 「 with 」, guillemets « with
// »; straight double quotes pair in order.
func dropInsideQuotes(p string, cuts []int) []int {
	if len(cuts) == 0 {
		return cuts
	}
	type span struct{ from, to int }
	var spans []span
	open := -1
	straight := -1
	guillemet := -1 // « », apart from “ ”, which a French quote may hold
	for i := 0; i < len(p); i++ {
		// '"' is one byte, and the curly quotes open with 0xE2, the
		// corner brackets with 0xE3 and the guillemets with 0xC2, which
		// no other byte of a character can be: the scan goes by bytes.
		k := nextIn(p[i:], &quoteLead)
		if k < 0 {
			break
		}
		i += k
		switch {
		case strings.HasPrefix(p[i:], "«"):
			guillemet = i
		case strings.HasPrefix(p[i:], "»"):
			if guillemet >= 0 && i-guillemet <= quoteLimit {
				spans = append(spans, span{guillemet, i})
			}
			guillemet = -1
		case strings.HasPrefix(p[i:], "“"), strings.HasPrefix(p[i:], "「"):
			open = i
		case strings.HasPrefix(p[i:], "”"), strings.HasPrefix(p[i:], "」"):
			if open >= 0 && i-open <= quoteLimit {
				spans = append(spans, span{open, i})
			}
			open = -1
		case p[i] == '"':
			if straight < 0 {
				straight = i
			} else {
				if i-straight <= quoteLimit {
					spans = append(spans, span{straight, i})
				}
				straight = -1
			}
		}
	}
	if len(spans) == 0 {
		return cuts
	}
	kept := cuts[:0]
	for _, c := range cuts {
		inside := false
		for _, s := range spans {
			if c > s.from && c <= s.to {
				inside = true
				break
			}
		}
		if !inside {
			kept = append(kept, c)
		}
	}
	return kept
}
