package extract

import "strings"

// Site is the site generator whose root the seeds folder is, when it is
// one. Such a folder holds, beside the posts, the site's pages (About,
// 404), its list pages, templates and themes; the generator's own feed
// publishes only the posts, and so does seedfeed. The zero Site is a
// plain folder, any of whose seeds may be a post. The source finds it
// (see source.Source.Site); extraction only applies it.
type Site struct {
	// Generator is "jekyll", whose posts are the files in a _posts
	// folder, at any depth (en/news/_posts/), as jekyll-feed publishes;
	// "hugo", whose are the files under Content; "pelican", whose
	// articles are the Markdown files under Content but its pages/
	// folder (Pelican's PAGE_PATHS); or "" for a plain folder.
	Generator string
	// Content is Hugo's or Pelican's content folder, slash-separated, from
	// the root ("content", or the contentDir or PATH its config names).
	Content string
}

// Withholds says why the file at name, slash-separated from the root, is
// none of the site's posts, or "" when it may be one.
func (s Site) Withholds(name string) string {
	switch s.Generator {
	case "jekyll":
		if !inJekyllPosts(name) {
			return "not in a _posts folder: a Jekyll site's page or file, not a post"
		}
	case "hugo":
		if !strings.HasPrefix(name, s.Content+"/") {
			return "outside " + s.Content + "/: a Hugo site's template, theme or other file, not a page"
		}
	case "pelican":
		switch {
		case !strings.HasPrefix(name, s.Content+"/"):
			return "outside " + s.Content + "/: a Pelican site's theme, plugin or other file, not an article"
		case strings.HasPrefix(name, s.Content+"/pages/"):
			return "in " + s.Content + "/pages/: a Pelican site's page, not an article"
		case !IsMarkdown(name):
			// Pelican makes articles of Markdown, reStructuredText and
			// HTML: a text file there is a static file, and seedfeed
			// reads no reStructuredText.
			return "not Markdown: a Pelican site's static file, or an article in reStructuredText, which seedfeed does not read"
		}
	}
	return ""
}

// inJekyllPosts reports whether the file at name is in a _posts folder
// that Jekyll reads: one not inside a folder Jekyll leaves out, which is
// any whose name starts with "_" (its output, _site, its _includes...),
// and vendor/ and node_modules/ at the root (the gems' own site templates
// have _posts).
func inJekyllPosts(name string) bool {
	dir, _, ok := cutLast(name, "/")
	if !ok {
		return false
	}
	for i, part := range strings.Split(dir, "/") {
		switch {
		case part == "_posts":
			return true
		case strings.HasPrefix(part, "_"), i == 0 && (part == "vendor" || part == "node_modules"):
			return false
		}
	}
	return false
}

// cutLast is strings.Cut at the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}
