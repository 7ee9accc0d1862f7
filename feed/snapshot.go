package feed

import (
	"time"
)

// Snapshot is one immutable rendering of the site: every file, ready to
// write out or to serve. Nothing in it changes after Render returns.
type Snapshot struct {
	Files   map[string][]byte // by path under the base URL, such as "feed.atom"
	Updated time.Time         // the newest entry's update, or the render time when empty
	Known   int               // every entry known, not only those in the feeds
}

// Render renders the feeds, the index page and the page of every entry in
// the feeds. entries must be newest first; only the first site.Limit of them
// are rendered, so the cost follows the limit, not the folder. now dates an
// empty feed.
func Render(site Site, entries []Entry, now time.Time) (*Snapshot, error) {
	known := len(entries)
	if site.Limit > 0 && len(entries) > site.Limit {
		entries = entries[:site.Limit]
	}
	snap := &Snapshot{Files: make(map[string][]byte, len(entries)+4), Updated: updated(entries, now), Known: known}
	renderers := map[string]func(Site, []Entry, time.Time) ([]byte, error){
		AtomPath: renderAtom,
		RSSPath:  renderRSS,
		JSONPath: renderJSON,
		IndexPath: func(s Site, e []Entry, _ time.Time) ([]byte, error) {
			return renderIndex(s, e)
		},
	}
	for name, render := range renderers {
		b, err := render(site, entries, now)
		if err != nil {
			return nil, err
		}
		snap.Files[name] = b
	}
	for _, e := range entries {
		b, err := renderPage(site, e)
		if err != nil {
			return nil, err
		}
		snap.Files[PagePath(e.ID)] = b
	}
	return snap, nil
}
