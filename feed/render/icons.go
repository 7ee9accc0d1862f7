package render

import (
	"bytes"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/icon"
)

// withIcon returns site with seedfeed's built-in icon when it has none, so
// that every snapshot has a favicon.ico and every document names an icon.
func withIcon(site feed.Site) feed.Site {
	if site.Favicon.IsZero() {
		site.Favicon, site.Icon = icon.Builtin()
	}
	return site
}

// addImages puts the site's pictures into s, each at its path with its own
// type. A file whose bytes prev holds already is carried over, so that the
// handler does not prepare it again, and it keeps its modification time.
func (s *Snapshot) addImages(site feed.Site, prev *Snapshot, now time.Time) {
	for _, img := range site.Images() {
		if prev != nil {
			if f, ok := prev.Files[img.Path]; ok && f.Type == img.Type && bytes.Equal(f.Body, img.Body) {
				s.Files[img.Path] = f
				continue
			}
		}
		f := newFile(img.Path, img.Body, now)
		f.Type = img.Type
		s.Files[img.Path] = f
	}
}

// imageURL returns the absolute URL of img, or "" when there is none.
func imageURL(site feed.Site, img feed.Image) string {
	if img.IsZero() {
		return ""
	}
	return site.URL(img.Path)
}

// The largest RSS <image> whose size the channel may state (RSS 2.0,
// "Elements of <image>"); a larger one is named without its size, and
// readers scale it.
const rssImageWidth, rssImageHeight = 144, 400
