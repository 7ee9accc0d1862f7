package extract

import (
	"path"
	"strings"
	"time"
)

// PathDate returns the date that a seed's path gives, or zero: a file name
// that starts with one, as Jekyll's posts do ("2014-09-15-rust.md",
// "2014-09-15_notes.txt"); else the nearest folder that starts with one
// ("2014-09-15-rust/index.md", a Hugo page bundle); else folders of a
// year, a month and a day ("2014/09/15/rust.md"). The date is midnight
// UTC, as nothing says the hour.
func PathDate(name string) time.Time {
	parts := strings.Split(path.Clean(strings.ReplaceAll(name, `\`, "/")), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if t, _, ok := leadingDate(parts[i]); ok {
			return t
		}
	}
	for i := len(parts) - 2; i >= 2; i-- { // the folders only: the name is no day
		if t, err := time.Parse("2006/01/02", strings.Join(parts[i-2:i+1], "/")); err == nil && len(parts[i-2]) == 4 {
			return t
		}
	}
	return time.Time{}
}

// PathMonth returns the first day of the month that a seed's folders name
// when they name no day, or zero: folders of a year and a month
// ("2019/05/rust.md", "wire/2019/05/03-rust.md"), or a folder whose name
// starts with both ("2019-05/rust.md", "2019-05 May/rust.md"). A wire
// service's archive of twenty years is often kept so. What day of the
// month the file has is for its modification time to tell (see
// state.MonthDate).
func PathMonth(name string) time.Time {
	dir := path.Dir(strings.ReplaceAll(name, `\`, "/")) // the folders only
	later := ""                                         // the folder in dir's last one
	for dir != "." && dir != "/" && dir != "" {
		i := strings.LastIndexByte(dir, '/')
		part := dir[i+1:]
		if t, ok := yearMonth(part, later); ok {
			return t
		}
		if len(part) >= 7 && part[4] == '-' && (len(part) == 7 || strings.IndexByte("-_. ", part[7]) >= 0 && (len(part) == 8 || !isDigit(part[8]))) {
			if t, ok := yearMonth(part[:4], part[5:7]); ok {
				return t
			}
		}
		if i < 0 {
			break
		}
		dir, later = dir[:i], part
	}
	return time.Time{}
}

// yearMonth reads a year of four digits and a month of two, without
// allocating: newestFirst dates every file of a first index by its path.
func yearMonth(year, month string) (time.Time, bool) {
	if len(year) != 4 || len(month) != 2 {
		return time.Time{}, false
	}
	y, m := 0, 0
	for i := range 4 {
		if !isDigit(year[i]) {
			return time.Time{}, false
		}
		y = y*10 + int(year[i]-'0')
	}
	if !isDigit(month[0]) || !isDigit(month[1]) {
		return time.Time{}, false
	}
	if m = int(month[0]-'0')*10 + int(month[1]-'0'); m < 1 || m > 12 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// leadingDate reads a date at the start of s, a year of four digits, a
// month and a day of one or two ("2014-09-15", "2020-11-4", "2020-1-9",
// as Jekyll reads them in its posts' names), when what follows it, if
// anything, is a separator: "2014-09-15-rust.md", "2014-09-15.txt", never
// "2014-09-150.txt". "1-2-3-notes.md" names no date. n is the length of
// the date in s.
func leadingDate(s string) (t time.Time, n int, ok bool) {
	if len(s) < len("2006-1-2") || s[4] != '-' {
		return time.Time{}, 0, false
	}
	y, ok := digits(s[:4], 4)
	if !ok {
		return time.Time{}, 0, false
	}
	rest := s[5:]
	mLen := numberLen(rest)
	if mLen < 1 || mLen > 2 || len(rest) <= mLen || rest[mLen] != '-' {
		return time.Time{}, 0, false
	}
	m, _ := digits(rest[:mLen], mLen)
	rest = rest[mLen+1:]
	dLen := numberLen(rest)
	if dLen < 1 || dLen > 2 || len(rest) > dLen && !strings.ContainsRune("-_. ", rune(rest[dLen])) {
		return time.Time{}, 0, false
	}
	d, _ := digits(rest[:dLen], dLen)
	t = time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || t.Day() != d {
		return time.Time{}, 0, false // no month 13, no 30 February
	}
	return t, 5 + mLen + 1 + dLen, true
}

// numberLen is how many digits s starts with.
func numberLen(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

// digits reads s, n digits.
func digits(s string, n int) (int, bool) {
	if len(s) != n || numberLen(s) != n {
		return 0, false
	}
	v := 0
	for i := range n {
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}
