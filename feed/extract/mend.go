package extract

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// UTF-8 that a few stray bytes spoil (an apostrophe pasted from Word,
// 0x92; a byte of Latin-1) is still UTF-8: read whole in a legacy
// encoding, every character of it would be wrong ("Ăśber", "дёњдє¬") to
// mend one. Valid sequences of two to four bytes are rare in legacy text
// (a capital and a sign: "Ã©"), invalid bytes everywhere in it: where the
// sequences clearly outnumber the invalid bytes the text is UTF-8, and
// where they only come near, the reading that makes more sense wins.

// mendRatio is how many valid sequences to one invalid byte make text UTF-8
// without weighing the legacy readings: no legacy text comes near it (a
// line of GBK comes to two sequences to three invalid bytes, longer text
// in any legacy encoding to one to four or fewer).
const mendRatio = 4

// utf8Census counts the valid UTF-8 sequences of more than one byte in data,
// and the bytes that are not part of one and are not ASCII.
func utf8Census(data []byte) (sequences, invalid int) {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			sequences++
		}
		i += size
	}
	return sequences, invalid
}

// mendUTF8 reads data as UTF-8, each byte that is not part of a valid
// sequence as Windows-1252, which such a byte almost always is (0x92 is
// "’"), or as U+FFFD where Windows-1252 has no character. It returns the
// text and what was mended, for the log: "utf-8 (1 invalid byte read as
// windows-1252)".
func mendUTF8(data []byte) (text, note string) {
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	read, replaced := 0, 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			b.WriteByte(data[i])
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			if r = charmap.Windows1252.DecodeByte(data[i]); r == utf8.RuneError || r >= 0x80 && r <= 0x9F {
				r = utf8.RuneError // 0x81, 0x8D, 0x8F, 0x90, 0x9D: none in Windows-1252
				replaced++
			} else {
				read++
			}
			b.WriteRune(r)
		} else {
			b.Write(data[i : i+size])
		}
		i += size
	}
	var parts []string
	if read > 0 {
		parts = append(parts, invalidBytes(read)+" read as windows-1252")
	}
	if replaced > 0 {
		parts = append(parts, invalidBytes(replaced)+" replaced by U+FFFD")
	}
	return b.String(), "utf-8 (" + strings.Join(parts, ", ") + ")"
}

func invalidBytes(n int) string {
	if n == 1 {
		return "1 invalid byte"
	}
	return fmt.Sprintf("%d invalid bytes", n)
}

// decodeSpoiled reads data, which is not valid UTF-8, as UTF-8 mended when
// it is that (see mendUTF8), and otherwise in the legacy encoding it is
// most likely in; it returns the text and its encoding's name. With a BOM
// that says UTF-8, UTF-8 it is.
func decodeSpoiled(data []byte, bom bool) (string, string) {
	sequences, invalid := utf8Census(data)
	if sequences == 0 && !bom {
		return decodeLegacy(data) // ASCII and legacy bytes: a lone 0x92 is "’" either way
	}
	if bom || sequences >= mendRatio*invalid {
		return mendUTF8(data)
	}
	legacy, name := decodeLegacy(data)
	// Weighed only near the ratio: with more invalid bytes than that, the
	// file is in a legacy encoding and holds a sequence by chance ("É…"
	// in Windows-1252 is "Ʌ" in UTF-8), or is mostly in one (a Czech text
	// in Windows-1250, which mended would read much as well, as
	// Windows-1252).
	if invalid <= 2*sequences {
		if mended, note := mendUTF8(data); mixedPlausibility(mended) > mixedPlausibility(legacy) {
			return mended, note
		}
	}
	return legacy, name
}

// mixedPlausibility is plausibility for text that may be UTF-8 with a few
// bytes of another encoding: a character of Chinese, Japanese or Korean
// inside a word of ASCII letters ("Caf챕", "café" read as EUC-KR) counts
// against, not for, as such pairs of bytes are what a letter of UTF-8
// makes in an encoding of two bytes a character.
func mixedPlausibility(s string) int {
	n := plausibility(s)
	prev := ' '
	for i, r := range s {
		if r >= 0x2E80 && unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) {
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			if isASCIILetter(prev) || isASCIILetter(next) {
				n -= 3
			}
		}
		prev = r
	}
	return n
}
