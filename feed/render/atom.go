package render

import (
	"encoding/xml"
	"time"

	"github.com/gorilla/feeds"

	"github.com/seedfeed/seedfeed/feed"
)

// atomLink is a link element of Atom, also used inside RSS as atom:link.
type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

func hubLinks(s feed.Site) []atomLink {
	var out []atomLink
	for _, hub := range s.Hubs {
		out = append(out, atomLink{Href: hub, Rel: "hub"})
	}
	return out
}

type atomCategory struct {
	XMLName xml.Name `xml:"category"`
	Term    string   `xml:"term,attr"`
}

type atomGenerator struct {
	XMLName xml.Name `xml:"generator"`
	URI     string   `xml:"uri,attr,omitempty"`
	Name    string   `xml:",chardata"`
}

// atomFeed wraps gorilla's Atom feed with what it cannot express: xml:lang,
// several links, and a valid author.
type atomFeed struct {
	*feeds.AtomFeed
	Lang      string     `xml:"xml:lang,attr,omitempty"`
	Links     []atomLink `xml:"link"`
	Generator atomGenerator
	Entries   []*atomEntry `xml:"entry"`
}

// atomEntry adds <published> and term-attributed categories.
type atomEntry struct {
	*feeds.AtomEntry
	Published  string `xml:"published"`
	Categories []atomCategory
}

func renderAtom(site feed.Site, entries []feed.Entry, now time.Time) ([]byte, error) {
	f := gorillaFeed(site, entries, now)
	af := (&feeds.Atom{Feed: f}).AtomFeed()
	af.Author = &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: site.AuthorName(), Email: site.AuthorEmail}}
	doc := &atomFeed{
		AtomFeed: af,
		Lang:     site.Language,
		Links: append([]atomLink{
			{Href: site.URL(feed.Atom.Path), Rel: "self", Type: feed.Atom.Media},
			{Href: site.URL(""), Rel: "alternate", Type: "text/html"},
		}, hubLinks(site)...),
		Generator: atomGenerator{Name: "seedfeed"},
	}
	for i, ae := range af.Entries {
		e := entries[i]
		if ae.Summary != nil {
			ae.Summary.Type = "text" // a summary is plain text, not markup
		}
		we := &atomEntry{AtomEntry: ae, Published: e.Published.Format(time.RFC3339)}
		for _, c := range e.Categories {
			we.Categories = append(we.Categories, atomCategory{Term: c})
		}
		doc.Entries = append(doc.Entries, we)
	}
	return marshalXML(doc)
}
