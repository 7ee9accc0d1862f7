package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed/atom"
	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/state"
	"github.com/seedfeed/seedfeed/feed/static"
)

// TestBuildAdvertisesHubs: build takes its site from the same builder as
// serve, so the hubs configured are in every feed it writes, and the links
// are based on the base URL.
func TestBuildAdvertisesHubs(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Site.Hubs = []string{"https://hub.example/"}
		o.Site.BaseURL = "https://news.example/"
		o.Now = feedtest.Fixed(feedtest.T0)
	})
	out := t.TempDir()
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		feed.Atom.Path: `<link href="https://hub.example/" rel="hub">`,
		feed.RSS.Path:  `<atom:link href="https://hub.example/" rel="hub">`,
		feed.JSON.Path: `"hubs":[{"type":"WebSub","url":"https://hub.example/"}]`,
	}
	for _, k := range feed.Feeds() {
		b, err := os.ReadFile(filepath.Join(out, k.Path))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want[k.Path]) {
			t.Errorf("%s lacks %s", k.Path, want[k.Path])
		}
		if !strings.Contains(string(b), "https://news.example/entry/") {
			t.Errorf("%s has no entry link on the base URL", k.Path)
		}
	}
}

// TestBuildRefusesMissingSeeds: build names a seeds folder that is not
// there in the same words as serve.
func TestBuildRefusesMissingSeeds(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Source.Dir = filepath.Join(t.TempDir(), "nope") })
	err := Build(context.Background(), e.opts, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "seeds folder") {
		t.Errorf("Build = %v; want the seeds folder named", err)
	}
	if _, err := New(e.opts); err == nil || !strings.Contains(err.Error(), "seeds folder") {
		t.Errorf("New = %v; want the seeds folder named", err)
	}
}

// TestBuildRemovesOnlyItsOwnFiles: a rebuild removes the page of a deleted
// entry, which it wrote, and never a file it did not write; a seeds path
// that is a file is refused before anything is touched; and an emptied
// seeds folder keeps the entries for the empty grace.
func TestBuildRemovesOnlyItsOwnFiles(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Site.BaseURL = "https://news.example/"
		o.EmptyGrace = time.Hour
	})
	out := t.TempDir()
	build := func() error { return Build(context.Background(), e.opts, out) }
	feedtest.Write(t, filepath.Join(e.seeds, "doomed.txt"), "Doomed\n\nBody.\n")
	if err := build(); err != nil {
		t.Fatal(err)
	}
	pages, _ := filepath.Glob(filepath.Join(out, "entry", "*.html"))
	if len(pages) != 3 {
		t.Fatalf("%d pages; want 3", len(pages))
	}
	foreign := []string{filepath.Join(out, "entry", "by-hand.html"), filepath.Join(out, "robots.txt")}
	for _, f := range foreign {
		feedtest.Write(t, f, "not seedfeed's")
	}
	if err := os.Remove(filepath.Join(e.seeds, "doomed.txt")); err != nil {
		t.Fatal(err)
	}
	if err := build(); err != nil {
		t.Fatal(err)
	}
	pages, _ = filepath.Glob(filepath.Join(out, "entry", "*.html"))
	if len(pages) != 3 { // two entries, and the foreign page
		t.Errorf("pages after the rebuild: %v; want the 2 entries' and by-hand.html", pages)
	}
	for _, f := range foreign {
		if b, err := os.ReadFile(f); err != nil || string(b) != "not seedfeed's" {
			t.Errorf("%s was touched: %q, %v", f, b, err)
		}
	}

	// A file for a seeds folder: refused, nothing touched.
	before := listFiles(t, out)
	bad := e.opts
	bad.Source.Dir = filepath.Join(e.seeds, "a-file.txt")
	feedtest.Write(t, bad.Source.Dir, "x")
	if err := Build(context.Background(), bad, out); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("build with a file for a seeds folder = %v; want the same error as serve", err)
	}
	os.Remove(bad.Source.Dir)
	if after := listFiles(t, out); !slices.Equal(before, after) {
		t.Errorf("a refused build changed the output: %v, then %v", before, after)
	}

	// An emptied seeds folder over the store: the entries stay.
	files, _ := filepath.Glob(filepath.Join(e.seeds, "*"))
	for _, f := range files {
		os.Remove(f)
	}
	if err := build(); err != nil {
		t.Fatal(err)
	}
	if after := listFiles(t, out); !slices.Equal(before, after) {
		t.Errorf("a build of an empty folder changed the output: %v, then %v", before, after)
	}
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestBuildLeavesOutTheFuture: build leaves out a post dated after its
// clock, and its page, and says so with the post's date; Future puts both
// in.
func TestBuildLeavesOutTheFuture(t *testing.T) {
	for _, future := range []bool{false, true} {
		var logs feedtest.SyncBuffer
		e := newEnv(t, func(o *Options) {
			o.Now, o.Future = feedtest.Fixed(feedtest.T0), future
			o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		})
		feedtest.Write(t, filepath.Join(e.seeds, "later.md"), "---\ndate: "+feedtest.T0.Add(24*time.Hour).Format(time.RFC3339)+"\n---\n# Tomorrow's post\n\nLater.\n")
		out := t.TempDir()
		if err := Build(context.Background(), e.opts, out); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, feed.JSON.Path))
		if err != nil {
			t.Fatal(err)
		}
		_, page := os.Stat(filepath.Join(out, feed.PagePath(e.id("later.md"))))
		if in := strings.Contains(string(b), "Tomorrow's post"); in != future || (page == nil) != future {
			t.Errorf("Future %v: the post in the feed %v, its page written %v; want both %v", future, in, page == nil, future)
		}
		held := "msg=\"holding back entries dated in the future: a build on or after their date publishes them, or -future now\" scheduled=1 next=" +
			feedtest.T0.Add(24*time.Hour).UTC().Format(time.RFC3339)
		if got := strings.Contains(logs.String(), held) && strings.Contains(logs.String(), " scheduled=1 in_feeds="); got == future {
			t.Errorf("Future %v: the log says one post is held back: %v; want %v\n%s", future, got, !future, logs.String())
		}
	}
}

// fileIDs returns the inode and modification time of every file under dir,
// by path: a file written anew (renamed into place) gets a new inode.
func fileIDs(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = fmt.Sprint(fi.Sys().(*syscall.Stat_t).Ino, fi.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBuildWritesTheWholePublication: build writes the page of every
// entry, not only the newest, and every archive page, which a reader walks
// from the feed to collect every entry once; a rebuild with nothing
// changed writes nothing, one new file writes a handful of files, and a
// removed file's page goes.
func TestBuildWritesTheWholePublication(t *testing.T) {
	var logs feedtest.SyncBuffer
	e := newEnv(t, func(o *Options) {
		o.Site.Limit, o.Now = 10, time.Now
		o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 45
	for i := range n {
		p := filepath.Join(e.seeds, fmt.Sprintf("s%03d.txt", i))
		feedtest.WriteAt(t, p, fmt.Sprintf("Story %d\n\nThe text of story %d.\n", i, i), base.Add(time.Duration(i)*time.Hour))
	}
	out := t.TempDir()
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	live := map[string]bool{}
	for i := range n {
		id := e.id(fmt.Sprintf("s%03d.txt", i))
		live[id] = true
		b, err := os.ReadFile(filepath.Join(out, feed.PagePath(id)))
		if err != nil || !strings.Contains(string(b), fmt.Sprintf("The text of story %d.", i)) {
			t.Errorf("the page of story %d: %v", i, err)
		}
	}
	samples, _ := filepath.Glob(filepath.Join(e.seeds, "0*.txt"))
	for _, s := range samples {
		live[e.id(filepath.Base(s))] = true
	}
	// Walk the Atom archive on disk, as a reader would over HTTP.
	seen := map[string]int{}
	doc := feed.Atom.Path
	for hops := 0; doc != ""; hops++ {
		if hops > 20 {
			t.Fatal("the archive walk does not end")
		}
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(doc)))
		if err != nil {
			t.Fatal(err)
		}
		f, err := (&atom.Parser{}).Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		for _, en := range f.Entries {
			seen[en.ID]++
		}
		doc = ""
		for _, l := range f.Links {
			if l.Rel == "prev-archive" {
				doc = strings.TrimPrefix(l.Href, e.opts.siteAt(e.opts.Listen).BaseURL)
			}
		}
	}
	if len(seen) != len(live) {
		t.Errorf("the walk saw %d entries; want the %d live", len(seen), len(live))
	}
	for id, c := range seen {
		if c != 1 || !live[id] {
			t.Errorf("the walk saw %s %d times (live: %v)", id, c, live[id])
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); !strings.Contains(string(b), "archive/") {
		t.Error("index.html links to no older page")
	}

	before := fileIDs(t, out)
	dirBefore, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	if dirAfter, err := os.Stat(out); err != nil || !dirAfter.ModTime().Equal(dirBefore.ModTime()) {
		t.Errorf("a rebuild with nothing changed touched the output folder: %v, %v", dirAfter.ModTime(), err)
	}
	changed := func(after map[string]string) (names []string) {
		for name, id := range after {
			if before[name] != id {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		return names
	}
	if c := changed(fileIDs(t, out)); len(c) > 0 {
		t.Errorf("a rebuild with nothing changed wrote %v; want nothing", c)
	}
	if lines := strings.Split(strings.TrimSpace(logs.String()), "\n"); !strings.Contains(lines[len(lines)-1], " pages_checked=false groups_rendered=0 files_written=0 ") {
		t.Errorf("a rebuild with nothing changed: %s; want no page checked, none rendered", lines[len(lines)-1])
	}

	feedtest.Write(t, filepath.Join(e.seeds, "new.txt"), "New story\n\nJust in.\n")
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	after := fileIDs(t, out)
	// The new page, the feeds, the index, the open archive page in each
	// kind, the manifest: about ten.
	if c := changed(after); len(c) > 12 {
		t.Errorf("one new file wrote %d files: %v; want a handful", len(c), c)
	}
	// The log counts the files written but seedfeed's own records.
	published := slices.DeleteFunc(changed(after), func(name string) bool { return name == static.Manifest || name == static.Stamp })
	if lines := strings.Split(strings.TrimSpace(logs.String()), "\n"); !strings.Contains(lines[len(lines)-1], fmt.Sprintf(" files_written=%d ", len(published))) {
		t.Errorf("one new file: %s; want files_written=%d, %v", lines[len(lines)-1], len(published), published)
	}

	// Three more close the open page (past 10 entries: limit): that page
	// and the new open one are rendered, no other.
	for _, name := range []string{"new2.txt", "new3.txt", "new4.txt"} {
		feedtest.Write(t, filepath.Join(e.seeds, name), "Another story\n\nJust in too: "+name+".\n")
	}
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(logs.String()), "\n"); !strings.Contains(lines[len(lines)-1], " archive_pages=5 ") ||
		!strings.Contains(lines[len(lines)-1], " groups_rendered=2 ") {
		t.Errorf("a page closed: %s; want 5 archive pages and 2 rendered (the closed page, the new open one)", lines[len(lines)-1])
	}

	// An edit of white space only, which moves where the title ends, is
	// still an edit: its page is made again.
	feedtest.Write(t, filepath.Join(e.seeds, "s001.txt"), "Story 1 The text of story 1.\n")
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, feed.PagePath(e.id("s001.txt")))); !strings.Contains(string(b), "<title>Story 1 The text of story 1") {
		t.Errorf("after a white-space edit the page still shows the old title:\n%.400s", b)
	}

	// A build cut short (its folder of temporary files left behind) may
	// have written new bytes under old keys: the next trusts no key.
	page := filepath.Join(out, feed.PagePath(e.id("s005.txt")))
	feedtest.Write(t, page, "half-written")
	if err := os.Mkdir(filepath.Join(out, ".seedfeed-tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(page); !strings.Contains(string(b), "The text of story 5.") {
		t.Errorf("after a build cut short, a page is still %q", b)
	}

	// A file of the user's where seedfeed would write: refused, untouched.
	other := t.TempDir()
	mine := filepath.Join(other, "archive", "1.html")
	feedtest.Write(t, mine, "my own page")
	if err := Build(context.Background(), e.opts, other); err == nil || !strings.Contains(err.Error(), mine) {
		t.Errorf("build over a file of the user's = %v; want an error naming it", err)
	}
	if b, _ := os.ReadFile(mine); string(b) != "my own page" {
		t.Errorf("the user's file is now %q", b)
	}

	gone := feed.PagePath(e.id("s020.txt"))
	if err := os.Remove(filepath.Join(e.seeds, "s020.txt")); err != nil {
		t.Fatal(err)
	}
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, gone)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the page of a removed file is still there: %v", err)
	}
}

// TestBuildReadsEachFileAboutTwice: a cold build reads each file once to
// index it and about once more for its pages, although each entry is in
// three archives (the site's, its folder's and its place's): the pages
// that hold an entry are written close together, and share its
// extraction, kept for a while; here, for a sixth of the folder.
func TestBuildReadsEachFileAboutTwice(t *testing.T) {
	defer func(n int) { buildReuse = n }(buildReuse)
	buildReuse = 100
	var logs feedtest.SyncBuffer
	e := newEnv(t, func(o *Options) {
		o.Site.Limit, o.Now = 10, time.Now
		o.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	})
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	places := []string{"LONDON", "PARIS", "CAIRO"}
	const n = 600
	for i := range n {
		p := filepath.Join(e.seeds, fmt.Sprintf("desk%d", i%4), fmt.Sprintf("s%03d.txt", i))
		feedtest.WriteAt(t, p, fmt.Sprintf("%s – Officials said on Monday that story %d was true. More text follows here.\n", places[i%3], i), base.Add(time.Duration(i)*time.Hour))
	}
	out := t.TempDir()
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	var built struct {
		Read    int `json:"read"`
		Entries int `json:"entries"`
	}
	for line := range strings.SplitSeq(logs.String(), "\n") {
		if strings.Contains(line, `"msg":"built"`) {
			if err := json.Unmarshal([]byte(line), &built); err != nil {
				t.Fatal(err)
			}
		}
	}
	if built.Entries < n {
		t.Fatalf("built %d entries; want %d at least\n%s", built.Entries, n, logs.String())
	}
	if _, err := os.Stat(filepath.Join(out, "category", "london", "archive", "1.atom")); err != nil {
		t.Fatalf("no archive of a place: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "category", "desk1", "archive", "1.atom")); err != nil {
		t.Fatalf("no archive of a folder: %v", err)
	}
	if built.Read > 2*built.Entries+built.Entries/5 {
		t.Errorf("a cold build of %d entries read %d files; want about two reads each, not one per archive", built.Entries, built.Read)
	}
}

// TestBuildStopsWhenCanceled: a build stopped while it writes (Ctrl-C,
// SIGTERM) ends soon, says so, leaves the feeds as they were, the
// categories' too, and no temporary file, and the next build renders
// only what it did not.
func TestBuildStopsWhenCanceled(t *testing.T) {
	var logs feedtest.SyncBuffer
	e := newEnv(t, func(o *Options) {
		o.Site.Limit, o.Now = 10, time.Now
		o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 1000
	for i := range n {
		p := filepath.Join(e.seeds, []string{"east", "west"}[i%2], fmt.Sprintf("s%04d.txt", i)) // two categories
		feedtest.WriteAt(t, p, fmt.Sprintf("Story %d\n\nThe text of story %d.\n", i, i), base.Add(time.Duration(i)*time.Hour))
	}
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopped := make(chan struct{})
	go func() { // cancels once the first archive page is written
		defer close(stopped)
		for ctx.Err() == nil {
			if _, err := os.Stat(filepath.Join(out, feed.ArchivePath(feed.Atom, 1))); err == nil {
				cancel()
			}
			time.Sleep(time.Millisecond) // a poll of the condition
		}
	}()
	err := Build(ctx, e.opts, out)
	cancel()
	<-stopped
	if err == nil {
		t.Fatal("the build ended before the cancel reached it: make the folder larger")
	}
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped before the end") {
		t.Fatalf("Build canceled while it writes = %v; want it stopped, and saying so", err)
	}
	// No feed, the categories' neither: they go after every page.
	catFeed := feed.Place{Dir: feed.CategoryDir("east")}.Path(feed.Atom)
	for _, name := range []string{feed.Atom.Path, "index.html", catFeed, feed.OPMLPath, static.Stamp, ".seedfeed-tmp"} {
		if _, err := os.Stat(filepath.Join(out, name)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s after a first build stopped: Stat = %v; want none", name, err)
		}
	}

	rendered := func() int {
		t.Helper()
		lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
		_, after, ok := strings.Cut(lines[len(lines)-1], " groups_rendered=")
		var n int
		if _, err := fmt.Sscan(after, &n); !ok || err != nil {
			t.Fatalf("no groups_rendered in %q", lines[len(lines)-1])
		}
		return n
	}
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	rest := rendered()
	if err := Build(context.Background(), e.opts, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	// The first stopped soon after its first archive page: it left most
	// of the work, and the next took up only that.
	if whole := rendered(); rest >= whole || rest < whole/2 {
		t.Errorf("the build after one stopped rendered %d groups, a whole build %d; want only what the first did not, most of them", rest, whole)
	}
	for _, name := range []string{feed.Atom.Path, catFeed} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("the build after: %v", err)
		}
	}
}

// TestBuildCopiesWhatCategoryFeedsShow: a file shown only by a category's
// feed (its entry is past the site's feed, and unchanged) is copied beside
// the feed that names it.
func TestBuildCopiesWhatCategoryFeedsShow(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Site.Limit = 2 })
	post := func(p, date, body string) {
		feedtest.Write(t, filepath.Join(e.seeds, p), "---\ndate: "+date+"T00:00:00Z\n---\n# "+p+"\n\n"+body+"\n")
	}
	post("east/x.md", "2024-01-01", "![pic](x.png)")
	post("west/w1.md", "2024-01-02", "Text.")
	post("west/w2.md", "2024-01-03", "Text.")
	post("west/w3.md", "2024-01-04", "Text.")
	out := t.TempDir()
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	feedtest.Write(t, filepath.Join(e.seeds, "east", "x.png"), "\x89PNG\r\n\x1a\n x")
	post("east/y.md", "2024-01-05", "Text.") // the east feed is made again; x.md is not read for the site's
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(feed.Place{Dir: feed.CategoryDir("east")}.Path(feed.Atom))))
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(out, filepath.FromSlash(feed.MediaPath("east/x.png")))
	if _, err := os.Stat(copied); !strings.Contains(string(b), "media/east/x.png") || err != nil {
		t.Errorf("the east feed names media/east/x.png: %v; the copy: %v; want both", strings.Contains(string(b), "media/east/x.png"), err)
	}
}

// TestBuildLinksPostsToPosts: a post's links to other posts lead to their
// pages: one built already, and one written only later, whose page is at
// the link when it comes, with no new page for the post that links.
func TestBuildLinksPostsToPosts(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Site.BaseURL = "https://news.example/"
		o.Now = feedtest.Fixed(feedtest.T0)
	})
	posts := filepath.Join(e.seeds, "blog", "_posts")
	feedtest.Write(t, filepath.Join(posts, "2024-03-05-real.md"), "# Real\n\nThe post linked to.\n")
	feedtest.Write(t, filepath.Join(posts, "2023-05-06-jekyll-1.0.markdown"), "# Jekyll 1.0\n\nReleased.\n")
	feedtest.Write(t, filepath.Join(posts, "2024-01-02-linker.md"), "# Linker\n\n"+
		"See [the real one](2024-03-05-real.md#top), [the next](2024-04-01-later.md) and [in Zola's words](@/blog/_posts/2024-03-05-real.md).\n\n"+
		"In Jekyll's: [we released Jekyll 1.0][jekyll-1], and [this]({% link _posts/2024-03-05-real.md %}).\n\n"+
		"[jekyll-1]: {% post_url 2023-05-06-jekyll-1.0 %}\n")
	// Posts deeper than the site's root, which is the seeds folder, as
	// ruby-lang.org's en/news/_posts: {% link %} names a path from the top.
	news := filepath.Join(e.seeds, "en", "news", "_posts")
	feedtest.Write(t, filepath.Join(news, "2024-03-06-target.md"), "# Target\n\nNews linked to.\n")
	feedtest.Write(t, filepath.Join(news, "2024-03-07-nested.md"), "# Nested\n\n"+
		"See [the news]({% link en/news/_posts/2024-03-06-target.md %}) and [the blog]({% link blog/_posts/2024-03-05-real.md %}).\n\n"+
		"![The logo](/images/logo.png)\n")
	feedtest.Write(t, filepath.Join(e.seeds, "images", "logo.png"), "\x89PNG\r\n\x1a\n")
	out := t.TempDir()
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	linker := filepath.Join(out, feed.PagePath(e.id("blog/_posts/2024-01-02-linker.md")))
	page, err := os.ReadFile(linker)
	if err != nil {
		t.Fatal(err)
	}
	real, later := "https://news.example/"+feed.PagePath(e.id("blog/_posts/2024-03-05-real.md")), "https://news.example/"+feed.PagePath(e.id("blog/_posts/2024-04-01-later.md"))
	jekyll := "https://news.example/" + feed.PagePath(e.id("blog/_posts/2023-05-06-jekyll-1.0.markdown"))
	for _, want := range []string{`href="` + real + `#top"`, `href="` + later + `"`, `href="` + real + `">in Zola`,
		`<a href="` + jekyll + `">we released Jekyll 1.0</a>`, `href="` + real + `">this</a>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the linker's page lacks %s", want)
		}
	}
	nested, err := os.ReadFile(filepath.Join(out, feed.PagePath(e.id("en/news/_posts/2024-03-07-nested.md"))))
	if err != nil {
		t.Fatal(err)
	}
	target := "https://news.example/" + feed.PagePath(e.id("en/news/_posts/2024-03-06-target.md"))
	for _, want := range []string{`href="` + target + `">the news</a>`, `href="` + real + `">the blog</a>`, `src="https://news.example/media/images/logo.png"`} {
		if !strings.Contains(string(nested), want) {
			t.Errorf("the nested post's page lacks %s", want)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "media", "images", "logo.png")); err != nil {
		t.Errorf("the picture from the site's root is not published: %v", err)
	}
	before, err := os.Stat(linker)
	if err != nil {
		t.Fatal(err)
	}
	feedtest.Write(t, filepath.Join(posts, "2024-04-01-later.md"), "# Later\n\nWritten after the post that links to it.\n")
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, strings.TrimPrefix(later, "https://news.example/"))); err != nil {
		t.Errorf("the later post's page is not at the link: %v", err)
	}
	if after, err := os.Stat(linker); err != nil || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the linker's page was written again (%v); want it as it was", err)
	}
}

// TestBuildLinksPostsWhenSeedsIsPosts: with the seeds folder a site's
// _posts, as the set-up in the README has it, Jekyll's links to posts
// lead to their pages: {% post_url %} by the post's name, in a folder of
// _posts too, and {% link %} by its path from the site's root, to a post
// there already and to one written only later.
func TestBuildLinksPostsWhenSeedsIsPosts(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Site.BaseURL = "https://news.example/"
		o.Now = feedtest.Fixed(feedtest.T0)
	})
	posts := filepath.Join(t.TempDir(), "site", "_posts")
	e.opts.Source.Dir = posts
	feedtest.Write(t, filepath.Join(posts, "2024-03-05-launch.md"), "# Launch\n\nWe launched.\n")
	feedtest.Write(t, filepath.Join(posts, "2010", "2010-07-21-old.markdown"), "# Old\n\nLong ago.\n")
	feedtest.Write(t, filepath.Join(posts, "2024-03-10-follow-up.md"), "# Follow-up\n\n"+
		"See [the launch]({% post_url 2024-03-05-launch %}), [the old one]({% post_url /2010/2010-07-21-old %}), "+
		"[by path]({% link _posts/2024-03-05-launch.md %}) and [the next]({% link _posts/2024-04-01-later.md %}).\n")
	out := t.TempDir()
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, feed.PagePath(e.id("2024-03-10-follow-up.md"))))
	if err != nil {
		t.Fatal(err)
	}
	pageOf := func(rel string) string { return "https://news.example/" + feed.PagePath(e.id(rel)) }
	for _, want := range []string{`href="` + pageOf("2024-03-05-launch.md") + `">the launch</a>`, `href="` + pageOf("2010/2010-07-21-old.markdown") + `">the old one</a>`,
		`href="` + pageOf("2024-03-05-launch.md") + `">by path</a>`, `href="` + pageOf("2024-04-01-later.md") + `">the next</a>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the follow-up's page lacks %s", want)
		}
	}
	if strings.Contains(string(page), "_posts") {
		t.Error("the follow-up's page links to a path under _posts, which the site has not")
	}
}

// TestBuildLeavesOutWhatIsNoPost: a Jekyll draft, Hugo's section pages,
// headless and unrendered pages, redirects and an expired post are not
// published, skipped with a line that says why, one for each reason (see
// TestSkipsLoggedByReason); a post of front
// matter alone is, and its JSON Feed item has a text, as JSON Feed wants.
func TestBuildLeavesOutWhatIsNoPost(t *testing.T) {
	var logs feedtest.SyncBuffer
	e := newEnv(t, func(o *Options) {
		o.Site.BaseURL = "https://news.example/"
		o.Now = feedtest.Fixed(feedtest.T0)
		o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	for name, text := range map[string]string{
		"blog/_drafts/wip.md":            "# Work in progress\n\nNot yet.\n",
		"docs/_index.md":                 "---\ntitle: Docs\n---\nThe section's intro.\n",
		"docs/_index.fr.md":              "---\ntitle: Documentation\n---\nL'introduction.\n",
		"docs/old-page.md":               "---\ntitle: Moved\nredirect: /docs/new-page/\n---\n",
		"docs/moved.md":                  "---\ntitle: Moved too\nredirect_to: https://example.org/\n---\n",
		"_common/snippet/index.md":       "---\nheadless: true\n---\nA snippet other pages include.\n",
		"_common/table.md":               "---\n_build:\n  render: never\n  list: never\n---\nA table other pages include.\n",
		"offers/spring.md":               "---\ntitle: Spring offer\nexpiryDate: 2020-06-01\n---\nOver.\n",
		"blog/_posts/2024-01-02-post.md": "# A post\n\nIt is one.\n",
		"front-only.md":                  "---\ntitle: Front matter alone\nsummary: Said in the front matter.\n---\n",
		"robots.txt":                     "User-agent: *\nDisallow:\n",
		"README.md":                      "# The site\n\nHow to build it.\n",
		"blog/CONTRIBUTING.md":           "# Contributing\n\nSend a pull request.\n",
		"MAINTAINERS.md":                 "# Maintainers\n\nAda, Grace.\n",
		"notes/security.md":              "# Security\n\nA note on locks.\n",
		"notes/changelog.txt":            "What changed\n\nA note kept by hand.\n",
	} {
		feedtest.Write(t, filepath.Join(e.seeds, filepath.FromSlash(name)), text)
	}
	out := t.TempDir()
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	var doc jsonDoc
	b, err := os.ReadFile(filepath.Join(out, feed.JSON.Path))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, it := range doc.Items {
		titles = append(titles, it.Title)
	}
	if !slices.Contains(titles, "A post") || !slices.Contains(titles, "Front matter alone") || !slices.Contains(titles, "Security") ||
		!slices.Contains(titles, "What changed") || len(titles) != 4+2 { // and the two samples
		t.Errorf("published %q; want the post, the front matter alone, the two notes and the samples", titles)
	}
	var raw struct {
		Items []map[string]any `json:"items"`
	}
	json.Unmarshal(b, &raw)
	for _, it := range raw.Items {
		if it["content_html"] == nil && it["content_text"] == nil {
			t.Errorf("item %v has neither content_html nor content_text", it["title"])
		}
	}
	for _, want := range []string{
		`msg="skipping file" path=blog/_drafts/wip.md reason="in _drafts: a Jekyll draft"`,
		`msg="skipping files that are not posts" files=2 first=docs/_index.fr.md reason="a section's list page (Hugo's _index), not a post"`,
		`msg="skipping files that are not posts" files=2 first=docs/moved.md reason="a redirect with no text, not a post"`,
		`msg="skipping file" path=_common/snippet/index.md reason="headless (Hugo): not a page of its own"`,
		`msg="skipping file" path=_common/table.md reason="never rendered or listed (Hugo's build options)"`,
		`msg="skipping file" path=offers/spring.md reason="expired on 2020-06-01T00:00:00Z (its expiryDate)"`,
		`msg="skipping files that are not posts" files=4 first=MAINTAINERS.md reason="a site's or a repository's own file, not a post"`,
	} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("no log line says %s", want)
		}
	}
}

// TestNewRulesReadEveryFileOnce: a store made by an earlier version,
// whose rules published README.md, has every file read again, once, by
// the next run: README.md leaves the feeds, the other entries keep their
// IDs and dates, and their pages are not written again.
func TestNewRulesReadEveryFileOnce(t *testing.T) {
	var logs feedtest.SyncBuffer
	e := newEnv(t, func(o *Options) {
		o.Site.BaseURL = "https://news.example/"
		o.Now = feedtest.Fixed(feedtest.T0)
		o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	out := t.TempDir()
	build := func() string {
		t.Helper()
		if err := Build(context.Background(), e.opts, out); err != nil {
			t.Fatal(err)
		}
		all := logs.String()
		return all[strings.LastIndex(all, "msg=built"):] // this run's last line
	}
	build()
	before, err := os.ReadFile(filepath.Join(out, feed.Atom.Path))
	if err != nil {
		t.Fatal(err)
	}
	// The earlier version's store: README.md recorded as the file is.
	readme := filepath.Join(e.seeds, "README.md")
	feedtest.Write(t, readme, "# The site\n\nHow to build it.\n")
	fi, err := os.Stat(readme)
	if err != nil {
		t.Fatal(err)
	}
	store, err := state.Open(e.state, false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.Apply(state.Change{Seen: []state.Observation{{Path: "README.md", Hash: "h", Size: fi.Size(), ModTime: fi.ModTime()}}}, feedtest.T0)
	if err == nil {
		err = store.SetRules(extract.Rules - 1)
	}
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	if line := build(); !strings.Contains(line, "entries=2 ") {
		t.Errorf("the run under new rules: %s; want entries=2, README.md gone", line)
	}
	if !strings.Contains(logs.String(), "path=README.md reason=") {
		t.Errorf("no line says README.md is skipped:\n%s", logs.String())
	}
	after, err := os.ReadFile(filepath.Join(out, feed.Atom.Path))
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("the feed differs (%v); want it as before README.md was recorded", err)
	}
	if line := build(); !strings.Contains(line, "groups_rendered=0 ") || !strings.Contains(line, "entries=2 ") {
		t.Errorf("the run after: %s; want nothing rendered", line)
	}
	store, err = state.Open(e.state, true)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if n, err := store.Rules(); err != nil || n != extract.Rules {
		t.Errorf("the store notes rules %d (%v); want %d: its files are not to be read again each run", n, err, extract.Rules)
	}
}

// TestBuildRendersAgainForANewForm: a build by a program of another form
// (an upgrade: see Options.Form) renders every page again, though no
// entry changed, so that a fix to extraction or rendering reaches every
// page; the next build by the same one renders none.
func TestBuildRendersAgainForANewForm(t *testing.T) {
	var logs feedtest.SyncBuffer
	e := newEnv(t, func(o *Options) {
		o.Site.Limit, o.Now, o.Form = 10, time.Now, "seedfeed v1 id-1"
		o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	for i := range 25 {
		feedtest.Write(t, filepath.Join(e.seeds, fmt.Sprintf("s%03d.txt", i)), fmt.Sprintf("Story %d\n\nThe text of story %d.\n", i, i))
	}
	out := t.TempDir()
	rendered := func() int {
		t.Helper()
		if err := Build(context.Background(), e.opts, out); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
		_, after, ok := strings.Cut(lines[len(lines)-1], " groups_rendered=")
		n, err := strconv.Atoi(strings.Fields(after)[0])
		if !ok || err != nil {
			t.Fatalf("no groups_rendered in %q", lines[len(lines)-1])
		}
		return n
	}
	first := rendered()
	if first == 0 {
		t.Fatal("the first build rendered no group")
	}
	if n := rendered(); n != 0 {
		t.Errorf("a rebuild by the same form rendered %d groups; want none", n)
	}
	e.opts.Form = "seedfeed v2 id-2"
	if n := rendered(); n != first {
		t.Errorf("a rebuild by a new form rendered %d groups; want every one, %d", n, first)
	}
	if n := rendered(); n != 0 {
		t.Errorf("the next rebuild by the new form rendered %d groups; want none", n)
	}
}

// TestBuildIDIsTheExecutables: BuildID is this binary's Go build ID, as
// go tool buildid reads it, not a constant.
func TestBuildIDIsTheExecutables(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	want, err := exec.Command("go", "tool", "buildid", exe).Output()
	if err != nil {
		t.Fatalf("go tool buildid: %v", err)
	}
	if got := BuildID(); got == "" || got != strings.TrimSpace(string(want)) {
		t.Errorf("BuildID() = %q; want %q", got, strings.TrimSpace(string(want)))
	}
}
