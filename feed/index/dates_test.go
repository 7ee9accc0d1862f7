package index

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestDateRules: published and updated, by README's rules, for a folder
// that holds years of files when it is first indexed, and after a touch
// and an edit.
func TestDateRules(t *testing.T) {
	dir := t.TempDir()
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	files := []struct {
		name, text string
		mtime      time.Time
	}{
		{"old.txt", "Old note\n\nWritten in 2019.\n", day(2019, 5, 1)},
		{"ahead.txt", "Clock ahead\n\nIts mtime is in the future.\n", day(2027, 1, 1)},
		{"2014-09-15-jekyll.md", "# Jekyll post\n\nNo date in front.\n", day(2020, 1, 1)},
		{"2014/09/16/folder.md", "# Folder post\n\nDated by folders.\n", day(2020, 1, 1)},
		{"2019/05/kept.txt", "Kept mtime\n\nIts month's folders, its mtime within.\n", day(2019, 5, 17).Add(10 * time.Hour)},
		{"2019/05/copied.txt", "Copied\n\nIts month's folders, its mtime of the copy.\n", day(2020, 1, 1)},
		{"wire/2019-06/lead.txt", "Lead\n\nA folder of a month.\n", day(2020, 1, 1)},
		{"fm.md", "---\ndate: 2013-02-03 10:00:00 -0800\n---\n# Front matter\n\nDated.\n", day(2020, 1, 1)},
		{"lastmod.md", "---\ndate: 2013-02-03\nlastmod: 2015-06-07\n---\n# Last modified\n\nDated.\n", day(2020, 1, 1)},
		{"badfm.md", "---\ndate: soon\n---\n# Bad date\n\nDated by its mtime.\n", day(2018, 3, 4)},
		{"2016-07-08-badfm.md", "---\ndate: never\n---\n# Bad date, named\n\nDated by its name.\n", day(2020, 1, 1)},
		{"zoned.md", "---\ndate: 2013-02-03 23:30 IST\n---\n# Zone not read\n\nDated by its day.\n", day(2020, 1, 1)},
		{"tie-a.txt", "Tie A\n\nSame second.\n", day(2017, 1, 1)},
		{"tie-b.txt", "Tie B\n\nSame second.\n", day(2017, 1, 1)},
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.name))
		feedtest.Write(t, p, f.text)
		if err := os.Chtimes(p, f.mtime, f.mtime); err != nil {
			t.Fatal(err)
		}
	}
	now := t0
	var logs feedtest.SyncBuffer
	ix, _ := newTestIndex(t, dir, func() time.Time { return now }, slog.New(slog.NewTextHandler(&logs, nil)))
	ctx := context.Background()
	if err := ix.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	get := func() map[string]feed.Entry {
		t.Helper()
		all, err := ix.Entries(0, 0)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]feed.Entry{}
		for _, e := range all {
			m[e.Path] = e
		}
		return m
	}
	pst := time.FixedZone("", -8*3600)
	want := map[string][2]time.Time{ // published, updated
		"old.txt":               {day(2019, 5, 1), day(2019, 5, 1)},
		"ahead.txt":             {t0, t0},
		"2014-09-15-jekyll.md":  {day(2014, 9, 15), day(2014, 9, 15)},
		"2014/09/16/folder.md":  {day(2014, 9, 16), day(2014, 9, 16)},
		"2019/05/kept.txt":      {day(2019, 5, 17).Add(10 * time.Hour), day(2019, 5, 17).Add(10 * time.Hour)},
		"2019/05/copied.txt":    {day(2019, 5, 1), day(2019, 5, 1)},
		"wire/2019-06/lead.txt": {day(2019, 6, 1), day(2019, 6, 1)},
		"fm.md":                 {time.Date(2013, 2, 3, 10, 0, 0, 0, pst), time.Date(2013, 2, 3, 10, 0, 0, 0, pst)},
		"lastmod.md":            {day(2013, 2, 3), day(2015, 6, 7)},
		"badfm.md":              {day(2018, 3, 4), day(2018, 3, 4)},
		"zoned.md":              {day(2013, 2, 3), day(2013, 2, 3)},
		"tie-a.txt":             {day(2017, 1, 1), day(2017, 1, 1)},
		"tie-b.txt":             {day(2017, 1, 1), day(2017, 1, 1)},
	}
	check := func(when string, got map[string]feed.Entry) {
		t.Helper()
		for path, w := range want {
			e, ok := got[path]
			if !ok {
				t.Errorf("%s: %s is not an entry", when, path)
				continue
			}
			if !e.Published.Equal(w[0]) || !e.Updated.Equal(w[1]) {
				t.Errorf("%s: %s published %v, updated %v; want %v, %v", when, path, e.Published, e.Updated, w[0], w[1])
			}
		}
	}
	check("first index", get())
	if !strings.Contains(logs.String(), "path=badfm.md") || !strings.Contains(logs.String(), `dated_by="its modification time, when first seen"`) ||
		!strings.Contains(logs.String(), `path=2016-07-08-badfm.md reason="date: \"never\" is not a date" dated_by="the date in its path, 2016-07-08"`) {
		t.Errorf("no log line names the file whose date does not parse, and the date it takes instead:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `path=zoned.md`) || !strings.Contains(logs.String(), `dated_by="the day it gives, 2013-02-03"`) {
		t.Errorf("no log line names the file whose time's zone is not read, and the day it keeps:\n%s", logs.String())
	}
	if order := entryPaths(t, ix); !strings.Contains(strings.Join(order, " "), "tie-a.txt tie-b.txt") {
		t.Errorf("order %v; want the two of the same date by path", order)
	}

	// A touch moves nothing; an edit moves updated only, to when it was
	// seen, though the file's mtime is now outside its folders' month.
	now = t0.Add(time.Hour)
	later := t0.Add(30 * time.Minute)
	if err := os.Chtimes(filepath.Join(dir, "old.txt"), later, later); err != nil {
		t.Fatal(err)
	}
	feedtest.Write(t, filepath.Join(dir, "tie-a.txt"), "Tie A\n\nEdited since.\n")
	feedtest.Write(t, filepath.Join(dir, "2019", "05", "kept.txt"), "Kept mtime\n\nEdited since.\n")
	if err := ix.Update(ctx, []string{"old.txt", "tie-a.txt", "2019/05/kept.txt"}); err != nil {
		t.Fatal(err)
	}
	want["tie-a.txt"] = [2]time.Time{day(2017, 1, 1), now}
	want["2019/05/kept.txt"] = [2]time.Time{day(2019, 5, 17).Add(10 * time.Hour), now}
	check("after a touch and an edit", get())
}

// TestPreviewDatesByMonthFolders: seedfeed extract dates a file it has not
// indexed as the index will: a month's folders, unless the modification
// time falls within the month.
func TestPreviewDatesByMonthFolders(t *testing.T) {
	for _, c := range []struct {
		mtime, want time.Time
	}{
		{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(2019, 5, 17, 10, 0, 0, 0, time.UTC), time.Date(2019, 5, 17, 10, 0, 0, 0, time.UTC)},
	} {
		e, _, err := Preview(nil, "", "2019/05/x.txt", extract.Doc{Title: "X"}, c.mtime, t0)
		if err != nil {
			t.Fatal(err)
		}
		if !e.Published.Equal(c.want) {
			t.Errorf("modified %v: published %v; want %v", c.mtime, e.Published, c.want)
		}
	}
}
