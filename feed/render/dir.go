package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The directions of text that the pages set with dir.
const (
	ltr  = "ltr"
	rtl  = "rtl"
	auto = "auto" // mixed: each block finds its own from its first strong letter
)

// rtlScripts are the scripts written right to left.
var rtlScripts = []*unicode.RangeTable{unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana,
	unicode.Nko, unicode.Samaritan, unicode.Mandaic, unicode.Adlam}

// dirSample bounds how many letters direction reads: a page's direction is
// plain long before its end.
const dirSample = 2000

// textDirection tells the direction of text from its letters: rtl when
// letters of right-to-left scripts (Arabic, Hebrew, Syriac, Thaana, …) are
// at least three in five, auto when they are at least one in five (a
// bilingual text), ltr otherwise. Markup and character references are
// skipped, so the letters of HTML tags do not count. hasRTL reports
// whether there is any right-to-left letter at all.
func textDirection(texts ...string) (dir string, hasRTL bool) {
	var r, l int
	for _, s := range texts {
		inTag, inRef := false, false
		for i := 0; i < len(s) && r+l < dirSample; {
			c, size := rune(s[i]), 1
			if c >= utf8.RuneSelf {
				c, size = utf8.DecodeRuneInString(s[i:])
			}
			i += size
			switch {
			case inTag:
				inTag = c != '>'
			case inRef:
				inRef = c != ';' && c != ' ' && c != '<'
			case c == '<':
				inTag = true
			case c == '&':
				inRef = true
			case c < utf8.RuneSelf:
				if 'a' <= c|0x20 && c|0x20 <= 'z' {
					l++
				}
			case !unicode.IsLetter(c):
			case unicode.In(c, rtlScripts...):
				r++
			default:
				l++
			}
		}
	}
	switch {
	case r == 0:
		return ltr, false
	case 5*r >= 3*(r+l):
		return rtl, true
	case 5*r >= r+l:
		return auto, true
	}
	return ltr, true
}

// rtlLanguages are the primary subtags of languages written right to left.
var rtlLanguages = map[string]bool{"ar": true, "fa": true, "he": true, "iw": true, "ur": true, "ps": true, "yi": true,
	"dv": true, "syr": true, "ckb": true, "sd": true, "ug": true, "ku-arab": true, "prs": true, "arc": true, "nqo": true}

// languageDirection is the direction of a BCP 47 language tag's script:
// "fa" or "ar-EG" read right to left, "az-Arab" too.
func languageDirection(tag string) string {
	tag = strings.ToLower(tag)
	primary, rest, _ := strings.Cut(tag, "-")
	script, _, _ := strings.Cut(rest, "-")
	switch {
	case script == "arab" || script == "hebr" || script == "syrc" || script == "thaa" || script == "nkoo" || script == "adlm":
		return rtl
	case len(script) == 4:
		return ltr // a script named, and not one of those
	case rtlLanguages[primary]:
		return rtl
	}
	return ltr
}

// blockTags are the elements of an entry's text that get dir="auto" in an
// entry that has right-to-left letters, so that each paragraph keeps the
// direction of its own first letters (a Persian paragraph in an English
// article, or the other way round).
var blockTags = []string{"p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption"}

// withBlockDirections returns the HTML of an entry's text with dir="auto"
// on each block and dir="ltr" on each code block. The text comes from
// extract, which escapes every "<" of the text itself: each "<p" opens a
// tag.
func withBlockDirections(content string) string {
	var b strings.Builder
	b.Grow(len(content) + len(content)/16)
	for {
		i := strings.IndexByte(content, '<')
		if i < 0 {
			break
		}
		b.WriteString(content[:i+1])
		content = content[i+1:]
		n := 0
		for n < len(content) && ('a' <= content[n] && content[n] <= 'z' || '0' <= content[n] && content[n] <= '9') {
			n++
		}
		if n == 0 || n == len(content) || content[n] != '>' && content[n] != ' ' {
			continue
		}
		name := content[:n]
		b.WriteString(name)
		content = content[n:]
		switch {
		case name == "pre":
			b.WriteString(` dir="ltr"`)
		case isBlockTag(name):
			b.WriteString(` dir="auto"`)
		}
	}
	b.WriteString(content)
	return b.String()
}

func isBlockTag(name string) bool {
	for _, t := range blockTags {
		if t == name {
			return true
		}
	}
	return false
}
