package render

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/state"
)

// bundled is a post in a Hugo page bundle that references a picture and a
// sound beside it, and links elsewhere.
var bundled = feed.Entry{
	ID: state.NameID("posts/deploy/index.md"), Path: "posts/deploy/index.md", Title: "Deploy", Summary: "Open the dashboard.",
	Content: `<p><img src="vercel-01.png" alt="The dashboard"> <a href="../audio/ep1.mp3">episode</a> <a href="notes.pdf#page=2">notes</a></p>` + "\n" +
		`<p><a href="../other/">other</a> <a href="#top">top</a> <a href="/about/">about</a> <a href="https://example.com/x?a=1&amp;b=2">x</a> <img src="missing.png" alt="m"></p>` + "\n" +
		`<p><a href="../2024-03-05-launch.md#steps">launch</a> <a href="@/posts/setup/index.md">setup</a></p>` + "\n",
	Media: []feed.Media{{Path: "posts/deploy/vercel-01.png", Type: "image/png", Size: 1234}, {Path: "posts/audio/ep1.mp3", Type: "audio/mpeg", Size: 99},
		{Path: "posts/deploy/notes.pdf", Type: "application/pdf", Size: 7}},
	Seeds:     []feed.SeedLink{{Path: "posts/2024-03-05-launch.md", ID: state.NameID("launch")}, {Path: "posts/setup/index.md", ID: state.NameID("setup")}},
	Published: t0, Updated: t0,
}

// TestLinksAreAbsolute: every relative link and image of an entry's text
// works wherever the text is shown: the files it references at their
// address under media/, the other posts it links to at their pages,
// others against the entry page's URL.
func TestLinksAreAbsolute(t *testing.T) {
	page := "https://example.org/news/" + feed.PagePath(bundled.ID)
	want := []string{
		`<img src="https://example.org/news/media/posts/deploy/vercel-01.png" alt="The dashboard">`,
		`<a href="https://example.org/news/media/posts/audio/ep1.mp3">episode</a>`,
		`<a href="https://example.org/news/media/posts/deploy/notes.pdf#page=2">notes</a>`,
		`<a href="https://example.org/news/other/">other</a>`,
		`<a href="` + page + `#top">top</a>`,
		`<a href="https://example.org/about/">about</a>`,
		`<a href="https://example.com/x?a=1&amp;b=2">x</a>`,
		`<img src="https://example.org/news/entry/missing.png" alt="m">`,
		`<a href="https://example.org/news/` + feed.PagePath(state.NameID("launch")) + `#steps">launch</a>`, // another post: its page
		`<a href="https://example.org/news/` + feed.PagePath(state.NameID("setup")) + `">setup</a>`,         // Zola's link to one
	}
	snap, err := Render(testSite, []feed.Entry{bundled}, t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{feed.PagePath(bundled.ID), feed.Atom.Path, feed.RSS.Path, feed.JSON.Path} {
		body := string(snap.Files[name].Body)
		for _, w := range want {
			switch name {
			case feed.Atom.Path: // RSS carries the text as CDATA
				w = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(w)
			case feed.JSON.Path:
				w = strings.NewReplacer("&", `\u0026`, "<", `\u003c`, ">", `\u003e`, `"`, `\"`).Replace(w)
			}
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %s", name, w)
			}
		}
	}
}

// TestMediaInFeeds: an entry's first picture is its image in every format
// (JSON image, RSS enclosure and media:thumbnail, Atom enclosure link),
// Atom entries carry xml:base, and the documents stay valid: xmllint, the
// RFC 4287 schema, and gofeed read them.
func TestMediaInFeeds(t *testing.T) {
	sound := bundled
	sound.ID, sound.Path, sound.Title = state.NameID("posts/audio/index.md"), "posts/audio/index.md", "Episode"
	sound.Media = []feed.Media{{Path: "posts/audio/ep1.mp3", Type: "audio/mpeg", Size: 99}}
	plain := feedtest.Entries(t, 1)[0]
	snap, err := Render(testSite, []feed.Entry{bundled, sound, plain}, t0)
	if err != nil {
		t.Fatal(err)
	}
	img := "https://example.org/news/media/posts/deploy/vercel-01.png"
	mp3 := "https://example.org/news/media/posts/audio/ep1.mp3"
	atom, rss, js := string(snap.Files[feed.Atom.Path].Body), string(snap.Files[feed.RSS.Path].Body), string(snap.Files[feed.JSON.Path].Body)
	for _, c := range []struct{ doc, want string }{
		{atom, `<entry xml:base="https://example.org/news/` + feed.PagePath(bundled.ID) + `">`},
		{atom, `<link href="` + img + `" rel="enclosure" type="image/png" length="1234">`},
		{atom, `<link href="` + mp3 + `" rel="enclosure" type="audio/mpeg" length="99">`},
		{rss, `xmlns:media="http://search.yahoo.com/mrss/"`},
		{rss, `<enclosure url="` + img + `" length="1234" type="image/png">`},
		{rss, `<media:thumbnail url="` + img + `">`},
		{rss, `<enclosure url="` + mp3 + `" length="99" type="audio/mpeg">`},
		{js, `"image":"` + img + `"`},
	} {
		if !strings.Contains(c.doc, c.want) {
			t.Errorf("feed lacks %s", c.want)
		}
	}
	if n := strings.Count(rss, "<media:thumbnail"); n != 1 {
		t.Errorf("RSS has %d thumbnails; want 1, for the entry with a picture", n)
	}
	// Feeds without pictures declare no Media RSS.
	if b := renderSeedsRSS(t); bytes.Contains(b, []byte("xmlns:media")) {
		t.Error("RSS without pictures declares the Media RSS namespace")
	}
	for name, body := range map[string]string{"atom": atom, "rss": rss, "json": js} {
		f, err := gofeed.NewParser().ParseString(body)
		if err != nil {
			t.Fatalf("gofeed %s: %v", name, err)
		}
		it := f.Items[0]
		if name != "json" && (len(it.Enclosures) == 0 || it.Enclosures[0].URL != img) {
			t.Errorf("gofeed %s: enclosures %+v; want %s", name, it.Enclosures, img)
		}
		if name != "atom" && (it.Image == nil || it.Image.URL != img) {
			t.Errorf("gofeed %s: image %+v; want %s", name, it.Image, img)
		}
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	atomFile, rssFile := write("media.atom", atom), write("media.rss", rss)
	t.Run("xmllint", func(t *testing.T) {
		xmllint := feedtest.NeedTool(t, "xmllint")
		if out, err := exec.Command(xmllint, "--noout", atomFile, rssFile).CombinedOutput(); err != nil {
			t.Errorf("xmllint: %v\n%s", err, out)
		}
	})
	t.Run("RFC 4287 schema", func(t *testing.T) {
		jing := feedtest.NeedTool(t, "jing")
		if out, err := exec.Command(jing, "-c", "testdata/atom.rnc", atomFile).Output(); err != nil {
			t.Errorf("jing: %v\n%s", err, out)
		}
	})
}

func renderSeedsRSS(t *testing.T) []byte {
	t.Helper()
	snap, _ := renderSeeds(t)
	return snap.Files[feed.RSS.Path].Body
}

// TestPageFollowsItsMedia: when a file an entry references goes (or comes
// back), its page is made again, with the link where it now leads.
func TestPageFollowsItsMedia(t *testing.T) {
	first, err := Render(testSite, []feed.Entry{bundled}, t0)
	if err != nil {
		t.Fatal(err)
	}
	gone := bundled
	gone.Media = gone.Media[1:] // the picture was removed from the folder
	second, err := RenderSince(testSite, []feed.Entry{gone}, 0, t0, first)
	if err != nil {
		t.Fatal(err)
	}
	page := string(second.Files[feed.PagePath(bundled.ID)].Body)
	if strings.Contains(page, "media/posts/deploy/vercel-01.png") || !strings.Contains(page, `src="https://example.org/news/entry/vercel-01.png"`) {
		t.Errorf("page still links the picture under media/ after it went:\n%s", page)
	}
}

// TestRootLinksToMedia: a Jekyll post's image from the site's root
// ("/assets/img.png") is the file it references when the seeds folder has
// it (it is in e.Media), and a link from the root to anything else is left
// to the host, as before.
func TestRootLinksToMedia(t *testing.T) {
	e := feed.Entry{
		ID: state.NameID("blog/_posts/2024-01-01-x.md"), Path: "blog/_posts/2024-01-01-x.md", Title: "X", Summary: "S.",
		Content:   `<p><img src="/assets/img.png" alt="a"> <img src="/assets/gone.png" alt="g"></p>` + "\n",
		Media:     []feed.Media{{Path: "blog/assets/img.png", Type: "image/png", Size: 10}},
		Published: t0, Updated: t0,
	}
	snap, err := Render(testSite, []feed.Entry{e}, t0)
	if err != nil {
		t.Fatal(err)
	}
	body := string(snap.Files[feed.PagePath(e.ID)].Body)
	for _, w := range []string{`<img src="https://example.org/news/media/blog/assets/img.png" alt="a">`, `<img src="https://example.org/assets/gone.png" alt="g">`} {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %s", w)
		}
	}
}
