package extract

import (
	"strings"
	"testing"
)

// TestSitePosts: in a site generator's root, only its posts are posts
// (Jekyll's _posts folders, at any depth; Hugo's content folder); its
// pages, templates and themes are withheld with the reason the log and
// seedfeed extract give. A plain folder withholds none of them.
func TestSitePosts(t *testing.T) {
	jekyll, hugo := Site{Generator: "jekyll"}, Site{Generator: "hugo", Content: "content"}
	const page = "---\ntitle: About\n---\nWho we are.\n"
	for _, tt := range []struct {
		site     Site
		name     string
		withheld string // part of the reason; "" when a post
	}{
		{jekyll, "_posts/2024-06-01-hello.md", ""},
		{jekyll, "_posts/2024/2024-06-01-hello.md", ""},
		{jekyll, "en/news/_posts/2024-06-01-ruby-3-3.md", ""},
		{jekyll, "about.md", "not in a _posts folder"},
		{jekyll, "404.md", "not in a _posts folder"},
		{jekyll, "blog/index.md", "not in a _posts folder"},
		{jekyll, "en/news/index.md", "not in a _posts folder"},
		{jekyll, "_posts.md", "not in a _posts folder"},
		{jekyll, "my_posts/x.md", "not in a _posts folder"},
		{jekyll, "_site/_posts/x.md", "not in a _posts folder"},                                         // Jekyll's output
		{jekyll, "vendor/bundle/gems/jekyll/site_template/_posts/welcome.md", "not in a _posts folder"}, // a gem's template
		{jekyll, "node_modules/x/_posts/a.md", "not in a _posts folder"},
		{jekyll, "_drafts/wip.md", "in _drafts"}, // the more telling reason
		{hugo, "content/posts/hello.md", ""},
		{hugo, "content/about.md", ""},
		{hugo, "archetypes/default.md", "outside content/"},
		{hugo, "themes/ananke/exampleSite/content/post/chapter-1.md", "outside content/"},
		{hugo, "layouts/partials/note.md", "outside content/"},
		{hugo, "contents/x.md", "outside content/"},
		{hugo, "content.md", "outside content/"},
		{hugo, "content/_index.md", "list page"},
		{Site{Generator: "hugo", Content: "docs/content"}, "docs/content/x.md", ""},
		{Site{Generator: "hugo", Content: "docs/content"}, "content/x.md", "outside docs/content/"},
		{Site{}, "about.md", ""},
		{Site{}, "archetypes/default.md", ""},
		{Site{}, "blog/index.md", ""},
	} {
		f, err := Options{Site: tt.site}.Inspect(tt.name, []byte(page))
		if tt.withheld != "" {
			// Whatever it holds: a template's front matter is no TOML.
			template := "+++\ntitle = '{{ replace .File.ContentBaseName \"-\" \" \" | title }}'\ndate = {{ .Date }}\n+++\n"
			for _, text := range []string{template, "\x00\x01binary", ""} {
				if tt.withheld == "list page" {
					continue // a post's place: read as one is
				}
				if f, err := (Options{Site: tt.site}).Inspect(tt.name, []byte(text)); err != nil || !f.Draft {
					t.Errorf("%s site: Inspect(%q, %q) = draft %v, %v; want it withheld whatever it holds", tt.site.Generator, tt.name, text, f.Draft, err)
				}
				if doc, err := (Options{Site: tt.site}).Extract(tt.name, []byte(text)); err != nil || !doc.Draft {
					t.Errorf("%s site: Extract(%q, %q) = draft %v, %v; want it withheld, as Inspect has it", tt.site.Generator, tt.name, text, doc.Draft, err)
				}
			}
		}
		if err != nil {
			t.Fatalf("Inspect(%q): %v", tt.name, err)
		}
		if tt.withheld == "" {
			if f.Draft {
				t.Errorf("%s site: Inspect(%q).Withheld = %q; want a post", tt.site.Generator, tt.name, f.Withheld)
			}
			continue
		}
		if !f.Draft || !strings.Contains(f.Withheld, tt.withheld) {
			t.Errorf("%s site: Inspect(%q) = draft %v, %q; want withheld, %q", tt.site.Generator, tt.name, f.Draft, f.Withheld, tt.withheld)
		}
		if doc, err := (Options{Site: tt.site}).Extract(tt.name, []byte(page)); err != nil || doc.Withheld != f.Withheld {
			t.Errorf("Extract(%q).Withheld = %q (%v); want Inspect's %q", tt.name, doc.Withheld, err, f.Withheld)
		}
	}
}
