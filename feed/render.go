package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/seedfeed/seedfeed/feed/extract"
)

// Site is what the feeds say about themselves.
type Site struct {
	Title       string
	Subtitle    string
	Author      string // defaults to Title: Atom needs an author
	AuthorEmail string
	Language    string
	BaseURL     string   // absolute, ending in "/"
	Limit       int      // entries in each feed
	Hubs        []string // WebSub hubs, announced with rel="hub"
}

// The files of a rendered site, by path under the base URL.
const (
	AtomPath  = "feed.atom"
	RSSPath   = "feed.rss"
	JSONPath  = "feed.json"
	IndexPath = "index.html"
)

// PagePath returns the path of an entry's page under the base URL.
func PagePath(id string) string {
	return "entry/" + strings.TrimPrefix(id, "urn:uuid:") + ".html"
}

func (s Site) url(p string) string { return s.BaseURL + p }

// FeedURLs returns the absolute URLs of the three feeds.
func (s Site) FeedURLs() []string {
	return []string{s.url(AtomPath), s.url(RSSPath), s.url(JSONPath)}
}

func (s Site) hubLinks() []atomLink {
	var out []atomLink
	for _, hub := range s.Hubs {
		out = append(out, atomLink{Href: hub, Rel: "hub"})
	}
	return out
}

func (s Site) author() string {
	if s.Author != "" {
		return s.Author
	}
	return s.Title
}

// subtitle is the feed's description, which RSS requires to be non-empty.
func (s Site) subtitle() string {
	if s.Subtitle != "" {
		return s.Subtitle
	}
	return s.Title
}

// updated is when the newest change to the feed happened; for an empty feed,
// the time it was rendered.
func updated(entries []Entry, now time.Time) time.Time {
	var t time.Time
	for _, e := range entries {
		if e.Updated.After(t) {
			t = e.Updated
		}
	}
	if t.IsZero() {
		t = now.UTC().Truncate(time.Second)
	}
	return t
}

// gorillaFeed builds the gorilla/feeds model of the feed. The entries and
// the site must be clean of characters XML forbids (see clean), because
// gorilla/feeds writes RSS content as raw CDATA.
func gorillaFeed(site Site, entries []Entry, now time.Time) *feeds.Feed {
	f := &feeds.Feed{
		Title:       site.Title,
		Link:        &feeds.Link{Href: site.url("")},
		Description: site.subtitle(),
		Id:          site.url(""),
		Updated:     updated(entries, now),
	}
	for _, e := range entries {
		item := &feeds.Item{
			Title:       e.Title,
			Link:        &feeds.Link{Href: site.url(PagePath(e.ID)), Rel: "alternate", Type: "text/html"},
			Description: e.Summary,
			Id:          e.ID,
			IsPermaLink: "false",
			Created:     e.Published,
			Updated:     e.Updated,
			Content:     e.Content,
		}
		if e.Author != "" {
			item.Author = &feeds.Author{Name: e.Author}
		}
		f.Items = append(f.Items, item)
	}
	return f
}

// clean returns the site and entries with every character XML 1.0 forbids
// removed. Extraction already removes them; this is the guarantee at the
// last step, whatever the entries came from.
func clean(site Site, entries []Entry) (Site, []Entry) {
	site.Title, site.Subtitle, site.Author = extract.Clean(site.Title), extract.Clean(site.Subtitle), extract.Clean(site.Author)
	out := make([]Entry, len(entries))
	for i, e := range entries {
		e.Title, e.Summary, e.Content, e.Author = extract.Clean(e.Title), extract.Clean(e.Summary), extract.Clean(e.Content), extract.Clean(e.Author)
		if len(e.Categories) > 0 {
			cats := make([]string, len(e.Categories))
			for j, c := range e.Categories {
				cats[j] = extract.Clean(c)
			}
			e.Categories = cats
		}
		out[i] = e
	}
	return site, out
}

// atomLink is a link element of Atom, also used inside RSS as atom:link.
type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
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

func renderAtom(site Site, entries []Entry, now time.Time) ([]byte, error) {
	f := gorillaFeed(site, entries, now)
	af := (&feeds.Atom{Feed: f}).AtomFeed()
	af.Author = &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: site.author(), Email: site.AuthorEmail}}
	doc := &atomFeed{
		AtomFeed: af,
		Lang:     site.Language,
		Links: append([]atomLink{
			{Href: site.url(AtomPath), Rel: "self", Type: "application/atom+xml"},
			{Href: site.url(""), Rel: "alternate", Type: "text/html"},
		}, site.hubLinks()...),
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

// rssDoc wraps gorilla's RSS channel with the namespaces it leaves out.
type rssDoc struct {
	XMLName   xml.Name `xml:"rss"`
	Version   string   `xml:"version,attr"`
	ContentNS string   `xml:"xmlns:content,attr"`
	AtomNS    string   `xml:"xmlns:atom,attr"`
	DCNS      string   `xml:"xmlns:dc,attr"`
	Channel   *rssChannel
}

// rssChannel adds atom:link rel="self" to gorilla's channel.
type rssChannel struct {
	*feeds.RssFeed
	AtomLinks []atomLink `xml:"atom:link"`
	Items     []*rssItem `xml:"item"`
}

// rssItem names its author with dc:creator, because RSS's own <author> must
// be an e-mail address, and gives each category its own element.
type rssItem struct {
	*feeds.RssItem
	Creator    string   `xml:"dc:creator,omitempty"`
	Categories []string `xml:"category"`
}

func renderRSS(site Site, entries []Entry, now time.Time) ([]byte, error) {
	f := gorillaFeed(site, entries, now)
	for _, item := range f.Items {
		// RSS readers treat <description> as HTML: escape the plain summary.
		item.Description = html.EscapeString(item.Description)
	}
	ch := (&feeds.Rss{Feed: f}).RssFeed()
	ch.Language = site.Language
	ch.Generator = "seedfeed"
	ch.ManagingEditor = ""
	if site.AuthorEmail != "" {
		ch.ManagingEditor = fmt.Sprintf("%s (%s)", site.AuthorEmail, site.author())
	}
	doc := &rssDoc{
		Version:   "2.0",
		ContentNS: "http://purl.org/rss/1.0/modules/content/",
		AtomNS:    "http://www.w3.org/2005/Atom",
		DCNS:      "http://purl.org/dc/elements/1.1/",
		Channel: &rssChannel{
			RssFeed:   ch,
			AtomLinks: append([]atomLink{{Href: site.url(RSSPath), Rel: "self", Type: "application/rss+xml"}}, site.hubLinks()...),
		},
	}
	for i, it := range ch.Items {
		it.Author = ""
		ri := &rssItem{RssItem: it, Creator: entries[i].Author, Categories: entries[i].Categories}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	return marshalXML(doc)
}

func marshalXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("feed: render: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// jsonFeed wraps gorilla's JSON Feed so that "items" is present even when
// the feed is empty, as the spec requires.
type jsonFeed struct {
	*feeds.JSONFeed
	Items []*feeds.JSONItem `json:"items"`
}

func renderJSON(site Site, entries []Entry, now time.Time) ([]byte, error) {
	f := gorillaFeed(site, entries, now)
	jf := (&feeds.JSON{Feed: f}).JSONFeed()
	jf.Language = site.Language
	jf.HomePageUrl = site.url("")
	jf.FeedUrl = site.url(JSONPath)
	author := &feeds.JSONAuthor{Name: site.author()}
	jf.Author, jf.Authors = author, []*feeds.JSONAuthor{author}
	for _, hub := range site.Hubs {
		jf.Hubs = append(jf.Hubs, &feeds.JSONHub{Type: "WebSub", Url: hub})
	}
	doc := &jsonFeed{JSONFeed: jf, Items: jf.Items}
	if doc.Items == nil {
		doc.Items = []*feeds.JSONItem{}
	}
	for i, it := range doc.Items {
		it.Tags = entries[i].Categories
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("feed: render: %w", err)
	}
	return append(b, '\n'), nil
}
