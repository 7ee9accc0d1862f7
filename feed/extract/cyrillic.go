package extract

import (
	"strings"
	"unicode"
)

// cyrillicCount tells the languages written in Cyrillic apart by the
// letters each has and the others lack (see lang). Russian is only the
// language of a text with some sign of its own: most of its letters are
// every Cyrillic language's, and a wrong language is worse than none.
type cyrillicCount struct {
	all       int // Cyrillic letters
	russian   int // ы э ё: Russian's (and Belarusian's and Kazakh's), none of the South Slavic languages'
	hard      int // ъ: one letter in fifty of Bulgarian, one in thousands of Russian
	ukrainian int // і ї є ґ: Ukrainian's; і is Belarusian's and Kazakh's too
	serbian   int // ђ ћ: Serbian's alone
	macedon   int // ѓ ќ ѕ: Macedonian's alone
	southern  int // ј љ њ џ: Serbian's and Macedonian's
	belarus   int // ў: Belarusian's (and Uzbek's)
	kazakh    int // ә ғ қ ң ө ұ ү һ: Kazakh's, some of them other Turkic languages' too
	kazakhU   int // ұ: Kazakh's alone
	other     int // any other letter: Tatar's җ, Tajik's ҷ, Bashkir's ҡ, old Russian's ѣ...
}

// add counts r, a Cyrillic letter.
func (c *cyrillicCount) add(r rune) {
	c.all++
	if r >= 'А' && r <= 'я' { // the 32 letters of Russian's alphabet but ё, in both cases
		switch r {
		case 'ы', 'э', 'Ы', 'Э':
			c.russian++
		case 'ъ', 'Ъ':
			c.hard++
		}
		return
	}
	switch unicode.ToLower(r) {
	case 'ё':
		c.russian++
	case 'і', 'ї', 'є', 'ґ':
		c.ukrainian++
	case 'ђ', 'ћ':
		c.serbian++
	case 'ѓ', 'ќ', 'ѕ':
		c.macedon++
	case 'ј', 'љ', 'њ', 'џ':
		c.southern++
	case 'ў':
		c.belarus++
	case 'ұ':
		c.kazakhU++
		c.kazakh++
	case 'ә', 'ғ', 'қ', 'ң', 'ө', 'ү', 'һ':
		c.kazakh++
	case 'ѝ': // Bulgarian's and Macedonian's "her", no sign of either alone
	default:
		c.other++
	}
}

// telling reports whether n letters are a sign of a language rather than
// of a name: two or more, and one in a hundred of the text's letters.
// Serbian writes ј in one word in four, Kazakh its own letters in one
// letter in ten, Belarusian ў in one in fifty; a name (Đoković, Қарағанды)
// in a Russian text gives a few in a thousand.
func (c *cyrillicCount) telling(n int) bool { return n >= 2 && n*100 >= c.all }

// lang returns the language of sample, whose letters c counted, mostly
// Cyrillic: Serbian by ђ and ћ, Macedonian by ѓ, ќ and ѕ (by their words
// when the text writes only the ј љ њ џ they share), Kazakh by its own
// letters with і or ұ (not Kyrgyz, Tatar or Mongolian, which have some of
// them), Belarusian by ў with і, Ukrainian by і ї є ґ, else Russian; ""
// for any other, mixed or unclear, and for Bulgarian, by its ъ or its
// words.
func (c *cyrillicCount) lang(sample string) string {
	south := c.serbian + c.macedon + c.southern
	switch {
	case c.telling(c.other):
		return ""
	case c.telling(south):
		if c.kazakh+c.belarus+c.ukrainian+c.russian > 0 {
			return "" // mixed: Serbian writes none of those
		}
		switch words := cyrillicWords(sample); {
		case c.serbian > 0 && c.macedon == 0, c.serbian+c.macedon == 0 && words.serbian > words.macedon:
			return "sr"
		case c.macedon > 0 && c.serbian == 0, c.serbian+c.macedon == 0 && words.macedon > words.serbian:
			return "mk"
		}
		return ""
	case c.telling(c.kazakh):
		if c.kazakhU+c.ukrainian > 0 && c.belarus+south == 0 {
			return "kk"
		}
		return "" // Kyrgyz, Tatar, Mongolian, Uzbek...
	case c.telling(c.belarus):
		if c.ukrainian > 0 && c.kazakh+south == 0 {
			return "be"
		}
		return ""
	case c.ukrainian >= 2 && c.ukrainian*50 >= c.all:
		if c.telling(c.russian) {
			return "" // і with ы and э: Belarusian without its ў, or two languages
		}
		return "uk"
	case c.hard > c.russian:
		return "" // Bulgarian (see hard)
	}
	// Most of the letters, and many words, of Russian are Bulgarian's too:
	// without ъ, a text is Russian unless Bulgarian's own words outnumber
	// its signs ("Тази команда е псевдоним на": a tldr page), or it is
	// long and shows none (ы is one letter in fifty of Russian).
	words := cyrillicWords(sample)
	signs := c.russian + words.russian
	if words.bulgarian > signs || signs == 0 && c.all >= 200 {
		return ""
	}
	return "ru"
}

// cyrillicVotes counts the words of a text that only one of Russian,
// Bulgarian, Serbian and Macedonian writes.
type cyrillicVotes struct{ russian, bulgarian, serbian, macedon int }

// cyrillicWords counts the words of sample that are signs of Russian,
// Bulgarian, Serbian or Macedonian (see cyrillicSigns), and Russian's
// infinitives, in -ть and -ться, which Bulgarian and Macedonian have not,
// and Serbian and Ukrainian make in -ти.
func cyrillicWords(sample string) cyrillicVotes {
	var v cyrillicVotes
	for w := range strings.FieldsFuncSeq(sample, func(r rune) bool { return !unicode.IsLetter(r) }) {
		w = strings.ToLower(w)
		switch cyrillicSigns[w] {
		case 'r':
			v.russian++
		case 'b':
			v.bulgarian++
		case 's':
			v.serbian++
		case 'm':
			v.macedon++
		default:
			if len(w) > len("ть") && (strings.HasSuffix(w, "ть") || strings.HasSuffix(w, "ться")) {
				v.russian++
			}
		}
	}
	return v
}

// cyrillicSigns are common words of one of Russian ('r'), Bulgarian
// ('b'), Serbian ('s') and Macedonian ('m') that the others and Ukrainian
// do not write, or hardly: Bulgarian's "е" (is) and "ще" (will) are
// Russian's "есть" and "будет", Serbian's "је" and "у" (in) Macedonian's
// "е" and "во".
var cyrillicSigns = func() map[string]byte {
	m := map[string]byte{}
	for lang, words := range map[byte]string{
		'r': "что для его только если чтобы может можно также будет",
		'b': "е са ще че тази този това тези които който която което във със към виж като чрез когато няма",
		's': "је није су који које у",
		'm': "во ги дека кој кое",
	} {
		for _, w := range strings.Fields(words) {
			m[w] = lang
		}
	}
	return m
}()
