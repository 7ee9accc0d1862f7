package feed

import "path"

// Kind is one kind of document that seedfeed renders for a set of entries:
// a feed format, or the HTML index. The table Kinds is the one list of them:
// rendering, the HTTP handler, static output and WebSub all read it, so a
// new format is one row here and one renderer in package render.
type Kind struct {
	Name  string // short name, such as "atom"
	Path  string // file name under the base URL, such as "feed.atom"
	Type  string // the Content-Type it is served with
	Media string // the media type, without parameters, as links name it
	Title string // how people call it, such as "Atom"
	Feed  bool   // a feed readers subscribe to, announced to WebSub hubs
}

// The kinds, by name.
var (
	Atom  = Kind{Name: "atom", Path: "feed.atom", Type: "application/atom+xml; charset=utf-8", Media: "application/atom+xml", Title: "Atom", Feed: true}
	RSS   = Kind{Name: "rss", Path: "feed.rss", Type: "application/rss+xml; charset=utf-8", Media: "application/rss+xml", Title: "RSS", Feed: true}
	JSON  = Kind{Name: "json", Path: "feed.json", Type: "application/feed+json; charset=utf-8", Media: "application/feed+json", Title: "JSON Feed", Feed: true}
	Index = Kind{Name: "html", Path: "index.html", Type: "text/html; charset=utf-8", Media: "text/html", Title: "HTML"}
)

// Kinds lists every kind, feeds first.
var Kinds = []Kind{Atom, RSS, JSON, Index}

// Feeds returns the kinds that are feeds.
func Feeds() []Kind {
	var out []Kind
	for _, k := range Kinds {
		if k.Feed {
			out = append(out, k)
		}
	}
	return out
}

// KindOf returns the kind whose file is at p, a path under the base URL.
func KindOf(p string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Path == p {
			return k, true
		}
	}
	return Kind{}, false
}

// TypeOf returns the Content-Type of the file at p: its kind's, or, for
// other files such as entry pages, the type its extension names.
func TypeOf(p string) string {
	if k, ok := KindOf(p); ok {
		return k.Type
	}
	for _, k := range Kinds {
		if path.Ext(k.Path) == path.Ext(p) {
			return k.Type
		}
	}
	return "application/octet-stream"
}
