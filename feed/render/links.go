package render

import (
	"html"
	"net/url"
	"strings"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
)

// absoluteLinks returns e's text with every relative URL of its links and
// images made absolute, so that it works wherever a reader shows it: a
// file of the seeds folder that the entry references (e.Media) at its
// address under media/, any other against the URL of the entry's page,
// which is where the text is published. The text comes from extract: an
// href or src attribute is the only place `href="` or `src="` can be.
func absoluteLinks(site feed.Site, e feed.Entry) string {
	content := e.Content
	if !strings.Contains(content, ` href="`) && !strings.Contains(content, ` src="`) {
		return content
	}
	page, err := url.Parse(site.URL(feed.PagePath(e.ID)))
	if err != nil {
		return content
	}
	var b strings.Builder
	b.Grow(len(content) + len(content)/8)
	for {
		i := extract.NextURLAttr(content)
		if i < 0 {
			break
		}
		end := strings.IndexByte(content[i:], '"')
		if end < 0 {
			break
		}
		b.WriteString(content[:i])
		b.WriteString(html.EscapeString(resolveLink(site, page, e, html.UnescapeString(content[i:i+end]))))
		content = content[i+end:]
	}
	b.WriteString(content)
	return b.String()
}

// resolveLink makes ref, a link or image of e's text, absolute: a link to
// another seed leads to its entry's page, a file beside it to its copy.
func resolveLink(site feed.Site, page *url.URL, e feed.Entry, ref string) string {
	if rel, ok := feed.SeedRef(e.Path, ref); ok {
		for _, sl := range e.Seeds {
			if sl.Path == rel {
				u := site.URL(feed.PagePath(sl.ID))
				if i := strings.IndexByte(ref, '#'); i >= 0 {
					u += ref[i:]
				}
				return u
			}
		}
	}
	for _, rel := range feed.AnyRefs(e.Path, ref) {
		for _, m := range e.Media {
			if m.Path == rel {
				u := site.URL(feed.MediaPath(rel))
				if i := strings.IndexByte(ref, '#'); i >= 0 {
					u += ref[i:] // a page of a PDF, say
				}
				return u
			}
		}
	}
	u, err := url.Parse(ref)
	if err != nil || u.IsAbs() {
		return ref
	}
	return page.ResolveReference(u).String()
}

// enclosure returns the file of e that feeds attach to it: the first
// picture or sound it references whose size is known, or none.
func enclosure(e feed.Entry) (feed.Media, bool) {
	for _, m := range e.Media {
		if (m.IsImage() || m.IsAudio()) && m.Size > 0 {
			return m, true
		}
	}
	return feed.Media{}, false
}

// firstImage returns the first picture e references, or none.
func firstImage(e feed.Entry) (feed.Media, bool) {
	for _, m := range e.Media {
		if m.IsImage() {
			return m, true
		}
	}
	return feed.Media{}, false
}
