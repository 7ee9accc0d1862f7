package extract

import (
	"bytes"
	"unicode"
	"unicode/utf16"

	"golang.org/x/text/encoding"
	xunicode "golang.org/x/text/encoding/unicode"
)

// utf16Sample bounds how much of a file sniffUTF16 reads.
const utf16Sample = 4096

// sniffUTF16 recognises UTF-16 text saved without a BOM. In Latin-script
// text every other byte is zero, and the bytes between are not. Text in
// other scripts (Cyrillic, whose code units are 0x04xx, Chinese,
// spread over 0x4Exx to 0x9Fxx) is told by its code units instead: read
// in the right byte order, nearly every one is a character, and white
// space or a sign of CJK punctuation is one unit ("\n" 0x000A, "，"
// 0xFF0C), which holds a byte that text in a legacy encoding never has,
// 0x00 or a control (see utf16Text).
func sniffUTF16(data []byte) (encoding.Encoding, bool) {
	if len(data) < 4 || len(data)%2 != 0 || hasMagic(data) {
		return nil, false
	}
	sample := data[:min(len(data), utf16Sample)&^1]
	if !hasUTF16Separator(sample) {
		return nil, false // no unit of white space or CJK punctuation can be in it
	}
	if e, ok := sniffLatinUTF16(sample); ok {
		return e, true
	}
	le, leSeps := utf16Text(sample, false)
	be, beSeps := utf16Text(sample, true)
	switch {
	case le && (!be || leSeps >= beSeps):
		return xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), true
	case be:
		return xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), true
	}
	return nil, false
}

// sniffLatinUTF16 is sniffUTF16 for Latin-script text: in one byte order
// most units are ASCII, with a zero high byte, and few are zero low bytes.
func sniffLatinUTF16(sample []byte) (encoding.Encoding, bool) {
	if bytes.IndexByte(sample, 0) < 0 {
		return nil, false // text in any other encoding: no zero byte to count
	}
	var evenZero, oddZero int
	for i := 0; i < len(sample); i += 2 {
		if sample[i] == 0 {
			evenZero++
		}
		if sample[i+1] == 0 {
			oddZero++
		}
	}
	pairs := len(sample) / 2
	switch {
	case oddZero*10 >= pairs*7 && evenZero*20 <= pairs:
		return xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), true
	case evenZero*10 >= pairs*7 && oddZero*20 <= pairs:
		return xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), true
	}
	return nil, false
}

// hasUTF16Separator reports whether sample holds a byte that one of
// utf16Separators has: without one, it holds none of them, and the
// search by units is spared to almost every file, which is UTF-8 or
// legacy text and holds none of those bytes.
func hasUTF16Separator(sample []byte) bool {
	for _, b := range []byte{0x00, 0x01, 0x02, 0x0C, 0x1A, 0x1F} {
		if bytes.IndexByte(sample, b) >= 0 {
			return true
		}
	}
	return false
}

// utf16Separators are the code units of white space and CJK punctuation,
// which all text but the shortest holds: each has a byte 0x00, or a
// control (0x01 in "！" 0xFF01), which no text in a legacy encoding
// has. The ideographic space, 0x3000, is not one: its bytes swapped are
// "0", and Chinese among digits would be read in the wrong byte order.
var utf16Separators = map[uint16]bool{
	'\t': true, '\n': true, '\r': true, ' ': true,
	0x3001: true, 0x3002: true, // "、", "。"
	0xFF01: true, 0xFF0C: true, 0xFF1A: true, 0xFF1F: true, // "！", "，", "：", "？"
}

// utf16Text reports whether sample reads as UTF-16 text in the byte order
// given, and how many of its units are separators (see utf16Separators).
//
//   - Text has a separator, and at most one unit in a hundred that is no
//     character: a control but white space, a surrogate out of its pair, a
//     private or unassigned code point. Random bytes make about a third of
//     those, bytes of GBK or Big5 (Hangul, surrogates and private use) as
//     many.
//   - Its letters are of one script. Those of an alphabet sit in one block
//     of 256 below U+2000 (Cyrillic in 0x04xx, Greek in 0x03xx, Thai in
//     0x0Exx): a quarter of the units or more have its high byte, and
//     nearly all the rest are ASCII or general punctuation (0x20xx: "–",
//     "…"). Chinese, Japanese and Korean spread over many blocks, and are
//     told by their common characters, kana and Hangul (see
//     plausibility), which ASCII read as UTF-16 ("Good\x00 text", 䝯潤
//     瑥硴) does not make.
func utf16Text(sample []byte, bigEndian bool) (ok bool, separators int) {
	unit := func(i int) uint16 {
		if bigEndian {
			return uint16(sample[i])<<8 | uint16(sample[i+1])
		}
		return uint16(sample[i+1])<<8 | uint16(sample[i])
	}
	units, bad := make([]uint16, 0, len(sample)/2), 0
	var highs [256]int
	for i := 0; i < len(sample); i += 2 {
		u := unit(i)
		units = append(units, u)
		highs[u>>8]++
		switch {
		case utf16Separators[u]:
			separators++
		case u >= 0xD800 && u < 0xDC00: // a high surrogate: a low one must follow
			if i+3 < len(sample) {
				if next := unit(i + 2); next >= 0xDC00 && next < 0xE000 {
					units = append(units, next)
					i += 2
					continue
				}
				bad++
			} // else cut by the sample's end
		case !utf16Character(rune(u)):
			bad++
		}
	}
	n := len(units)
	if separators == 0 || bad*100 > n {
		return false, separators
	}
	alphabet := 1
	for h := 2; h < 0x20; h++ {
		if highs[h] > highs[alphabet] {
			alphabet = h
		}
	}
	if highs[alphabet]*4 >= n && (highs[0]+highs[alphabet]+highs[0x20])*10 >= n*9 {
		return true, separators
	}
	p := plausibility(string(utf16.Decode(units)))
	return p > 0 && p*2 >= n-highs[0], separators
}

// utf16Character reports whether r, a code unit that is not a surrogate,
// may be in text.
func utf16Character(r rune) bool {
	switch {
	case r == '\f':
		return true
	case r < 0x20, r >= 0x7F && r <= 0x9F, r >= 0xD800 && r < 0xF900, r == 0xFFFE, r == 0xFFFF:
		return false // controls, lone low surrogates, private use, non-characters
	}
	return unicode.IsGraphic(r) || unicode.Is(unicode.Cf, r)
}
