package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/seedfeed/seedfeed/feed/state"
)

var t0 = time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)

// seedDir copies the sample seeds into a fresh folder.
func seedDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "seeds")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "seeds", "*"))
	if len(files) != 2 {
		t.Fatalf("found %d sample seeds; want 2", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// build runs `seedfeed build` at the given time and parses the Atom feed.
func build(t *testing.T, at time.Time, args ...string) *gofeed.Feed {
	t.Helper()
	old := clock
	clock = func() time.Time { return at }
	defer func() { clock = old }()
	var stdout, stderr bytes.Buffer
	cfg := writeConfig(t, "") // defaults only
	if err := run(context.Background(), append([]string{"build", "-config", cfg}, args...), &stdout, &stderr); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr.String())
	}
	out := args[indexOf(args, "-out")+1]
	f, err := gofeed.NewParser().ParseString(readFile(t, filepath.Join(out, "feed.atom")))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func indexOf(args []string, s string) int {
	for i, a := range args {
		if a == s {
			return i
		}
	}
	return -1
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type idDates struct{ id, title, published, updated string }

func byID(f *gofeed.Feed) map[string]idDates {
	m := map[string]idDates{}
	for _, it := range f.Items {
		m[it.GUID] = idDates{it.GUID, it.Title, it.Published, it.Updated}
	}
	return m
}

func TestBuildIsStable(t *testing.T) {
	seeds := seedDir(t)
	state := filepath.Join(t.TempDir(), "state.db")
	out := filepath.Join(t.TempDir(), "public")
	first := byID(build(t, t0, "-seeds", seeds, "-state", state, "-out", out, "-base-url", "https://a.example/"))
	if len(first) != 2 {
		t.Fatalf("first build has %d entries; want 2", len(first))
	}
	t.Run("a second build a day later changes nothing", func(t *testing.T) {
		again := byID(build(t, t0.Add(24*time.Hour), "-seeds", seeds, "-state", state, "-out", out, "-base-url", "https://a.example/"))
		if !equal(first, again) {
			t.Errorf("second build\n got %v\nwant %v", again, first)
		}
	})
	t.Run("a new base URL keeps IDs and dates", func(t *testing.T) {
		out2 := filepath.Join(t.TempDir(), "public")
		f := build(t, t0.Add(48*time.Hour), "-seeds", seeds, "-state", state, "-out", out2, "-base-url", "https://b.example/feeds/")
		if !equal(first, byID(f)) {
			t.Errorf("after base URL change\n got %v\nwant %v", byID(f), first)
		}
		for _, it := range f.Items {
			if !strings.HasPrefix(it.Link, "https://b.example/feeds/entry/") {
				t.Errorf("link %q does not use the new base URL", it.Link)
			}
		}
	})
	t.Run("a rename keeps ID and published", func(t *testing.T) {
		if err := os.Rename(filepath.Join(seeds, "000_b0004d0eae77d0dc.txt"), filepath.Join(seeds, "renamed.txt")); err != nil {
			t.Fatal(err)
		}
		renamed := byID(build(t, t0.Add(72*time.Hour), "-seeds", seeds, "-state", state, "-out", out, "-base-url", "https://a.example/"))
		if !equal(first, renamed) {
			t.Errorf("after rename\n got %v\nwant %v", renamed, first)
		}
	})
	t.Run("an edit moves updated and nothing else", func(t *testing.T) {
		p := filepath.Join(seeds, "001_c401cae448f2668c.txt")
		text := readFile(t, p)
		if err := os.WriteFile(p, []byte(strings.Replace(text, "Following", "After", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		edited := byID(build(t, t0.Add(96*time.Hour), "-seeds", seeds, "-state", state, "-out", out, "-base-url", "https://a.example/"))
		changed := 0
		for id, was := range first {
			now := edited[id]
			if now.published != was.published || now.title != was.title {
				t.Errorf("entry %s: published/title changed: %v -> %v", id, was, now)
			}
			if now.updated != was.updated {
				changed++
				if now.updated != t0.Add(96*time.Hour).Format(time.RFC3339) {
					t.Errorf("updated = %s; want the edit's time", now.updated)
				}
			}
		}
		if changed != 1 {
			t.Errorf("%d entries changed updated; want exactly the edited one", changed)
		}
	})
	t.Run("a lost state file gives the same IDs back", func(t *testing.T) {
		fresh := byID(build(t, t0, "-seeds", seedDir(t), "-state", filepath.Join(t.TempDir(), "new.db"), "-out", filepath.Join(t.TempDir(), "p"), "-base-url", "https://a.example/"))
		for id := range first {
			if _, ok := fresh[id]; !ok {
				t.Errorf("ID %s not reproduced from an empty state", id)
			}
		}
	})
}

func equal(a, b map[string]idDates) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

var hrefs = regexp.MustCompile(`(?:href|src|xmlUrl|htmlUrl)="([^"]+)"|<(?:link|icon|logo|url)>([^<]+)</|"(?:url|home_page_url|feed_url|icon|favicon)":\s*"([^"]+)"`)

// TestBuildOutput checks that every link in every built file leads to a file
// that the build wrote (the pictures the feeds name too), that no
// temporary file is left, and that the feeds are well-formed for xmllint.
func TestBuildOutput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	base := "https://example.org/site/"
	build(t, t0, "-seeds", seedDir(t), "-state", filepath.Join(t.TempDir(), "s.db"), "-out", out, "-base-url", base)
	var files []string
	filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(out, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	want := map[string]bool{"feed.atom": true, "feed.rss": true, "feed.json": true, "index.html": true, ".seedfeed-manifest": true, ".seedfeed-stamp": true,
		"favicon.ico": true, "icon.png": true,
		"feeds.opml": true, "category/tehran/feed.atom": true, "category/tehran/feed.rss": true, "category/tehran/feed.json": true,
		"category/tehran/index.html": true} // the samples' dateline is their category
	pages := 0
	for _, f := range files {
		switch {
		case want[f]:
			delete(want, f)
		case strings.HasPrefix(f, "entry/") && strings.HasSuffix(f, ".html"):
			pages++
		default:
			t.Errorf("unexpected file %s (a temporary file left behind?)", f)
		}
	}
	if len(want) > 0 || pages != 2 {
		t.Errorf("missing %v, %d entry pages; want all four files, the icon in its two forms, the category's, the list of feeds, the manifest, the stamp and 2 pages", want, pages)
	}
	for _, f := range files {
		if strings.HasPrefix(f, ".seedfeed") || !strings.Contains(".atom .rss .json .html .opml", path.Ext(f)) {
			continue // not a document: an icon, say
		}
		links := hrefs.FindAllStringSubmatch(readFile(t, filepath.Join(out, f)), -1)
		if strings.HasPrefix(f, "entry/") || f == "feeds.opml" {
			for _, m := range links {
				if link := m[1] + m[2] + m[3]; !strings.HasPrefix(link, base) || !exists(out, strings.TrimPrefix(link, base)) {
					t.Errorf("%s links to %s, which the build did not write", f, link)
				}
			}
			continue
		}
		entryLinks := 0
		for _, m := range links {
			if strings.Contains(m[1]+m[2]+m[3], "/entry/") {
				entryLinks++
			}
		}
		if entryLinks < 2 {
			t.Errorf("%s: %d links to entry pages found; want both entries' (is the pattern out of date?)", f, entryLinks)
		}
		for _, m := range links {
			link := m[1] + m[2] + m[3]
			if !strings.HasPrefix(link, base) {
				t.Errorf("%s links to %q, outside the base URL", f, link)
				continue
			}
			if !exists(out, strings.TrimPrefix(link, base)) {
				t.Errorf("%s links to %s, which the build did not write", f, link)
			}
		}
	}
	// A category's documents are the daemon's: with the built-in icon.
	if cat := readFile(t, filepath.Join(out, "category", "tehran", "feed.atom")); !strings.Contains(cat, "<icon>"+base+"icon.png</icon>") {
		t.Errorf("category/tehran/feed.atom has no <icon>:\n%s", cat)
	}
	index := readFile(t, filepath.Join(out, "index.html"))
	for _, typ := range []string{"application/atom+xml", "application/rss+xml", "application/feed+json"} {
		if !strings.Contains(index, `<link rel="alternate" type="`+typ+`"`) {
			t.Errorf("index.html lacks autodiscovery for %s", typ)
		}
	}
	if xmllint, err := exec.LookPath("xmllint"); err == nil || os.Getenv("CI") != "" {
		if err != nil {
			t.Fatal("xmllint is required under CI=true")
		}
		if b, err := exec.Command(xmllint, "--noout", filepath.Join(out, "feed.atom"), filepath.Join(out, "feed.rss"), filepath.Join(out, "feeds.opml"),
			filepath.Join(out, "category", "tehran", "feed.atom"), filepath.Join(out, "category", "tehran", "feed.rss")).CombinedOutput(); err != nil {
			t.Errorf("xmllint: %v\n%s", err, b)
		}
	}
}

func TestExtractCommand(t *testing.T) {
	seeds := seedDir(t)
	files, _ := filepath.Glob(filepath.Join(seeds, "*.txt"))
	bad := filepath.Join(seeds, "bad.txt")
	os.WriteFile(bad, []byte("\x89PNG\r\n\x1a\n\x00\x00"), 0o644)
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"extract", "-state", filepath.Join(t.TempDir(), "none.db")}, append(files, bad)...), &stdout, &stderr)
	if err == nil {
		t.Error("extract with a binary file succeeded; want an error exit")
	}
	if !strings.Contains(stderr.String(), "bad.txt") {
		t.Errorf("stderr %q does not name the bad file", stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines of output; want 2: %s", len(lines), stdout.String())
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line is not JSON: %v", err)
		}
		for _, k := range []string{"path", "title", "summary", "id", "published", "updated"} {
			if s, _ := m[k].(string); s == "" {
				t.Errorf("extract output lacks %q: %s", k, l)
			}
		}
	}
}

// TestExtractSaysWhySkipped: extract names why the daemon would not
// publish a file, as its log does; a post it would publish has no reason.
func TestExtractSaysWhySkipped(t *testing.T) {
	seeds := t.TempDir()
	want := map[string]string{
		"_drafts/wip.md": "in _drafts",
		"docs/_index.md": "a section's list page",
		"offer.md":       "expired on 2021-01-01T00:00:00Z",
		"stub.md":        "a redirect with no text",
		"post.md":        "",
	}
	texts := map[string]string{
		"_drafts/wip.md": "# Work in progress\n\nNot yet.\n",
		"docs/_index.md": "---\ntitle: Docs\n---\nThe section.\n",
		"offer.md":       "---\ntitle: Offer\nexpiryDate: 2021-01-01\n---\nOver.\n",
		"stub.md":        "---\nredirect: /new/\n---\n",
		"post.md":        "# A post\n\nIt is one.\n",
	}
	var files []string
	for name, text := range texts {
		f := filepath.Join(seeds, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	var stdout, stderr bytes.Buffer
	args := append([]string{"extract", "-seeds", seeds, "-state", filepath.Join(t.TempDir(), "none.db")}, files...)
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("extract: %v\n%s", err, stderr.String())
	}
	for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var e struct{ Path, Skipped string }
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(seeds, e.Path)
		w, ok := want[filepath.ToSlash(rel)]
		if !ok || (w == "") != (e.Skipped == "") || !strings.Contains(e.Skipped, w) {
			t.Errorf("extract %s: skipped %q; want %q", rel, e.Skipped, w)
		}
		delete(want, filepath.ToSlash(rel))
	}
	if len(want) > 0 {
		t.Errorf("no line for %v", want)
	}
}

// exists reports whether target, a path under the base URL as a link
// gives it (percent-encoded; a folder for its index.html), is a file in
// out.
func exists(out, target string) bool {
	target, err := url.PathUnescape(target)
	if err != nil {
		return false
	}
	if target == "" || strings.HasSuffix(target, "/") {
		target += "index.html"
	}
	_, err = os.Stat(filepath.Join(out, filepath.FromSlash(target)))
	return err == nil
}

// TestBuildNeedsBaseURL: build without a base URL stops with one line that
// says how to set it, and writes nothing.
func TestBuildNeedsBaseURL(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"build", "-config", writeConfig(t, ""), "-seeds", seedDir(t),
		"-state", filepath.Join(t.TempDir(), "s.db"), "-out", out}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "base_url") || !strings.Contains(err.Error(), "-base-url") || strings.Contains(err.Error(), "\n") {
		t.Errorf("build without a base URL: %v; want one line naming base_url and -base-url", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("build without a base URL wrote its output folder")
	}
}

// TestExtractFlagsAnywhere: extract takes its flags after the files as
// well as before, and reads IDs and dates from the store they name; a
// store that a running seedfeed holds is an error that says so, not a
// quiet "known": false.
func TestExtractFlagsAnywhere(t *testing.T) {
	seeds := seedDir(t)
	files, _ := filepath.Glob(filepath.Join(seeds, "*.txt"))
	db := filepath.Join(t.TempDir(), "s.db")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"build", "-config", writeConfig(t, ""), "-seeds", seeds, "-state", db,
		"-base-url", "https://example.org/", "-out", t.TempDir()}, &stdout, &stderr); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	args := append(append([]string{"extract"}, files...), "-seeds", seeds, "-state", db)
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("extract FILE... -seeds D -state S: %v\n%s", err, stderr.String())
	}
	if n := strings.Count(stdout.String(), `"known":true`); n != len(files) || stderr.Len() > 0 {
		t.Errorf("extract FILE... -seeds D -state S: %d of %d files known, stderr %q; want all, and nothing said:\n%s", n, len(files), stderr.String(), stdout.String())
	}
	// Without the seeds folder, the files are not where it is (here,
	// ./seeds): it says so, rather than give other IDs quietly. So does a
	// store that is not there.
	stdout.Reset()
	run(context.Background(), []string{"extract", files[0], "-state", db + ".none"}, &stdout, &stderr)
	for _, want := range []string{"is outside the seeds folder", db + ".none does not exist"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("extract without the seeds folder, with a missing store: stderr %q lacks %q", stderr.String(), want)
		}
	}

	held, err := state.Open(db, false)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	stdout.Reset()
	err = run(context.Background(), args, &stdout, &stderr)
	if !errors.Is(err, state.ErrLocked) || !strings.Contains(err.Error(), db) || !strings.HasPrefix(err.Error(), "extract: ") || stdout.Len() > 0 {
		t.Errorf("extract with a store held by another process: %v, output %q; want ErrLocked naming %s, said by extract, and no output", err, stdout.String(), db)
	}
}
