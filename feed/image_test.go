package feed_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seedfeed/seedfeed/feed"
)

// TestSiteKeyOfImages: a site is fingerprinted with %#v (render's page
// keys, build's stamp). A picture counts there by its digest, not byte by
// byte, and a change of its bytes changes the key.
func TestSiteKeyOfImages(t *testing.T) {
	site := feed.Site{Title: "T", Logo: feed.Image{Path: "logo.png", Type: "image/png", Body: []byte(strings.Repeat("x", 1<<20))}}
	key := fmt.Sprintf("%#v", site)
	if len(key) > 2000 || !strings.Contains(key, `Path:"logo.png"`) {
		t.Errorf("%%#v of a site with a 1 MiB logo is %d bytes: %.300s; want its path and a digest", len(key), key)
	}
	site.Logo.Body = []byte(strings.Repeat("y", 1<<20))
	if fmt.Sprintf("%#v", site) == key {
		t.Error("a logo's new bytes leave the site's key as it was")
	}
}
