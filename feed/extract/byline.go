package extract

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// bylines find the author in the credit lines of wire copy, most telling
// first: whoever reported the story, else wrote or compiled it, else the
// agency whose content it is, else the holder of its copyright. "Reporting
// by" must open a credit, maybe in brackets as Reuters writes it
// ("(Reporting by Jane Doe; Editing by John Roe)"), or follow a separator,
// so that "Additional reporting by" never names the author. A credit that
// names none of them may be an agency's sign-off ("Reuters", "(AP)",
// "jf/dpa") or an agency's name ("Mehr News Agency"): in wire copy, the
// agency is the author (see agencyAuthor).
var bylines = []*regexp.Regexp{
	regexp.MustCompile(`(?i)(?:^[(\[]?|[;.|,]\s*)reporting by\s+([^;|]+)`),
	regexp.MustCompile(`(?i)(?:^[(\[]?|[;.|,]\s*)writing by\s+([^;|]+)`),
	regexp.MustCompile(`(?i)(?:^[(\[]?|[;.|,]\s*)compiled by\s+([^;|]+)`),
	regexp.MustCompile(`(?i)\bcontent by\s+(.+?)\s+(?:is|are)\s+licensed\b`),
	regexp.MustCompile(`(?i)^(?:copyright\s*(?:©|\(c\))?|©|\(c\))\s*(?:\d{4}(?:\s*[-–—]\s*\d{4})?\s*,?\s*)?(?:by\s+)?(.+)$`),
}

// bylineHints are words of which a line must hold one, in lower case, for
// the byline of the same index to match it: most lines are spared the
// regular expression.
var bylineHints = [][]string{{"reporting by"}, {"writing by"}, {"compiled by"}, {"content by"}, {"copyright", "©", "(c)"}}

var (
	// otherRoles end a byline that runs on into another credit:
	// "Jane Doe, editing by John Roe".
	otherRoles = regexp.MustCompile(`(?i)[,.]?\s*\b(?:additional reporting|reporting|editing|edited|writing|written|compiled|photos?|graphics?|translation|translated|fact[- ]checking)\s+by\b.*$`)
	// rights ends a copyright holder's name: "© 2024 Reuters. All rights
	// reserved", "Copyright 2024 Ann, Inc".
	rights = regexp.MustCompile(`(?i)(?:\.\s|,|\ball rights reserved\b).*$`)
	// places are where a reporter filed from: "Jane Doe in New York".
	places = regexp.MustCompile(`\s+in\s+\p{Lu}[\p{L}\p{M}.'’-]*(?:\s+\p{Lu}[\p{L}\p{M}.'’-]*)*`)
)

// creditAuthor returns the author named by credit, the trailing credit
// lines of wire copy (see prose.takeCredit), or "" when none names a
// person or an organisation cleanly. Several names stay one byline, as the
// credit writes them ("Jane Doe and Ali Reza"), as a front matter's list
// of authors does: one Entry.Author, which readers show as it is. Editors'
// initials ("PA/PA") are never an author. An agency's sign-off or name
// alone names the author only in wire copy (wire): the last line of a note
// ("Reuters", "The Press Office") is no byline.
func creditAuthor(credit []string, wire bool) string {
	lower := make([]string, len(credit))
	for i, line := range credit {
		lower[i] = strings.ToLower(line)
	}
	for i, re := range bylines {
		for j, line := range credit {
			if !slices.ContainsFunc(bylineHints[i], func(h string) bool { return strings.Contains(lower[j], h) }) {
				continue
			}
			m := re.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			name := m[1]
			if i == len(bylines)-1 {
				name = rights.ReplaceAllString(name, "")
			}
			name, _, _ = strings.Cut(name, "(") // "Jane Doe (jane@example.org)"
			// Each expression is run only on a name that holds the word
			// it needs: "by" in any case (no letter but ASCII's folds to
			// b or y), and "in".
			if hasFoldASCII(name, "by") {
				name = otherRoles.ReplaceAllString(name, "")
			}
			if strings.Contains(name, "in") {
				name = places.ReplaceAllString(name, "")
			}
			name = strings.TrimRight(strings.TrimSpace(name), ".,:;–—- )]")
			if isName(name) {
				return name
			}
		}
	}
	for _, line := range credit {
		if name := agencyAuthor(line); wire && name != "" {
			return name
		}
	}
	return ""
}

// agencyAuthor returns the agency that a credit line names alone: a
// sign-off ("Reuters", "(AP)", "jf/dpa", "AFP/Reuters", "（新华社）") less its
// brackets, its period and its editors' initials, each agency as the line
// writes it but for a long word in capitals ("REUTER" is "Reuter";
// "ITAR-TASS" and "TASS" stay); or an agency's name (see isAgencyName),
// less its period. Otherwise it returns "".
func agencyAuthor(line string) string {
	if isAgencyName(line) {
		return strings.TrimRight(line, ".。")
	}
	if !signOff.MatchString(line) {
		return ""
	}
	var names []string
	parts := strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune("()[]（）/,.。", r) })
	for i, part := range parts {
		part = strings.TrimSpace(part)
		if !agencyName.MatchString(part) || i < len(parts)-1 && part == strings.ToLower(part) {
			continue // an editor's initials: "jf/dpa", "aa/dpa"
		}
		if utf8.RuneCountInString(part) > 4 && part == strings.ToUpper(part) && strings.IndexFunc(part, notLetter) < 0 {
			part = capitalised(strings.ToLower(part))
		}
		names = append(names, part)
	}
	return strings.Join(names, ", ")
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// agencyName is the name of one agency of signOff's, whole.
var agencyName = regexp.MustCompile(`^(?:` + agencies + `)$`)

// agencyWords are words, in lower case, that an agency's name holds
// ("Mehr News Agency", "Agence France-Presse", "Агентство Франс Пресс").
// Words of news alone ("News", "Press", "Presse") are not: "Breaking
// News", "Die Presse" and "Press Contact" end stories too.
var agencyWords = setOf("agency", "agence", "agentur", "nachrichtenagentur", "agencia",
	"agência", "agenzia", "agentschap", "agencja", "ajansı", "агентство")

// pressAgencies are agencies named "Press" without a word of agencyWords.
var pressAgencies = setOf("associated press", "jiji press", "canadian press", "australian associated press", "press association")

// agencyScripts are the endings of an agency's name in Chinese and
// Japanese, which have no spaces between words.
var agencyScripts = []string{"通讯社", "通訊社", "新闻社", "新聞社", "通信社"}

// isAgencyName reports whether line is an agency's name and nothing else,
// as a credit line at the end of wire copy gives it: "Mehr News Agency",
// "Agence France-Presse", "Jiji Press", "新华通讯社". It is a name (see
// isName) of at most six words, one of them one of agencyWords, or one of
// pressAgencies.
func isAgencyName(line string) bool {
	for _, end := range agencyScripts {
		if strings.HasSuffix(line, end) && utf8.RuneCountInString(line) <= 12 && !strings.ContainsAny(line, " 。，") {
			return true
		}
	}
	words := strings.Fields(line)
	// A label ("Photo: Associated Press") or a title after a comma ("Jane
	// Doe, Press Officer") is no agency's name.
	if len(words) > 6 || strings.ContainsAny(line, ":,") || !isName(line) {
		return false
	}
	if pressAgencies[strings.ToLower(strings.TrimRight(strings.TrimPrefix(line, "The "), "."))] {
		return true
	}
	for _, w := range words {
		for _, part := range strings.Split(strings.TrimRight(strings.ToLower(w), "."), "-") {
			if agencyWords[part] {
				return true
			}
		}
	}
	return false
}

// hasFoldASCII reports whether s holds word, lower-case ASCII letters, in
// any case.
func hasFoldASCII(s, word string) bool {
	for i := 0; i+len(word) <= len(s); i++ {
		j := 0
		for j < len(word) && s[i+j]|0x20 == word[j] {
			j++
		}
		if j == len(word) {
			return true
		}
	}
	return false
}

// particles are the lower-case words a name or a list of names may hold.
var particles = map[string]bool{"and": true, "&": true, "al": true, "bin": true, "ibn": true, "da": true, "de": true, "del": true,
	"della": true, "der": true, "di": true, "du": true, "el": true, "la": true, "le": true, "van": true, "von": true, "y": true}

// isName reports whether s reads as the name of people or of an
// organisation: capitalised words ("Mehr News Agency", "Jane Doe and Ali
// Reza", "Abu Mahdi al-Muhandis"), not too long, and no slash, which
// editors' initials have ("MH/PA"). A sentence ("the authors", "All rights
// reserved") is not one.
func isName(s string) bool {
	if n := utf8.RuneCountInString(s); n < 2 || n > 100 || strings.Contains(s, "/") {
		return false
	}
	words := strings.Fields(s)
	if len(words) > 12 {
		return false
	}
	for i, w := range words {
		w = strings.TrimRight(w, ",")
		if particles[w] {
			if i == 0 || i == len(words)-1 {
				return false
			}
			continue
		}
		first, _ := utf8.DecodeRuneInString(strings.TrimLeft(w, `"“'‘`))
		if unicode.IsUpper(first) {
			continue
		}
		// "al-Muhandis", "d’Arcy": a particle joined to a capitalised name.
		if _, rest, ok := strings.Cut(strings.NewReplacer("’", "-", "'", "-").Replace(w), "-"); ok && i > 0 {
			if r, _ := utf8.DecodeRuneInString(rest); unicode.IsUpper(r) {
				continue
			}
		}
		return false
	}
	return true
}

// Markdown in a front matter author, which site generators render and
// feed readers show as written: opentelemetry.io's and the Kubernetes
// blog's "[Name](https://github.com/name) (Company)".
var (
	authorLink   = regexp.MustCompile(`!?\[([^\[\]]*)\]\([^()\s]*(?:\s+"[^"]*")?\)`)
	authorStrong = regexp.MustCompile(`(\*\*|__)(\S(?:[^*_]*\S)?)(?:\*\*|__)`)
	authorEm     = regexp.MustCompile(`(^|[\s(,;])[*_](\S(?:[^*_]*\S)?)[*_]($|[\s),;.])`)
)

// plainAuthor returns an author as a reader is to see it: a link is its
// text, and emphasis goes ("[Ann Lee](https://github.com/annlee)
// (Example)" is "Ann Lee (Example)", "**Ann Lee**" is "Ann Lee"). An
// underscore inside a word ("ann_lee") stays; a comma at the end goes.
func plainAuthor(s string) string {
	if !strings.ContainsAny(s, "[*_") {
		return s // nearly every author
	}
	s = authorLink.ReplaceAllString(s, "$1")
	s = authorStrong.ReplaceAllString(s, "$2")
	s = authorEm.ReplaceAllString(s, "$1$2$3")
	return strings.TrimRight(strings.TrimSpace(s), ",;") // a list's last separator, left by a hand that meant another
}
