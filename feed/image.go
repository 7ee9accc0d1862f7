package feed

import (
	"crypto/sha256"
	"fmt"
)

// The paths, under the base URL, of the site's pictures (see Image).
const (
	FaviconPath = "favicon.ico" // always an ICO: where browsers and readers look
	IconPath    = "icon.png"    // the icon as a PNG, which every reader can show
)

// LogoPaths are the paths a logo may have, one for each type RSS allows.
var LogoPaths = map[string]string{"image/png": "logo.png", "image/gif": "logo.gif", "image/jpeg": "logo.jpg"}

// ImagePaths returns every path a picture of the site may have.
func ImagePaths() []string {
	return []string{FaviconPath, IconPath, LogoPaths["image/png"], LogoPaths["image/gif"], LogoPaths["image/jpeg"]}
}

// Image is a picture of the site, published beside the feeds, which name
// it: its icon or its logo. The zero Image is none.
type Image struct {
	Path          string // under the base URL: FaviconPath, IconPath or one of LogoPaths
	Type          string // its media type, such as "image/png"
	Width, Height int    // in pixels; 0 for an ICO, which may hold several sizes
	Body          []byte
}

// IsZero reports whether there is no image.
func (i Image) IsZero() bool { return len(i.Body) == 0 }

// GoString names the image and stands for its bytes with their digest:
// sites are fingerprinted and compared with %#v (render's page keys,
// build's stamp), which would otherwise spell out every byte, up to a
// megabyte a picture, on every render.
func (i Image) GoString() string {
	if i.IsZero() {
		return "feed.Image{}"
	}
	return fmt.Sprintf("feed.Image{Path:%q, Type:%q, Width:%d, Height:%d, Body:sha256:%x}", i.Path, i.Type, i.Width, i.Height, sha256.Sum256(i.Body))
}

// Images returns the site's pictures that are set.
func (s Site) Images() []Image {
	var out []Image
	for _, i := range []Image{s.Favicon, s.Icon, s.Logo} {
		if !i.IsZero() {
			out = append(out, i)
		}
	}
	return out
}

// IconImage is the icon that documents name (Atom <icon>, JSON Feed
// favicon): its PNG, which every reader can show, else favicon.ico.
func (s Site) IconImage() Image {
	if !s.Icon.IsZero() {
		return s.Icon
	}
	return s.Favicon
}

// LargeImage is the picture for the formats that want one GIF, JPEG or PNG
// image of the site, as large as there is (RSS <image>, JSON Feed icon):
// the logo, else the icon's PNG, else none (an icon given only as an ICO).
func (s Site) LargeImage() Image {
	if !s.Logo.IsZero() {
		return s.Logo
	}
	return s.Icon
}
