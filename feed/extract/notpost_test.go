package extract

import (
	"strings"
	"testing"
	"time"
)

// TestWhatIsNoPost: drafts, and files that are seeds but no posts (a
// Jekyll _drafts folder, Hugo's section pages, redirect stubs, headless
// and unrendered pages, Eleventy's pages out of its collections or never
// written, listing pages that paginate or loop over the posts outside
// their code), are withheld with the reason the log gives; the
// posts around them are not. An expiryDate is read, for the index to
// weigh when it reads the file.
func TestWhatIsNoPost(t *testing.T) {
	const body = "# T\n\nThe text of a post.\n"
	for _, tt := range []struct {
		name, front, body string
		withheld          string // "" when published
	}{
		{"x.md", "title: T", body, ""},
		{"x.md", "draft: true", body, "draft"},
		{"x.md", "published: false", body, "draft"},
		{"_drafts/wip.md", "", body, "in _drafts"},
		{"blog/_drafts/wip.md", "title: T", body, "in _drafts"},
		{"blog/_drafts/notes/wip.txt", "", body, "in _drafts"},
		{"blog/my_drafts/x.md", "title: T", body, ""},
		{"blog/_posts/2024-06-01-wip.md", "title: T", body, ""},
		{"docs/_index.md", "title: Docs", body, "list page"},
		{"_index.md", "title: Home", body, "list page"},
		{"docs/_index.en.md", "title: Docs", body, "list page"},
		{"docs/_index.zh-cn.markdown", "title: Docs", body, "list page"},
		{"docs/index.md", "title: A leaf bundle", body, ""},
		{"docs/my_index.md", "title: T", body, ""},
		{"old.md", "redirect: /new/", "", "redirect"},
		{"old.md", "redirect_to: https://example.org/", "\n\n", "redirect"},
		{"old.md", "title: Moved\nredirect_url: /new/", "", "redirect"},
		{"old.md", "title: Moved\nredirect_to: /new/", body, ""}, // a body is a post's
		{"new.md", "title: T\nredirect_from: [/old/]", "", ""},   // its old addresses lead here
		{"snippet/index.md", "headless: true", body, "headless"},
		{"snippet/index.md", "headless: false", body, ""},
		{"x.md", "build:\n  render: never", body, "never rendered"},
		{"x.md", "_build:\n  render: never\n  list: never", body, "never rendered"},
		{"x.md", "build:\n  list: never", body, "never rendered"},
		{"x.md", "build:\n  render: always\n  list: always", body, ""},
		{"feed.md", "title: Feed page\neleventyExcludeFromCollections: true", body, "eleventyExcludeFromCollections"},
		{"x.md", "eleventyExcludeFromCollections: false", body, ""},
		{"x.md", "eleventyExcludeFromCollections: [rss]", body, ""}, // out of one collection only: a post still
		{"noperma.md", "title: Never written\npermalink: false", body, "permalink: false"},
		{"x.md", "permalink: /blog/x/", body, ""},
		{"x.md", "permalink: \"false\"", body, ""}, // an address, however odd; Eleventy skips only false itself
		{"blog.md", "layout: base\npagination:\n  data: collections.posts\n  size: 10\n  alias: posts", "{% for post in posts %}\n- {{ post.data.title }}\n{% endfor %}\n", "listing page"},
		{"index.md", "title: Blog\npagination:\n  enabled: true\n  collection: posts", body, "listing page"},
		{"x.md", "title: T\npagination:\n  enabled: false", body, ""},
		{"x.md", "title: T\npagination: 2", body, ""}, // no map: some theme's own field
		{"blog/blog.md", "title: Eleventy Blog\npermalink: \"/blog/\"", "# Blog\n\nSubscribe.\n\n{%- for news in collections.blog | reverse %}\n* [{{ news.data.title }}]({{ news.url }})\n{%- endfor %}\n", "listing page"},
		{"blog/index.md", "layout: default\ntitle: Blog", "{% for post in site.posts %}\n- [{{ post.title }}]({{ post.url }})\n{% endfor %}\n", "listing page"},
		{"news.md", "title: News", "Latest:\n\n{% for post in paginator.posts %}{{ post.title }}{% endfor %}\n", "listing page"},
		{"howto.md", "title: Loops", "A loop:\n\n```liquid\n{% for post in collections.posts %}\n{{ post.data.title }}\n{% endfor %}\n```\n\nThat is all.\n", ""},
		{"howto.md", "title: Loops", "Write `{% for post in site.posts %}` in a layout.\n", ""},
		{"howto.md", "title: Loops", "A loop:\n\n    {% for post in site.posts %}\n      {{ post.title }}\n    {% endfor %}\n\nThat is all.\n", ""},
		{"howto.md", "title: Loops", "{% raw %}\n{% for post in site.posts %}{{ post.title }}{% endfor %}\n{% endraw %}\n", ""},
		{"howto.md", "title: Loops", "Inline: {% raw %}{% for post in site.posts %}{% endraw %} shows it.\n", ""},
		{"data.md", "title: Team", "{% for person in site.data.team %}\n- {{ person.name }}\n{% endfor %}\n", ""},
	} {
		text := "---\n" + tt.front + "\n---\n" + tt.body
		if tt.front == "" {
			text = tt.body
		}
		f, err := Inspect(tt.name, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		if f.Draft != (tt.withheld != "") || !strings.Contains(f.Withheld, tt.withheld) {
			t.Errorf("Inspect(%s, %q): draft %v, withheld %q; want withheld %q", tt.name, tt.front, f.Draft, f.Withheld, tt.withheld)
		}
	}
	for _, tt := range []struct {
		front string
		want  time.Time
	}{
		{"expiryDate: 2020-06-01", time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC)},
		{"expirydate: 2030-01-02T03:04:05Z", time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"title: T", time.Time{}},
	} {
		f, err := Inspect("x.md", []byte("---\n"+tt.front+"\n---\n"+body))
		if err != nil {
			t.Fatal(err)
		}
		if !f.Expires.Equal(tt.want) || f.Draft {
			t.Errorf("Inspect(%q): expires %v, draft %v; want %v, false", tt.front, f.Expires, f.Draft, tt.want)
		}
	}
}
