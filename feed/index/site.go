package index

import (
	"strings"

	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/source"
)

// readers say how the index reads files: with its options, as the site
// the folder is says (see findSite). They are replaced whole, never
// changed, so a reader at work keeps the ones it started with.
type readers struct {
	found       source.Site     // what the source last found the folder to be
	full, brief extract.Options // brief: for entries without their text (NoText)
}

// reader returns the options files are read with now.
func (ix *Index) reader() extract.Options { return ix.how.Load().full }

// SiteOf is the rule extraction follows in a folder the source found
// to be s.
func SiteOf(s source.Site) extract.Site {
	return extract.Site{Generator: s.Generator, Content: s.Content}
}

// findSite asks the source what the folder is (a Jekyll or a Hugo site's
// root, or neither), and has extraction follow it from now on. It is
// logged when it changes, the first time included. Files kept out by the
// rule of before, remembered as they were (see Index.failed), are read
// again at the next rescan by the new one; those it withholds now that
// have records are read again by judge.
func (ix *Index) findSite() {
	found := ix.src.Site()
	old := ix.how.Load()
	if found == old.found {
		return
	}
	full := old.full
	full.Site = SiteOf(found)
	ix.how.Store(&readers{found: found, full: full, brief: briefOf(full)})
	was := SiteOf(old.found)
	ix.mu.Lock()
	for p := range ix.failed {
		if was.Withholds(p) != "" {
			delete(ix.failed, p)
		}
	}
	ix.mu.Unlock()
	switch {
	case found.Generator == "jekyll":
		ix.log.Info("the seeds folder is a Jekyll site's root: only its posts, the files in _posts folders, are published", "config", found.Config)
	case found.Generator == "hugo":
		ix.log.Info("the seeds folder is a Hugo site's root: only its pages, the files under its content folder, are published",
			"config", found.Config, "content", found.Content)
	case found.Generator == "pelican":
		ix.log.Info("the seeds folder is a Pelican site's root: only its articles in Markdown, under its content folder but its pages, are published (reStructuredText is not read)",
			"config", found.Config, "content", found.Content)
	case found.Config != "":
		ix.log.Info("the seeds folder has a site generator's config but no posts folder: every file is published", "config", found.Config)
	case old.found.Generator != "":
		ix.log.Info("the seeds folder is no longer a site generator's root: every file is published")
	}
}

// mayChangeSite reports whether a change to the file at rel may change
// what the folder is: a generator's config, or while a config has no
// posts folder or content folder beside it, a file that brings one.
func (ix *Index) mayChangeSite(rel string) bool {
	if source.SiteFile(rel) {
		return true
	}
	found := ix.how.Load().found
	switch {
	case found.Config == "" || found.Generator != "":
		return false
	case found.Content != "": // Hugo's or Pelican's
		return strings.HasPrefix(rel, found.Content+"/")
	}
	return strings.HasPrefix(rel, "_posts/") || strings.Contains(rel, "/_posts/")
}
