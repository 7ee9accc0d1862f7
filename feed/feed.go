package feed

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Entry is one seed as the feeds show it.
type Entry struct {
	ID         string
	Path       string // slash-separated, inside the seeds folder
	Title      string
	Summary    string
	Content    string // HTML
	Trimmed    bool   // Content was left out, as the feeds' byte budget was spent (see Budget): they carry the summary and a link
	Author     string // its own: front matter's or a credit line's (see extract.Doc.Author); empty when it names none
	Categories []string
	Lang       string     // BCP 47 tag of its language, when extraction could tell it (see extract.Doc.Lang); else ""
	Media      []Media    // the files of the seeds folder its text references, in order
	Seeds      []SeedLink // the other seeds its text links to ("[x](2024-03-05-post.md)"), whose pages the links lead to
	Published  time.Time
	Updated    time.Time
}

// A SeedLink is a seed that an entry's text links to, and the ID of its
// entry, whose page the link leads to.
type SeedLink struct {
	Path string // in the seeds folder
	ID   string
	// Also are the other files a link from a site's root may name when
	// Path is none: the same path under each folder above the one that
	// holds the seed's _posts (see ResolveRootRef), nearest first.
	Also []string
	// FromRoot are the paths from the site's root that such a link names,
	// which the seeds folder holds below it when it is not the site's
	// root but a folder of the site, its _posts say (see BelowRoot).
	FromRoot []string
}

// String describes an entry for logs.
func (e Entry) String() string { return fmt.Sprintf("%s %q", e.Path, e.Title) }

// Site is what the feeds say about themselves.
type Site struct {
	Title       string
	Subtitle    string
	Author      string // the feed's (Title when empty: Atom needs one), and every entry's that names none of its own
	AuthorEmail string
	Language    string
	BaseURL     string   // absolute, ending in "/"
	Limit       int      // entries in each feed
	FeedBytes   int64    // the budget of full text in one feed document; 0: none
	Hubs        []string // WebSub hubs, announced with rel="hub"
	// SiteTitle is the site's own title when Title is a category's (see
	// render.CategorySite); empty otherwise.
	SiteTitle string
	Favicon   Image // at FaviconPath, an ICO; zero: the built-in icon, in both forms (render fills in Favicon and Icon)
	Icon      Image // the icon as a PNG, at IconPath; zero with a Favicon: the icon was given only as an ICO
	Logo      Image // a larger picture, at one of LogoPaths; zero: none
}

// URL returns the absolute URL of the file at p, a path under the base URL.
// A path with characters a URL may not carry as they are (a category's
// slug in Persian, say) is percent-encoded.
func (s Site) URL(p string) string {
	for i := 0; i < len(p); i++ {
		if c := p[i]; c >= utf8.RuneSelf || c <= ' ' || strings.IndexByte("\"#%<>?\\^`{|}\x7f", c) >= 0 {
			return s.BaseURL + (&url.URL{Path: p}).EscapedPath()
		}
	}
	return s.BaseURL + p
}

// AuthorName is the feed's author: the one configured, else the site's
// title.
func (s Site) AuthorName() string {
	switch {
	case s.Author != "":
		return s.Author
	case s.SiteTitle != "":
		return s.SiteTitle
	}
	return s.Title
}

// Description is the feed's subtitle, which RSS requires to be non-empty.
func (s Site) Description() string {
	if s.Subtitle != "" {
		return s.Subtitle
	}
	return s.Title
}

// PagePath returns the path of an entry's page under the base URL.
func PagePath(id string) string {
	return "entry/" + strings.TrimPrefix(id, "urn:uuid:") + ".html"
}

// PageID returns the ID of the entry whose page is at p, a path under the
// base URL: PagePath turned around. Only a well-formed UUID is one.
func PageID(p string) (string, bool) {
	u, ok1 := strings.CutPrefix(p, "entry/")
	u, ok2 := strings.CutSuffix(u, ".html")
	if !ok1 || !ok2 || len(u) != 36 {
		return "", false
	}
	for i, c := range u {
		dash := i == 8 || i == 13 || i == 18 || i == 23
		if dash != (c == '-') || !dash && !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", false
		}
	}
	return "urn:uuid:" + u, true
}

// Budget spends a site's byte budget of full text in one feed document,
// entry by entry, newest first. Rendering and the index both spend it, so
// that the index keeps in memory only the text the feeds will carry.
type Budget struct {
	left int64 // bytes still to spend; negative once spent
	none bool  // no budget: every entry fits
}

// Budget returns a fresh budget of s.FeedBytes.
func (s Site) Budget() *Budget { return NewBudget(s.FeedBytes) }

// NewBudget returns a budget of n bytes; none at all when n <= 0.
func NewBudget(n int64) *Budget { return &Budget{left: n, none: n <= 0} }

// Fits spends n bytes of an entry's full text and reports whether the
// entry still carries it. Once one entry does not fit, no later one does,
// so that a feed never skips a long entry for a shorter, older one.
func (b *Budget) Fits(n int) bool {
	if b.none {
		return true
	}
	if b.left >= 0 {
		b.left -= int64(n)
	}
	return b.left >= 0
}
