package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// sitePages is how many pages beside the posts each site below has: a
// site's root holds hundreds, and the log must not name each at start.
const sitePages = 300

// jekyllSite is a small Jekyll site's root, as jekyll new makes it and
// ruby-lang.org nests it; hugoSite a Hugo site's, with its theme. Their
// posts are titled "Post ...".
func jekyllSite() map[string]string {
	site := map[string]string{
		"_config.yml":                          "title: A blog\ntheme: minima\nplugins:\n  - jekyll-feed\n",
		"Gemfile":                              "source \"https://rubygems.org\"\n",
		"about.md":                             "---\nlayout: page\ntitle: About\npermalink: /about/\n---\nThis is the base Jekyll theme.\n",
		"404.md":                               "---\npermalink: /404.html\nlayout: default\n---\n# 404\n\nPage not found :(\n",
		"index.md":                             "---\nlayout: home\n---\n",
		"blog/index.md":                        "---\nlayout: default\ntitle: Blog\n---\n{% for post in site.posts %}\n- [{{ post.title }}]({{ post.url }})\n{% endfor %}\n",
		"en/news/index.md":                     "---\nlayout: news\ntitle: News\n---\nThe latest news.\n",
		"_posts/2024-01-02-welcome.md":         "---\nlayout: post\ntitle: Post welcome\n---\nYou'll find this post in your `_posts` directory.\n",
		"en/news/_posts/2024-03-04-release.md": "---\nlayout: news_post\ntitle: Post release 3.3\n---\nWe are pleased to announce it.\n",
		"_drafts/next.md":                      "---\ntitle: Post to come\n---\nNot yet.\n",
		"README.md":                            "# A blog\n\nHow to build it.\n",
		"_site/about/index.txt":                "About\n\nThe built site.\n",
	}
	for i := range sitePages {
		site[fmt.Sprintf("docs/page-%03d.md", i)] = fmt.Sprintf("---\ntitle: Page %d\n---\nDocumentation.\n", i)
	}
	return site
}

func hugoSite() map[string]string {
	site := map[string]string{
		"hugo.toml":                                           "baseURL = 'https://example.org/'\ntitle = 'A blog'\ntheme = 'ananke'\n",
		"archetypes/default.md":                               "+++\ntitle = '{{ replace .File.ContentBaseName \"-\" \" \" | title }}'\ndate = {{ .Date }}\ndraft = true\n+++\n",
		"content/_index.md":                                   "---\ntitle: Home\n---\nWelcome.\n",
		"content/posts/first.md":                              "---\ntitle: Post first\ndate: 2024-01-02\n---\nThe first post.\n",
		"content/posts/second.md":                             "---\ntitle: Post second\ndate: 2024-02-03\n---\nThe second post.\n",
		"content/about.md":                                    "---\ntitle: Post about\ndate: 2024-01-01\n---\nA page Hugo lists too.\n",
		"layouts/partials/note.md":                            "A note the templates include.\n",
		"themes/ananke/README.md":                             "# Ananke\n\nA theme.\n",
		"themes/ananke/exampleSite/content/_index.md":         "---\ntitle: Example\n---\nThe example's home.\n",
		"themes/ananke/exampleSite/content/post/chapter-1.md": "---\ntitle: Chapter I\n---\nThe theme's example.\n",
	}
	for i := range sitePages {
		site[fmt.Sprintf("themes/ananke/exampleSite/content/page-%03d.md", i)] = fmt.Sprintf("---\ntitle: Page %d\n---\nAn example.\n", i)
	}
	return site
}

// pelicanSite is a Pelican site's root, as this-week-in-rust keeps it:
// articles with a header block, pages, drafts beside the content folder,
// a theme and the tools' own files.
func pelicanSite() map[string]string {
	site := map[string]string{
		"pelicanconf.py":                    "AUTHOR = 'Ada'\nSITENAME = 'A blog'\nPATH = 'content'\n",
		"publishconf.py":                    "from pelicanconf import *\n",
		"requirements.txt":                  "pelican==4.9\n",
		"content/2024-01-02-first.md":       "Title: Post first\nDate: 2024-01-02\nCategory: News\n\nThe first post.\n",
		"content/2024/2024-02-03-second.md": "Title: Post second\nDate: 2024-02-03\n\nThe second post.\n",
		"content/pages/about.md":            "Title: About\n\nWho we are.\n",
		"draft/2024-03-01-next.md":          "Title: Post to come\nDate: 2024-03-01\n\nNot yet.\n",
		"theme/templates/README.md":         "# The theme\n\nIts templates.\n",
		"plugins/sitemap/Readme.md":         "# Sitemap\n\nA plugin.\n",
		"content/static/report.txt":         "BYTE UNIX Benchmarks\n\nA static file the site links to.\n",
	}
	for i := range sitePages {
		site[fmt.Sprintf("docs/page-%03d.md", i)] = fmt.Sprintf("Title: Page %d\n\nDocumentation.\n", i)
	}
	return site
}

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		feedtest.Write(t, filepath.Join(root, filepath.FromSlash(name)), text)
	}
}

// siteEnv is an env whose seeds folder holds files and nothing else.
func siteEnv(t *testing.T, files map[string]string, logs *feedtest.SyncBuffer) env {
	t.Helper()
	e := newEnv(t, func(o *Options) {
		o.Site.BaseURL = "https://news.example/"
		o.Now = feedtest.Fixed(feedtest.T0)
		if logs != nil {
			o.Logger = slog.New(slog.NewTextHandler(logs, nil))
		}
	})
	e.seeds = t.TempDir()
	e.opts.Source.Dir = e.seeds
	writeTree(t, e.seeds, files)
	return e
}

// builtTitles builds e into out and returns the titles of its JSON Feed.
func builtTitles(t *testing.T, e env, out string) []string {
	t.Helper()
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
	slices.Sort(titles)
	return titles
}

// TestSiteRootPublishesItsPosts: seeds pointed at a Jekyll, a Hugo or a
// Pelican site's root publish what the generator's own feed would, its
// posts, and not its pages, list pages, templates, themes or static
// files; seedfeed extract says why a page is skipped, and the log says it
// in one line for each of the site's reasons, not one a page.
func TestSiteRootPublishesItsPosts(t *testing.T) {
	for _, tt := range []struct {
		name       string
		files      map[string]string
		want       []string
		page, post string // a page withheld, a post published
		posts      string // where the posts are, whose files kept out (content/_index.md) have lines of their own
		why        string // part of why the page is skipped
		reasons    int    // the site's reasons for what it skips: a summary line each
	}{
		{"jekyll", jekyllSite(), []string{"Post release 3.3", "Post welcome"},
			"about.md", "en/news/_posts/2024-03-04-release.md", "_posts/", "not in a _posts folder", 1},
		{"hugo", hugoSite(), []string{"Post about", "Post first", "Post second"},
			"archetypes/default.md", "content/posts/first.md", "content/", "outside content/", 1},
		{"pelican", pelicanSite(), []string{"Post first", "Post second"},
			"content/pages/about.md", "content/2024-01-02-first.md", "content/", "a Pelican site's page", 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs feedtest.SyncBuffer
			e := siteEnv(t, tt.files, &logs)
			if got := builtTitles(t, e, t.TempDir()); !slices.Equal(got, tt.want) {
				t.Errorf("published %q; want the posts alone, %q", got, tt.want)
			}
			if n := strings.Count(logs.String(), `msg="skipping the site's files that are not posts"`); n != tt.reasons {
				t.Errorf("%d lines sum up the pages skipped; want %d, one for each reason:\n%s", n, tt.reasons, logs.String())
			}
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, `msg="skipping file"`) && !strings.Contains(l, "path="+tt.posts) {
					t.Errorf("a line of its own skips a file outside the posts; want it in the one line: %s", l)
				}
			}
			if n := strings.Count(logs.String(), "\n"); n > 10 {
				t.Errorf("the build logged %d lines for a site of %d pages; want a few:\n%s", n, sitePages, logs.String())
			}
			var out, stderr bytes.Buffer
			files := []string{filepath.Join(e.seeds, tt.page), filepath.Join(e.seeds, tt.post)}
			if err := Extract(e.opts, files, &out, &stderr); err != nil {
				t.Fatalf("Extract: %v\n%s", err, stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			var page, post extracted
			if len(lines) != 2 || json.Unmarshal([]byte(lines[0]), &page) != nil || json.Unmarshal([]byte(lines[1]), &post) != nil {
				t.Fatalf("extract wrote %q; want two objects", out.String())
			}
			if !strings.Contains(page.Skipped, tt.why) {
				t.Errorf("extract %s: skipped %q; want %q", tt.page, page.Skipped, tt.why)
			}
			if post.Skipped != "" {
				t.Errorf("extract %s: skipped %q; want a post", tt.post, post.Skipped)
			}
		})
	}
}

// TestPlainFoldersAsBefore: a folder with a Jekyll config but no _posts,
// and one with posts but no config, publish every file, as before.
func TestPlainFoldersAsBefore(t *testing.T) {
	files := map[string]string{"about.md": "# About\n\nWho.\n", "blog/index.md": "# Blog\n\nList.\n", "_posts/2024-01-02-a.md": "# A post\n\nText.\n"}
	e := siteEnv(t, files, nil)
	if got := builtTitles(t, e, t.TempDir()); len(got) != 3 {
		t.Errorf("a plain folder published %q; want its 3 files", got)
	}
	delete(files, "_posts/2024-01-02-a.md")
	files["_config.yml"] = "title: X\n"
	e = siteEnv(t, files, nil)
	if got := builtTitles(t, e, t.TempDir()); len(got) != 2 {
		t.Errorf("a Jekyll config without posts published %q; want its 2 files", got)
	}
}

// TestStoreOfBeforeForgetsTheSitesPages: a store whose site's root was
// built as a plain folder (by an earlier version, or before its
// _config.yml came) loses the pages at the next build: they leave the
// feeds and their pages go, though their files are as they were, and
// the posts stay.
func TestStoreOfBeforeForgetsTheSitesPages(t *testing.T) {
	files := jekyllSite()
	config := files["_config.yml"]
	delete(files, "_config.yml")
	e := siteEnv(t, files, nil)
	e.opts.Site.Limit = 2 * sitePages
	out := t.TempDir()
	if got := builtTitles(t, e, out); len(got) < sitePages {
		t.Fatalf("the plain folder published %d; want its pages too", len(got))
	}
	page := func(p string) string { return filepath.Join(out, filepath.FromSlash(feed.PagePath(e.id(p)))) }
	for _, p := range []string{"about.md", "_posts/2024-01-02-welcome.md"} {
		if _, err := os.Stat(page(p)); err != nil {
			t.Fatalf("the page of %s was not written: %v", p, err)
		}
	}
	writeTree(t, e.seeds, map[string]string{"_config.yml": config})
	if got := builtTitles(t, e, out); !slices.Equal(got, []string{"Post release 3.3", "Post welcome"}) {
		t.Errorf("the site's root published %q; want its posts alone", got)
	}
	if _, err := os.Stat(page("about.md")); err == nil {
		t.Error("the About page is still written")
	}
	if _, err := os.Stat(page("_posts/2024-01-02-welcome.md")); err != nil {
		t.Errorf("the post's page is gone: %v", err)
	}
}

// TestDaemonFollowsTheSiteRoot: a daemon whose seeds folder becomes a
// Jekyll site's root (its _config.yml comes, with a post in _posts)
// takes the pages out: they leave the feed, and their pages answer 410
// Gone. When the _config.yml goes, they are published again.
func TestDaemonFollowsTheSiteRoot(t *testing.T) {
	e := siteEnv(t, map[string]string{
		"about.md":      "---\ntitle: About\n---\nWho we are.\n",
		"blog/index.md": "---\ntitle: Blog\n---\nThe list.\n",
	}, nil)
	e.opts.Logger = nil
	p := start(t, e)
	defer p.stop(t)
	has := func(titles ...string) func() bool {
		return func() bool {
			doc := getFeed(t, p)
			var got []string
			for _, it := range doc.Items {
				got = append(got, it.Title)
			}
			slices.Sort(got)
			return slices.Equal(got, titles)
		}
	}
	feedtest.WaitFor(t, 10*time.Second, "the pages in the feed", has("About", "Blog"))
	about := p.url("/" + feed.PagePath(p.id("about.md")))
	writeTree(t, e.seeds, map[string]string{
		"_posts/2024-01-02-hello.md": "---\ntitle: Hello\n---\nThe first post.\n",
		"_config.yml":                "title: A blog\n",
	})
	feedtest.WaitFor(t, 10*time.Second, "the post alone in the feed", has("Hello"))
	if status, _, _ := fetchPage(t, about); status != http.StatusGone {
		t.Errorf("the About page answers %d; want 410 Gone", status)
	}
	if err := os.Remove(filepath.Join(e.seeds, "_config.yml")); err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 10*time.Second, "the pages back in the feed", has("About", "Blog", "Hello"))
	if status, _, _ := fetchPage(t, about); status != http.StatusOK {
		t.Errorf("the About page answers %d; want 200", status)
	}
}
