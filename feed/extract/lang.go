package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// langSample is how much of a text langOf reads: its opening tells its
// language as well as the whole, at a fixed cost.
const langSample = 2048

// asciiLetter is 1 for the ASCII letters, 0 for the other ASCII bytes.
var asciiLetter = func() (t [utf8.RuneSelf]uint8) {
	for c := 'A'; c <= 'z'; c++ {
		if c <= 'Z' || c >= 'a' {
			t[c] = 1
		}
	}
	return t
}()

// langOf returns the BCP 47 tag of the language text is written in, or ""
// when it cannot tell. The script decides first: Han with kana is Japanese,
// Han alone Chinese; Arabic script with Persian's own letters (پ چ ژ گ ک
// ی) is Persian, else Arabic; Cyrillic is Russian, Ukrainian, Belarusian,
// Serbian, Macedonian or Kazakh by their own letters, or "" (Bulgarian;
// see cyrillicCount.lang). A Han, kana or Hangul character counts as
// three Latin letters, as it holds as much of a word: the links and names of a
// Chinese page do not make it Latin. Text mostly in a script of none of
// these (Bengali, Devanagari) is "". Latin text is Turkish by its own
// letters (ı, ğ), "" when it writes enough letters of other languages (ł,
// ř, ș, å...), else English, German, French, Spanish, Italian or
// Portuguese by its commonest words (see stopLang), and "" when they do
// not say. A few such letters are a name (Erdoğan, Wałęsa), no language.
func langOf(text string) string {
	sample := text[:utf8ValidPrefix(text, langSample)]
	var han, kana, hangul, arabic, persian, urdu, greek, hebrew, latin, other, turkish, foreign, hungarian int
	var cyr cyrillicCount
	for i := 0; i < len(sample); {
		if c := sample[i]; c < utf8.RuneSelf { // most of any text, judged inline
			latin += int(asciiLetter[c])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(sample[i:])
		i += size
		switch {
		case r >= 0x2000 && r <= 0x206F:
			// General Punctuation (curly quotes, dashes), the commonest
			// characters past ASCII in Latin text: no script's letters.
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			arabic++
			switch r {
			case 'پ', 'چ', 'ژ', 'گ', 'ک', 'ی':
				persian++
			case 'ٹ', 'ڈ', 'ڑ', 'ں', 'ے':
				urdu++
			}
		case unicode.Is(unicode.Cyrillic, r) && unicode.IsLetter(r):
			cyr.add(r)
		case unicode.Is(unicode.Greek, r):
			greek++
		case unicode.Is(unicode.Hebrew, r):
			hebrew++
		case unicode.Is(unicode.Latin, r):
			latin++
			switch r {
			case 'ı', 'ğ', 'İ', 'Ğ':
				turkish++
			case 'ő', 'ű', 'Ő', 'Ű':
				hungarian++ // Hungarian's own: its ö and ü are no German either
			case 'ł', 'ą', 'ę', 'ś', 'ź', 'ż', 'ń', 'ř', 'ě', 'ů', 'ș', 'ț', 'ă', 'å', 'ø', 'æ', 'ð', 'þ', 'ơ', 'ư', 'ş', 'č', 'š', 'ž', 'đ':
				foreign++ // letters of none of stopLangs
			}
		case unicode.IsLetter(r):
			other++
		}
	}
	cjk := 3 * (han + kana)
	hangul *= 3
	most := max(cjk, hangul, arabic, cyr.all, greek, hebrew, latin, other)
	switch {
	case most == 0 || most == other:
		return ""
	case most == cjk && 3*kana*20 >= cjk:
		return "ja"
	case most == cjk:
		return "zh"
	case most == hangul:
		return "ko"
	// Persian's letters are one in ten of its text; a Persian name in
	// Arabic text gives a few.
	case most == arabic && urdu >= 3 && urdu*20 >= arabic:
		return "ur"
	case most == arabic && persian >= 3 && persian*20 >= arabic:
		return "fa"
	case most == arabic:
		return "ar"
	case most == cyr.all:
		return cyr.lang(sample)
	case most == greek:
		return "el"
	case most == hebrew:
		return "he"
	// ı and ğ are one letter in twenty of Turkish (whose ü and ö are no
	// German), the others two or more in a hundred of their languages.
	case turkish >= 2 && turkish*30 >= latin:
		return "tr"
	case hungarian >= 2:
		return ""
	case foreign >= 3 && foreign*50 >= latin:
		return "" // Polish, Czech, Romanian, Nordic...: not one of stopLangs
	}
	return stopLang(sample)
}

// proseOf returns the opening of a Markdown text, up to langSample bytes,
// without what tells nothing of its language: fenced code (hugoDocs'
// compare.Le page was French by its ten "{{ le 1 2 }}") and the targets
// of links, inline or defined by reference (a Chinese page's URLs
// outweighed its prose; a Korean post's "[1]: http://www.onlamp.com/..."
// made it Portuguese by its "com").
func proseOf(s string) string {
	var b strings.Builder
	fence := ""
	for s != "" && b.Len() < langSample {
		line, rest, _ := strings.Cut(s, "\n")
		s = rest
		t := strings.TrimLeft(line, " \t")
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			fence = t[:3]
			continue
		case isLinkDefinition(t):
			continue
		}
		for {
			i := strings.Index(line, "](")
			j := strings.IndexByte(line[i+1:], ')')
			if i < 0 || j < 0 {
				break
			}
			b.WriteString(line[:i+1])
			line = line[i+1+j+1:]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// isLinkDefinition reports whether line, without its indent, defines the
// target of a reference link: "[label]: target", the target an address or
// a path.
func isLinkDefinition(line string) bool {
	i := strings.Index(line, "]:")
	if !strings.HasPrefix(line, "[") || i < 0 {
		return false
	}
	target, _, _ := strings.Cut(strings.TrimSpace(line[i+2:]), " ")
	return strings.ContainsAny(target, "/.#")
}

// utf8ValidPrefix returns a cut of at most n bytes of s that does not split
// a character.
func utf8ValidPrefix(s string, n int) int {
	if len(s) <= n {
		return len(s)
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// stopLangs are the Latin-script languages stopLang tells apart.
var stopLangs = [...]string{"en", "de", "fr", "es", "it", "pt"}

// others is the index in stopWords of the words of languages stopLang
// does not know.
const others = len(stopLangs) + 1

// stopWords are the commonest words of each of stopLangs, with the index of
// their language plus one, and those of languages none of stopLangs writes
// (Dutch, Catalan, Nordic, Finnish, Slavic, Hungarian, Romanian,
// Indonesian, Uzbek, Vietnamese, Turkish), as others; a word common to
// two of these is 0 and counts for neither (Portuguese's include those it
// shares with Spanish, "para", "por", "esta", for that). No word of others is common
// in one of stopLangs, even if not among its words here: Finnish "ei" is
// no German egg, but Polish "nie" is German, Hungarian "nem" Portuguese
// and Uzbek "va" French.
var stopWords = func() map[string]int {
	lists := [others]string{
		"the and of to is was that for with said on it he she by are have has be at this from which were they will would his their been not who",
		"der die und das ist nicht ein eine einen einem den dem des mit sich auf für von zu zum zur bis als im sie es auch wurde hat wird bei nach aus sind noch dass werden einer wie über",
		"le la les des et est une du que qui dans pour pas sur au avec il elle ce sont par plus été ont mais aux cette ses leur nous",
		"el la los las del que y en un una por con para es se su al lo como más pero sus fue ha este esta han son también entre sobre desde según dijo",
		"il di che è per non della delle degli dei nel nella alla alle anche sono gli questo questa stato hanno dal dalla ai più essere come ma ed uno un una dell nell sull dall cui tra sia può viene ogni loro",
		"o os do da dos das em um uma com não mais ao à pelo pela seu sua também são ou ele ela foi está isso tem nos nas você já quando para por esta este se entre sobre desde",
		// Dutch; Catalan; Swedish, Danish and Norwegian; Finnish;
		// Indonesian and Malay; Polish and Czech; Serbian and Croatian;
		// Hungarian; Romanian; Uzbek; Vietnamese; Turkish.
		"het een voor niet zijn wordt ook maar naar deze bij uit heeft worden kunnen dat op " +
			"amb els és més dels aquest aquesta perquè però pel són molt fins " +
			"och att det som är för inte av har eller också på om sig vara og ikke af også hvis denne dette jeg " +
			"ja että myös tai kun jos mutta joka jotka ovat ole tämä sekä kanssa voit sinun " +
			"yang dan untuk ini dengan dari tidak akan pada dalam adalah itu juga atau bisa kami anda kita dapat oleh telah sudah saat " +
			"się że jest oraz przez dla jak są lub tym który która które może być jego czy już jsou není jako také nebo které který byl být " +
			"za od će koji koja koje nije ili kao biti ako što kako samo sve može treba ovo ova ovaj " +
			"és hogy egy az meg ez csak már mint vagy kell lehet után pedig " +
			"și în că cu pe sunt din pentru sau fost acest această " +
			"bu uchun bilan yoki emas orqali barcha sizning qanday agar " +
			"và các của được những không này với một trong có cho " +
			"bir için ile olarak daha çok gibi",
	}
	m := map[string]int{}
	for i, words := range lists {
		for _, w := range strings.Fields(words) {
			if other, ok := m[w]; ok && other != i+1 {
				m[w] = 0
				continue
			}
			m[w] = i + 1
		}
	}
	return m
}()

// stopLang tells English, German, French, Spanish, Italian and Portuguese
// apart by counting their commonest words in s. It says "" unless one
// language scores at least three, twice the next language and twice the
// languages it does not know (see stopTally.score), and its words are one
// in minShare of the words of s: a few Italian "di" in Indonesian, Spanish
// "en" and "del" in Catalan, or French "du" and "et" in Danish, are no
// Italian, Spanish or French.
func stopLang(s string) string {
	var t stopTally
	// Each word is lowered into buf, and looked up without a copy; a word
	// longer than the longest stop word, in bytes, is skipped.
	var buf [16]byte
	n := 0
	word := false   // the letters since the last space are a word: no digit among them
	umlaut := false // the word holds ä, ö, ü or ß, which of stopLangs only German writes
	for i := 0; i <= len(s); {
		r, size := utf8.RuneError, 1
		if i < len(s) {
			r, size = rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[i:])
			}
		}
		i += size
		if r >= 0xC4 && germanLetter(r) {
			umlaut = true
		}
		if i <= len(s) && r >= '0' && r <= '9' {
			// A word run into digits is a version (p598), a unit (MD5) or a
			// checksum, whose hex letters spell "da", "ce" and "ed".
			n, word = -1, false
			continue
		}
		if i <= len(s) && unicode.IsLetter(r) {
			if n == 0 {
				word = true
			}
			if n >= 0 && n+utf8.RuneLen(r) <= 8 {
				n = len(utf8.AppendRune(buf[:n], unicode.ToLower(r)))
			} else {
				n = -1
			}
			continue
		}
		if word {
			t.words++
		}
		if umlaut {
			t.umlauts++
			umlaut = false
		}
		if n > 0 {
			lang := stopWords[string(buf[:n])]
			t.counts[lang]++
			if lang > 0 && lang < others && t.counts[lang] >= 12 && t.leads(lang, 3) {
				// Enough said: common words come thick in prose.
				return t.verdict(lang)
			}
		}
		n, word = 0, false
	}
	best := 1
	for lang := 2; lang < others; lang++ {
		if t.score(lang) > t.score(best) {
			best = lang
		}
	}
	if t.score(best) < 3 || !t.leads(best, 2) {
		return ""
	}
	return t.verdict(best)
}

// minShare is how many of a text's words there are at most to each of its
// language's commonest words: one in four to eight in prose, one in 35 in
// a page of links, commands and checksums.
const minShare = 40

// stopTally is what stopLang counts: the words of each of stopWords'
// languages, the words with German's letters, and all words.
type stopTally struct {
	counts  [others + 1]int
	umlauts int
	words   int
}

// score is the evidence for stopWords' language lang: its words; for
// German two points more for each word with ä, ö, ü or ß, as short German
// texts ("Wien – Die Stadt investiert in Straßenbahnen.") have few common
// words; for the languages stopLang does not know two points a word, as
// none of stopLangs writes those words, but those languages write many of
// stopLangs' (Catalan "el", "en", "del").
func (t *stopTally) score(lang int) int {
	switch lang {
	case german:
		return t.counts[lang] + 2*t.umlauts
	case others:
		return 2 * t.counts[lang]
	}
	return t.counts[lang]
}

// leads reports whether lang scores by times every other language of
// stopWords, those it does not know included.
func (t *stopTally) leads(lang, times int) bool {
	for other := 1; other <= others; other++ {
		if other != lang && times*t.score(other) > t.score(lang) {
			return false
		}
	}
	return true
}

// verdict returns the tag of lang, the language of stopWords that leads,
// unless too few of the words are its (see minShare), or, for German,
// more than three times as many words write ä, ö, ü or ß as are German's
// commonest: German's texts write them in at most twice as many, Finnish,
// Swedish, Hungarian and Turkish ones in four times as many or more (a
// Finnish page naming der files is no German).
func (t *stopTally) verdict(lang int) string {
	if t.counts[lang]*minShare < t.words {
		return ""
	}
	if lang == german && t.umlauts > 3*t.counts[german] {
		return ""
	}
	return stopLangs[lang-1]
}

// german is the index of German in stopWords.
const german = 2

// germanLetter reports whether r is one of the letters that, of
// stopLangs, German alone writes.
func germanLetter(r rune) bool {
	switch r {
	case 'ä', 'ö', 'ü', 'ß', 'Ä', 'Ö', 'Ü':
		return true
	}
	return false
}
