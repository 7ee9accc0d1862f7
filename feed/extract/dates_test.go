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
		{"2014/09/15.md", time.Time{}},                       // a name is no day
		{"2014-09-150.txt", time.Time{}},                     // not a date followed by a separator
		{"2014-13-01-bad.md", time.Time{}},                   // no month 13
		{"2014-02-30-bad.md", time.Time{}},                   // no 30 February
		{"notes/rust.md", time.Time{}},                       // nothing
		{"14/09/15/rust.md", time.Time{}},                    // a year has four digits
		{"2014/9/15/rust.md", time.Time{}},                   // so do the month and the day two
		{"report-2014-09-15.txt", time.Time{}},               // only at the start
		{"2020-11-4-this-week-in-rust.md", day(2020, 11, 4)}, // Jekyll reads a day of one digit
		{"2020-1-9-x.md", day(2020, 1, 9)},                   // and a month of one
		{"2021-3-5_note.txt", day(2021, 3, 5)},
		{"2021-3-5.txt", day(2021, 3, 5)},
		{"posts/2020-1-9-x/index.md", day(2020, 1, 9)}, // a bundle's folder
		{"1-2-3-notes.md", time.Time{}},                // a version, not a date: a year has four digits
		{"202-1-2-notes.md", time.Time{}},
		{"2020-1-32-x.md", time.Time{}}, // no day 32
		{"2020-0-9-x.md", time.Time{}},  // no month 0
		{"2020-13-1-x.md", time.Time{}},
		{"2020-2-30-x.md", time.Time{}},
		{"2020-001-02-x.md", time.Time{}}, // three digits to a month
		{"2020-1-9x.md", time.Time{}},     // no separator after the day
		{"2020-1--x.md", time.Time{}},
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
		{"a.md", "date: 2023-01-29 18:30 -0800", time.Date(2023, 1, 29, 18, 30, 0, 0, pst), time.Time{}, false, false},             // Jekyll, no seconds
		{"a.md", "date: 2023-01-29 18:30:22 -0800 PST", time.Date(2023, 1, 29, 18, 30, 22, 0, pst), time.Time{}, false, false},     // Go's time.Time.String
		{"a.md", "date: 2023-01-29 18:30:22.5 -0800 PST", time.Date(2023, 1, 29, 18, 30, 22, 5e8, pst), time.Time{}, false, false}, // with a fraction
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

// TestWrittenAndZonedDates: the dates site generators and their themes
// write in words (Astro's template, "Jul 08 2022") or with a zone's name
// or an offset without a colon; the key each is read from, as the file
// spells it, in the note of one that cannot be used; and a time in a zone
// seedfeed does not read keeps its day.
func TestWrittenAndZonedDates(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	at := func(y, m, d, h, mi, s, offHours, offMin int) time.Time {
		return time.Date(y, time.Month(m), d, h, mi, s, 0, time.FixedZone("", offHours*3600+offMin*60))
	}
	for _, c := range []struct {
		name, front string
		date        time.Time
		updated     time.Time
		note        string // a part of DateNote; "" when there is none
	}{
		{"astro template", "pubDate: 'Jul 08 2022'", day(2022, 7, 8), time.Time{}, ""},
		{"astro updatedDate", "pubDate: 'Jul 15 2022'\nupdatedDate: 'Jul 20 2022'", day(2022, 7, 15), day(2022, 7, 20), ""},
		{"cactus publishDate and updatedDate in words", "publishDate: \"11 Oct 2023\"\nupdatedDate: 6 December 2024", day(2023, 10, 11), day(2024, 12, 6), ""},
		{"astropaper", "pubDatetime: 2022-09-23T15:22:00Z\nmodDatetime: 2023-12-21T09:12:47.400Z", at(2022, 9, 23, 15, 22, 0, 0, 0), time.Date(2023, 12, 21, 9, 12, 47, 400e6, time.UTC), ""},
		{"jekyll last_modified_at", "date: 2020-01-02\nlast_modified_at: 2021-03-04", day(2020, 1, 2), day(2021, 3, 4), ""},
		{"month day comma year", "date: Jul 8, 2022", day(2022, 7, 8), time.Time{}, ""},
		{"full month", "date: July 8, 2022", day(2022, 7, 8), time.Time{}, ""},
		{"day full month", "date: 8 July 2022", day(2022, 7, 8), time.Time{}, ""},
		{"two-digit day first", "date: 08 Jul 2022", day(2022, 7, 8), time.Time{}, ""},
		{"ordinal", "date: July 8th, 2022", day(2022, 7, 8), time.Time{}, ""},
		{"weekday", "date: Friday, July 8, 2022", day(2022, 7, 8), time.Time{}, ""},
		{"weekday and time", "date: Fri, 08 Jul 2022 10:30", at(2022, 7, 8, 10, 30, 0, 0, 0), time.Time{}, ""},
		{"time pm", "date: July 8, 2022 at 10:30 pm", at(2022, 7, 8, 22, 30, 0, 0, 0), time.Time{}, ""},
		{"rfc 1123 with PST", "date: Sun, 29 Jan 2023 18:30:22 PST", at(2023, 1, 29, 18, 30, 22, -8, 0), time.Time{}, ""},
		{"javascript's Date", "date: Fri Jul 08 2022 10:00:00 GMT+0200 (Central European Summer Time)", at(2022, 7, 8, 10, 0, 0, 2, 0), time.Time{}, ""},
		{"zone name PST", "date: 2024-03-05 10:00:00 PST", at(2024, 3, 5, 10, 0, 0, -8, 0), time.Time{}, ""},
		{"zone name UTC", "date: 2024-03-05 10:00 UTC", at(2024, 3, 5, 10, 0, 0, 0, 0), time.Time{}, ""},
		{"zone name CEST", "date: 2024-03-05T10:00:00 CEST", at(2024, 3, 5, 10, 0, 0, 2, 0), time.Time{}, ""},
		{"offset without a colon", "date: 2024-03-05T10:00:00+0530", at(2024, 3, 5, 10, 0, 0, 5, 30), time.Time{}, ""},
		{"offset of hours", "date: 2024-03-05T10:00:00-08", at(2024, 3, 5, 10, 0, 0, -8, 0), time.Time{}, ""},
		{"offset after a space", "date: 2024-03-05 10:00:00 +0530", at(2024, 3, 5, 10, 0, 0, 5, 30), time.Time{}, ""},
		{"fraction and offset", "date: 2024-03-05T10:00:00.250+0530", at(2024, 3, 5, 10, 0, 0, 5, 30).Add(250 * time.Millisecond), time.Time{}, ""},
		{"ambiguous zone keeps the day", "date: 2024-03-05 23:30:00 IST", day(2024, 3, 5), time.Time{}, `date: "2024-03-05 23:30:00 IST": its zone "IST" is not one seedfeed reads`},
		{"iana zone keeps the day", "date: 2024-03-05 10:00 Europe/Paris", day(2024, 3, 5), time.Time{}, `zone "Europe/Paris"`},
		{"am is no zone", "date: Jul 8 2022 10:00 am", at(2022, 7, 8, 10, 0, 0, 0, 0), time.Time{}, ""},
		{"the note names pubDate", "pubDate: someday", time.Time{}, time.Time{}, `pubDate: "someday" is not a date`},
		{"the note names updatedDate", "date: 2020-01-02\nupdatedDate: later", day(2020, 1, 2), time.Time{}, `updatedDate: "later" is not a date`},
		{"no 31 June", "date: June 31, 2022", time.Time{}, time.Time{}, "is not a date"},
		{"a year of four digits", "date: Jul 8, 22", time.Time{}, time.Time{}, "is not a date"},
		{"an offset beyond 14 hours", "date: 2024-03-05T10:00:00+1600", time.Time{}, time.Time{}, "is not a date"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := Inspect("a.md", []byte("---\n"+c.front+"\n---\n# Title\n\nBody text.\n"))
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			if !f.Date.Equal(c.date) || !f.Updated.Equal(c.updated) {
				t.Errorf("%q: date %v, updated %v; want %v, %v", c.front, f.Date, f.Updated, c.date, c.updated)
			}
			if c.note == "" && f.DateNote != "" || !strings.Contains(f.DateNote, c.note) {
				t.Errorf("%q: note %q; want one with %q", c.front, f.DateNote, c.note)
			}
		})
	}
}

// FuzzDate: a front matter date of any text, and a file name of any text,
// never panic, and a date read is one the store can hold.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"Jul 08 2022", "Fri, 08 Jul 2022 10:00:00 GMT+0200 (CEST)", "2024-03-05 10:00:00 PST",
		"2024-03-05T10:00:00+0530", "July 8th, 2022 at 10:30 pm", "2024-03-05 10:00 Europe/Paris", "2020-1-9-x", "1-2-3", "1 Jan 1500", "Dec 31 9999 23:59 PST"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := date(s)
		if !d.IsZero() && (d.Before(earliest) || d.After(latest)) {
			t.Errorf("date(%q) = %v, %v; outside what the store holds", s, d, err)
		}
		_ = PathDate(s)
		_ = fallbackTitle(s + ".md")
	})
}
