package feed

import "testing"

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
