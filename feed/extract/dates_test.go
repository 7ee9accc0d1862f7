package extract

import (
	"strings"
	"testing"
	"time"
)

// TestPathDate: the dates a path gives, and the paths that give none.
func TestPathDate(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name string
		want time.Time
	}{
		{"2014-09-15-rust-1.0.md", day(2014, 9, 15)},
		{"_posts/2014-09-15-rust-1.0.markdown", day(2014, 9, 15)},
		{"2014-09-15_notes.txt", day(2014, 9, 15)},
		{"2014-09-15.txt", day(2014, 9, 15)},
		{"posts/2014-09-15-rust/index.md", day(2014, 9, 15)},
		{"2013-01-01-old/2014-09-15-new.md", day(2014, 9, 15)}, // the name before its folders
		{"blog/2014/09/15/rust.md", day(2014, 9, 15)},
		{"2014/09/15/rust.md", day(2014, 9, 15)},
		{"2014/09/15.md", time.Time{}},         // a name is no day
		{"2014-09-150.txt", time.Time{}},       // not a date followed by a separator
		{"2014-13-01-bad.md", time.Time{}},     // no month 13
		{"2014-02-30-bad.md", time.Time{}},     // no 30 February
		{"notes/rust.md", time.Time{}},         // nothing
		{"14/09/15/rust.md", time.Time{}},      // a year has four digits
		{"2014/9/15/rust.md", time.Time{}},     // so do the month and the day two
		{"report-2014-09-15.txt", time.Time{}}, // only at the start
	} {
		if got := PathDate(c.name); !got.Equal(c.want) {
			t.Errorf("PathDate(%q) = %v; want %v", c.name, got, c.want)
		}
	}
}

// TestPathMonth: the months a path's folders name, and the paths that
// name none.
func TestPathMonth(t *testing.T) {
	month := func(y, m int) time.Time { return time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name string
		want time.Time
	}{
		{"2019/05/rust.md", month(2019, 5)},
		{"wire/2019/05/03-rust.txt", month(2019, 5)},
		{"2019-05/rust.txt", month(2019, 5)},
		{"2019-05 May/rust.txt", month(2019, 5)},
		{"2019-05-news/rust.txt", month(2019, 5)},
		{"2018/12/2019-05/rust.txt", month(2019, 5)}, // the nearest
		{"2019/05.txt", time.Time{}},                 // a name is no month
		{"2019-05.txt", time.Time{}},
		{"2019/5/rust.txt", time.Time{}},      // two digits
		{"2019/13/rust.txt", time.Time{}},     // no month 13
		{"19/05/rust.txt", time.Time{}},       // four digits to a year
		{"2019-050/rust.txt", time.Time{}},    // a separator after the month
		{"2019-05-03x/rust.txt", time.Time{}}, // a day after it: no month alone
		{"notes/rust.txt", time.Time{}},
	} {
		if got := PathMonth(c.name); !got.Equal(c.want) {
			t.Errorf("PathMonth(%q) = %v; want %v", c.name, got, c.want)
		}
	}
}

// TestFrontMatterDates: the forms of dates that site generators write, and
// which date wins.
func TestFrontMatterDates(t *testing.T) {
	pst := time.FixedZone("", -8*3600)
	for _, c := range []struct {
		name, front string
		date        time.Time
		updated     time.Time
		draft       bool
		note        bool // a date was ignored, with a note
	}{
		{"a.md", "date: 2023-01-29 18:30:22 -0800", time.Date(2023, 1, 29, 18, 30, 22, 0, pst), time.Time{}, false, false}, // Jekyll
		{"a.md", "date: 2023-01-29T18:30:22-08:00", time.Date(2023, 1, 29, 18, 30, 22, 0, pst), time.Time{}, false, false}, // Hugo
		{"a.md", "date: 2023-01-29", time.Date(2023, 1, 29, 0, 0, 0, 0, time.UTC), time.Time{}, false, false},
		{"a.md", "date: 2023-01-29 18:30 -0800", time.Date(2023, 1, 29, 18, 30, 0, 0, pst), time.Time{}, false, false}, // Jekyll, no seconds
		{"a.md", "date: 2023-01-29T18:30-08:00", time.Date(2023, 1, 29, 18, 30, 0, 0, pst), time.Time{}, false, false},
		{"a.md", "date: \"2023-01-29 18:30\"", time.Date(2023, 1, 29, 18, 30, 0, 0, time.UTC), time.Time{}, false, false},
		{"a.md", "date: 2016/07/08", time.Date(2016, 7, 8, 0, 0, 0, 0, time.UTC), time.Time{}, false, false}, // react.dev's
		{"a.md", "date: 2016/07/08 09:10", time.Date(2016, 7, 8, 9, 10, 0, 0, time.UTC), time.Time{}, false, false},
		{"a.md", "date: 2020-1-2 9:05", time.Date(2020, 1, 2, 9, 5, 0, 0, time.UTC), time.Time{}, false, false}, // one digit, as Pelican reads it
		{"a.md", "date: Sun, 29 Jan 2023 18:30:22 -0800", time.Date(2023, 1, 29, 18, 30, 22, 0, pst), time.Time{}, false, false},
		{"a.md", "date: 2023-01-29\nlastmod: 2024-02-01", time.Date(2023, 1, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), false, false},
		{"a.md", "date: 2023-01-29\nupdated: 2024-02-01T10:00:00Z", time.Date(2023, 1, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 1, 10, 0, 0, 0, time.UTC), false, false},
		{"2014-09-15-a.md", "title: T", time.Date(2014, 9, 15, 0, 0, 0, 0, time.UTC), time.Time{}, false, false},           // the name's date
		{"2014-09-15-a.md", "date: 2015-01-02", time.Date(2015, 1, 2, 0, 0, 0, 0, time.UTC), time.Time{}, false, false},    // front matter wins
		{"2014-09-15-a.md", "date: the day after", time.Date(2014, 9, 15, 0, 0, 0, 0, time.UTC), time.Time{}, false, true}, // unparsed: the next rule
		{"a.md", "date: yesterday", time.Time{}, time.Time{}, false, true},
		{"a.md", "path: 2025/06/26/Rust-1.88.0", time.Date(2025, 6, 26, 0, 0, 0, 0, time.UTC), time.Time{}, false, false},        // Zola's, the Rust blog's
		{"a.md", "url: /2019/05/03/title/", time.Date(2019, 5, 3, 0, 0, 0, 0, time.UTC), time.Time{}, false, false},              // Hugo's
		{"a.md", "permalink: /blog/2019-05-04-title/", time.Date(2019, 5, 4, 0, 0, 0, 0, time.UTC), time.Time{}, false, false},   // Jekyll's
		{"a.md", "date: 2020-01-02\npath: 2025/06/26/x", time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), time.Time{}, false, false}, // the date first
		{"a.md", "url: /about/", time.Time{}, time.Time{}, false, false},
		{"a.md", "published: false", time.Time{}, time.Time{}, true, false}, // Jekyll's draft
		{"a.md", "published: true\ndate: 2023-01-29", time.Date(2023, 1, 29, 0, 0, 0, 0, time.UTC), time.Time{}, false, false},
		{"a.md", "published: 2023-01-29", time.Date(2023, 1, 29, 0, 0, 0, 0, time.UTC), time.Time{}, false, false},
		{"a.md", "draft: true", time.Time{}, time.Time{}, true, false},
		{"2014-09-15-a.txt", "", time.Date(2014, 9, 15, 0, 0, 0, 0, time.UTC), time.Time{}, false, false}, // a text file's name
	} {
		text := "# Title\n\nBody text.\n"
		if c.front != "" {
			text = "---\n" + c.front + "\n---\n" + text
		}
		f, err := Inspect(c.name, []byte(text))
		if err != nil {
			t.Errorf("%s with %q: %v", c.name, c.front, err)
			continue
		}
		if !f.Date.Equal(c.date) || !f.Updated.Equal(c.updated) || f.Draft != c.draft || (f.DateNote != "") != c.note {
			t.Errorf("%s with %q: date %v, updated %v, draft %v, note %q; want %v, %v, %v, a note: %v",
				c.name, c.front, f.Date, f.Updated, f.Draft, f.DateNote, c.date, c.updated, c.draft, c.note)
		}
		if c.note && !strings.Contains(f.DateNote, "date") {
			t.Errorf("%s: note %q does not say which date", c.name, f.DateNote)
		}
	}
}
