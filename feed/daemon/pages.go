package daemon

import (
	"errors"
	"strconv"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/httpd"
	"github.com/seedfeed/seedfeed/feed/index"
	"github.com/seedfeed/seedfeed/feed/render"
)

// page finds, for the handler, the page of the entry whose ID is id when
// the snapshot does not hold it: the entry is looked up in the index and
// its text read from its file, only when the page is not cached already.
func (d *Daemon) page(site feed.Site, id string) httpd.Page {
	rec, found, err := d.ix.Find(id)
	switch {
	case err != nil:
		d.log.Error("could not look up an entry for its page", "id", id, "reason", err.Error())
		return httpd.Page{Status: httpd.PageUnavailable}
	case found == index.Gone:
		return httpd.Page{Status: httpd.PageGone}
	case found != index.Live:
		return httpd.Page{Status: httpd.PageNotFound}
	}
	key := index.RecordKey(rec)
	return httpd.Page{Status: httpd.PageOK, Key: key, Make: func() (*render.File, httpd.PageStatus) {
		e, err := d.ix.Entry(rec)
		switch {
		case errors.Is(err, index.ErrDraft):
			return nil, httpd.PageNotFound
		case errors.Is(err, index.ErrUnseen):
			return nil, httpd.PageUnavailable
		case err != nil:
			// Gone bad since it was indexed: the next rescan takes it out.
			d.log.Warn("cannot show an entry's page", "path", rec.Path, "reason", err.Error())
			return nil, httpd.PageNotFound
		}
		f, err := render.Page(site, e)
		if err != nil {
			d.log.Error("could not render an entry's page", "path", rec.Path, "reason", err.Error())
			return nil, httpd.PageFailed
		}
		return f, httpd.PageOK
	}}
}

// closedMaxAge is the max-age of a closed archive page: its entries change
// only when one arrives late, is edited or goes.
const closedMaxAge = 24 * time.Hour

// archive finds, for the handler, archive page n of kind k that goes with
// snap: its entries are read from their files, only when the page is not
// cached already.
func (d *Daemon) archive(snap *render.Snapshot, k feed.Kind, n int) httpd.Page {
	layout, ok := d.layoutOf(snap)
	if !ok {
		return httpd.Page{Status: httpd.PageUnavailable} // a snapshot swapped out meanwhile
	}
	return d.archivePage(snap.Site, layout, feed.Place{Page: n, Pages: layout.Pages()}, k)
}

// archivePage finds archive page at.Page of kind k of the archive laid
// out as layout: the site's, or a category's (at.Dir).
func (d *Daemon) archivePage(site feed.Site, layout index.Layout, at feed.Place, k feed.Kind) httpd.Page {
	n, pages := at.Page, at.Pages
	if pages < 0 {
		// A first index fills: the archive is laid out once it is whole,
		// and a reader that follows an old link is asked to come back.
		return httpd.Page{Status: httpd.PageUnavailable}
	}
	recs, key, err := d.ix.ArchivePage(layout, n)
	switch {
	case errors.Is(err, index.ErrNoPage):
		return httpd.Page{Status: httpd.PageNotFound}
	case err != nil:
		d.log.Error("could not read an archive page", "page", at.Path(k), "reason", err.Error())
		return httpd.Page{Status: httpd.PageUnavailable}
	}
	// The page's bytes depend on the count of pages only through its
	// link to the next: whether it is the newest.
	pg := httpd.Page{Status: httpd.PageOK, Key: strconv.FormatBool(n == pages) + "\x00" + key, Make: func() (*render.File, httpd.PageStatus) {
		entries, err := d.ix.EntriesOf(recs, index.NoText)
		if err != nil {
			// A page without one of its entries is not kept: a reader
			// that walks the archive would miss that entry for good.
			d.log.Warn("cannot make an archive page for now", "page", at.Path(k), "reason", err.Error())
			return nil, httpd.PageUnavailable
		}
		f, err := render.Archive(site, k, entries, at, time.Now())
		if err != nil {
			d.log.Error("could not render an archive page", "page", at.Path(k), "reason", err.Error())
			return nil, httpd.PageFailed
		}
		return f, httpd.PageOK
	}}
	if n < pages {
		pg.MaxAge = closedMaxAge
	}
	return pg
}

// keepLayout remembers the archive's layout at the render of snap, for the
// archive pages served beside it. The layouts of the snapshot being served
// and of the one about to replace it are kept.
func (d *Daemon) keepLayout(snap *render.Snapshot, l index.Layout) {
	d.layoutMu.Lock()
	defer d.layoutMu.Unlock()
	cur := d.handler.Current()
	for s := range d.layouts {
		if s != cur {
			delete(d.layouts, s)
		}
	}
	d.layouts[snap] = l
}

func (d *Daemon) layoutOf(snap *render.Snapshot) (index.Layout, bool) {
	d.layoutMu.Lock()
	defer d.layoutMu.Unlock()
	l, ok := d.layouts[snap]
	return l, ok
}
