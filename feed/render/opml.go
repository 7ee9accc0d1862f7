package render

import (
	"encoding/xml"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
)

// opmlDoc is OPML 2.0 (http://opml.org/spec2.opml): a list of feeds that
// a reader imports at once.
type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Owner   string        `xml:"head>ownerName,omitempty"`
	Docs    string        `xml:"head>docs"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Children []opmlOutline `xml:"outline"`
}

// feedOutline is the outline of the Atom feed of the documents at dir,
// titled title. OPML's type "rss" stands for any feed format.
func feedOutline(site feed.Site, title, dir string) opmlOutline {
	return opmlOutline{Text: title, Title: title, Type: "rss", XMLURL: site.URL(dir + feed.Atom.Path), HTMLURL: site.URL(dir)}
}

// OPML renders the list of every feed: the site's, then, in one outline
// that readers take for a folder, each category's, in the order given.
// Like Page's, its file has no modification time.
func OPML(site feed.Site, cats []feed.Category) (*File, error) {
	site, _ = clean(site, nil)
	doc := opmlDoc{Version: "2.0", Title: site.Title, Owner: site.AuthorName(), Docs: "http://opml.org/spec2.opml",
		Body: []opmlOutline{feedOutline(site, site.Title, "")}}
	if len(cats) > 0 {
		folder := opmlOutline{Text: site.Title + ": categories"}
		for _, c := range cats {
			folder.Children = append(folder.Children, feedOutline(site, CategoryTitle(site, c.Name), feed.CategoryDir(c.Slug)))
		}
		doc.Body = append(doc.Body, folder)
	}
	b, err := marshalXML(doc, 1<<10+len(cats)*256)
	if err != nil {
		return nil, err
	}
	f := newFile(feed.OPMLPath, b, time.Time{})
	f.Type = "text/x-opml; charset=utf-8"
	return f, nil
}

// CategoryTitle is the title of a category's feeds and pages.
func CategoryTitle(site feed.Site, name string) string {
	return site.Title + ": " + extract.Clean(name)
}

// CategorySite is site as the documents of a category say it: titled
// with the category, by the site's author.
func CategorySite(site feed.Site, name string) feed.Site {
	site.SiteTitle, site.Title = site.Title, CategoryTitle(site, name)
	return site
}
