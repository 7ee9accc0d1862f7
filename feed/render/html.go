package render

import (
	"fmt"
	"html"
	"time"

	"github.com/seedfeed/seedfeed/feed"
)

// feedLink is a feed as a page links to it. Alternate is its whole
// autodiscovery tag, as escaping would make the "+" of
// "application/atom+xml" a character reference, which readers do not
// decode: they compare the type literally.
type feedLink struct {
	URL, Title string
	Alternate  string // HTML
}

// link is a name that links to a page.
type link struct{ Name, URL string }

// pageEntry is an entry as the HTML pages show it.
type pageEntry struct {
	Title, Summary, Author, URL string
	Lang                        string // its own language, when not the site's (see ownLang)
	// Dir is the direction of the entry's text where it differs from the
	// page's (see textDirection); Mixed says that its title, summary and
	// blocks each take their own (dir="auto"), as it has letters of both.
	Dir                string
	Mixed              bool
	Categories         []link // to each category's page; without a URL when the name makes no slug
	Content            string // HTML, built by extract, which escapes all text
	Published, Updated time.Time
}

type pageData struct {
	Site    feed.Site
	TextDir string // the pages' direction, the site language's: "rtl", or "" for left to right
	Icon    string // the URL of favicon.ico, which browsers look for only at the root of a host
	Feeds   []feedLink
	Home    string // the site's index
	Dir     string // of a category's pages (see feed.Place); "" for the site's own
	OPML    string // the list of every feed
	Entries []pageEntry
	Entry   pageEntry
	// Of the index and its archive pages: which page this is (0 for the
	// index), and the pages of older and newer entries, when there are.
	Page         int
	Older, Newer string
}

func newPageData(site feed.Site, at feed.Place) pageData {
	data := pageData{Site: site, Home: site.URL(""), Dir: at.Dir, OPML: site.URL(feed.OPMLPath), Icon: imageURL(site, site.Favicon)}
	if languageDirection(site.Language) == rtl {
		data.TextDir = rtl
	}
	for _, k := range feed.Feeds() {
		url := site.URL(at.Current(k))
		tag := fmt.Sprintf(`<link rel="alternate" type="%s" title="%s (%s)" href="%s">`,
			k.Media, html.EscapeString(site.Title), k.Title, html.EscapeString(url))
		data.Feeds = append(data.Feeds, feedLink{URL: url, Title: k.Title, Alternate: tag})
	}
	return data
}

// newPageEntry makes e a pageEntry for a page whose text runs in the
// direction pageDir ("" for ltr).
func newPageEntry(site feed.Site, e feed.Entry, pageDir string) pageEntry {
	var cats []link
	for _, c := range e.Categories {
		l := link{Name: c}
		if slug := feed.Slug(c); slug != "" {
			l.URL = site.URL(feed.CategoryDir(slug))
		}
		cats = append(cats, l)
	}
	dir, hasRTL := textDirection(e.Title, e.Summary, e.Content)
	if pageDir == "" {
		pageDir = ltr
	}
	if dir == pageDir {
		dir = ""
	}
	return pageEntry{
		Dir:        dir,
		Mixed:      hasRTL || pageDir == rtl,
		Title:      e.Title,
		Summary:    e.Summary,
		Author:     e.Author,
		Lang:       ownLang(site, e),
		URL:        site.URL(feed.PagePath(e.ID)),
		Categories: cats,
		Content:    e.Content,
		Published:  e.Published,
		Updated:    e.Updated,
	}
}

func renderIndex(site feed.Site, entries []feed.Entry, _ time.Time, at feed.Place) ([]byte, error) {
	data := newPageData(site, at)
	data.Page = at.Page
	if n := at.Prev(); n > 0 {
		data.Older = site.URL(at.Archive(feed.Index, n))
	}
	switch n := at.Next(); {
	case n > 0:
		data.Newer = site.URL(at.Archive(feed.Index, n))
	case at.Page > 0:
		data.Newer = site.URL(at.Dir)
	}
	for _, e := range entries {
		data.Entries = append(data.Entries, newPageEntry(site, e, data.TextDir))
	}
	return writeIndex(data), nil
}

func renderPage(site feed.Site, e feed.Entry) ([]byte, error) {
	data := newPageData(site, feed.Place{})
	data.Entry = newPageEntry(site, e, data.TextDir)
	data.Entry.Content = absoluteLinks(site, e)
	if data.Entry.Mixed {
		data.Entry.Content = withBlockDirections(data.Entry.Content)
	}
	return writeEntry(data), nil
}
