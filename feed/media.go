package feed

import (
	"net/url"
	"path"
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

// MediaOf returns the files of the seeds folder that links, the relative
// links and images of the seed at seed, reference and that may be
// published: those of a media type (see MediaType), each once, in order.
// Their sizes are not known here.
func MediaOf(seed string, links []string) []Media {
	var out []Media
	for _, l := range links {
		rel, ok := ResolveRef(seed, l)
		if !ok {
			continue
		}
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
	return out
}
