package feed

import (
	"path"
	"strconv"
	"strings"
)

// Place is where one document stands among the archive documents of RFC
// 5005: the subscription feed (or the HTML index), which holds the newest
// entries, or one archive page. Archive pages are numbered from 1, the
// oldest; each kind has its own, at ArchivePath.
//
// Dir is the folder of the set of documents, under the base URL: "" for
// the site's own, CategoryDir for a category's.
type Place struct {
	Page  int    // 0: the subscription feed; k >= 1: archive page k
	Pages int    // how many archive pages there are; 0: the subscription feed holds every entry; -1: not known yet (a first index fills)
	Dir   string // "" or "category/<slug>/"
}

// Prev returns the next older archive page, or 0 when there is none.
func (p Place) Prev() int {
	if p.Page == 0 {
		return p.Pages
	}
	return p.Page - 1
}

// Next returns the next newer archive page, or 0 when the next newer
// document is the subscription feed.
func (p Place) Next() int {
	if p.Page == 0 || p.Page >= p.Pages {
		return 0
	}
	return p.Page + 1
}

// Path returns the path of the document of kind k at this place.
func (p Place) Path(k Kind) string {
	if p.Page == 0 {
		return p.Dir + k.Path
	}
	return p.Dir + ArchivePath(k, p.Page)
}

// Current returns the path of the subscription document of kind k of this
// place's set.
func (p Place) Current(k Kind) string { return p.Dir + k.Path }

// Archive returns the path of archive page n of kind k of this place's set.
func (p Place) Archive(k Kind, n int) string { return p.Dir + ArchivePath(k, n) }

// ArchivePath returns the path of archive page n of kind k, such as
// "archive/3.atom".
func ArchivePath(k Kind, n int) string {
	return "archive/" + strconv.Itoa(n) + path.Ext(k.Path)
}

// ParseArchivePath is ArchivePath turned around.
func ParseArchivePath(p string) (Kind, int, bool) {
	rest, ok := strings.CutPrefix(p, "archive/")
	if !ok {
		return Kind{}, 0, false
	}
	ext := path.Ext(rest)
	n, err := strconv.Atoi(strings.TrimSuffix(rest, ext))
	if err != nil || n < 1 || strconv.Itoa(n)+ext != rest {
		return Kind{}, 0, false
	}
	for _, k := range Kinds {
		if path.Ext(k.Path) == ext {
			return k, n, true
		}
	}
	return Kind{}, 0, false
}
