package render

import (
	"encoding/xml"
	"strings"
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
	Lang       string     `xml:"xml:lang,attr,omitempty"`
	HistoryNS  string     `xml:"xmlns:fh,attr,omitempty"`
	Links      []atomLink `xml:"link"`
	Generator  atomGenerator
	Archive    *struct{}    `xml:"fh:archive"`
	Complete   *struct{}    `xml:"fh:complete"`
	Entries    []*atomEntry `xml:"entry"`
	Marshalled []byte       `xml:",innerxml"` // the entries, marshalled apart (see marshalApart), in place of Entries
}

// atomEntry adds <published>, term-attributed categories, and the entry's
// own xml:lang when it is not the feed's.
type atomEntry struct {
	*feeds.AtomEntry
	Lang       string `xml:"xml:lang,attr,omitempty"`
	Base       string `xml:"xml:base,attr,omitempty"` // the page's URL, which relative URLs in the text would be taken against
	Published  string `xml:"published"`
	Categories []atomCategory
}

func renderAtom(site feed.Site, entries []feed.Entry, now time.Time, at feed.Place) ([]byte, error) {
	doc := atomDoc(site, entries, now, at)
	var release func()
	var err error
	doc.Marshalled, release, err = marshalApart(doc.Entries, 1, sizeOf(entries))
	defer release()
	if err != nil {
		return nil, err
	}
	doc.Entries = nil
	return marshalXML(doc, sizeOf(entries))
}

// atomDoc builds the Atom document of entries, with its Entries.
func atomDoc(site feed.Site, entries []feed.Entry, now time.Time, at feed.Place) *atomFeed {
	f := gorillaFeed(site, entries, now, at)
	af := (&feeds.Atom{Feed: f}).AtomFeed()
	af.Author = &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: site.AuthorName(), Email: site.AuthorEmail}}
	af.Icon, af.Logo = imageURL(site, site.IconImage()), imageURL(site, site.Logo) // before the entries, as the schema wants
	doc := &atomFeed{
		AtomFeed: af,
		Lang:     site.Language,
		Links: append([]atomLink{
			{Href: site.URL(at.Path(feed.Atom)), Rel: "self", Type: feed.Atom.Media},
			{Href: site.URL(htmlPath(at)), Rel: "alternate", Type: "text/html"},
		}, historyLinks(site, feed.Atom, at)...),
		Generator: atomGenerator{Name: "seedfeed"},
	}
	doc.HistoryNS, doc.Archive, doc.Complete = history(at)
	for i, ae := range af.Entries {
		e := entries[i]
		if ae.Summary != nil {
			ae.Summary.Type = "text" // a summary is plain text, not markup
		}
		we := &atomEntry{AtomEntry: ae, Lang: ownLang(site, e), Published: e.Published.Format(time.RFC3339), Base: site.URL(feed.PagePath(e.ID))}
		for _, c := range e.Categories {
			we.Categories = append(we.Categories, atomCategory{Term: c})
		}
		doc.Entries = append(doc.Entries, we)
	}
	return doc
}

// ownLang returns the language of e when it is known and is not the
// site's ("de" in an "en" feed), and "" otherwise: an entry in the feed's
// language says nothing of its own. "en-GB" is English as "en" is.
func ownLang(site feed.Site, e feed.Entry) string {
	primary := func(tag string) string { p, _, _ := strings.Cut(tag, "-"); return strings.ToLower(p) }
	if e.Lang == "" || primary(e.Lang) == primary(site.Language) {
		return ""
	}
	return e.Lang
}

// historyNS is the namespace of RFC 5005.
const historyNS = "http://purl.org/syndication/history/1.0"

// history returns the namespace and the element of RFC 5005 that a
// document at at carries: fh:archive on an archive page, fh:complete on a
// subscription feed that holds every entry.
func history(at feed.Place) (ns string, archive, complete *struct{}) {
	switch {
	case at.Page > 0:
		return historyNS, &struct{}{}, nil
	case at.Pages == 0:
		return historyNS, nil, &struct{}{}
	}
	return "", nil, nil
}

// historyLinks returns the links of a document of kind k at at: to the
// archive pages before and after it (RFC 5005) and, from an archive page,
// to the subscription feed; the subscription feed links to its hubs too.
func historyLinks(site feed.Site, k feed.Kind, at feed.Place) []atomLink {
	var out []atomLink
	if at.Page == 0 {
		out = hubLinks(site)
	} else {
		out = append(out, atomLink{Href: site.URL(at.Current(k)), Rel: "current", Type: k.Media})
	}
	if n := at.Prev(); n > 0 {
		out = append(out, atomLink{Href: site.URL(at.Archive(k, n)), Rel: "prev-archive", Type: k.Media})
	}
	if n := at.Next(); n > 0 {
		out = append(out, atomLink{Href: site.URL(at.Archive(k, n)), Rel: "next-archive", Type: k.Media})
	}
	return out
}

// htmlPath returns the path of the HTML page at at.
func htmlPath(at feed.Place) string {
	if at.Page == 0 {
		return at.Dir
	}
	return at.Path(feed.Index)
}
