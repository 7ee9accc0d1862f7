package render

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"html/template"
	"time"

	"github.com/seedfeed/seedfeed/feed"
)

//go:embed templates/*.html
var templateFS embed.FS

var (
	indexTemplate = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/index.html"))
	entryTemplate = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/entry.html"))
)

// feedLink is a feed as a page links to it. Alternate is its whole
// autodiscovery tag, made here because html/template would escape the "+"
// of "application/atom+xml", which readers compare literally.
type feedLink struct {
	URL, Title string
	Alternate  template.HTML
}

// pageEntry is an entry as the HTML pages show it.
type pageEntry struct {
	Title, Summary, Author, URL string
	Categories                  []string
	Content                     template.HTML // built by extract, which escapes all text
	Published, Updated          time.Time
}

func (e pageEntry) PublishedISO() string  { return e.Published.Format(time.RFC3339) }
func (e pageEntry) UpdatedISO() string    { return e.Updated.Format(time.RFC3339) }
func (e pageEntry) PublishedText() string { return e.Published.Format("2 January 2006") }
func (e pageEntry) UpdatedText() string   { return e.Updated.Format("2 January 2006 15:04 MST") }
func (e pageEntry) Edited() bool          { return e.Updated.After(e.Published) }

type pageData struct {
	Site    feed.Site
	Icon    string // the URL of favicon.ico, which browsers look for only at the root of a host
	Feeds   []feedLink
	Home    string
	Entries []pageEntry
	Entry   pageEntry
	// Of the index and its archive pages: which page this is (0 for the
	// index), and the pages of older and newer entries, when there are.
	Page         int
	Older, Newer string
}

func newPageData(site feed.Site) pageData {
	data := pageData{Site: site, Home: site.URL(""), Icon: imageURL(site, site.Favicon)}
	for _, k := range feed.Feeds() {
		url := site.URL(k.Path)
		tag := fmt.Sprintf(`<link rel="alternate" type="%s" title="%s (%s)" href="%s">`,
			k.Media, html.EscapeString(site.Title), k.Title, html.EscapeString(url))
		data.Feeds = append(data.Feeds, feedLink{URL: url, Title: k.Title, Alternate: template.HTML(tag)})
	}
	return data
}

func newPageEntry(site feed.Site, e feed.Entry) pageEntry {
	return pageEntry{
		Title:      e.Title,
		Summary:    e.Summary,
		Author:     e.Author,
		URL:        site.URL(feed.PagePath(e.ID)),
		Categories: e.Categories,
		Content:    template.HTML(e.Content),
		Published:  e.Published,
		Updated:    e.Updated,
	}
}

func renderIndex(site feed.Site, entries []feed.Entry, _ time.Time, at feed.Place) ([]byte, error) {
	data := newPageData(site)
	data.Page = at.Page
	if n := at.Prev(); n > 0 {
		data.Older = site.URL(feed.ArchivePath(feed.Index, n))
	}
	switch n := at.Next(); {
	case n > 0:
		data.Newer = site.URL(feed.ArchivePath(feed.Index, n))
	case at.Page > 0:
		data.Newer = site.URL("")
	}
	for _, e := range entries {
		data.Entries = append(data.Entries, newPageEntry(site, e))
	}
	return execute(indexTemplate, "index.html", data)
}

func renderPage(site feed.Site, e feed.Entry) ([]byte, error) {
	data := newPageData(site)
	data.Entry = newPageEntry(site, e)
	return execute(entryTemplate, "entry.html", data)
}

func execute(t *template.Template, name string, data pageData) ([]byte, error) {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("render: %s: %w", name, err)
	}
	return b.Bytes(), nil
}
