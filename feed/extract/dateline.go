package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A dateline opens wire copy: "TEHRAN –", "NEW YORK, Jan. 5 (AP) —",
// "LONDON (Reuters) -", "Tehran (IRNA) –", or just "(Reuters) -". Places in
// capitals, or followed by an agency, are datelines whatever follows; those
// are strong. A place in ordinary case ("London, March 3 -", "Wien –"), or
// in a script without case ("دمشق -"), is one only before the capital,
// digit or opening quote of a sentence (see splitDateline), and is weak.
var datelines = []struct {
	re     *regexp.Regexp
	strong bool
}{
	{regexp.MustCompile(`^(?P<place>` + capitalPlace + `)(?:/` + capitalPlace + `)?` +
		`(?:,[^–—()\n]{1,40}?)?(?:\s*\([^)\n]{1,40}\))?\s*[–—-]{1,2}\s+`), true},
	{regexp.MustCompile(`^(?P<place>\p{Lu}[\p{L}\p{M}.'’ -]{1,40}?)(?:/\p{Lu}[\p{L}\p{M}.'’ -]{1,40}?)?(?:,[^–—()\n]{1,40}?)?` +
		`\s*\([^)\n]{1,40}\)\s*[–—-]{1,2}\s+`), true},
	// Arabic, Persian, Chinese: a place of one to three words of letters
	// without case, and an agency in brackets, full-width ones too.
	{regexp.MustCompile(`^(?P<place>[\p{Lo}\p{M}]{2,30}(?: [\p{Lo}\p{M}]{1,30}){0,2})(?:[,،][^–—()（）\n]{1,40}?)?` +
		`\s*[(（][^)）\n]{1,40}[)）]\s*[–—－-]{1,2}\s*`), true},
	{regexp.MustCompile(`^\([^)\n]{1,40}\)\s*[–—-]{1,2}\s+`), true},
	// TASS: "МОСКВА, 30 ноября. /ТАСС/.", "Москва, 30 ноября. /Корр. ТАСС/.".
	{regexp.MustCompile(`^(?P<place>` + capitalPlace + `|\p{Lu}\p{Ll}[\p{L}\p{M}'’.-]{0,30}), [^./\n]{1,30}\. /[^/\n]{1,60}/\.?\s+`), true},
	// Japanese: "【東京】", and with the agency, "【ワシントン共同】", "【北京時事】".
	{regexp.MustCompile(`^【(?P<place>[\p{Han}\p{Katakana}ー・]{1,12}?)(?:共同|時事)?】\s*`), true},
	// Chinese wire copy: "新华社北京11月30日电（记者 张三）", "中新网11月30日电".
	{regexp.MustCompile(`^(?:` + chineseWires + `)(?P<place>\p{Han}{2,8}?)?[0-9０-９]{1,2}月[0-9０-９]{1,2}日[电讯電訊]` +
		`(?:\s*[（(][^)）\n]{1,40}[)）])?\s*`), true},
	// "London, March 3 -", "Wien –", "Rio de Janeiro –".
	{regexp.MustCompile(`^(?P<place>\p{Lu}\p{Ll}[\p{L}\p{M}'’.]{0,30}(?:[ -](?:\p{Lu}[\p{L}\p{M}'’.]{0,30}|de|del|da|do|dos|am|an|der|el|al|la|le|sur)){0,3})` +
		`(?:/\p{Lu}\p{Ll}[\p{L}\p{M}'’.]{0,30})?(?:,[^–—()\n]{1,40}?)?\s+[–—-]{1,2}\s+`), false},
	// "طهران -", "دمشق -": a place without case and without an agency.
	// ("北京－" without an agency is not one: "中国－东盟博览会" is a name.)
	{regexp.MustCompile(`^(?P<place>[\p{Lo}\p{M}]{2,30}(?: [\p{Lo}\p{M}]{1,30}){0,2})(?:[,،][^–—()（）\n]{1,40}?)?\s+[–—-]{1,2}\s+`), false},
}

// chineseWires are the agencies and sites whose dispatches open with
// their name, the place and the date: "新华社北京11月30日电".
const chineseWires = `新华社|新華社|中新社|中新网|中新網|新华网|新華網|人民网|人民網|央视网|央視網|央广网|中国新闻网|中國新聞網`

// capitalPlace is a place in capitals: "NEW YORK", "AL-MUKALLA". A
// dateline may name two, "BERLIN/PARIS": the first is the category.
const capitalPlace = `\p{Lu}[\p{Lu}\p{M}.'’]+(?:[ -]\p{Lu}[\p{Lu}\p{M}.'’]*)*`

// storyLabel opens a story with its kind, as a dateline opens it with a
// place: "Update -", "Exclusive –", "Kommentar –". It is taken out of the
// title, and is no place.
var storyLabel = regexp.MustCompile(`^(?i:update|updated|exclusive|analysis|factbox|fact ?check|explainer|breaking|breaking news|` +
	`photo|photos|video|opinion|feature|interview|` +
	`kommentar|analyse|eilmeldung|hintergrund|meinung|exklusiv|` +
	`exclusif|exclusivité|vidéo|tribune|décryptage|` +
	`análisis|exclusiva|última hora|opinión|` +
	`эксклюзив|анализ|видео|фото|мнение|молния|` +
	`عاجل|تحليل|حصري|فيديو|تحلیل|ویدیو|اختصاصی|فوری)\s*[–—-]{1,2}\s+`)

// labelWords are the first words of storyLabel's labels, in lower case.
var labelWords = setOf("update", "updated", "exclusive", "analysis", "factbox", "fact", "factcheck", "explainer",
	"breaking", "photo", "photos", "video", "opinion", "feature", "interview", "kommentar", "analyse", "eilmeldung",
	"hintergrund", "meinung", "exklusiv", "exclusif", "exclusivité", "vidéo", "tribune", "décryptage", "análisis",
	"exclusiva", "última", "opinión", "эксклюзив", "анализ", "видео", "фото", "мнение", "молния", "عاجل", "تحليل",
	"حصري", "فيديو", "تحلیل", "ویدیو", "اختصاصی", "فوری")

// labelEnd returns the length of the story label that opens p, or 0.
// The first word is looked up before storyLabel is run: a regular
// expression of many words is slow, and paragraphs rarely open with a
// label.
func labelEnd(p string) int {
	var buf [32]byte
	n := 0
	for _, r := range p {
		if !unicode.IsLetter(r) {
			break
		}
		if n+utf8.RuneLen(r) > len(buf) {
			return 0
		}
		n = len(utf8.AppendRune(buf[:n], unicode.ToLower(r)))
	}
	if n == 0 || !labelWords[string(buf[:n])] {
		return 0
	}
	if m := storyLabel.FindStringIndex(p); m != nil {
		return m[1]
	}
	return 0
}

// datelineReach and datelineMargin bound what splitDatelineKind reads of
// a paragraph. Every part of a dateline is a few dozen characters at
// most, 700 bytes in all, but for a place in capitals, a run of any
// length: a run that stops datelineMargin bytes before the end of the
// first datelineReach bytes leaves every match of the expressions, and
// every path they try, inside them. (FuzzDatelineHead checks this against
// the whole paragraph.)
const (
	datelineReach  = 1024
	datelineMargin = 768
)

// splitDateline returns the place named by a dateline at the start of p, and
// p without the dateline.
func splitDateline(p string) (place, rest string) {
	place, rest, _ = splitDatelineKind(p)
	return place, rest
}

// splitDatelineKind is splitDateline, and says whether the dateline was a
// strong one (see datelines).
func splitDatelineKind(p string) (place, rest string, strong bool) {
	p = p[labelEnd(p):] // a dateline may follow; a label alone is weak, as a place in ordinary case is
	// A dateline is short: the expressions are run on the paragraph's
	// head, as their cost grows with the text they are given (the
	// backtracker clears a bit per instruction and byte), not with the
	// part they read; but on all of it when a run of capitals, a place
	// of any length, comes near the head's end.
	head := p[:utf8ValidPrefix(p, datelineReach)]
	if len(head) < len(p) && placeRun(head) > len(head)-datelineMargin {
		head = p
	}
	return datelineIn(p, head)
}

// datelineIn is splitDatelineKind on p, less its label, with the
// expressions run on head, which starts p.
func datelineIn(p, head string) (place, rest string, strong bool) {
	for _, d := range datelines {
		m := d.re.FindStringSubmatchIndex(head)
		if m == nil {
			continue
		}
		if i := d.re.SubexpIndex("place"); i > 0 && m[2*i] >= 0 {
			place = p[m[2*i]:m[2*i+1]]
		}
		if !d.strong && !opensSentence(p[m[1]:], place) {
			place = ""
			continue
		}
		rest := p[m[1]:]
		if c := agencyAfterDash.FindStringIndex(rest[:utf8ValidPrefix(rest, 160)]); c != nil {
			rest = rest[c[1]:]
		}
		return placeName(place), rest, d.strong
	}
	return "", p, false
}

// agencyAfterDash is the agency, and its reporter, that RIA Novosti and
// its sister agencies put after the dash of their datelines: "МОСКВА,
// 30 ноя — РИА Новости. Президент…", "— РИА Новости, Мария Иванова.".
// It is part of the dateline, not of the lead. The reporter is a name of
// two or three words: "— РИА Новости, ТАСС и Интерфакс сообщили…" is
// the lead.
var agencyAfterDash = regexp.MustCompile(`^(?:РИА Новости|RIA Novosti|Sputnik|Спутник|ПРАЙМ|Прайм)(?:, \p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}+){1,2})?\.\s+`)

// opensSentence reports whether rest, after a weak dateline naming place,
// opens a sentence, and place reads as one: "Wien – Die Stadt", not "Apple
// – the iPhone maker" nor "Die – ein Wort".
func opensSentence(rest, place string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !strings.ContainsRune(`"“„«(`, r) &&
		!(unicode.IsLetter(r) && !unicode.IsLower(r) && !unicode.IsUpper(r)) { // Arabic and Chinese have no case
		return false
	}
	first, _, _ := strings.Cut(place, " ")
	first = strings.ToLower(first)
	for _, rl := range langRules {
		if rl.starters[first] {
			return false
		}
	}
	return true
}

// placeName writes a place in capitals as the place writes itself: "NEW
// YORK" is "New York", "ST. LOUIS" "St. Louis", "PORT-AU-PRINCE"
// "Port-au-Prince", "N'DJAMENA" "N'Djamena", "MCALLEN" "McAllen". Each
// part between spaces, hyphens and apostrophes is capitalised, but for the
// particles after the first ("Rio de Janeiro", "Frankfurt am Main"). A
// word not in capitals is kept as it is.
func placeName(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if w != strings.ToUpper(w) {
			continue
		}
		if lower := strings.ToLower(w); !strings.ContainsAny(w, "-'’") && !strings.HasPrefix(lower, "mc") && (i == 0 || !placeParticles[lower]) {
			words[i] = capitalised(lower) // most places: "TEHRAN"
			continue
		}
		var b strings.Builder
		part := 0
		for w != "" {
			end := strings.IndexAny(w, "-'’")
			if end < 0 {
				end = len(w)
			}
			lower := strings.ToLower(w[:end])
			switch {
			case (i > 0 || part > 0) && placeParticles[lower]:
				b.WriteString(lower)
			case len(lower) > 2 && strings.HasPrefix(lower, "mc"):
				b.WriteString("Mc" + capitalised(lower[2:]))
			default:
				b.WriteString(capitalised(lower))
			}
			sep, size := utf8.DecodeRuneInString(w[end:])
			if size > 0 && end < len(w) {
				b.WriteRune(sep)
			} else {
				size = 0
			}
			w = w[min(len(w), end+size):]
			part++
		}
		words[i] = b.String()
	}
	return strings.Join(words, " ")
}

// placeParticles are written in lower case inside a place's name.
var placeParticles = setOf("de", "da", "do", "dos", "das", "des", "du", "d", "di", "del", "della", "es", "am", "an",
	"im", "au", "aux", "la", "le", "les", "el", "al", "los", "las", "upon", "on", "sur", "en", "y", "of")

// capitalised returns s, in lower case, with its first letter a capital.
func capitalised(s string) string {
	if s == "" {
		return s // "A--B", "O'"
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// isWireLead tells a first line that opens wire copy ("LONDON (Reuters) -
// Stocks fell.") from a headline that merely looks like a dateline ("US -
// China talks resume", "Brexit - What Next?", "APPLE SHARES JUMP - U.S."):
// the lead is a sentence of a few words; after a weak dateline, one that
// ends in a period, as headlines never do.
func isWireLead(line string) bool {
	_, rest, strong := splitDatelineKind(line)
	if rest == line || len(strings.Fields(rest)) < 3 && !isWide(rest) {
		return false
	}
	end := strings.TrimRight(rest, "\"”’»」")
	last, _ := utf8.DecodeLastRuneInString(end)
	if !strong {
		return last == '.' || last == '。'
	}
	final, _ := utf8.DecodeLastRuneInString(line)
	return strings.ContainsRune(".!?\"”’", final) || isFullStop(last)
}

// isWide reports whether s is a run of Chinese or Japanese of some length,
// which has no spaces between its words.
func isWide(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			n++
		}
	}
	return n >= 8
}
