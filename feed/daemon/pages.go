package daemon

import (
	"errors"
	"strconv"

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
