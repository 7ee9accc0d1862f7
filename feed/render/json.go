package render

import (
	"cmp"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gorilla/feeds"

	"github.com/seedfeed/seedfeed/feed"
)

// jsonFeed wraps gorilla's JSON Feed so that "items" is present even when
// the feed is empty, as the spec requires.
type jsonFeed struct {
	*feeds.JSONFeed
	Items []*jsonItem `json:"items"`
}

// jsonItem is gorilla's item whose content_text is written even when
// empty, for an item with no content_html: JSON Feed 1.1 wants one or the
// other in every item.
type jsonItem struct {
	*feeds.JSONItem
	ContentText *string `json:"content_text,omitempty"`
	Language    string  `json:"language,omitempty"` // JSON Feed 1.1's: the item's own, when not the feed's (see ownLang)
}

func renderJSON(site feed.Site, entries []feed.Entry, now time.Time, at feed.Place) ([]byte, error) {
	f := gorillaFeed(site, entries, now, at)
	jf := (&feeds.JSON{Feed: f}).JSONFeed()
	jf.Language = site.Language
	jf.HomePageUrl = site.URL(at.Dir)
	jf.FeedUrl = site.URL(at.Current(feed.JSON))
	jf.Favicon, jf.Icon = imageURL(site, site.IconImage()), imageURL(site, site.LargeImage())
	author := &feeds.JSONAuthor{Name: site.AuthorName()}
	jf.Author, jf.Authors = author, []*feeds.JSONAuthor{author}
	if at.Page == 0 {
		for _, hub := range site.Hubs {
			jf.Hubs = append(jf.Hubs, &feeds.JSONHub{Type: "WebSub", Url: hub})
		}
	}
	if n := at.Prev(); n > 0 {
		jf.NextUrl = site.URL(at.Archive(feed.JSON, n)) // JSON Feed pages towards older items
	}
	doc := &jsonFeed{JSONFeed: jf, Items: make([]*jsonItem, len(jf.Items))}
	for i, it := range jf.Items {
		doc.Items[i] = &jsonItem{JSONItem: it, Language: ownLang(site, entries[i])}
		it.Tags = entries[i].Categories
		if it.ContentHTML == "" {
			// A post of front matter alone has its summary, or its title,
			// as its text; "" when it has neither.
			text := cmp.Or(entries[i].Summary, entries[i].Title)
			doc.Items[i].ContentText = &text
		}
		if m, ok := firstImage(entries[i]); ok {
			it.Image = site.URL(feed.MediaPath(m.Path)) // the first picture, whether or not it is the enclosure
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("feed: render: %w", err)
	}
	return append(b, '\n'), nil
}
