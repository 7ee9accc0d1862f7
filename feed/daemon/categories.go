package daemon

import (
	"strconv"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/httpd"
	"github.com/seedfeed/seedfeed/feed/render"
)

// The documents of categories, and the list of every feed, are made on
// request and cached by the handler, like old entry pages: a site of
// 10,000 tags renders, after a change, nothing but its own feeds, and a
// category's documents again only when a reader asks for them after the
// category changed. A change notes the categories it touched (see
// index.TakeTouched): their archives close pages, their feeds get a new
// Last-Modified, and the hubs hear of them.

// document finds, for the handler, a document made on request by its
// path: a category's, or the list of every feed.
func (d *Daemon) document(snap *render.Snapshot, name string) httpd.Page {
	if name == feed.OPMLPath {
		return d.opml(snap.Site)
	}
	slug, rest, ok := feed.ParseCategoryPath(name)
	if !ok {
		return httpd.Page{Status: httpd.PageNotFound}
	}
	catName, ok := d.ix.Category(slug)
	if !ok {
		return httpd.Page{Status: httpd.PageNotFound}
	}
	site := render.CategorySite(snap.Site, catName)
	if k, ok := feed.KindOf(rest); ok {
		return d.categoryFeed(snap, site, slug, k)
	}
	k, n, ok := feed.ParseArchivePath(rest)
	if !ok {
		return httpd.Page{Status: httpd.PageNotFound}
	}
	layout, err := d.ix.CategoryLayout(slug, snap.Site.Limit)
	if err != nil {
		d.log.Error("could not read a category's archive", "category", slug, "reason", err.Error())
		return httpd.Page{Status: httpd.PageUnavailable}
	}
	if pages := layout.Pages(); pages >= 0 && n > pages {
		return httpd.Page{Status: httpd.PageNotFound}
	}
	return d.archivePage(site, layout, feed.Place{Page: n, Pages: layout.Pages(), Dir: feed.CategoryDir(slug)}, k)
}

// categoryFeed finds the subscription document of kind k of a category:
// its newest entries, with their text while the feeds' budget lasts. Its
// Last-Modified is the later of the category's last change and the site's
// (see render.Snapshot.SiteSince); none while that is ahead of the clock.
func (d *Daemon) categoryFeed(snap *render.Snapshot, site feed.Site, slug string, k feed.Kind) httpd.Page {
	main := snap.Site
	recs, layout, mod, key, err := d.ix.CategoryFeed(slug, main.Limit)
	if err != nil {
		d.log.Error("could not read a category's entries", "category", slug, "reason", err.Error())
		return httpd.Page{Status: httpd.PageUnavailable}
	}
	at := feed.Place{Pages: layout.Pages(), Dir: feed.CategoryDir(slug)}
	if snap.SiteSince.After(mod) {
		mod = snap.SiteSince
	}
	if mod.After(time.Now()) {
		mod = time.Time{} // two changes within a second: the ETag alone tells them apart
	}
	pg := httpd.Page{Status: httpd.PageOK, Key: mod.String() + "\x00" + key, Make: func() (*render.File, httpd.PageStatus) {
		d.catMade.Add(1)
		d.log.Debug("rendering a category document", "document", at.Path(k))
		entries, err := d.ix.EntriesOf(recs, site.FeedBytes)
		if err != nil {
			// Cached, it would lack the entry until the category changes.
			d.log.Warn("cannot make a category's feed for now", "document", at.Path(k), "reason", err.Error())
			return nil, httpd.PageUnavailable
		}
		f, err := render.Document(site, k, entries, at, time.Now(), mod)
		if err != nil {
			d.log.Error("could not render a category's feed", "document", at.Path(k), "reason", err.Error())
			return nil, httpd.PageFailed
		}
		return f, httpd.PageOK
	}}
	if k.Feed {
		pg.Link = httpd.HubLink(main, at.Path(k))
	}
	return pg
}

// opml finds the list of every feed, made again when the list of
// categories changes.
func (d *Daemon) opml(site feed.Site) httpd.Page {
	gen := d.ix.CategoriesGeneration()
	return httpd.Page{Status: httpd.PageOK, Key: strconv.FormatUint(gen, 10), Make: func() (*render.File, httpd.PageStatus) {
		cats, _ := d.ix.Categories()
		f, err := render.OPML(site, cats)
		if err != nil {
			d.log.Error("could not render the list of feeds", "reason", err.Error())
			return nil, httpd.PageFailed
		}
		return f, httpd.PageOK
	}}
}

// categoriesChanged brings the categories that the last batches touched in
// step: their archives close the pages that are full; and it returns the
// URLs of their feeds, for the hubs, once the first index is done: that
// one touches every category, and a restart is no news to subscribers.
// The caller holds d.mu.
func (d *Daemon) categoriesChanged() []string {
	touched := d.ix.TakeTouched()
	if len(touched) == 0 {
		return nil
	}
	if err := d.ix.CloseCategoryArchives(touched, d.site.Limit, d.site.Limit); err != nil {
		d.log.Error("could not page the categories' archives", "reason", err.Error())
	}
	select {
	case <-d.ready:
	default:
		return nil
	}
	var urls []string
	for _, slug := range touched {
		if _, ok := d.ix.Category(slug); ok {
			for _, k := range feed.Feeds() {
				urls = append(urls, d.site.URL(feed.CategoryDir(slug)+k.Path))
			}
		}
	}
	return urls
}
