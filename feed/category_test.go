package feed

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSlug: slugs are lower case, joined by "-", safe in a URL path, the
// same for the same name, and keep every script readable.
func TestSlug(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Business", "business"},
		{"sport/football", "sport-football"},
		{"  Middle East & North Africa ", "middle-east-north-africa"},
		// The names of programming languages keep their signs, as words:
		// "C++" was "c", the slug of "C" and "C#" too, so that C++'s feed
		// carried C#'s posts.
		{"C++", "c-plus-plus"},
		{"C#", "c-sharp"},
		{"F#", "f-sharp"},
		{"C♯", "c-sharp"},
		{".NET", "dot-net"},
		{".NET Core", "dot-net-core"},
		{"C", "c"},
		{"Notepad++", "notepad-plus-plus"},
		{"C# 12", "c-sharp-12"},
		{"C/C++", "c-c-plus-plus"},
		{"ASP.NET", "asp-net"}, // a dot inside a name is a separator, as before
		{"node.js", "node-js"},
		{"#hashtag", "hashtag"},
		{"issue#12", "issue-12"},
		{"+1", "1"},
		{"...and more", "and-more"},
		{"Über Straße", "über-straße"},
		{"اقتصاد", "اقتصاد"},
		{"اخبار ایران", "اخبار-ایران"},
		{"می\u200cگوید", "می\u200cگوید"}, // the zero-width non-joiner stays inside a Persian word
		{"经济", "经济"},
		{"東京 ニュース", "東京-ニュース"},
		{"Москва", "москва"},
		{"e\u0301te\u0301", "été"}, // decomposed: NFC first
		{"!!!", ""},
		{"", ""},
		{"2024", "2024"},
	} {
		got := Slug(tc.name)
		if got != tc.want {
			t.Errorf("Slug(%q) = %q; want %q", tc.name, got, tc.want)
		}
		if got != "" && (Slug(got) != got || strings.ContainsAny(got, "/?#% ")) {
			t.Errorf("Slug(%q) = %q: not stable, or not safe in a path", tc.name, got)
		}
		if u, err := url.PathUnescape((&url.URL{Path: CategoryDir(got)}).EscapedPath()); err != nil || u != CategoryDir(got) {
			t.Errorf("the path of %q does not come back from its URL: %q, %v", got, u, err)
		}
	}
	if n := len([]rune(Slug(strings.Repeat("word ", 100)))); n > slugLimit {
		t.Errorf("a slug of %d characters; want at most %d", n, slugLimit)
	}
}

// TestSlugKeepsNamesApart: names of different words never share a slug,
// those of programming languages and long ones that start alike included;
// names that differ in case only do.
func TestSlugKeepsNamesApart(t *testing.T) {
	long := strings.Repeat("very long tag ", 8)
	names := []string{"C", "C++", "C#", "F#", "F", ".NET", "Net", "Go", "Objective-C", "Objective-C++",
		"A+", "A", "J#", "J", "node.js", "nodejs", long + "one", long + "two"}
	bySlug := map[string]string{}
	for _, name := range names {
		s := Slug(name)
		if other, ok := bySlug[s]; ok {
			t.Errorf("Slug(%q) = Slug(%q) = %q", name, other, s)
		}
		bySlug[s] = name
		if Slug(s) != s || utf8.RuneCountInString(s) > slugLimit {
			t.Errorf("Slug(%q) = %q: not its own slug, or longer than %d", name, s, slugLimit)
		}
	}
	for _, pair := range [][2]string{{"Go", "go"}, {"C++", "c++"}, {".NET", ".net"}, {long + "One", long + "one"}} {
		if a, b := Slug(pair[0]), Slug(pair[1]); a != b {
			t.Errorf("Slug(%q) = %q, Slug(%q) = %q; want one slug", pair[0], a, pair[1], b)
		}
	}
}

// TestParseCategoryPath takes only slugs Slug makes.
func TestParseCategoryPath(t *testing.T) {
	for _, tc := range []struct {
		path, slug, rest string
		ok               bool
	}{
		{"category/business/feed.atom", "business", "feed.atom", true},
		{"category/business/", "business", "", true},
		{"category/اقتصاد/archive/2.rss", "اقتصاد", "archive/2.rss", true},
		{"category/Business/feed.atom", "", "", false},
		{"category//feed.atom", "", "", false},
		{"category/business", "", "", false},
		{"entry/x.html", "", "", false},
	} {
		slug, rest, ok := ParseCategoryPath(tc.path)
		if slug != tc.slug || rest != tc.rest || ok != tc.ok {
			t.Errorf("ParseCategoryPath(%q) = %q, %q, %v; want %q, %q, %v", tc.path, slug, rest, ok, tc.slug, tc.rest, tc.ok)
		}
	}
}

// TestFolderCategory: the folder of a seed, less dates and "_" folders.
func TestFolderCategory(t *testing.T) {
	for path, want := range map[string]string{
		"a.txt":                             "",
		"business/a.txt":                    "business",
		"sport/football/b.txt":              "sport/football",
		"2024/05/15/c.txt":                  "",
		"news/2024/05/c.txt":                "news",
		"blog/_posts/2024-01-02-post.md":    "blog",
		"_posts/2024-01-02-post.md":         "",
		"content/posts/2023-12-01/note.md":  "content/posts",
		"posts/my-post/index.md":            "posts",
		"posts/my-post/index.fr.md":         "posts", // its translations are the bundle's page too
		"posts/my-post/index.pt-br.md":      "posts",
		"posts/my-post/index.zh-hans.md":    "posts",
		"posts/my-post/index.old.md":        "posts/my-post", // no language: a file of the bundle
		"posts/my-post/index.fr.txt":        "posts/my-post",
		"docs/_index.fr.md":                 "",
		"blog/2021-08-26-welcome/index.mdx": "blog", // Docusaurus
		"posts/_index.md":                   "",
		"my-post/index.md":                  "",
		"docs/index.txt":                    "docs",
	} {
		if got := FolderCategory(path); got != want {
			t.Errorf("FolderCategory(%q) = %q; want %q", path, got, want)
		}
	}
}

// TestCategories: folder, then tags, then place, each when switched on;
// names that make one slug are one category.
func TestCategories(t *testing.T) {
	tags := []string{"Business", "business", "!!!", " Notes "}
	for _, tc := range []struct {
		src  CategorySources
		want []string
	}{
		{AllCategorySources, []string{"business", "!!!", "Notes", "Tehran"}},
		{CategorySources{Tags: true}, []string{"Business", "!!!", "Notes"}},
		{CategorySources{Folders: true, Places: true}, []string{"business", "Tehran"}},
		{CategorySources{}, nil},
	} {
		if got := tc.src.Categories("business/2024/a.txt", tags, "Tehran"); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: Categories = %q; want %q", tc.src, got, tc.want)
		}
	}
}

// FuzzSlug: a slug is its own slug, so that every category's address
// leads back to it, and never longer than slugLimit.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Business", "İ\u0301", "Ἀ\u0345", "اقتصاد", "a b", strings.Repeat("ab ", 60), "\u200cx\u200c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		s := Slug(name)
		if Slug(s) != s {
			t.Fatalf("Slug(%q) = %q, whose slug is %q", name, s, Slug(s))
		}
		if utf8.RuneCountInString(s) > slugLimit || strings.ContainsAny(s, "/?#% ") {
			t.Fatalf("Slug(%q) = %q: too long, or not safe in a path", name, s)
		}
	})
}
