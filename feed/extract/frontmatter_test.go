package extract

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestCategoriesAsJekyllWritesThem: categories and tags as lists, as a
// comma-separated string, and as Jekyll's space-separated string; Jekyll's
// singular category.
func TestCategoriesAsJekyllWritesThem(t *testing.T) {
	for _, tt := range []struct {
		front string
		want  []string
	}{
		{"category: release", []string{"release"}},
		{"category: release notes", []string{"release notes"}}, // Jekyll splits categories, not category
		{"tags: [machine learning, go]", []string{"machine learning", "go"}},
		{"tags = [\"machine learning\", \"go\"]", []string{"machine learning", "go"}}, // Hugo's TOML
		{"categories = \"release community\"", []string{"release", "community"}},
		{"categories: release community", []string{"release", "community"}},
		{"categories: [release, community]", []string{"release", "community"}},
		{"categories:\n  - Machine learning\n  - Go", []string{"Machine learning", "Go"}},
		{"tags: go, machine learning", []string{"go", "machine learning"}},
		{"tags: go\ncategories: news\ncategory: release", []string{"go", "news", "release"}},
	} {
		fence := "---"
		if strings.Contains(tt.front, " = ") {
			fence = "+++"
		}
		f, err := Inspect("post.md", []byte(fence+"\n"+tt.front+"\n"+fence+"\n# T\n\nBody.\n"))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(f.Tags, tt.want) {
			t.Errorf("%q: tags %q; want %q", tt.front, f.Tags, tt.want)
		}
	}
}

// TestLanguageGiven: the language the front matter gives (lang, language,
// locale), else the one a Hugo file name gives (post.it.md), wins over what
// the text tells; a name part that is no language is none.
func TestLanguageGiven(t *testing.T) {
	for _, tt := range []struct{ name, front, want string }{
		{"a.md", "lang: it", "it"},
		{"a.md", "language: pt-br", "pt-BR"},
		{"a.md", "locale: en_US", "en-US"},
		{"a.md", "lang: not a language", "en"},
		{"post.it.md", "title: T", "it"},
		{"_index.zh-cn.md", "title: T", "zh-CN"},
		{"about.pt-br.md", "lang: de", "de"}, // the front matter first
		{"post.draft.md", "title: T", "en"},
		{"v1.2.md", "title: T", "en"},
		{"socket.io.md", "title: T", "en"},  // Ido, but a name's
		{"install.sh.md", "title: T", "en"}, // sh was Serbo-Croatian
		{"sign.in.md", "title: T", "en"},    // in was Indonesian
		{"config.ts.md", "title: T", "en"},
		{"how.to.md", "title: T", "en"},
		{"post.de-ch.md", "title: T", "de-CH"},
		{"post.zh-hans.md", "title: T", "zh-Hans"},
	} {
		doc, err := Extract(tt.name, []byte("---\n"+tt.front+"\n---\n# T\n\nThe minister said on Monday that the talks would go on, and that they were close.\n"))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Lang != tt.want {
			t.Errorf("%s with %q: lang %q; want %q", tt.name, tt.front, doc.Lang, tt.want)
		}
	}
}

// TestFrontMatterAsJekyllReadsIt: a header Jekyll publishes is read, not
// taken for text or refused: an opening fence with spaces after it, and a
// key given twice (the last wins, as in Ruby's YAML and Hugo).
func TestFrontMatterAsJekyllReadsIt(t *testing.T) {
	for _, c := range []struct {
		name, text, title string
	}{
		{"a fence with spaces after it", "--- \ntitle: Spaced\n---  \nBody.\n", "Spaced"},
		{"a TOML fence with a tab after it", "+++\t\ntitle = \"Tabbed\"\n+++\nBody.\n", "Tabbed"},
		{"a key given twice", "---\ntitle: First\ndate: 2020-01-02\ntitle: Second\n---\nBody.\n", "Second"},
		{"a key given twice deeper", "---\ntitle: Deep\nauthor:\n  name: A\n  name: B\n---\nBody.\n", "Deep"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Extract("post.md", []byte(c.text))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != c.title || strings.Contains(doc.Content, "title") {
				t.Errorf("title %q, content %q; want the title %q and the body alone", doc.Title, doc.Content, c.title)
			}
		})
	}
}

// TestLastKeyWinsDecodesAsYAML: the decoding that takes the last of a key
// given twice gives what yaml.v3 gives for a header with none: strings,
// numbers, dates, lists, nested maps and anchors alike.
func TestLastKeyWinsDecodesAsYAML(t *testing.T) {
	head := "title: T\ndate: 2020-01-02\nweight: 3\nratio: 1.5\ndraft: false\ntags: [a, b]\n" +
		"author:\n  name: N\n  links: [x]\nbase: &b {k: v}\nother: *b\nempty:\n"
	want := map[string]any{}
	if err := yaml.Unmarshal([]byte(head), &want); err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(head), &doc); err != nil {
		t.Fatal(err)
	}
	left := maxHeaderNodes
	got, err := lastKeyWins(doc.Content[0], 0, &left)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("lastKeyWins = %#v, %v; want %#v", got, err, want)
	}
}

// TestAliasesExpandBounded: a header with a key given twice, and aliases
// that would expand to a billion nodes, is refused, quickly, as yaml.v3
// refuses one without the key given twice.
func TestAliasesExpandBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\ntitle: a\ntitle: b\n[k]: [&a [x,x,x,x,x,x,x,x,x]")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		b.WriteString(", &" + name + " [" + strings.Repeat("*"+prev+",", 8) + "*" + prev + "]")
		prev = name
	}
	b.WriteString("]\n---\nBody.\n")
	if _, err := Inspect("bomb.md", []byte(b.String())); err == nil || !strings.Contains(err.Error(), "aliases") {
		t.Errorf("Inspect(a header of %d bytes whose aliases expand to 9^10 nodes) = %v; want an error naming its aliases", b.Len(), err)
	}
}
