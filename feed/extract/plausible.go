package extract

import (
	"unicode"
	"unicode/utf8"
)

// weakConfidence is the detector's score under which it has seen too
// little text to be believed alone (a line or two): then the readings in
// the encodings that short wire copy most often comes in are weighed too,
// by plausibility.
const weakConfidence = 50

// shortTextEncodings are weighed for text the detector is unsure of: its
// n-gram models need more than a line to tell GBK from EUC-KR, or to see
// Windows-1251 at all.
var shortTextEncodings = []string{"gb18030", "big5", "windows-1251"}

// plausibility scores a reading of bytes in some encoding: how many of its
// characters beyond ASCII are letters that make sense where they stand,
// less those that do not, weighed by the bytes they take (two for a
// character of Chinese, Japanese or Korean, one for the rest), so that
// readings of the same bytes in one-byte and two-byte encodings compare.
//
//   - Hangul, kana and the common Chinese characters (see commonHan)
//     count; other Chinese characters, which bytes of another encoding
//     make, do not; half-width kana, which one-byte text read as
//     Shift_JIS makes, count against.
//   - A letter of Cyrillic, Greek, Arabic or Hebrew counts, but for one in
//     a word of ASCII letters ("cafй", French read as Windows-1251).
//   - A Latin letter counts in a word with ASCII letters ("café"), and
//     against alone among others ("Ìîñêâà", Russian read as Windows-1252).
//   - A symbol counts against ("¹¾¼"), but for currency ("£"), and so does
//     each change of script between neighbouring letters ("벌소固셕",
//     Chinese read as Korean), and each capital after a small letter
//     ("ЅсМм", Chinese read as Windows-1251).
func plausibility(s string) int {
	n := 0
	prev, prevScript := ' ', 0
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		if r < utf8.RuneSelf {
			prev, prevScript = r, 0
			continue
		}
		script := 0
		switch {
		case unicode.Is(unicode.Han, r):
			script = 1
			if commonHan[r] {
				n += 2
			}
		case unicode.Is(unicode.Hangul, r):
			script = 2
			n += 2
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			script = 1 // Japanese writes kana among Chinese characters
			if r < 0xFF61 || r > 0xFF9F {
				n += 2
			} else {
				n-- // half-width kana, which one-byte text read as Shift_JIS makes
			}
		case unicode.IsLetter(r) && unicode.In(r, unicode.Cyrillic, unicode.Greek, unicode.Arabic, unicode.Hebrew):
			script = 3
			if next, _ := utf8.DecodeRuneInString(s[i:]); isASCIILetter(prev) || isASCIILetter(next) {
				n-- // "cafй": no word mixes these with Latin
			} else {
				n++
			}
		case unicode.Is(unicode.Latin, r) && unicode.IsLetter(r):
			script = 4
			next, _ := utf8.DecodeRuneInString(s[i:])
			if isASCIILetter(prev) || isASCIILetter(next) {
				n++
			} else {
				n--
			}
		case unicode.IsLetter(r):
			script = 5
		case !unicode.IsPunct(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Sc, r):
			n-- // "¹", "¾", "·"; but "£", "€"
		}
		if script != 0 && prevScript != 0 && script != prevScript {
			n--
		}
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			n -= 2 // "ЅсМм": a capital inside a word
		}
		prev, prevScript = r, script
	}
	return n
}

// commonHan are the commonest Chinese characters, in their simplified and
// traditional forms: about half of any Chinese text, and few of the
// characters that bytes in another encoding make when read as GBK or Big5.
var commonHan = func() map[rune]bool {
	const chars = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切乐考布据局增长放缓央决定等待场统计周数" +
		"這個們來為國說時會對過後麼裡學發經頭從動兩長樣現將體還開當問點種聲話兒與實進無見間東門電業產軍關內氣書員親務製義認論習權傳遠資隊帶條聯變領達辦運區轉輕語給統報導質歲錢黨灣濟緩臺爲"
	m := make(map[rune]bool, len(chars)/3)
	for _, r := range chars {
		m[r] = true
	}
	return m
}()
