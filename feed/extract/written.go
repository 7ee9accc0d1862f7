package extract

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// localLayouts are the numeric forms of a date and a time with no zone,
// which zonedDate reads before a zone it has cut off. A fraction of a
// second after the seconds is read without a layout saying so.
var localLayouts = []string{
	"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04",
	"2006/01/02 15:04:05", "2006/01/02 15:04", "02 Jan 06 15:04", // RFC 822's, without its zone
}

// errDayOnly is the error of a date whose time is kept out: its zone is
// none seedfeed reads. The date comes with it, at midnight UTC of the day
// it names, which is that day wherever the zone is.
type errDayOnly struct{ text, zone string }

func (e errDayOnly) Error() string {
	return fmt.Sprintf("%q: its zone %q is not one seedfeed reads, so only its day is kept", e.text, e.zone)
}

// zonedDate reads a date and a time followed by a zone: a numeric offset
// with or without a colon ("+0530", "-08:00", "+05"), the same after GMT
// or UTC ("GMT+0200", as JavaScript's Date writes it, with the zone's name
// in brackets after it), or a name of those in zoneOffsets. A zone of
// another name keeps the day and drops the time: see errDayOnly. ok is
// false when s is no date and time with a zone after it.
func zonedDate(s string) (t time.Time, ok bool, err error) {
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		s = strings.TrimSpace(s[:i]) // "… GMT+0200 (Central European Summer Time)"
	}
	rest, zone := splitZone(s)
	if zone == "" {
		return time.Time{}, false, nil
	}
	local, ok := localDate(rest)
	if !ok {
		return time.Time{}, false, nil
	}
	off, known := zoneOffset(zone)
	if !known {
		if !isZoneName(zone) {
			return time.Time{}, false, nil
		}
		y, m, d := local.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true, errDayOnly{s, zone}
	}
	y, m, d := local.Date()
	h, mi, sec := local.Clock()
	return time.Date(y, m, d, h, mi, sec, local.Nanosecond(), time.FixedZone("", off)).UTC(), true, nil
}

// splitZone cuts what follows a time off s: a word after a space
// ("10:00:00 PST", "10:00 -0800") or an offset or a Z right after it
// ("10:00:00+0530", "10:00Z"). zone is "" when s does not end so: a zone
// follows a time, never a date alone ("2024-03-05" ends in no "-05").
func splitZone(s string) (rest, zone string) {
	if i := strings.LastIndexAny(s, " \t"); i > 0 {
		rest, zone := strings.TrimSpace(s[:i]), s[i+1:]
		if zone != "" && !isDigit(zone[0]) && !meridiems[strings.ToLower(zone)] && endsInTime(rest) {
			return rest, zone
		}
	}
	if strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") {
		if endsInClock(s[:len(s)-1]) {
			return s[:len(s)-1], "Z"
		}
	}
	if i := strings.LastIndexAny(s, "+-"); i > 0 && endsInClock(s[:i]) {
		return s[:i], s[i:]
	}
	return s, ""
}

// meridiems are the ways of writing am and pm, in lower case.
var meridiems = map[string]bool{"am": true, "pm": true, "a.m.": true, "p.m.": true}

// endsInTime reports whether s ends in a clock time, with or without "am"
// or "pm" after it.
func endsInTime(s string) bool {
	if r, ok := cutMeridiem(s); ok {
		s = r
	}
	return endsInClock(s)
}

// endsInClock reports whether s ends in hours and minutes, with seconds
// and their fraction or not: "10:00", "10:00:00", "10:00:00.123".
func endsInClock(s string) bool {
	s = strings.TrimRight(s, "0123456789")
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, ",") {
		s = strings.TrimRight(s[:len(s)-1], "0123456789")
		if !strings.HasSuffix(s, ":") {
			return false
		}
		s = s[:len(s)-1]
		s = strings.TrimRight(s, "0123456789")
	}
	// s now ends just before the last group of digits; that group was
	// preceded by ":" if it is a time
	return strings.HasSuffix(s, ":") && len(s) >= 2 && isDigit(s[len(s)-2])
}

// cutMeridiem cuts "am", "pm", "a.m." or "p.m." off the end of s, with the
// space before it; ok says whether it was there.
func cutMeridiem(s string) (rest string, ok bool) {
	l := strings.ToLower(s)
	for m := range meridiems {
		if strings.HasSuffix(l, m) {
			return strings.TrimSpace(s[:len(s)-len(m)]), true
		}
	}
	return s, false
}

// isZoneName reports whether z may name a zone: letters, as abbreviations
// are ("IST"), or an IANA name ("Europe/Paris", "America/New_York").
func isZoneName(z string) bool {
	for i := 0; i < len(z); i++ {
		c := z[i] | 0x20
		if !('a' <= c && c <= 'z') && z[i] != '/' && z[i] != '_' {
			return false
		}
	}
	return len(z) >= 1 && z[0] != '/'
}

// zoneOffsets are the zone names seedfeed reads, each of one offset
// wherever it is written: RFC 5322's (UT, GMT, and the North American
// EST, EDT, CST, CDT, MST, MDT, PST, PDT), UTC and Z, Alaska's and
// Hawaii's, Europe's CET, CEST, EET, EEST, WET, WEST, Japan's and Korea's,
// eastern Australia's and New Zealand's. Names that stand for two zones
// (IST: India, Israel or Ireland; BST: Britain or Bangladesh; AST) are
// left out: a time in them keeps only its day.
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
	"AKST": -9, "AKDT": -8, "HST": -10,
	"WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
	"JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
}

// zoneOffset returns the offset in seconds east of UTC that zone names:
// one of zoneOffsets, or a numeric offset, after GMT or UTC or not
// ("+0530", "-08:00", "+05", "GMT+0200", "UTC-5").
func zoneOffset(zone string) (int, bool) {
	z := strings.ToUpper(zone)
	if h, ok := zoneOffsets[z]; ok {
		return h * 3600, true
	}
	for _, p := range []string{"GMT", "UTC", "UT"} {
		if rest, ok := strings.CutPrefix(z, p); ok && rest != "" && (rest[0] == '+' || rest[0] == '-') {
			z = rest
			break
		}
	}
	if len(z) < 2 || z[0] != '+' && z[0] != '-' {
		return 0, false
	}
	sign, body := 1, z[1:]
	if z[0] == '-' {
		sign = -1
	}
	hh, mm, colon := strings.Cut(body, ":")
	switch {
	case colon && len(hh) == 2 && len(mm) == 2: // "+05:30"
	case !colon && len(body) <= 2: // "+5", "+05"
		hh, mm = body, "00"
	case !colon && len(body) == 4: // "+0530"
		hh, mm = body[:2], body[2:]
	default:
		return 0, false
	}
	h, m := atoi(hh), atoi(mm)
	if h < 0 || m < 0 || h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// atoi reads digits, or gives -1.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || strings.ContainsAny(s, "+-") {
		return -1
	}
	return n
}

// localDate reads a date with or without a time, and with no zone, in the
// numeric forms of localLayouts or the English written ones of
// writtenDate.
func localDate(s string) (time.Time, bool) {
	for _, layout := range localLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return writtenDate(s)
}

// months are the English months' names and abbreviations, in lower case.
var months = func() map[string]time.Month {
	m := map[string]time.Month{"sept": time.September}
	for i := time.January; i <= time.December; i++ {
		name := strings.ToLower(i.String())
		m[name], m[name[:3]] = i, i
	}
	return m
}()

// weekdays are the English days' names and abbreviations, in lower case.
var weekdays = func() map[string]bool {
	w := map[string]bool{"tues": true, "thur": true, "thurs": true}
	for i := time.Sunday; i <= time.Saturday; i++ {
		name := strings.ToLower(i.String())
		w[name], w[name[:3]] = true, true
	}
	return w
}()

// writtenDate reads a date as English writes it, with a weekday before it
// or not, and a time after it or not: "Jul 08 2022", "Jul 8, 2022", "July
// 8th, 2022", "8 July 2022", "Fri, 08 Jul 2022 10:00:00", "July 8, 2022
// at 10:00 pm" (Astro's template and its themes write these). The year
// has four digits; the zone, if any, is zonedDate's to read.
func writtenDate(s string) (time.Time, bool) {
	f := strings.Fields(strings.ReplaceAll(s, ",", " "))
	if len(f) > 0 && weekdays[strings.ToLower(strings.TrimSuffix(f[0], "."))] {
		f = f[1:]
	}
	if len(f) < 3 {
		return time.Time{}, false
	}
	month, okM := months[strings.ToLower(strings.TrimSuffix(f[0], "."))]
	day, okD := dayOfMonth(f[1])
	if !okM || !okD { // "8 July 2022"
		month, okM = months[strings.ToLower(strings.TrimSuffix(f[1], "."))]
		day, okD = dayOfMonth(f[0])
	}
	year := f[2]
	if !okM || !okD || len(year) != 4 || atoi(year) < 0 {
		return time.Time{}, false
	}
	t := time.Date(atoi(year), month, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // 31 June
	}
	clock := f[3:]
	if len(clock) > 0 && strings.EqualFold(clock[0], "at") {
		clock = clock[1:]
	}
	if len(clock) == 0 {
		return t, true
	}
	c := strings.Join(clock, " ")
	c, pm := strings.CutSuffix(strings.ToLower(c), "pm")
	if !pm {
		c, pm = strings.CutSuffix(c, "p.m.")
	}
	c, am := strings.CutSuffix(c, "am")
	if !am {
		c, am = strings.CutSuffix(c, "a.m.")
	}
	var tod time.Time
	var err error
	if tod, err = time.Parse("15:04:05", strings.TrimSpace(c)); err != nil {
		if tod, err = time.Parse("15:04", strings.TrimSpace(c)); err != nil {
			return time.Time{}, false
		}
	}
	h := tod.Hour()
	if am || pm {
		if h < 1 || h > 12 {
			return time.Time{}, false
		}
		if h == 12 {
			h = 0
		}
		if pm {
			h += 12
		}
	}
	return t.Add(time.Duration(h)*time.Hour + time.Duration(tod.Minute())*time.Minute +
		time.Duration(tod.Second())*time.Second + time.Duration(tod.Nanosecond())), true
}

// dayOfMonth reads a day of one or two digits, "st", "nd", "rd" or "th"
// after it or not.
func dayOfMonth(s string) (int, bool) {
	s = strings.ToLower(s)
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		if r, ok := strings.CutSuffix(s, suffix); ok {
			s = r
			break
		}
	}
	if len(s) < 1 || len(s) > 2 {
		return 0, false
	}
	d := atoi(s)
	return d, d >= 1 && d <= 31
}
