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
		if t, ok := leadingDate(parts[i]); ok {
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

// leadingDate reads a date of the form 2006-01-02 at the start of s, when
// what follows it, if anything, is a separator: "2014-09-15-rust.md",
// "2014-09-15.txt", never "2014-09-150.txt".
func leadingDate(s string) (time.Time, bool) {
	const layout = "2006-01-02"
	if len(s) < len(layout) {
		return time.Time{}, false
	}
	if len(s) > len(layout) && !strings.ContainsRune("-_. ", rune(s[len(layout)])) {
		return time.Time{}, false
	}
	t, err := time.Parse(layout, s[:len(layout)])
	return t, err == nil
}
