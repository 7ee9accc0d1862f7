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
	// The text, by its hash, and the dates are all the page shows of the
	// record.
	key := rec.ID + "\x00" + rec.Path + "\x00" + rec.Hash + "\x00" + strconv.FormatInt(rec.Updated.UnixNano(), 10)
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

// archive finds, for the handler, archive page n of kind k, when there are
// pages in all: its entries are read from their files, only when the page
// is not cached already.
func (d *Daemon) archive(site feed.Site, k feed.Kind, n, pages int) httpd.Page {
	recs, key, err := d.ix.ArchivePage(n)
	switch {
	case errors.Is(err, index.ErrNoPage):
		return httpd.Page{Status: httpd.PageNotFound}
	case err != nil:
		d.log.Error("could not read an archive page", "page", n, "reason", err.Error())
		return httpd.Page{Status: httpd.PageUnavailable}
	}
	at := feed.Place{Page: n, Pages: pages}
	pg := httpd.Page{Status: httpd.PageOK, Key: strconv.Itoa(pages) + "\x00" + key, Make: func() (*render.File, httpd.PageStatus) {
		f, err := render.Archive(site, k, d.ix.EntriesOf(recs, site.FeedBytes), at, time.Now())
		if err != nil {
			d.log.Error("could not render an archive page", "page", n, "reason", err.Error())
			return nil, httpd.PageFailed
		}
		return f, httpd.PageOK
	}}
	if n < pages {
		pg.MaxAge = closedMaxAge
	}
	return pg
}
