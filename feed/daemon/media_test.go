package daemon

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// mediaSeeds writes into seeds a Hugo page bundle and a Jekyll-style post
// with the files they reference, and the files that must never be served:
// a picture no entry references, a picture through a symlink that leads
// out of the folder, one in a folder that is a symlink leading out, and a
// hidden one. It returns the bytes of each file by name.
func mediaSeeds(t *testing.T, seeds string) map[string][]byte {
	t.Helper()
	outside := t.TempDir()
	files := map[string][]byte{
		"posts/deploy/index.md":      []byte("---\ntitle: Deploy\ndate: 2026-10-01\n---\nOpen the dashboard.\n\n{{< figure src=\"vercel-01.png\" alt=\"The dashboard\" >}}\n\nListen: [episode](../audio/ep1.mp3). Read [the PDF](notes.pdf#page=2) and [the other post](../other/).\n\n![outside](out.png) ![also outside](linked/x.png) ![hidden](.hidden.png) ![seed](../song.md) ![a seed through a link](pic.png) [a hidden file through a link](doc.pdf)\n"),
		"posts/deploy/vercel-01.png": []byte("\x89PNG\r\n\x1a\n first picture"),
		"posts/deploy/notes.pdf":     []byte("%PDF-1.4 notes"),
		"posts/deploy/unused.png":    []byte("\x89PNG\r\n\x1a\n nobody links me"),
		"posts/deploy/.hidden.png":   []byte("\x89PNG\r\n\x1a\n hidden"),
		"posts/audio/ep1.mp3":        []byte("ID3 sound"),
		"posts/song.md":              []byte("---\ntitle: Song\ndate: 2026-09-01\n---\nA post whose text is not a file to serve.\n"),
		"posts/draft.md":             []byte("---\ntitle: Draft\ndraft: true\n---\nSECRET DRAFT TEXT\n"),
		"posts/deploy/.secret/env":   []byte("token=hunter2\n"),
	}
	for name, b := range files {
		feedtest.Write(t, filepath.Join(seeds, filepath.FromSlash(name)), string(b))
	}
	feedtest.Write(t, filepath.Join(outside, "secret.png"), "\x89PNG\r\n\x1a\n outside the seeds")
	feedtest.Write(t, filepath.Join(outside, "x.png"), "\x89PNG\r\n\x1a\n outside too")
	for link, target := range map[string]string{"posts/deploy/out.png": filepath.Join(outside, "secret.png"), "posts/deploy/linked": outside,
		"posts/deploy/pic.png": "../draft.md", "posts/deploy/doc.pdf": ".secret/env"} {
		if err := os.Symlink(target, filepath.Join(seeds, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// TestMediaServed: the files that an entry references beside it are served
// under /media/ at their path in the seeds folder, with their type, and
// the feeds and pages link to them there; nothing else in the folder is:
// not a file no entry references, not one through a symlink that leads
// out, not a hidden one, not a seed, not by ../.
func TestMediaServed(t *testing.T) {
	e := newEnv(t, nil)
	files := mediaSeeds(t, e.seeds)
	p := start(t, e)
	base := "http://" + p.addr + "/"
	doc := getFeed(t, p)
	item, ok := byTitle(doc, "Deploy")
	if !ok {
		t.Fatalf("no entry Deploy in %+v", doc.Items)
	}
	page := string(get(t, item.URL))
	for _, want := range []string{`<img src="` + base + `media/posts/deploy/vercel-01.png" alt="The dashboard">`,
		`href="` + base + `media/posts/audio/ep1.mp3"`, `href="` + base + `media/posts/deploy/notes.pdf#page=2"`,
		`href="` + base + `other/"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for name, typ := range map[string]string{"posts/deploy/vercel-01.png": "image/png", "posts/audio/ep1.mp3": "audio/mpeg", "posts/deploy/notes.pdf": "application/pdf"} {
		resp, err := http.Get(base + "media/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(b, files[name]) || resp.Header.Get("Content-Type") != typ {
			t.Errorf("GET /media/%s = %d %q, %q; want 200 %s and the file's bytes", name, resp.StatusCode, resp.Header.Get("Content-Type"), b, typ)
		}
	}
	// The feeds give the entry its picture.
	raw := get(t, base+"feed.json")
	var jf struct {
		Items []struct {
			Title, Image string
		} `json:"items"`
	}
	if err := json.Unmarshal(raw, &jf); err != nil {
		t.Fatal(err)
	}
	for _, it := range jf.Items {
		if it.Title == "Deploy" && it.Image != base+"media/posts/deploy/vercel-01.png" {
			t.Errorf("JSON image = %q; want the first picture", it.Image)
		}
	}
	rss := string(get(t, base+"feed.rss"))
	for _, want := range []string{`<enclosure url="` + base + `media/posts/deploy/vercel-01.png" length="` + strconv.Itoa(len(files["posts/deploy/vercel-01.png"])) + `" type="image/png">`,
		`<media:thumbnail url="` + base + `media/posts/deploy/vercel-01.png">`} {
		if !strings.Contains(rss, want) {
			t.Errorf("RSS lacks %s", want)
		}
	}
	for _, path := range []string{
		"/media/posts/deploy/unused.png",   // no entry references it
		"/media/posts/deploy/out.png",      // a symlink out of the folder
		"/media/posts/deploy/linked/x.png", // through a folder that is a symlink out
		"/media/posts/deploy/.hidden.png",  // hidden
		"/media/posts/deploy/pic.png",      // a symlink to a seed, a draft
		"/media/posts/deploy/doc.pdf",      // a symlink to a hidden file
		"/media/posts/song.md",             // a seed's own text
		"/media/posts/deploy/index.md",
		"/media/seeds/000_b0004d0eae77d0dc.txt",
		"/media/posts/deploy/nothing.png",
	} {
		if code := status(t, base+strings.TrimPrefix(path, "/")); code != 404 {
			t.Errorf("GET %s = %d; want 404", path, code)
		}
	}
	// ../ in every spelling: the request is refused or cleaned into a
	// path that is then refused; never the file outside.
	for _, path := range []string{"/media/../posts/deploy/vercel-01.png", "/media/posts/../../secret.png", "/media/%2e%2e/%2e%2e/etc/passwd.png",
		"/media/posts/deploy/..%2f..%2f..%2fsecret.png", "/media/posts%2f..%2f..%2fsecret.png"} {
		if code, body := rawGet(t, p.addr, path); code == 200 || strings.Contains(body, "outside the seeds") {
			t.Errorf("GET %s = %d; want no file", path, code)
		}
	}
	// Once the post is gone, nothing references its picture.
	if err := os.Remove(filepath.Join(e.seeds, "posts", "deploy", "index.md")); err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 10*time.Second, "the post to leave the feed", func() bool {
		_, ok := byTitle(getFeed(t, p), "Deploy")
		return !ok
	})
	if code := status(t, base+"media/posts/deploy/vercel-01.png"); code != 404 {
		t.Errorf("GET /media/posts/deploy/vercel-01.png = %d once its post is gone; want 404", code)
	}
}

// TestMediaCopied: build copies the files that entries reference into the
// output, at the paths the feeds name, and nothing else; a rebuild after
// the reference is gone removes the copy; a file build did not copy is
// never overwritten.
func TestMediaCopied(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Site.BaseURL = "https://news.example/" })
	files := mediaSeeds(t, e.seeds)
	out := t.TempDir()
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"posts/deploy/vercel-01.png", "posts/audio/ep1.mp3", "posts/deploy/notes.pdf"} {
		b, err := os.ReadFile(filepath.Join(out, "media", filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(b, files[name]) {
			t.Errorf("media/%s = %q, %v; want a copy", name, b, err)
		}
	}
	for _, name := range []string{"posts/deploy/unused.png", "posts/deploy/out.png", "posts/deploy/linked/x.png", "posts/deploy/.hidden.png",
		"posts/song.md", "posts/deploy/index.md", "posts/deploy/pic.png", "posts/deploy/doc.pdf"} {
		if _, err := os.Lstat(filepath.Join(out, "media", filepath.FromSlash(name))); err == nil {
			t.Errorf("media/%s was copied; want it left out", name)
		}
	}
	rss, err := os.ReadFile(filepath.Join(out, "feed.rss"))
	if err != nil || !strings.Contains(string(rss), `<enclosure url="https://news.example/media/posts/deploy/vercel-01.png"`) {
		t.Errorf("feed.rss lacks the enclosure at the copy's URL: %v", err)
	}
	// A picture changed, and no seed: the rebuild copies it again.
	changed := "\x89PNG\r\n\x1a\n a new, longer picture"
	feedtest.Write(t, filepath.Join(e.seeds, "posts", "deploy", "vercel-01.png"), changed)
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "media", "posts", "deploy", "vercel-01.png")); string(b) != changed {
		t.Errorf("after the picture changed, its copy is %q; want the new picture", b)
	}
	// The reference goes; the copy goes with it. An unchanged rebuild
	// keeps the others.
	feedtest.Write(t, filepath.Join(e.seeds, "posts", "deploy", "index.md"), "---\ntitle: Deploy\ndate: 2026-10-01\n---\nOpen the dashboard.\n\n[episode](../audio/ep1.mp3)\n")
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "media", "posts", "deploy", "vercel-01.png")); err == nil {
		t.Error("media/posts/deploy/vercel-01.png stays after its reference went")
	}
	if _, err := os.Stat(filepath.Join(out, "media", "posts", "audio", "ep1.mp3")); err != nil {
		t.Errorf("media/posts/audio/ep1.mp3 went: %v", err)
	}
	// A file of someone else's where a copy would go stops the build.
	feedtest.Write(t, filepath.Join(e.seeds, "posts", "deploy", "index.md"), "---\ntitle: Deploy\ndate: 2026-10-01\n---\n![again](vercel-01.png)\n")
	feedtest.Write(t, filepath.Join(out, "media", "posts", "deploy", "vercel-01.png"), "mine")
	if err := Build(context.Background(), e.opts, out); err == nil || !strings.Contains(err.Error(), "in the way") {
		t.Errorf("Build = %v; want it stopped by the file in the way", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "media", "posts", "deploy", "vercel-01.png")); string(b) != "mine" {
		t.Errorf("the file in the way was overwritten: %q", b)
	}
}

// status returns the status of GET url.
func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// rawGet sends path as it is, unlike net/http's client, which would clean
// it, and returns the status and body.
func rawGet(t *testing.T, addr, path string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(c)
	s := string(b)
	var code int
	if len(s) > 12 {
		code = int(s[9]-'0')*100 + int(s[10]-'0')*10 + int(s[11]-'0')
	}
	return code, s
}

// TestMediaOfAnOldEntry: a file beside a post that the daemon has not read
// since it started (the post is past the feeds' newest) is served when
// asked for, as a reader that saw the post's page before a restart asks:
// the daemon reads the entries beside the file. A file no entry
// references stays 404.
func TestMediaOfAnOldEntry(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Site.Limit = 1 })
	files := mediaSeeds(t, e.seeds)
	p := start(t, e)
	if _, ok := byTitle(getFeed(t, p), "Deploy"); ok {
		t.Fatal("Deploy is in the feed; want it past the newest, unread")
	}
	base := "http://" + p.addr + "/"
	if b := get(t, base+"media/posts/deploy/vercel-01.png"); !bytes.Equal(b, files["posts/deploy/vercel-01.png"]) {
		t.Errorf("GET /media/posts/deploy/vercel-01.png = %q; want the file", b)
	}
	for _, path := range []string{"media/posts/deploy/unused.png", "media/posts/deploy/out.png"} {
		if code := status(t, base+path); code != 404 {
			t.Errorf("GET /%s = %d; want 404", path, code)
		}
	}
}

// TestJekyllRootImagesServed: a Jekyll post's image from the root of its
// site ("/assets/img.png") is served when the seeds folder holds it under
// the folder that holds _posts, and the page links to it there; one the
// folder lacks is left to the host.
func TestJekyllRootImagesServed(t *testing.T) {
	e := newEnv(t, nil)
	img := "\x89PNG\r\n\x1a\n a Jekyll picture"
	feedtest.Write(t, filepath.Join(e.seeds, "blog", "_posts", "2026-10-02-hello.md"),
		"---\ntitle: Hello\ndate: 2026-10-02\n---\nA post.\n\n![A picture](/assets/img.png) ![gone](/assets/gone.png)\n")
	feedtest.Write(t, filepath.Join(e.seeds, "blog", "assets", "img.png"), img)
	p := start(t, e)
	base := "http://" + p.addr + "/"
	item, ok := byTitle(getFeed(t, p), "Hello")
	if !ok {
		t.Fatal("no entry Hello")
	}
	page := string(get(t, item.URL))
	for _, want := range []string{`<img src="` + base + `media/blog/assets/img.png" alt="A picture">`, `<img src="` + base + `assets/gone.png" alt="gone">`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if b := get(t, base+"media/blog/assets/img.png"); string(b) != img {
		t.Errorf("GET /media/blog/assets/img.png = %q; want the picture", b)
	}
}
