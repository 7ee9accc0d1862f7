package render

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/feeds"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
)

// updated is when the newest change to the feed happened; for an empty feed,
// the time it was rendered.
func updated(entries []feed.Entry, now time.Time) time.Time {
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

// gorillaFeed builds the gorilla/feeds model of the feed. Entries carry
// their whole text, newest first, until the feed's byte budget is spent;
// from the first that does not fit, and wherever the index left the text
// out, they carry a teaser instead, so that no reader refuses the feed for
// its size. The entries and
// the site must be clean of characters XML forbids (see clean), because
// gorilla/feeds writes RSS content as raw CDATA.
func gorillaFeed(site feed.Site, entries []feed.Entry, now time.Time, at feed.Place) *feeds.Feed {
	f := &feeds.Feed{
		Title:       site.Title,
		Link:        &feeds.Link{Href: site.URL(at.Dir)},
		Description: site.Description(),
		Id:          site.URL(at.Dir),
		Updated:     updated(entries, now),
	}
	budget := site.Budget()
	for _, e := range entries {
		content := e.Content
		if !budget.Fits(len(content)) || e.Trimmed {
			content = teaser(site, e) // the index left the text out, or it does not fit
		} else {
			content = absoluteLinks(site, e)
		}
		item := &feeds.Item{
			Title:       e.Title,
			Link:        &feeds.Link{Href: site.URL(feed.PagePath(e.ID)), Rel: "alternate", Type: "text/html"},
			Description: e.Summary,
			Id:          e.ID,
			IsPermaLink: "false",
			Created:     e.Published,
			Updated:     e.Updated,
			Content:     content,
		}
		item.Author = byline(site, e)
		if m, ok := enclosure(e); ok {
			item.Enclosure = &feeds.Enclosure{Url: site.URL(feed.MediaPath(m.Path)), Length: strconv.FormatInt(m.Size, 10), Type: m.Type}
		}
		f.Items = append(f.Items, item)
	}
	return f
}

// byline is the author an entry names in the feeds: its own (see
// extract.Doc.Author), else the author configured for the site, else none.
// The configured author is repeated on each entry rather than left to the
// feed level: RSS has no feed author for items to inherit (managingEditor
// is an optional e-mail address), and many readers show only an item's
// own byline, so that is what every format carries. The title, which
// stands in as Atom's feed author when none is configured (Site.AuthorName),
// is no byline: a reader already shows the feed's name, and Atom's
// feed-level author keeps every entry valid without it.
func byline(site feed.Site, e feed.Entry) *feeds.Author {
	switch {
	case e.Author != "":
		return &feeds.Author{Name: e.Author}
	case site.Author != "":
		return &feeds.Author{Name: site.Author, Email: site.AuthorEmail}
	}
	return nil
}

// teaser is what a feed carries of an entry past its byte budget: the
// summary and a link to the entry's page, which has the whole text.
func teaser(site feed.Site, e feed.Entry) string {
	return "<p>" + html.EscapeString(e.Summary) + "</p>\n<p><a href=\"" + html.EscapeString(site.URL(feed.PagePath(e.ID))) + "\">Read the whole entry</a></p>"
}

// clean returns the site and entries with every character XML 1.0 forbids
// removed. Extraction already removes them; this is the guarantee at the
// last step, whatever the entries came from.
func clean(site feed.Site, entries []feed.Entry) (feed.Site, []feed.Entry) {
	site.Title, site.Subtitle, site.Author = extract.Clean(site.Title), extract.Clean(site.Subtitle), extract.Clean(site.Author)
	out := make([]feed.Entry, len(entries))
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

// sizeOf guesses the length of a feed document of entries (see marshalXML).
func sizeOf(entries []feed.Entry) int {
	n := 4 << 10
	for _, e := range entries {
		n += 1<<10 + len(e.Title) + len(e.Summary) + len(e.Content)*6/5 // escaped markup grows
	}
	return n
}

// marshalXML writes v as an indented XML document. size is a guess at its
// length, so that the buffer is made about once rather than doubled into
// place: for an archive page, that doubling was a third of the bytes a
// request allocated.
func marshalXML(v any, size int) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("feed: render: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// apartLeast is the fewest entries that marshalApart gives a goroutine of
// their own.
const apartLeast = 16

// apartBuffers hold what marshalApart writes, which the document it goes
// in copies: the buffers are used again rather than left to the collector.
var apartBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// apartKept is the largest buffer kept in apartBuffers: the entries of an
// archive page take about 60 KB, and a feed of whole texts is not made
// often enough to be worth holding its megabytes.
const apartKept = 1 << 20

// marshalApart marshals items, the entries of a feed, as marshalXML would
// write them inside the document at depth elements deep, for an
// ",innerxml" field to set in their place. They are most of a feed's cost
// and each is independent of the others, so runs of them are marshalled in
// parallel: an archive page made on request is served that much sooner.
// size is a guess at the length of the whole. The bytes returned are good
// until release is called, once the document is marshalled.
func marshalApart[T any](items []T, depth, size int) (b []byte, release func(), err error) {
	runs := make([]*bytes.Buffer, max(1, min(runtime.GOMAXPROCS(0), len(items)/apartLeast)))
	errs := make([]error, len(runs))
	var wg sync.WaitGroup
	for r := range runs {
		runs[r] = apartBuffers.Get().(*bytes.Buffer)
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := runs[r]
			b.Reset()
			b.Grow(size / len(runs))
			run := items[r*len(items)/len(runs) : (r+1)*len(items)/len(runs)]
			// Inside a document, every element opens on a line of its
			// own; a fresh encoder writes no newline before its first.
			if len(run) > 0 {
				b.WriteByte('\n')
			}
			enc := xml.NewEncoder(b)
			enc.Indent(strings.Repeat("  ", depth), "  ")
			for _, it := range run {
				if err := enc.Encode(it); err != nil {
					errs[r] = fmt.Errorf("feed: render: %w", err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, b := range runs[1:] {
		runs[0].Write(b.Bytes())
	}
	release = func() {
		for _, b := range runs {
			if b.Cap() <= apartKept {
				apartBuffers.Put(b)
			}
		}
	}
	return runs[0].Bytes(), release, errors.Join(errs...)
}
