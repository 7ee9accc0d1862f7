package feed

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

var (
	indexTemplate = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/index.html"))
	entryTemplate = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/entry.html"))
)

// feedLinks are the absolute URLs of the three feeds.
type feedLinks struct{ Atom, RSS, JSON string }

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
	Site    Site
	Feeds   feedLinks
	Home    string
	Entries []pageEntry
	Entry   pageEntry
}

func newPageData(site Site) pageData {
	return pageData{
		Site:  site,
		Feeds: feedLinks{Atom: site.url(AtomPath), RSS: site.url(RSSPath), JSON: site.url(JSONPath)},
		Home:  site.url(""),
	}
}

func (site Site) pageEntry(e Entry) pageEntry {
	return pageEntry{
		Title:      e.Title,
		Summary:    e.Summary,
		Author:     e.Author,
		URL:        site.url(PagePath(e.ID)),
		Categories: e.Categories,
		Content:    template.HTML(e.Content),
		Published:  e.Published,
		Updated:    e.Updated,
	}
}

func renderIndex(site Site, entries []Entry) ([]byte, error) {
	data := newPageData(site)
	for _, e := range entries {
		data.Entries = append(data.Entries, site.pageEntry(e))
	}
	return execute(indexTemplate, "index.html", data)
}

func renderPage(site Site, e Entry) ([]byte, error) {
	data := newPageData(site)
	data.Entry = site.pageEntry(e)
	return execute(entryTemplate, "entry.html", data)
}

func execute(t *template.Template, name string, data pageData) ([]byte, error) {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return nil, fmt.Errorf("feed: render %s: %w", name, err)
	}
	return b.Bytes(), nil
}
