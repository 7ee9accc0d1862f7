package httpd

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/seedfeed/seedfeed/feed"
)

// Media opens a file of the seeds folder that entries reference, by its
// path under the base URL (see feed.MediaPath), or says that none may be
// served there. The daemon answers it: only files that a live entry
// references, of a media type, inside the folder.
type Media func(name string) (MediaFile, bool)

// MediaFile is a file that Media opened. The handler closes Body.
type MediaFile struct {
	Body    io.ReadSeekCloser
	Type    string
	Size    int64
	ModTime time.Time
}

// SetMedia makes h serve the files that media opens, under feed.MediaDir.
// It must be called before h serves.
func (h *Handler) SetMedia(media Media) { h.openMedia = media }

// mediaPolicy keeps a picture opened on its own (an SVG, say) from running
// script on the feeds' origin.
const mediaPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

// media serves a file that entries reference. Unlike the feeds, it is not
// in the snapshot: it is read from the folder on each request, so that a
// large video costs no memory, with ranges for players that seek.
func (h *Handler) media(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if _, ok := feed.MediaRel(name); !ok || h.openMedia == nil {
		notFound(w, r)
		return
	}
	if _, ok := h.warmed(w, r); !ok {
		return // the index says which files entries reference
	}
	f, ok := h.openMedia(name)
	if !ok {
		notFound(w, r)
		return
	}
	defer f.Body.Close()
	hdr := w.Header()
	hdr["Content-Type"] = []string{f.Type}
	hdr["Cache-Control"] = []string{fmt.Sprintf("public, max-age=%d", int(h.maxAge.Seconds()))}
	hdr["Content-Security-Policy"] = []string{mediaPolicy}
	// A weak tag: the size and the time of the file name its version
	// without reading it.
	hdr["Etag"] = []string{fmt.Sprintf(`W/"%x-%x"`, f.Size, f.ModTime.UnixNano())}
	http.ServeContent(w, r, "", f.ModTime, f.Body)
}
