package feed

import (
	"slices"
	"testing"
)

func TestResolveRef(t *testing.T) {
	for _, tc := range []struct {
		seed, ref, want string
		ok              bool
	}{
		{"posts/a/index.md", "cat.jpg", "posts/a/cat.jpg", true},
		{"posts/a/index.md", "./img/cat%20one.jpg", "posts/a/img/cat one.jpg", true},
		{"posts/a/index.md", "../shared/x.pdf#page=2", "posts/shared/x.pdf", true},
		{"posts/a/index.md", "گربه.png", "posts/a/گربه.png", true},
		{"top.md", "cat.jpg?v=2", "cat.jpg", true},
		{"top.md", "../outside.png", "", false},
		{"posts/a.md", "../../etc/passwd.png", "", false},
		{"posts/a.md", "/images/cat.jpg", "", false},
		{"posts/a.md", "https://example.org/cat.jpg", "", false},
		{"posts/a.md", "//example.org/cat.jpg", "", false},
		{"posts/a.md", "mailto:ann@example.org", "", false},
		{"posts/a.md", "#section", "", false},
		{"posts/a.md", "..", "", false},
	} {
		got, ok := ResolveRef(tc.seed, tc.ref)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ResolveRef(%q, %q) = %q, %v; want %q, %v", tc.seed, tc.ref, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMediaRel(t *testing.T) {
	for p, want := range map[string]string{
		"media/posts/a/cat.jpg":    "posts/a/cat.jpg",
		"media/a/B.PNG":            "a/B.PNG",
		"media/episode.mp3":        "episode.mp3",
		"media/posts/a/index.md":   "", // a seed's text is no media
		"media/notes.txt":          "",
		"media/a/../../secret.png": "", // not clean
		"media/../secret.png":      "",
		"media/.git/x.png":         "", // hidden
		"media/a/.x.png":           "",
		"media//a.png":             "",
		"media/a\\..\\b.png":       "",
		"media/":                   "",
		"entry/x.png":              "",
		"media/script.js":          "",
		"media/page.html":          "",
	} {
		got, ok := MediaRel(p)
		if got != want || ok != (want != "") {
			t.Errorf("MediaRel(%q) = %q, %v; want %q", p, got, ok, want)
		}
	}
}

func TestMediaOf(t *testing.T) {
	got := MediaOf("posts/a/index.md", []string{"cat.jpg", "../b/", "cat.jpg#x", "song.mp3", "../../../x.png", "other.md", ".hidden.png"})
	want := []Media{{Path: "posts/a/cat.jpg", Type: "image/jpeg"}, {Path: "posts/a/song.mp3", Type: "audio/mpeg"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("MediaOf = %+v; want %+v", got, want)
	}
}

// TestResolveRootRef: a link from the root of a site ("/assets/img.png")
// is the file at that path under the site's root, the folder that holds
// Jekyll's _posts, or else the seeds folder.
func TestResolveRootRef(t *testing.T) {
	for _, tc := range []struct {
		seed, ref, want string
		ok              bool
	}{
		{"_posts/2024-01-01-x.md", "/assets/img.png", "assets/img.png", true},
		{"blog/_posts/2024-01-01-x.md", "/assets/img.png", "blog/assets/img.png", true},
		{"blog/_posts/2024/2024-01-01-x.md", "/assets/a%20b.png?v=1", "blog/assets/a b.png", true},
		{"blog/_drafts/x.md", "/assets/img.png", "blog/assets/img.png", true},
		{"posts/a.md", "/images/cat.jpg", "images/cat.jpg", true},
		{"blog/_posts/x.md", "/../../etc/x.png", "blog/etc/x.png", true}, // no step above a site's root
		{"posts/a.md", "cat.jpg", "", false},
		{"posts/a.md", "//example.org/cat.jpg", "", false},
		{"posts/a.md", "https://example.org/cat.jpg", "", false},
		{"posts/a.md", "/", "", false},
	} {
		got, ok := ResolveRootRef(tc.seed, tc.ref)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ResolveRootRef(%q, %q) = %q, %v; want %q, %v", tc.seed, tc.ref, got, ok, tc.want, tc.ok)
		}
	}
	// A link from the root names the file under the folder of _posts, or
	// under the seeds folder, should the site's root be there.
	got := MediaOf("blog/_posts/2024-01-01-x.md", []string{"/assets/img.png", "/about/", "pic.png"})
	want := []Media{{Path: "blog/assets/img.png", Type: "image/png"}, {Path: "assets/img.png", Type: "image/png"}, {Path: "blog/_posts/pic.png", Type: "image/png"}}
	if !slices.Equal(got, want) {
		t.Errorf("MediaOf = %+v; want %+v", got, want)
	}
}

// TestSeedsOf: the links of a post that lead to other files of the seeds
// folder that are no media, each once: relative, from the site's root, or
// Zola's "@/"; never itself, out of the folder, or elsewhere on the web.
func TestSeedsOf(t *testing.T) {
	got := SeedsOf("blog/_posts/2024-01-02-a.md", []string{
		"2024-03-05-b.md#top", "2024-03-05-b.md", "@/docs/setup.md", "/about.md", "../../notes.txt",
		"2024-01-02-a.md", "@/../out.md", "../../../out.md", "https://example.com/x.md", "cat.png", "#top",
	})
	want := []SeedLink{{Path: "blog/_posts/2024-03-05-b.md"}, {Path: "docs/setup.md"}, {Path: "blog/about.md", Also: []string{"about.md"}}, {Path: "notes.txt"}}
	if !slices.EqualFunc(got, want, func(a, b SeedLink) bool { return a.Path == b.Path && slices.Equal(a.Also, b.Also) }) {
		t.Errorf("SeedsOf = %v; want %v", got, want)
	}
	// From posts two folders deeper than the seeds folder, a link from the
	// root may name a path under either folder above their _posts.
	got = SeedsOf("en/news/_posts/2024-01-02-a.md", []string{"/en/news/_posts/2024-01-01-b.md"})
	want = []SeedLink{{Path: "en/news/en/news/_posts/2024-01-01-b.md", Also: []string{"en/en/news/_posts/2024-01-01-b.md", "en/news/_posts/2024-01-01-b.md"}}}
	if !slices.EqualFunc(got, want, func(a, b SeedLink) bool { return a.Path == b.Path && slices.Equal(a.Also, b.Also) }) {
		t.Errorf("SeedsOf = %v; want %v", got, want)
	}
	// A post of a folder of _posts ({% post_url 2010/2010-07-21-x %}) may
	// also be in that folder's _posts, as Jekyll has it; and the paths
	// from the site's root are kept, for a seeds folder below the root.
	got = SeedsOf("_posts/2024-01-02-a.md", []string{"/_posts/2010/2010-07-21-x", "/_posts/2024-01-01-b.md"})
	want = []SeedLink{
		{Path: "_posts/2010/2010-07-21-x", Also: []string{"2010/_posts/2010-07-21-x"}, FromRoot: []string{"_posts/2010/2010-07-21-x", "2010/_posts/2010-07-21-x"}},
		{Path: "_posts/2024-01-01-b.md", FromRoot: []string{"_posts/2024-01-01-b.md"}},
	}
	if !slices.EqualFunc(got, want, func(a, b SeedLink) bool {
		return a.Path == b.Path && slices.Equal(a.Also, b.Also) && slices.Equal(a.FromRoot, b.FromRoot)
	}) {
		t.Errorf("SeedsOf = %v; want %v", got, want)
	}
}

// TestBelowRoot: a path from a site's root names a file of a seeds folder
// that is a folder of the site by the rest of the path after the folders
// the seeds folder is in, and nothing when it begins with none of them.
func TestBelowRoot(t *testing.T) {
	for _, c := range []struct {
		name, p, dir string
		want         []string
	}{
		{"seeds is the site's _posts", "_posts/2024-01-01-x.md", "/home/u/site/_posts", []string{"2024-01-01-x.md"}},
		{"a folder of _posts", "_posts/2010/2010-07-21-x", "/home/u/site/_posts", []string{"2010/2010-07-21-x"}},
		{"seeds two folders down", "en/news/_posts/x.md", "/srv/www/en/news/_posts", []string{"x.md"}},
		{"seeds holds _posts", "blog/_posts/x.md", "/srv/blog", []string{"_posts/x.md"}},
		{"a path elsewhere in the site", "about.md", "/home/u/site/_posts", nil},
		{"another folder", "_drafts/x.md", "/home/u/site/_posts", nil},
		{"a _posts of a folder of the site", "_posts/x.md", "/home/u/site/en/_posts", []string{"x.md"}}, // its root may be en
		{"the folder itself", "_posts", "/home/u/site/_posts", nil},
		{"no place known", "_posts/x.md", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := BelowRoot(c.p, c.dir); !slices.Equal(got, c.want) {
				t.Errorf("BelowRoot(%q, %q) = %q; want %q", c.p, c.dir, got, c.want)
			}
		})
	}
}
