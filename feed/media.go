package feed

import (
	"net/url"
	"path"
	"slices"
	"strings"
)

// Media is a file of the seeds folder that an entry references, such as a
// picture beside a Markdown post or in its Hugo page bundle: seedfeed
// publishes it at MediaPath(Path).
type Media struct {
	Path string // slash-separated, inside the seeds folder
	Type string // its media type, by its extension (see MediaType)
	Size int64  // in bytes; 0 when unknown (the file cannot be read now)
}

// MediaDir is the folder, under the base URL, of the files entries
// reference: the file at seeds/posts/a/cat.jpg is published at
// media/posts/a/cat.jpg.
const MediaDir = "media/"

// MediaPath returns the path under the base URL of the file at rel in the
// seeds folder.
func MediaPath(rel string) string { return MediaDir + rel }

// MediaRel turns MediaPath around: the path in the seeds folder of the
// file at p under the base URL, when p can name one: clean, inside the
// folder, hidden nowhere, of a media type.
func MediaRel(p string) (string, bool) {
	rel, ok := strings.CutPrefix(p, MediaDir)
	if !ok || rel == "" || path.Clean(rel) != rel || MediaType(rel) == "" || strings.ContainsAny(rel, "\\\x00") {
		return "", false
	}
	for part := range strings.SplitSeq(rel, "/") {
		if part == "" || part[0] == '.' {
			return "", false // "..", hidden files and folders (.git)
		}
	}
	return rel, true
}

// mediaTypes are the only files published besides the seeds' text: images,
// audio, video and documents, by extension. A seed's own text never is.
var mediaTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
	".avif": "image/avif", ".svg": "image/svg+xml",
	".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".aac": "audio/aac", ".ogg": "audio/ogg", ".oga": "audio/ogg",
	".opus": "audio/ogg", ".wav": "audio/wav", ".flac": "audio/flac",
	".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".mov": "video/quicktime",
	".pdf": "application/pdf", ".epub": "application/epub+zip",
}

// MediaType returns the media type of a file that may be published beside
// the entries, by its extension, or "" when it may not be.
func MediaType(name string) string { return mediaTypes[strings.ToLower(path.Ext(name))] }

// IsImage reports whether m is a picture.
func (m Media) IsImage() bool { return strings.HasPrefix(m.Type, "image/") }

// IsAudio reports whether m is a sound.
func (m Media) IsAudio() bool { return strings.HasPrefix(m.Type, "audio/") }

// ResolveRef returns the path in the seeds folder of the file that ref, a
// link or image in the text of the seed at seed, points to: a relative URL
// ("cat.jpg", "img/a%20b.png", "../shared/x.pdf#page=2") resolved against
// the seed's folder. It says false for an absolute URL, one from the root
// of a site ("/images/x.png"), and one that leads out of the folder.
func ResolveRef(seed, ref string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
		return "", false
	}
	rel := path.Join(path.Dir(seed), u.Path)
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false
	}
	return rel, true
}

// ResolveRootRef returns the path in the seeds folder of the file that
// ref, a link from the root of a site ("/assets/img.png", as Jekyll posts
// write them), names: the file at that path under the site's root, which
// is the folder that holds the seed's _posts (or _drafts), or else the
// seeds folder. A path cannot step above the root, as on a web server. It
// says false for any other ref. Whether such a file exists is the
// caller's to find out: a link from the root that names none is the
// host's (see MediaOf).
func ResolveRootRef(seed, ref string) (string, bool) {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(ref, "//") {
		return "", false
	}
	p := strings.TrimPrefix(path.Clean(u.Path), "/")
	if p == "" {
		return "", false
	}
	return path.Join(siteRoot(seed), p), true
}

// rootAlternatives returns the other paths that ref, a link from the root
// of a site, may name when the site's root is above the folder that holds
// the seed's _posts: Jekyll's root is the folder of its _config.yml, and
// posts may sit deeper (ruby-lang.org's en/news/_posts, whose
// {% link en/news/_posts/x.md %} names a path from the top). Nearest
// first, and under each folder, every place of the post (see
// postPlaces); none for any other ref.
func rootAlternatives(seed, ref string) []string {
	names := fromRoot(seed, ref)
	if names == nil {
		return nil
	}
	root := siteRoot(seed)
	first := path.Join(root, names[0]) // ResolveRootRef's
	var alts []string
	for {
		for _, n := range names {
			if p := path.Join(root, n); p != first {
				alts = append(alts, p)
			}
		}
		if root == "" {
			return alts
		}
		if root = path.Dir(root); root == "." {
			root = ""
		}
	}
}

// fromRoot returns the paths from the root of its site that ref, a link
// of the seed at seed from that root, names (see postPlaces); none for a
// relative link or one that is not to the site.
func fromRoot(seed, ref string) []string {
	if _, ok := ResolveRef(seed, ref); ok {
		return nil
	}
	first, ok := ResolveRootRef(seed, ref)
	if !ok {
		return nil
	}
	return postPlaces(strings.TrimPrefix(first, siteRoot(seed)+"/"))
}

// postPlaces returns the places of p, a path from a site's root: p, and
// for a post in a folder of _posts ({% post_url 2010/2010-07-21-x %},
// which extract writes as /_posts/2010/2010-07-21-x), _posts in that
// folder as well, where Jekyll looks too: 2010/_posts/2010-07-21-x.
func postPlaces(p string) []string {
	rest, ok := strings.CutPrefix(p, "_posts/")
	if dir, name := path.Split(rest); ok && dir != "" {
		return []string{p, dir + "_posts/" + name}
	}
	return []string{p}
}

// BelowRoot returns the paths in the seeds folder that p, a path from the
// root of a site, names when the seeds folder is not that root but a
// folder in it: dir is the seeds folder's absolute, slash-separated path,
// and for each of its last folders that p begins with, the rest of p
// (with seeds at the site's _posts, "_posts/x.md" is "x.md"). Nearest
// root first; none when p begins with none of them.
func BelowRoot(p, dir string) []string {
	above := strings.Split(strings.Trim(dir, "/"), "/")
	parts := strings.Split(p, "/")
	var out []string
	for k := 1; k < len(parts) && k <= len(above); k++ {
		if slices.Equal(parts[:k], above[len(above)-k:]) {
			out = append(out, strings.Join(parts[k:], "/"))
		}
	}
	return out
}

// siteRoot returns the folder of the site the seed at seed belongs to: the
// one that holds the _posts or _drafts folder on its path, or the seeds
// folder ("").
func siteRoot(seed string) string {
	parts := strings.Split(path.Dir(seed), "/")
	for i, p := range parts {
		if p == "_posts" || p == "_drafts" {
			return strings.Join(parts[:i], "/")
		}
	}
	return ""
}

// ResolveAnyRef is ResolveRef, and for a link from the root of a site,
// ResolveRootRef.
func ResolveAnyRef(seed, ref string) (string, bool) {
	if rel, ok := ResolveRef(seed, ref); ok {
		return rel, true
	}
	return ResolveRootRef(seed, ref)
}

// SeedRef returns the path in the seeds folder of the file that ref, a
// link of the seed at seed, leads to, as ResolveAnyRef does, and for
// Zola's internal links ("@/blog/post.md"), from the seeds folder.
func SeedRef(seed, ref string) (string, bool) {
	if rest, ok := strings.CutPrefix(ref, "@/"); ok {
		u, err := url.Parse(rest)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
			return "", false
		}
		rel := path.Clean(u.Path)
		if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") || strings.HasPrefix(rel, "/") {
			return "", false
		}
		return rel, true
	}
	return ResolveAnyRef(seed, ref)
}

// SeedsOf returns the files of the seeds folder, other than seed, that
// links, the links of the seed at seed (see SeedRef), lead to and that
// are no media: the seeds among them have pages to link to instead. Their
// IDs are the index's to find, and whether they are seeds.
func SeedsOf(seed string, links []string) []SeedLink {
	var out []SeedLink
	for _, l := range links {
		rel, ok := SeedRef(seed, l)
		if !ok || rel == seed {
			continue
		}
		if _, ok := MediaRel(MediaPath(rel)); ok {
			continue
		}
		if !slices.ContainsFunc(out, func(s SeedLink) bool { return s.Path == rel }) {
			out = append(out, SeedLink{Path: rel, Also: rootAlternatives(seed, l), FromRoot: fromRoot(seed, l)})
		}
	}
	return out
}

// MediaOf returns the files of the seeds folder that links, the links and
// images of the seed at seed relative to it or to its site's root (see
// AnyRefs: a link from the root names a file under each folder that may
// be the root), reference and that may be published: those of a media
// type (see MediaType), each once, in order. Their sizes are not known
// here, nor whether they exist: the index leaves out those that do not.
func MediaOf(seed string, links []string) []Media {
	var out []Media
	for _, l := range links {
		for _, rel := range AnyRefs(seed, l) {
			if _, ok := MediaRel(MediaPath(rel)); !ok {
				continue
			}
			dup := false
			for _, m := range out {
				dup = dup || m.Path == rel
			}
			if !dup {
				out = append(out, Media{Path: rel, Type: MediaType(rel)})
			}
		}
	}
	return out
}

// AnyRefs returns the paths in the seeds folder of the files that ref, a
// link of the seed at seed, may name, nearest first: the one ResolveAnyRef
// gives, and for a link from a site's root, the same path under each
// folder above (see rootAlternatives). Those that exist are the index's
// to find.
func AnyRefs(seed, ref string) []string {
	rel, ok := ResolveAnyRef(seed, ref)
	if !ok {
		return nil
	}
	return append([]string{rel}, rootAlternatives(seed, ref)...)
}
