package render

import (
	"encoding/xml"
	"fmt"
	"html"
	"time"

	"github.com/gorilla/feeds"

	"github.com/seedfeed/seedfeed/feed"
)

// rssDoc wraps gorilla's RSS channel with the namespaces it leaves out.
type rssDoc struct {
	XMLName   xml.Name `xml:"rss"`
	Version   string   `xml:"version,attr"`
	ContentNS string   `xml:"xmlns:content,attr"`
	AtomNS    string   `xml:"xmlns:atom,attr"`
	DCNS      string   `xml:"xmlns:dc,attr"`
	HistoryNS string   `xml:"xmlns:fh,attr,omitempty"`
	MediaNS   string   `xml:"xmlns:media,attr,omitempty"` // Media RSS, when an item has a thumbnail
	Channel   *rssChannel
}

// rssChannel adds atom:link rel="self" to gorilla's channel.
type rssChannel struct {
	*feeds.RssFeed
	AtomLinks  []atomLink `xml:"atom:link"`
	Archive    *struct{}  `xml:"fh:archive"`
	Complete   *struct{}  `xml:"fh:complete"`
	Items      []*rssItem `xml:"item"`
	Marshalled []byte     `xml:",innerxml"` // the items, marshalled apart (see marshalApart), in place of Items
}

// rssItem names its author with dc:creator, because RSS's own <author> must
// be an e-mail address, and gives each category its own element.
type rssItem struct {
	*feeds.RssItem
	Creator    string   `xml:"dc:creator,omitempty"`
	Categories []string `xml:"category"`
	Thumbnail  *mediaThumbnail
}

// mediaThumbnail is Media RSS's picture of an item, which many readers
// show beside it.
type mediaThumbnail struct {
	XMLName xml.Name `xml:"media:thumbnail"`
	URL     string   `xml:"url,attr"`
}

// mediaRSSNS is the namespace of Media RSS.
const mediaRSSNS = "http://search.yahoo.com/mrss/"

func renderRSS(site feed.Site, entries []feed.Entry, now time.Time, at feed.Place) ([]byte, error) {
	doc := rssDocOf(site, entries, now, at)
	var release func()
	var err error
	doc.Channel.Marshalled, release, err = marshalApart(doc.Channel.Items, 2, sizeOf(entries))
	defer release()
	if err != nil {
		return nil, err
	}
	doc.Channel.Items = nil
	return marshalXML(doc, sizeOf(entries))
}

// rssDocOf builds the RSS document of entries, with its Items.
func rssDocOf(site feed.Site, entries []feed.Entry, now time.Time, at feed.Place) *rssDoc {
	f := gorillaFeed(site, entries, now, at)
	for _, item := range f.Items {
		// RSS readers treat <description> as HTML: escape the plain summary.
		item.Description = html.EscapeString(item.Description)
	}
	ch := (&feeds.Rss{Feed: f}).RssFeed()
	ch.Language = site.Language
	ch.Generator = "seedfeed"
	ch.ManagingEditor = ""
	if img := site.LargeImage(); !img.IsZero() { // RSS takes a GIF, JPEG or PNG only: never favicon.ico
		ch.Image = &feeds.RssImage{Url: site.URL(img.Path), Title: site.Title, Link: site.URL(at.Dir)} // title and link as the channel's
		if img.Width <= rssImageWidth && img.Height <= rssImageHeight {
			ch.Image.Width, ch.Image.Height = img.Width, img.Height
		}
	}
	if site.AuthorEmail != "" {
		ch.ManagingEditor = fmt.Sprintf("%s (%s)", site.AuthorEmail, site.AuthorName())
	}
	doc := &rssDoc{
		Version:   "2.0",
		ContentNS: "http://purl.org/rss/1.0/modules/content/",
		AtomNS:    "http://www.w3.org/2005/Atom",
		DCNS:      "http://purl.org/dc/elements/1.1/",
		Channel: &rssChannel{
			RssFeed:   ch,
			AtomLinks: append([]atomLink{{Href: site.URL(at.Path(feed.RSS)), Rel: "self", Type: feed.RSS.Media}}, historyLinks(site, feed.RSS, at)...),
		},
	}
	doc.HistoryNS, doc.Channel.Archive, doc.Channel.Complete = history(at)
	for i, it := range ch.Items {
		ri := &rssItem{RssItem: it, Creator: it.Author, Categories: entries[i].Categories} // gorilla's Author is the byline's name
		it.Author = ""                                                                     // RSS's own <author> must be an e-mail address: dc:creator names the author
		if m, ok := firstImage(entries[i]); ok {
			ri.Thumbnail, doc.MediaNS = &mediaThumbnail{URL: site.URL(feed.MediaPath(m.Path))}, mediaRSSNS
		}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	return doc
}
