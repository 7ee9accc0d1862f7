package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/icon"
)

// pictured returns testSite with an icon (a PNG of side pixels) and a
// logo (a PNG of w×h pixels) set, as config reads them.
func pictured(t *testing.T, side, w, h int) feed.Site {
	t.Helper()
	site := testSite
	var err error
	if site.Favicon, site.Icon, err = icon.Icon(pngOf(t, side, side)); err != nil {
		t.Fatal(err)
	}
	if site.Logo, err = icon.Logo(pngOf(t, w, h)); err != nil {
		t.Fatal(err)
	}
	return site
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestImagesInSnapshot: every snapshot holds favicon.ico, the built-in one
// when the site sets none, and each picture set, with its own type.
func TestImagesInSnapshot(t *testing.T) {
	builtinICO, builtinPNG := icon.Builtin()
	ico := testSite
	ico.Favicon = builtinICO // an icon given as an ICO only
	for _, tt := range []struct {
		name  string
		site  feed.Site
		files map[string]string // path → type
		not   []string
	}{
		{"nothing set: the built-in icon", testSite, map[string]string{"favicon.ico": "image/x-icon", "icon.png": "image/png"}, []string{"logo.png"}},
		{"icon and logo set", pictured(t, 32, 288, 144), map[string]string{"favicon.ico": "image/x-icon", "icon.png": "image/png", "logo.png": "image/png"}, nil},
		{"an ICO only", ico, map[string]string{"favicon.ico": "image/x-icon"}, []string{"icon.png", "logo.png"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			snap, err := Render(tt.site, feedtest.Entries(t, 1), t0)
			if err != nil {
				t.Fatal(err)
			}
			for p, typ := range tt.files {
				f := snap.Files[p]
				if f == nil {
					t.Errorf("snapshot lacks %s", p)
				} else if f.Type != typ || len(f.Body) == 0 || !strings.HasPrefix(f.ETag, `"`) {
					t.Errorf("%s is of type %q, %d bytes, ETag %s; want a %s file with a strong ETag", p, f.Type, len(f.Body), f.ETag, typ)
				}
			}
			for _, p := range tt.not {
				if snap.Files[p] != nil {
					t.Errorf("snapshot holds %s; want none", p)
				}
			}
		})
	}
	snap, err := Render(testSite, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(snap.Files["favicon.ico"].Body, builtinICO.Body) || !bytes.Equal(snap.Files["icon.png"].Body, builtinPNG.Body) {
		t.Error("with nothing set, favicon.ico and icon.png are not the built-in icon")
	}
}

// TestImagesNamed: each format names the pictures it has a place for, as
// a parser reads them, and RSS only ever a GIF, JPEG or PNG.
func TestImagesNamed(t *testing.T) {
	u := testSite.URL
	ico := testSite
	ico.Favicon, _ = icon.Builtin()
	for _, tt := range []struct {
		name                         string
		site                         feed.Site
		atomIcon, atomLogo, rssImage string
		rssWidth                     int // 0: none stated
		jsonIcon, jsonFavicon        string
	}{
		{"built-in", testSite, u("icon.png"), "", u("icon.png"), 64, u("icon.png"), u("icon.png")},
		{"icon and a wide logo", pictured(t, 32, 288, 144), u("icon.png"), u("logo.png"), u("logo.png"), 0, u("logo.png"), u("icon.png")},
		{"icon and a small logo", pictured(t, 32, 88, 31), u("icon.png"), u("logo.png"), u("logo.png"), 88, u("logo.png"), u("icon.png")},
		{"an ICO only", ico, u("favicon.ico"), "", "", 0, "", u("favicon.ico")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			snap, err := Render(tt.site, feedtest.Entries(t, 1), t0)
			if err != nil {
				t.Fatal(err)
			}
			var atom struct {
				Icon string `xml:"icon"`
				Logo string `xml:"logo"`
			}
			if err := xml.Unmarshal(snap.Files[feed.Atom.Path].Body, &atom); err != nil {
				t.Fatal(err)
			}
			if atom.Icon != tt.atomIcon || atom.Logo != tt.atomLogo {
				t.Errorf("Atom icon, logo = %q, %q; want %q, %q", atom.Icon, atom.Logo, tt.atomIcon, tt.atomLogo)
			}
			var rss struct {
				Image *struct {
					Link  string `xml:"link"`
					Width int    `xml:"width"`
				} `xml:"channel>image"`
			}
			if err := xml.Unmarshal(snap.Files[feed.RSS.Path].Body, &rss); err != nil {
				t.Fatal(err)
			}
			f, err := gofeed.NewParser().ParseString(string(snap.Files[feed.RSS.Path].Body))
			if err != nil {
				t.Fatal(err)
			}
			width := 0
			if rss.Image != nil {
				width = rss.Image.Width
			}
			switch {
			case tt.rssImage == "" && (rss.Image != nil || f.Image != nil):
				t.Errorf("RSS has an image %+v; want none (favicon.ico is no GIF, JPEG or PNG)", rss.Image)
			case tt.rssImage != "" && (f.Image == nil || f.Image.URL != tt.rssImage || f.Image.Title != testSite.Title || width != tt.rssWidth):
				t.Errorf("RSS image = %+v, width %d; want %s titled %q, width %d", f.Image, width, tt.rssImage, testSite.Title, tt.rssWidth)
			}
			if tt.rssImage != "" && rss.Image.Link != f.Link {
				t.Errorf("RSS image link = %q; want the channel's, %q", rss.Image.Link, f.Link)
			}
			var jf struct{ Icon, Favicon string }
			if err := json.Unmarshal(snap.Files[feed.JSON.Path].Body, &jf); err != nil {
				t.Fatal(err)
			}
			if jf.Icon != tt.jsonIcon || jf.Favicon != tt.jsonFavicon {
				t.Errorf("JSON Feed icon, favicon = %q, %q; want %q, %q", jf.Icon, jf.Favicon, tt.jsonIcon, tt.jsonFavicon)
			}
			for _, name := range []string{feed.Index.Path, feed.PagePath(feedtest.Entries(t, 1)[0].ID)} {
				if !strings.Contains(string(snap.Files[name].Body), `<link rel="icon" href="`+u("favicon.ico")+`">`) {
					t.Errorf("%s does not link favicon.ico", name)
				}
			}
		})
	}
}

// TestImagesCarriedOver: a picture whose bytes have not changed is the
// same file in the next snapshot, with its date; a new one is dated after.
func TestImagesCarriedOver(t *testing.T) {
	entries := feedtest.Entries(t, 1)
	first, err := Render(testSite, entries, t0)
	if err != nil {
		t.Fatal(err)
	}
	second, err := RenderSince(testSite, entries, 0, t0.Add(time.Hour), first)
	if err != nil {
		t.Fatal(err)
	}
	if second.Files["favicon.ico"] != first.Files["favicon.ico"] || !second.Files["favicon.ico"].ModTime.Equal(t0) {
		t.Error("an unchanged favicon.ico is not carried over with its date")
	}
	site := pictured(t, 32, 88, 31)
	third, err := RenderSince(site, entries, 0, t0.Add(2*time.Hour), second)
	if err != nil {
		t.Fatal(err)
	}
	if f := third.Files["favicon.ico"]; f == second.Files["favicon.ico"] || f.ETag == second.Files["favicon.ico"].ETag || !f.ModTime.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("a new favicon.ico has ETag %s, dated %v; want new bytes, a new ETag, dated now", f.ETag, f.ModTime)
	}
}
