package source

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestSite: a folder is a Jekyll site's root when a Jekyll config is at
// its root and a _posts folder below it, and a Hugo site's when a Hugo
// config (or config/_default) is at its root beside its content folder.
// Any other folder, a config without posts among them, is none.
func TestSite(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files []string // slash-separated; a name ending in "/" is an empty folder
		want  Site
	}{
		{"a plain folder", []string{"a.txt", "2024/b.txt"}, Site{}},
		{"a plain folder of posts", []string{"_posts/2024-01-01-a.md"}, Site{}},
		{"a Jekyll root with posts at its root", []string{"_config.yml", "about.md", "_posts/2024-01-01-a.md"},
			Site{Generator: "jekyll", Config: "_config.yml"}},
		{"a Jekyll root with nested posts", []string{"_config.yml", "index.md", "en/index.md", "en/news/_posts/2024-01-01-a.md"},
			Site{Generator: "jekyll", Config: "_config.yml"}},
		{"a Jekyll root whose _posts is empty", []string{"_config.yaml", "about.md", "_posts/"},
			Site{Generator: "jekyll", Config: "_config.yaml"}},
		{"a Jekyll config without _posts", []string{"_config.yml", "about.md", "docs/x.md"}, Site{Config: "_config.yml"}},
		{"a Jekyll config whose only _posts are its output's and a gem's",
			[]string{"_config.toml", "_site/_posts/a.md", "vendor/bundle/jekyll/_posts/w.md", ".cache/_posts/b.md"}, Site{Config: "_config.toml"}},
		{"a Hugo root", []string{"hugo.toml", "archetypes/default.md", "content/posts/a.md", "themes/t/exampleSite/content/b.md"},
			Site{Generator: "hugo", Content: "content", Config: "hugo.toml"}},
		{"an older Hugo root", []string{"config.yaml", "content/a.md"}, Site{Generator: "hugo", Content: "content", Config: "config.yaml"}},
		{"a Hugo root with its config split", []string{"config/_default/params.toml", "content/a.md"},
			Site{Generator: "hugo", Content: "content", Config: "config/_default"}},
		{"a Hugo config without its content folder", []string{"hugo.json", "layouts/index.html"}, Site{Content: "content", Config: "hugo.json"}},
		{"a content folder without a Hugo config", []string{"content/a.md"}, Site{}},
		{"a Jekyll root with a config.toml", []string{"config.toml", "_config.yml", "_posts/b.md"}, Site{Generator: "jekyll", Config: "_config.yml"}},
		{"a Hugo root and a Jekyll config", []string{"hugo.toml", "_config.yml", "content/a.md", "_posts/b.md"},
			Site{Generator: "hugo", Content: "content", Config: "hugo.toml"}},
		{"a Pelican root", []string{"pelicanconf.py", "publishconf.py", "requirements.txt", "content/2024-01-02-a.md", "content/pages/about.md", "theme/README.md"},
			Site{Generator: "pelican", Content: "content", Config: "pelicanconf.py"}},
		{"a Pelican config without its content folder", []string{"pelicanconf.py", "theme/README.md"}, Site{Content: "content", Config: "pelicanconf.py"}},
		{"a Pelican root with a Jekyll config", []string{"pelicanconf.py", "_config.yml", "content/a.md", "_posts/b.md"},
			Site{Generator: "pelican", Content: "content", Config: "pelicanconf.py"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(f))
				if f[len(f)-1] == '/' {
					if err := os.MkdirAll(p, 0o755); err != nil {
						t.Fatal(err)
					}
					continue
				}
				feedtest.Write(t, p, "x\n")
			}
			if got := (Source{Dir: dir}).Site(); got != tt.want {
				t.Errorf("Site() = %+v; want %+v", got, tt.want)
			}
		})
	}
}

// TestSiteContentDir: a Hugo config's contentDir names the content
// folder, in TOML, YAML and JSON, at the root or in config/_default; a
// key in a table, or a folder outside the root, does not.
func TestSiteContentDir(t *testing.T) {
	for _, tt := range []struct {
		name, config, text, want string
	}{
		{"toml", "hugo.toml", "baseURL = 'https://x.org/'\ncontentDir = \"posts\"\n", "posts"},
		{"toml, any case", "config.toml", "contentdir = 'src/content' # comment\n", "src/content"},
		{"toml, in a table", "hugo.toml", "[module]\ncontentDir = \"posts\"\n", "content"},
		{"yaml", "hugo.yaml", "title: X\ncontentDir: posts\n", "posts"},
		{"yaml, quoted", "hugo.yaml", "contentDir: \"./posts/\"\n", "posts"},
		{"yaml, indented", "hugo.yaml", "languages:\n  en:\n    contentDir: content/en\n", "content"},
		{"json", "hugo.json", "{\n  \"title\": \"X\",\n  \"contentDir\": \"posts\",\n}\n", "posts"},
		{"config/_default", "config/_default/hugo.toml", "contentDir = \"posts\"\n", "posts"},
		{"outside the root", "hugo.toml", "contentDir = \"../elsewhere\"\n", "content"},
		{"absolute", "hugo.toml", "contentDir = \"/srv/posts\"\n", "content"},
		{"none", "hugo.toml", "title = \"X\"\n", "content"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			feedtest.Write(t, filepath.Join(dir, filepath.FromSlash(tt.config)), tt.text)
			feedtest.Write(t, filepath.Join(dir, filepath.FromSlash(tt.want), "a.md"), "x\n")
			if got := (Source{Dir: dir}).Site(); got.Generator != "hugo" || got.Content != tt.want {
				t.Errorf("Site() = %+v; want hugo, content %q", got, tt.want)
			}
		})
	}
}

// TestSitePelicanPath: pelicanconf.py's PATH names the content folder when
// it is a string at the top level; anything else leaves "content".
func TestSitePelicanPath(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"single quotes", "AUTHOR = 'Ada'\nPATH = 'posts'\n", "posts"},
		{"double quotes, a comment", "PATH=\"src/content\"  # where the articles are\n", "src/content"},
		{"none", "AUTHOR = 'Ada'\n", "content"},
		{"not a string", "PATH = os.path.join(ROOT, 'posts')\n", "content"},
		{"indented", "if DEV:\n    PATH = 'posts'\n", "content"},
		{"another name", "PAGE_PATHS = ['pages']\nSTATIC_PATHS = ['images']\n", "content"},
		{"outside the root", "PATH = '../elsewhere'\n", "content"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			feedtest.Write(t, filepath.Join(dir, "pelicanconf.py"), tt.text)
			feedtest.Write(t, filepath.Join(dir, filepath.FromSlash(tt.want), "a.md"), "x\n")
			if got := (Source{Dir: dir}).Site(); got.Generator != "pelican" || got.Content != tt.want {
				t.Errorf("Site() = %+v; want pelican, content %q", got, tt.want)
			}
		})
	}
}

func TestSiteFile(t *testing.T) {
	for name, want := range map[string]bool{
		"_config.yml": true, "_config.toml": true, "hugo.toml": true, "config.json": true, "config/_default/hugo.yaml": true,
		"config/_default/config.toml": true, "blog/_config.yml": false, "_posts/a.md": false, "config/_default/params.toml": false,
		"hugo.md": false, "content/hugo.toml": false, "pelicanconf.py": true, "content/pelicanconf.py": false, "publishconf.py": false,
	} {
		if got := SiteFile(name); got != want {
			t.Errorf("SiteFile(%q) = %v; want %v", name, got, want)
		}
	}
}
