package daemon

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// categorySeeds adds to the sample seeds (two wire stories from Tehran)
// files in folders and a Jekyll post with tags in three scripts.
func categorySeeds(t *testing.T, seeds string) {
	t.Helper()
	for name, text := range map[string]string{
		"business/a.txt":                  "Markets rally\n\nStocks rose on Monday. Investors cheered.\n",
		"sport/football/b.txt":            "Cup final\n\nThe final ended 2-1. Fans celebrated.\n",
		"2024/05/c.txt":                   "May note\n\nA note from May, in a date folder: no category.\n",
		"blog/_posts/2024-01-02-post.md":  "---\ntitle: Post\ntags: [Business, اقتصاد, 经济]\n---\nBody text here.\n",
		"blog/_posts/2024-01-03-other.md": "---\ntitle: Other\ncategories: Notes\n---\nMore text.\n",
	} {
		feedtest.Write(t, filepath.Join(seeds, filepath.FromSlash(name)), text)
	}
}

// opmlOutlines returns the feed outlines of an OPML document, at any depth.
func opmlOutlines(t *testing.T, b []byte) (title string, feeds map[string]string) {
	t.Helper()
	type outline struct {
		Text     string    `xml:"text,attr"`
		XMLURL   string    `xml:"xmlUrl,attr"`
		HTMLURL  string    `xml:"htmlUrl,attr"`
		Type     string    `xml:"type,attr"`
		Children []outline `xml:"outline"`
	}
	var doc struct {
		XMLName xml.Name  `xml:"opml"`
		Version string    `xml:"version,attr"`
		Title   string    `xml:"head>title"`
		Body    []outline `xml:"body>outline"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil || doc.Version != "2.0" {
		t.Fatalf("OPML: %v, version %q\n%s", err, doc.Version, b)
	}
	feeds = map[string]string{}
	var add func([]outline)
	add = func(os []outline) {
		for _, o := range os {
			if o.XMLURL != "" {
				if o.Type != "rss" || o.HTMLURL == "" || o.Text == "" {
					t.Errorf("OPML outline %+v lacks type, htmlUrl or text", o)
				}
				feeds[o.XMLURL] = o.Text
			}
			add(o.Children)
		}
	}
	add(doc.Body)
	return doc.Title, feeds
}

// TestCategoryFeeds: every category, from each source (folder, front
// matter tags and categories, dateline place), has feeds in three formats
// and an HTML page, listed in /feeds.opml; each holds exactly its entries;
// slugs keep Persian and Chinese readable; pages link to categories.
func TestCategoryFeeds(t *testing.T) {
	e := newEnv(t, nil)
	categorySeeds(t, e.seeds)
	p := start(t, e)
	want := map[string][]string{ // slug → titles, newest first
		"business":       {"Markets rally", "Post"},
		"sport-football": {"Cup final"},
		"blog":           {"Other", "Post"},
		"notes":          {"Other"},
		"اقتصاد":         {"Post"},
		"经济":             {"Post"},
		"tehran":         nil, // the two samples; their titles come from extraction
	}
	_, feeds := opmlOutlines(t, get(t, p.url("/"+feed.OPMLPath)))
	if len(feeds) != len(want)+1 {
		t.Errorf("OPML lists %d feeds: %v; want the site's and %d categories'", len(feeds), feeds, len(want))
	}
	if _, ok := feeds[p.url("/feed.atom")]; !ok {
		t.Errorf("OPML lacks the site's feed: %v", feeds)
	}
	samples := map[string]bool{}
	for _, it := range getFeed(t, p).Items {
		if !slices.Contains([]string{"Markets rally", "Cup final", "May note", "Post", "Other"}, it.Title) {
			samples[it.Title] = true
		}
	}
	if len(samples) != 2 {
		t.Fatalf("the site's feed has %d sample stories; want 2", len(samples))
	}
	parser := gofeed.NewParser()
	for slug, titles := range want {
		dir := p.url("/" + (&url.URL{Path: feed.CategoryDir(slug)}).EscapedPath())
		if _, ok := feeds[dir+"feed.atom"]; !ok {
			t.Errorf("OPML lacks %sfeed.atom", dir)
		}
		for _, k := range feed.Feeds() {
			b := get(t, dir+k.Path)
			f, err := parser.Parse(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("gofeed %s%s: %v", dir, k.Path, err)
			}
			var got []string
			for _, it := range f.Items {
				got = append(got, it.Title)
			}
			switch {
			case slug == "tehran" && (len(got) != 2 || !samples[got[0]] || !samples[got[1]]):
				t.Errorf("%s%s holds %q; want the two stories from Tehran", dir, k.Path, got)
			case slug != "tehran" && !slices.Equal(got, titles):
				t.Errorf("%s%s holds %q; want %q", dir, k.Path, got, titles)
			}
		}
		page := string(get(t, dir))
		for _, k := range feed.Feeds() {
			if !strings.Contains(page, `<link rel="alternate" type="`+k.Media+`"`) || !strings.Contains(page, `href="`+dir+k.Path+`"`) {
				t.Errorf("%s lacks the autodiscovery link of its %s feed", dir, k.Title)
			}
		}
	}
	// Date folders and "_posts" make no category; an unknown one is 404.
	for _, path := range []string{"/category/2024/feed.atom", "/category/05/feed.atom", "/category/_posts/feed.atom",
		"/category/posts/feed.atom", "/category/nothing/", "/category/business/nothing.atom", "/category/Business/feed.atom"} {
		resp, err := http.Get(p.url(path))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %s; want 404", path, resp.Status)
		}
	}
	// The index and the entry pages link to the categories' pages; the
	// index to the list of feeds.
	index := string(get(t, p.url("/")))
	if !strings.Contains(index, `<link rel="outline" type="text/x-opml"`) || !strings.Contains(index, p.url("/feeds.opml")) {
		t.Error("the index does not link to /feeds.opml with rel=outline")
	}
	persian := p.url("/category/%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF/")
	if !strings.Contains(index, `href="`+persian+`" rel="tag">اقتصاد</a>`) {
		t.Errorf("the index does not link the tag اقتصاد to %s", persian)
	}
	post := string(get(t, p.url("/"+feed.PagePath(p.id("blog/_posts/2024-01-02-post.md")))))
	for _, slug := range []string{"blog", "business"} {
		if !strings.Contains(post, `href="`+p.url("/"+feed.CategoryDir(slug))+`" rel="tag"`) {
			t.Errorf("the post's page does not link to its category %s", slug)
		}
	}
	p.stop(t)
}

// TestCategorySources: each source of categories can be switched off.
func TestCategorySources(t *testing.T) {
	for _, tc := range []struct {
		src  feed.CategorySources
		want []string
	}{
		{feed.CategorySources{Folders: true}, []string{"blog", "business", "sport-football"}},
		{feed.CategorySources{Tags: true}, []string{"business", "notes", "اقتصاد", "经济"}},
		{feed.CategorySources{Places: true}, []string{"tehran"}},
		{feed.CategorySources{}, nil},
	} {
		t.Run(fmt.Sprintf("%+v", tc.src), func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.Categories = &tc.src })
			categorySeeds(t, e.seeds)
			p := start(t, e)
			var got []string
			cats, _ := p.d.ix.Categories()
			for _, c := range cats {
				got = append(got, c.Slug)
			}
			slices.Sort(got)
			slices.Sort(tc.want)
			if !slices.Equal(got, tc.want) {
				t.Errorf("categories %q; want %q", got, tc.want)
			}
			_, feeds := opmlOutlines(t, get(t, p.url("/"+feed.OPMLPath)))
			if len(feeds) != len(tc.want)+1 {
				t.Errorf("OPML lists %d feeds; want %d", len(feeds), len(tc.want)+1)
			}
			p.stop(t)
		})
	}
}

// TestCategoryChanges: a change re-renders only the categories it
// touches; their validators move, others' stay; the hub hears of the
// feeds of the touched categories only, which name it in Link and hubs.
func TestCategoryChanges(t *testing.T) {
	pinged := make(chan string, 100)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("hub.mode") == "publish" {
			for _, u := range r.PostForm["hub.url"] {
				pinged <- u
			}
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hub.Close()
	e := newEnv(t, func(o *Options) { o.Site.Hubs = []string{hub.URL} })
	categorySeeds(t, e.seeds)
	p := start(t, e)
	head := func(path string) http.Header {
		t.Helper()
		resp, err := http.Get(p.url(path))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", path, resp.Status)
		}
		return resp.Header
	}
	sport, business := "/category/sport-football/feed.atom", "/category/business/feed.json"
	before := map[string]http.Header{sport: head(sport), business: head(business)}
	for path, h := range before {
		if h.Get("Etag") == "" || h.Get("Last-Modified") == "" {
			t.Errorf("%s: ETag %q, Last-Modified %q; want both", path, h.Get("Etag"), h.Get("Last-Modified"))
		}
		if !strings.Contains(h.Get("Link"), "<"+hub.URL+`>; rel="hub"`) || !strings.Contains(h.Get("Link"), "<"+p.url(path)+`>; rel="self"`) {
			t.Errorf("%s: Link %q; want the hub and itself", path, h.Get("Link"))
		}
		req, _ := http.NewRequest("GET", p.url(path), nil)
		req.Header.Set("If-None-Match", h.Get("Etag"))
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s with its ETag: %s; want 304", path, resp.Status)
		}
	}
	if !bytes.Contains(get(t, p.url(business)), []byte(`"hubs":[{"type":"WebSub","url":"`+hub.URL)) {
		t.Error("a category's JSON Feed does not name the hub")
	}
	for _, k := range []feed.Kind{feed.Atom, feed.RSS} {
		b := get(t, p.url("/category/business/"+k.Path))
		if !bytes.Contains(b, []byte(`<`+map[bool]string{true: "link", false: "atom:link"}[k == feed.Atom]+` href="`+hub.URL+`" rel="hub"`)) {
			t.Errorf("the category's %s feed does not name the hub:\n%s", k.Title, b)
		}
		if !bytes.Contains(b, []byte(p.url("/icon.png"))) {
			t.Errorf("the category's %s feed does not name the icon", k.Title)
		}
	}
	made := p.d.catMade.Load()
	for len(pinged) > 0 {
		<-pinged
	}
	feedtest.Write(t, filepath.Join(e.seeds, "business", "d.txt"), "Markets fall\n\nStocks fell on Tuesday.\n")
	feedtest.WaitFor(t, 10*time.Second, "the new file in the business feed", func() bool {
		return bytes.Contains(get(t, p.url(business)), []byte("Markets fall"))
	})
	if h := head(business); h.Get("Etag") == before[business].Get("Etag") || h.Get("Last-Modified") == before[business].Get("Last-Modified") {
		t.Errorf("the business feed changed, but kept ETag %q and Last-Modified %q", h.Get("Etag"), h.Get("Last-Modified"))
	}
	if n := p.d.catMade.Load() - made; n != 1 {
		t.Errorf("%d category documents rendered after the change; want 1, the business feed", n)
	}
	if h := head(sport); h.Get("Etag") != before[sport].Get("Etag") || h.Get("Last-Modified") != before[sport].Get("Last-Modified") {
		t.Errorf("the sport feed, untouched, moved: ETag %q, Last-Modified %q", h.Get("Etag"), h.Get("Last-Modified"))
	}
	if n := p.d.catMade.Load() - made; n != 1 {
		t.Errorf("%d category documents rendered after the untouched one was asked for; want it served from the cache", n)
	}
	var got []string
	feedtest.WaitFor(t, 10*time.Second, "the hub pinged for the business feeds", func() bool {
		for len(pinged) > 0 {
			got = append(got, <-pinged)
		}
		return slices.Contains(got, p.url("/category/business/feed.atom"))
	})
	for _, u := range got {
		if strings.Contains(u, "/category/") && !strings.Contains(u, "/category/business/") {
			t.Errorf("the hub was told about %s, which did not change", u)
		}
	}
	p.stop(t)
}

// TestCategoryArchive: a category larger than a feed has an archive of
// its own, which a reader walks from the category's feed to every entry
// of the category exactly once, after adds and deletions.
func TestCategoryArchive(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Site.Limit = 5 })
	live := map[string]bool{}
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 23 {
		name := fmt.Sprintf("many/f%02d.txt", i)
		path := filepath.Join(e.seeds, filepath.FromSlash(name))
		feedtest.Write(t, path, fmt.Sprintf("Story %d\n\nText %d.\n", i, i))
		mt := base.Add(time.Duration(i) * time.Hour)
		if err := os.Chtimes(path, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	p := start(t, e)
	for i := range 23 {
		live[p.id(fmt.Sprintf("many/f%02d.txt", i))] = true
	}
	check := func() {
		t.Helper()
		for _, format := range []string{"atom", "rss", "json"} {
			seen, docs := walkFrom(t, p.url("/category/many/feed."+format), format)
			checkOnce(t, "many "+format, seen, live)
			if len(docs) < 4 {
				t.Errorf("%s: %d documents in the walk; want the feed and its archive pages", format, len(docs))
			}
			for url := range docs {
				if !strings.Contains(url, "/category/many/") {
					t.Errorf("the walk of the category left it for %s", url)
				}
			}
		}
	}
	check()
	feedtest.Write(t, filepath.Join(e.seeds, "many", "new.txt"), "New story\n\nJust in.\n")
	live[p.id("many/new.txt")] = true
	if err := os.Remove(filepath.Join(e.seeds, "many", "f03.txt")); err != nil {
		t.Fatal(err)
	}
	delete(live, p.id("many/f03.txt"))
	gone := p.url("/" + feed.PagePath(p.id("many/f03.txt")))
	feedtest.WaitFor(t, 10*time.Second, "the changes indexed", func() bool {
		resp, err := http.Get(gone)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusGone && bytes.Contains(get(t, p.url("/category/many/feed.atom")), []byte("New story"))
	})
	check()
	p.stop(t)
}

// TestCategoryNewsboat: newsboat imports /feeds.opml, and reads a
// category's feed.
func TestCategoryNewsboat(t *testing.T) {
	newsboat, sqlite := feedtest.NeedTool(t, "newsboat"), feedtest.NeedTool(t, "sqlite3")
	e := newEnv(t, nil)
	categorySeeds(t, e.seeds)
	p := start(t, e)
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home, "TERM=dumb")
	opml := filepath.Join(home, "feeds.opml")
	if err := os.WriteFile(opml, get(t, p.url("/"+feed.OPMLPath)), 0o644); err != nil {
		t.Fatal(err)
	}
	urls := filepath.Join(home, "urls")
	feedtest.Write(t, urls, "")
	cmd := exec.Command(newsboat, "-u", urls, "-c", filepath.Join(home, "import.db"), "-C", os.DevNull, "-i", opml)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("newsboat -i: %v\n%s", err, out)
	}
	b, err := os.ReadFile(urls)
	if err != nil {
		t.Fatal(err)
	}
	_, feeds := opmlOutlines(t, get(t, p.url("/"+feed.OPMLPath)))
	for u := range feeds {
		if !bytes.Contains(b, []byte(u)) {
			t.Errorf("newsboat imported no %s from the OPML; its urls:\n%s", u, b)
		}
	}
	cache := filepath.Join(home, "cache.db")
	feedtest.Write(t, urls, p.url("/category/business/feed.atom")+"\n")
	cmd = exec.Command(newsboat, "-u", urls, "-c", cache, "-C", os.DevNull, "-x", "reload")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("newsboat: %v\n%s", err, out)
	}
	out, err := exec.Command(sqlite, cache, "select title from rss_item order by title").Output()
	if err != nil {
		t.Fatalf("sqlite3: %v", err)
	}
	if got := strings.Fields(string(out)); !slices.Equal(got, []string{"Markets", "rally", "Post"}) {
		t.Errorf("newsboat read %q from the business feed; want Markets rally, Post", out)
	}
	p.stop(t)
}

// TestCategoryRedirect: a category's folder named without its slash
// leads to its page.
func TestCategoryRedirect(t *testing.T) {
	e := newEnv(t, nil)
	categorySeeds(t, e.seeds)
	p := start(t, e)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for path, want := range map[string]string{
		"/category/business":                             "/category/business/",
		"/category/%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF": "/category/%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF/",
	} {
		resp, err := client.Get(p.url(path))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			t.Errorf("GET %s: %s to %q; want 301 to %s", path, resp.Status, resp.Header.Get("Location"), want)
		}
	}
	p.stop(t)
}

// TestBuildTranslatedBundleCategory: a Hugo page bundle's translations
// (index.fr.md) are in the category its page (index.md) is in, the
// bundle's section, and make no category of the bundle's own.
func TestBuildTranslatedBundleCategory(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Site.BaseURL = "https://h.example/" })
	feedtest.Write(t, filepath.Join(e.seeds, "posts", "my-post", "index.md"), "---\ntitle: My post\n---\nIn English.\n")
	feedtest.Write(t, filepath.Join(e.seeds, "posts", "my-post", "index.fr.md"), "---\ntitle: Mon billet\n---\nEn français.\n")
	out := t.TempDir()
	if err := Build(t.Context(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(feed.Place{Dir: feed.CategoryDir(feed.Slug("posts"))}.Path(feed.Atom))))
	if err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"My post", "Mon billet"} {
		if !strings.Contains(string(b), "<title>"+title+"</title>") {
			t.Errorf("the posts feed lacks %q", title)
		}
	}
	dirs, err := os.ReadDir(filepath.Join(out, "category"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if strings.Contains(d.Name(), "my-post") {
			t.Errorf("the bundle has a category of its own: %s", d.Name())
		}
	}
}
