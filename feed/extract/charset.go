package extract

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// detector is ICU's charset detector: it scores legacy encodings by the
// byte sequences each allows and by the letter n-grams of the languages
// written in them.
var detector = chardet.NewTextDetector()

// detectSample bounds how much of a file the detector reads: a few pages
// tell an encoding as well as a whole book, and detection costs a pass per
// encoding.
const detectSample = 64 << 10

// minConfidence is the least score, of 100, at which a detected encoding is
// believed; below it the text is read as Windows-1252.
const minConfidence = 10

// decodeLegacy reads data, which is not valid UTF-8, in the legacy encoding
// it is most likely in, and returns the text and the encoding's name. The
// detector's guesses are tried best first; a guess whose decoding has
// bytes it cannot map, or C1 controls, which no text means, is wrong (that
// is how Persian in Windows-1256, whose پ and گ sit where ISO-8859-6 has
// nothing, is told from Arabic in ISO-8859-6). When no guess holds,
// Windows-1252 is what a file saved by an older Windows editor is.
func decodeLegacy(data []byte) (text, name string) {
	sample := data[:min(len(data), detectSample)]
	results, _ := detector.DetectAll(sample)
	// DetectAll sorts by confidence alone, in no set order among equals:
	// break ties by name, so that a file always reads the same.
	slices.SortStableFunc(results, func(a, b chardet.Result) int {
		return cmp.Or(b.Confidence-a.Confidence, strings.Compare(a.Charset, b.Charset))
	})
	// The readings of the best score, and of every score when that is
	// weak, compete by plausibility; the detector's order breaks ties.
	best, bestName, bestScore, top := "", "", 0, -1
	weigh := func(s, name string, least int) {
		if name == "windows-1252" {
			s, name = centralOrWestern(data, s)
		}
		if p := plausibility(s); bestName == "" || p > bestScore && p >= least {
			best, bestName, bestScore = s, name, p
		}
	}
	var passed []chardet.Result
	for _, r := range results {
		if r.Confidence < minConfidence {
			break
		}
		if top >= weakConfidence && r.Confidence < top {
			passed = append(passed, r)
			continue
		}
		e, name := legacyEncoding(r)
		if e == nil {
			continue
		}
		if s, ok := decodeStrict(e, data); ok {
			top = max(top, r.Confidence)
			weigh(s, name, 0)
		}
	}
	// A confident guess that reads as nonsense ("‚¨’m‚ç‚¹": a Japanese
	// title over an English body, which the detector takes for
	// Windows-1252) gives way to a reading that makes sense, clearly: three
	// characters of Chinese, Japanese or Korean, or six letters. Fewer are
	// what stray symbols make ("°±" is "갚" in EUC-KR, "°C" "蚓" in Big5).
	least := 0
	if top >= weakConfidence && bestScore < 0 {
		least = 6
		for _, r := range passed {
			if e, name := legacyEncoding(r); e != nil {
				if s, ok := decodeStrict(e, data); ok {
					weigh(s, name, least)
				}
			}
		}
	}
	if top < weakConfidence || least > 0 {
		for _, name := range append([]string{"windows-1252"}, shortTextEncodings...) {
			if e, canonical, err := LookupEncoding(name); err == nil && canonical != bestName {
				if s, ok := decodeStrict(e, data); ok {
					weigh(s, canonical, least)
				}
			}
		}
	}
	if bestName != "" {
		return best, bestName
	}
	out, _ := charmap.Windows1252.NewDecoder().Bytes(data) // never fails: every byte maps to a rune
	return string(out), "windows-1252"
}

// centralOrWestern tells Central European text (Polish, Czech...) from
// Western, given data decoded as Windows-1252 (western). The detector's
// port names its ISO-8859-2 guesses ISO-8859-1, and which of the two
// survives a tie depends on the order its goroutines finish in, so the
// choice is made here, the same every time: ISO-8859-2 or Windows-1250
// when it makes more letters inside words than Windows-1252 ("był", not
// "by³"), counting as such the š and ž that Windows-1250 and -1252 share
// and that no Western language writes; Windows-1252 on a tie, as every
// Western letter is a letter in the other two.
func centralOrWestern(data []byte, western string) (string, string) {
	best, name, score := western, "windows-1252", wordLetters(western)
	shared := strings.Count(western, "š") + strings.Count(western, "ž") + strings.Count(western, "Š") + strings.Count(western, "Ž")
	for _, c := range []struct {
		e    encoding.Encoding
		name string
	}{{charmap.ISO8859_2, "iso-8859-2"}, {charmap.Windows1250, "windows-1250"}} {
		if s, ok := decodeStrict(c.e, data); ok {
			if n := wordLetters(s) + shared; n > score {
				best, name, score = s, c.name, n
			}
		}
	}
	return best, name
}

// wordLetters counts the characters beyond ASCII next to an ASCII letter
// that are letters, less those that are not.
func wordLetters(s string) int {
	n := 0
	prev := ' '
	for i, r := range s {
		if r >= utf8.RuneSelf {
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			if isASCIILetter(prev) || isASCIILetter(next) {
				if unicode.IsLetter(r) {
					n++
				} else {
					n--
				}
			}
		}
		prev = r
	}
	return n
}

func isASCIILetter(r rune) bool { return 'a' <= r|0x20 && r|0x20 <= 'z' }

// legacyEncoding returns the encoding a detector's result names, and its
// WHATWG name, or nil for the Unicode encodings (data is not UTF-8, and
// UTF-16 and UTF-32 are known by their BOM or their zero bytes) and for
// those x/text has no decoder for (the EBCDIC IBM420 and IBM424).
func legacyEncoding(r chardet.Result) (encoding.Encoding, string) {
	name := strings.ToLower(r.Charset)
	switch {
	case strings.HasPrefix(name, "utf-"):
		return nil, ""
	case name == "gb-18030":
		return simplifiedchinese.GB18030, "gb18030"
	}
	e, err := htmlindex.Get(name)
	if err != nil {
		return nil, ""
	}
	canonical, err := htmlindex.Name(e)
	if err != nil {
		canonical = name
	}
	return e, canonical
}

// decodeStrict decodes data in e, and reports false when the result holds
// a replacement character or a C1 control: bytes e does not map to text.
func decodeStrict(e encoding.Encoding, data []byte) (string, bool) {
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return "", false
	}
	for i := 0; i < len(out); {
		if out[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(out[i:])
		if r == utf8.RuneError || r >= 0x80 && r <= 0x9F {
			return "", false
		}
		i += size
	}
	return string(out), true
}

// LookupEncoding returns the encoding a WHATWG label names ("gbk",
// "shift_jis", "windows-1251", "iso-8859-2"), and its canonical name, as
// config's encoding setting gives it.
func LookupEncoding(label string) (encoding.Encoding, string, error) {
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, "", err
	}
	name, err := htmlindex.Name(e)
	if err != nil {
		name = strings.ToLower(label)
	}
	return e, name, nil
}
