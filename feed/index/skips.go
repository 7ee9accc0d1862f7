package index

import (
	"strings"

	"github.com/seedfeed/seedfeed/feed/extract"
)

// skips counts the files a batch kept out as no posts, to log them in a
// line for each reason rather than a line each: a site's root holds
// hundreds of pages outside its posts, read at its first start, a theme
// its own README.md, and a Hugo site an _index.md in every section of
// every language. The site's files are counted by the site's reason (a
// Pelican site's pages, its theme), the others by the kind of theirs; a
// reason met once in a batch is logged as any skipped file is. The lines
// come once the batch is read.
type skips struct {
	site, other counts // the files the site withholds, by its reason; the others, by the kind of reason (see skipKind)
}

// counts are skipCounts by reason, in the order first met.
type counts struct {
	by    map[string]*skipCount
	order []string
}

// add counts the file at p, kept out because of why, under key.
func (cs *counts) add(key, p, why string) {
	c := cs.by[key]
	if c == nil {
		if cs.by == nil {
			cs.by = map[string]*skipCount{}
		}
		c = &skipCount{}
		cs.by[key] = c
		cs.order = append(cs.order, key)
	}
	c.add(p, why)
}

// skipCount is a count of files kept out for one reason.
type skipCount struct {
	files      int
	first, why string // the first file counted, and why it is kept out
}

func (c *skipCount) add(p, why string) {
	if c.files == 0 {
		c.first, c.why = p, why
	}
	c.files++
}

// note counts the file at p, which is kept out because of why: among the
// site's files when the site withholds it (whatever rule came first),
// else with the others kept out for the same kind of reason.
func (sk *skips) note(site extract.Site, p, why string) {
	if w := site.Withholds(p); w != "" {
		sk.site.add(w, p, w)
		return
	}
	sk.other.add(skipKind(why), p, why)
}

// skipKind is why less the date a post expired on, which differs from
// file to file: files kept out for reasons of one kind share a line.
func skipKind(why string) string {
	if strings.HasPrefix(why, expiredOn) {
		return "expired (its expiryDate)"
	}
	return why
}

// logSkips says what sk counted, if anything: the site's files in a line
// for each of its reasons, whatever their number.
func (ix *Index) logSkips(sk *skips) {
	for _, why := range sk.site.order {
		c := sk.site.by[why]
		ix.log.Info("skipping the site's files that are not posts", "files", c.files, "first", c.first, "reason", why)
	}
	for _, kind := range sk.other.order {
		if c := sk.other.by[kind]; c.files == 1 {
			ix.log.Info("skipping file", "path", c.first, "reason", c.why)
		} else {
			ix.log.Info("skipping files that are not posts", "files", c.files, "first", c.first, "reason", kind)
		}
	}
}
