package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

const (
	// TitleLimit bounds a derived title, in characters, ellipsis included.
	TitleLimit = 100
	// GivenTitleLimit bounds a title that front matter or a Markdown heading
	// gave. Such titles are kept verbatim up to this length. (A plain text
	// title line is bounded by TitleLimit: see titleLine.)
	GivenTitleLimit = 300
	// SummaryLimit bounds the summary, in characters.
	SummaryLimit = 300
)

// weakWords make a poor last word for a shortened title ("… will be a…").
var weakWords = setOf("a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with",
	"from", "and", "or", "but", "as", "that", "which", "who", "whom", "whose", "is", "are",
	"was", "were", "be", "been", "being", "will", "would", "shall", "should", "can", "could",
	"may", "might", "must", "has", "have", "had", "do", "does", "did", "its", "their", "his",
	"her", "our", "my", "your", "during", "into", "onto", "than", "over", "under", "about",
	"after", "before", "while", "when", "where", "if", "not", "no", "said", "says", "this",
	"these", "those", "it", "he", "she", "they", "we", "i", "de", "la", "le", "el", "der",
	"die", "das", "und", "et", "y",
	// German, French and Spanish words that no title ends in.
	"den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "für", "mit", "von", "zu", "zum", "zur", "im",
	"am", "auf", "bei", "nach", "oder", "bzw", "ist", "sind", "wird", "hat", "les", "du", "au", "aux", "un",
	"une", "dans", "pour", "sur", "avec", "par", "ou", "est", "los", "las", "del", "al", "en", "un", "una",
	"por", "para", "con", "o", "es")

// collapse joins runs of white space into single spaces, and drops those
// at either end: strings.Fields joined by spaces. Most text has nothing to
// mend, or a few places (a double space, a line break): the text between
// them is copied whole, and text with none is returned as it is, with no
// allocation. (strings.Fields took a quarter of extraction on text with
// any non-ASCII character.)
func collapse(s string) string {
	i := nextMend(s, 0)
	if i < 0 {
		return s
	}
	b := appendMended(make([]byte, 0, len(s)), s, i)
	return unsafe.String(unsafe.SliceData(b), len(b)) // b is not written again
}

// appendMended appends collapse(s) to b, given i, where the first run of
// white space to mend starts (see nextMend).
func appendMended(b []byte, s string, i int) []byte {
	run := 0 // where the text to copy as it is starts
	start := len(b)
	for i >= 0 {
		b = append(b, s[run:i]...)
		for i < len(s) {
			sp, size := spaceAt(s, i)
			if !sp {
				break
			}
			i += size
		}
		if len(b) > start && i < len(s) {
			b = append(b, ' ')
		}
		run = i
		i = nextMend(s, i)
	}
	return append(b, s[run:]...)
}

// nextMend returns where, from i on, the first run of white space that
// collapse changes starts: one at either end of s, or that is more than
// one character, or other than a space; -1 if there is none. i is 0, or
// s[i] is not white space. Visible ASCII, most of any text, and a single
// space between two such characters are passed over inline: through
// spaceAt, they were a third of extraction.
func nextMend(s string, i int) int {
	for i < len(s) {
		c := s[i]
		if c > ' ' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c == ' ' {
			if i == 0 || i+1 == len(s) {
				return i
			}
			if n := s[i+1]; n > ' ' && n < utf8.RuneSelf {
				i += 2
				continue
			}
			if sp, _ := spaceAt(s, i+1); sp {
				return i
			}
			i++
			continue
		}
		sp, size := spaceAt(s, i)
		if sp {
			return i
		}
		i += size
	}
	return -1
}

// asciiSpace holds the ASCII characters that unicode.IsSpace takes for
// white space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// spaceAt reports whether the character at s[i] is white space, as
// unicode.IsSpace says, and its length in bytes.
func spaceAt(s string, i int) (bool, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiSpace[c], 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r), size
}

// deriveTitle makes a headline of an English sentence: shortened to
// TitleLimit, less its final period.
func deriveTitle(sentence string) string { return deriveTitleIn(sentence, english) }

// deriveTitleIn is deriveTitle by the rules of the sentence's language.
func deriveTitleIn(sentence string, r *rules) string {
	// The period goes first: a sentence that fits without it is not cut.
	return trimFinalPeriod(Shorten(trimFinalPeriod(collapse(sentence), r), TitleLimit), r)
}

// Shorten fits s into limit characters. Text that fits is returned as it is,
// with its white space collapsed. Longer text is cut at a clause or word
// boundary, weak trailing words are dropped, and an ellipsis is added.
func Shorten(s string, limit int) string {
	s = collapse(s)
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	cut := byteOffset(s, limit-1) // room for the ellipsis
	head := s[:cut]
	if sp := strings.LastIndexFunc(head, unicode.IsSpace); sp > 0 && utf8.RuneCountInString(head[:sp]) >= limit/3 {
		head = head[:sp]
	} else if c := lastWideClause(head); c > 0 && utf8.RuneCountInString(head[:c]) >= limit/3 {
		head = head[:c] // Chinese and Japanese have no spaces: cut after "，" or "、"
	} else if next, _ := utf8.DecodeRuneInString(s[cut:]); !unicode.IsSpace(next) {
		// One enormous word: a hard cut is all there is.
		head = s[:cut]
	}
	if c := lastClause(head); c >= limit*3/5 {
		head = head[:c]
	}
	head = trimWeakTail(head, limit/3)
	return head + "…"
}

// Lead returns the first whole sentences that fit in limit characters. A
// first sentence that is longer on its own is shortened.
func Lead(sentences []string, limit int) string {
	// The first pass counts what fits, the second writes it into a string
	// made once at its length.
	n, size, last, count := 0, 0, "", 0
	for _, s := range sentences {
		s = collapse(s)
		if s == "" {
			continue
		}
		l := utf8.RuneCountInString(s)
		if n == 0 {
			if l > limit {
				return Shorten(s, limit)
			}
		} else if sep := sentenceSep(last); n+len(sep)+l > limit {
			break
		} else {
			n += len(sep)
			size += len(sep)
		}
		n += l
		size += len(s)
		last = s
		count++
	}
	var b strings.Builder
	b.Grow(size)
	for _, s := range sentences {
		if count == 0 {
			break
		}
		if s = collapse(s); s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sentenceSep(b.String()))
		}
		b.WriteString(s)
		count--
	}
	return b.String()
}

// byteOffset returns the byte offset of the rune at index n of s.
func byteOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// lastClause returns the offset of the last clause break in s: a comma,
// semicolon, colon or dash followed by a space. It returns -1 when there is
// none.
func lastClause(s string) int {
	best := -1
	for _, sep := range []string{", ", "; ", ": ", " – ", " — ", " - "} {
		if i := strings.LastIndex(s, sep); i > best {
			best = i
		}
	}
	return best
}

// lastWideClause returns the offset just after the last clause mark of
// Chinese or Japanese in s, or -1.
func lastWideClause(s string) int {
	best := -1
	for _, sep := range []string{"，", "、", "；", "：", "）", "」"} {
		if i := strings.LastIndex(s, sep); i >= 0 && i+len(sep) > best {
			best = i + len(sep)
		}
	}
	return best
}

// sentenceSep is what goes between a sentence that ends text and the next:
// a space, but nothing after a mark of Chinese or Japanese, which needs
// none.
func sentenceSep(text string) string {
	r, _ := utf8.DecodeLastRuneInString(text)
	if isFullStop(r) || r == '」' || r == '』' || r == '）' {
		return ""
	}
	return " "
}

// joinedLen is the length of sentences joined as sentenceSep says.
func joinedLen(sentences []string) int {
	n := 0
	for i, s := range sentences {
		if i > 0 {
			n += len(sentenceSep(sentences[i-1]))
		}
		n += len(s)
	}
	return n
}

func trimWeakTail(s string, floor int) string {
	for {
		s = strings.TrimRightFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(",;:–—-([{“‘\"'/&，、；：（「", r)
		})
		sp := strings.LastIndexByte(s, ' ')
		if sp < 0 || utf8.RuneCountInString(s[:sp]) < floor {
			return s
		}
		if w := strings.ToLower(s[sp+1:]); !weakWords[w] && !weakWords[strings.TrimSuffix(w, ".")] { // "bzw."
			return s
		}
		s = s[:sp]
	}
}

// trimFinalPeriod drops one final period, or "。", unless it closes an
// abbreviation or an ellipsis.
func trimFinalPeriod(s string, r *rules) string {
	if strings.HasSuffix(s, "。") {
		return strings.TrimSuffix(s, "。")
	}
	if !strings.HasSuffix(s, ".") || strings.HasSuffix(s, "..") {
		return s
	}
	if r.isAbbrev(lastWord(s[:len(s)-1])) {
		return s
	}
	return s[:len(s)-1]
}
