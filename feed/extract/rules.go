package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// rules are what one language needs to cut its text into sentences: which
// words before a period are abbreviations, and which words open
// sentences. The sentence marks of every script are known in every
// language (see boundaries): "。" ends a sentence in English text too.
type rules struct {
	// never are abbreviations that never end a sentence ("Dr", "Mio"), in
	// lower case.
	never map[string]bool
	// months are month abbreviations, which end a sentence only before a
	// starter, and never before a day ("Jan. 5").
	months map[string]bool
	// tail are abbreviations that may end a sentence or sit inside one
	// ("Inc.", "usw."): they end one only before a starter.
	tail map[string]bool
	// starters are words, in lower case, that open sentences far more
	// often than they follow an abbreviation inside one.
	starters map[string]bool
	// years are abbreviations of "year" after a number ("в 2024 г."),
	// which end a sentence before a capital as a year does, and of a word
	// before a name otherwise ("г. Москва", for город), which never do.
	years map[string]bool
	// ordinals: a number of up to three digits and a period is an ordinal
	// ("am 14. Juli"), which ends a sentence only before a starter.
	ordinals bool
	// letters: a letter alone before a period is an abbreviation ("د."
	// for doctor, in Arabic script, which has no capitals to tell an
	// initial by), except those in stops.
	letters bool
	stops   map[string]bool
}

// english is today's rules, and those of every language without its own.
var english = &rules{never: titleAbbrevs, months: monthAbbrevs, tail: tailAbbrevs, starters: starters}

// langRules are the rules by language tag.
var langRules = map[string]*rules{
	"en": english,
	"de": {
		never: setOf("dr", "prof", "nr", "mio", "mrd", "geb", "gest", "bzw", "vgl", "ca", "z", "u", "d", "o", "s",
			"inkl", "exkl", "evtl", "ggf", "sog", "zzgl", "tsd", "hr", "fr", "frl", "st", "abs", "art", "bd", "jh", "jhd",
			"str", "tel", "dt", "gegr", "verh", "allg", "bspw", "insb", "lt", "mind", "rd", "urspr", "max", "min", "bzgl",
			"dipl", "ing", "mag", "verw", "hl", "kap", "abb", "vs"),
		months: setOf("jan", "feb", "febr", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dez"),
		tail:   setOf("usw", "etc", "ff", "gmbh", "ag", "co", "chr", "jr", "kg", "mbh", "ev"),
		starters: setOf("der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einen", "einem",
			"er", "sie", "es", "wir", "ich", "ihr", "man", "dies", "diese", "dieser", "dieses", "auch", "aber", "doch",
			"und", "oder", "denn", "so", "da", "dann", "damit", "dabei", "daher", "deshalb", "nach", "vor", "in", "im",
			"am", "an", "auf", "bei", "mit", "seit", "für", "von", "vom", "zum", "zur", "bis", "als", "wenn", "wie",
			"was", "wer", "wo", "warum", "nun", "noch", "schon", "zudem", "außerdem", "jedoch", "trotzdem", "laut",
			"unter", "über", "während", "sein", "seine", "ihre", "alle", "viele", "einige", "mehrere", "jetzt", "heute",
			"gestern", "zuvor", "später", "zuletzt", "bisher", "kein", "keine", "nicht", "zwar", "nachdem", "obwohl"),
		ordinals: true,
	},
	"fr": {
		never: setOf("m", "mm", "mme", "mmes", "mlle", "mlles", "mgr", "dr", "pr", "st", "ste", "p", "pp", "env", "cf",
			"av", "apr", "vol", "chap", "art", "éd", "dir", "coll", "fig", "réf", "tél", "gén", "col", "cdt", "lt", "sgt"),
		months: setOf("janv", "févr", "fév", "avr", "juil", "sept", "oct", "nov", "déc"),
		tail:   setOf("etc", "ex", "cie", "inc", "ltd", "sa"),
		starters: setOf("le", "la", "les", "l", "un", "une", "des", "il", "elle", "ils", "elles", "on", "nous", "vous",
			"je", "ce", "cette", "ces", "cet", "mais", "et", "ou", "donc", "or", "en", "dans", "pour", "par", "sur",
			"avec", "selon", "après", "avant", "depuis", "pendant", "lors", "si", "quand", "alors", "ainsi", "puis",
			"cependant", "toutefois", "pourtant", "d", "de", "du", "au", "aux", "à", "son", "sa", "ses", "leur",
			"leurs", "tous", "chaque", "plusieurs", "aucun", "c", "qu", "que", "qui", "comment", "pourquoi", "où",
			"hier", "déjà", "enfin", "outre", "mon", "ma", "mes", "j", "s", "n", "ne", "pas"),
	},
	"es": {
		never: setOf("sr", "sra", "srta", "sres", "dr", "dra", "d", "dña", "ud", "uds", "lic", "ing", "gral", "pág",
			"núm", "art", "av", "avda", "prof", "ee", "aprox", "vol", "cap", "col", "cnel", "tte", "sgto", "mons", "sto", "sta"),
		months: setOf("ene", "feb", "mar", "abr", "jun", "jul", "ago", "sep", "sept", "oct", "nov", "dic"),
		tail:   setOf("uu", "etc", "cía", "jr", "hnos"),
		starters: setOf("el", "la", "los", "las", "un", "una", "unos", "unas", "en", "por", "pero", "sin", "con",
			"para", "este", "esta", "estos", "estas", "ese", "esa", "eso", "esto", "ello", "él", "ella", "ellos",
			"ellas", "nosotros", "yo", "se", "según", "además", "también", "tras", "desde", "durante", "al", "lo",
			"le", "les", "su", "sus", "no", "ya", "cuando", "si", "aunque", "mientras", "así", "hoy", "ayer",
			"después", "antes", "entonces", "luego", "otro", "otra", "todos", "cada", "muchos", "varios", "y", "o",
			"a", "de", "mi", "nuestro", "nuestra"),
	},
	"ru": {
		never: setOf("им", "ул", "е", "пер", "просп", "пр-т", "пл", "проф", "акад", "т", "см", "св", "стр", "рис", "ген",
			"полк", "ст", "тов", "гр", "обл", "р-н", "ок", "прим", "доц", "канд", "напр"),
		months: setOf("янв", "фев", "февр", "мар", "апр", "авг", "сент", "окт", "нояб", "дек"),
		tail:   setOf("д", "в", "вв", "млн", "млрд", "тыс", "руб", "коп", "др", "пр", "н", "э"),
		years:  setOf("г", "гг"),
		starters: setOf("он", "она", "оно", "они", "это", "эта", "этот", "эти", "в", "во", "на", "по", "но", "и", "а",
			"как", "так", "при", "после", "затем", "также", "кроме", "мы", "я", "вы", "с", "со", "для", "об", "о",
			"из", "его", "ее", "её", "их", "все", "уже", "сейчас", "тогда", "однако", "ранее", "позже", "к", "у",
			"не", "ни", "что", "когда", "если", "хотя", "до", "за", "от", "между", "в", "там", "здесь", "сегодня",
			"вчера", "всего", "этом", "этой", "то"),
	},
	"ar": arabicScript,
	"fa": arabicScript,
	"ur": arabicScript,
}

// arabicScript is the rules of Arabic, Persian and Urdu: no capitals, so a
// letter alone before a period ("د. محمد") is an abbreviation, but for "م"
// (of the Common Era), which often ends one after a year.
var arabicScript = &rules{never: setOf("د"), letters: true, stops: setOf("م")}

// rulesFor returns the rules of the language tagged lang, English's when it
// has none of its own.
func rulesFor(lang string) *rules {
	if r := langRules[lang]; r != nil {
		return r
	}
	return english
}

// isAbbrev reports whether word, the run of letters and inner periods before
// a final period, is an abbreviation that keeps the period: a title may
// end in it with its period.
func (r *rules) isAbbrev(word string) bool {
	lower := strings.ToLower(word)
	return strings.Contains(word, ".") || r.never[lower] || r.months[lower] || r.tail[lower] || r.years[lower] ||
		utf8.RuneCountInString(word) == 1
}

// numberUnits follow a number and never end a sentence, whatever the
// language of the text around them: "58 Mio. Euro" is German in an
// English or undecided text too.
var numberUnits = setOf("mio", "mrd", "tsd")

// germanMonths follow an ordinal in a German date ("1. Januar"), which is
// then no sentence's end, in a text of any language.
var germanMonths = setOf("januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august",
	"september", "oktober", "november", "dezember")

// endsInDigit reports whether s, less trailing spaces, ends in a digit.
func endsInDigit(s string) bool {
	s = strings.TrimRight(s, " \u00a0")
	return s != "" && s[len(s)-1] >= '0' && s[len(s)-1] <= '9'
}

// isOrdinal reports whether before, the text before a period, ends in a
// number of one to three digits that stands alone: "am 14", not "2024" or
// "3,5".
func isOrdinal(before string) bool {
	i := len(before)
	for i > 0 && before[i-1] >= '0' && before[i-1] <= '9' {
		i--
	}
	if n := len(before) - i; n == 0 || n > 3 {
		return false
	}
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(before[:i])
	return unicode.IsSpace(r) || r == '('
}
