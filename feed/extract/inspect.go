package extract

import (
	"bytes"
	"encoding/hex"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
	"golang.org/x/text/unicode/norm"
)

// Facts is what the index needs of a file without its text: whether it can
// be published at all, a fingerprint of its text, and its own dates. Inspect
// finds them at a fraction of the cost of Extract, and fails exactly when
// Extract would.
type Facts struct {
	Hash    string    // fingerprint of the text, blind to changes in white space
	Date    time.Time // from front matter, else from the path (see PathDate); zero when neither gives one
	Updated time.Time // from front matter; zero when it gave none
	Draft   bool      // not for publishing: a draft, or a file that is no post (see Withheld)
	// Withheld says why a Draft is not published, for the log: "draft",
	// "in _drafts", "a section's list page", "a redirect", "headless".
	Withheld string
	// Expires is when the front matter says the post stops being
	// published (Hugo's expiryDate); zero when it says nothing.
	Expires time.Time
	Tags    []string // front matter tags and categories, as given
	Place   string   // the place of the dateline that opens plain text ("Tehran"); empty when none
	// Encoding names the encoding the text was read in when it was not
	// UTF-8 ("gbk", "windows-1251", "utf-16le"), or says what was mended
	// in UTF-8 with invalid bytes ("utf-8 (1 invalid byte read as
	// windows-1252)"); empty when it was valid UTF-8.
	Encoding string
	// DateNote says why a date the file gave was ignored (it did not parse,
	// or is outside the years the store can hold); empty when none was.
	DateNote string
}

// Inspect reads the facts of one seed file. Plain UTF-8, the common case,
// is checked and fingerprinted as it is, neither copied nor normalised;
// only plain text that may open with a dateline is decoded, to find its
// place as extraction will.
func Inspect(name string, data []byte) (Facts, error) { return Options{}.Inspect(name, data) }

// Inspect is the package's Inspect, reading files as o says.
func (o Options) Inspect(name string, data []byte) (Facts, error) {
	return o.inspect(name, data, nil, true)
}

// decodedText is what decode made of a file's bytes.
type decodedText struct {
	text, charset string
}

// inspect is Inspect, given what decode made of data when the caller made
// it already (decoded not nil). Without withPlace, it leaves Place empty.
func (o Options) inspect(name string, data []byte, decoded *decodedText, withPlace bool) (Facts, error) {
	if o.Site.Withholds(name) != "" {
		// A site's page, template or theme file is no post whatever it
		// holds, and is not read: a template's front matter
		// (date = {{ .Date }}) is no TOML, and would be skipped as
		// broken, with a warning for each of a theme's.
		return Facts{Draft: true, Withheld: o.notAPost(name)}, nil
	}
	text, charset, err := o.inspectText(data, decoded)
	if err != nil {
		return Facts{}, err
	}
	f := Facts{Hash: fingerprint(text), Encoding: charset}
	if IsMarkdown(name) {
		// The front matter is read from the text as Extract reads it
		// (control characters removed, NFC), so the two fail together.
		fm, _, err := splitFrontMatter(norm.NFC.String(Clean(normaliseNewlines(string(text)))))
		if err != nil {
			return Facts{}, err
		}
		f.take(fm)
	} else {
		// Plain text may open with a header block (see splitHeaders): it
		// is read from the text as Extract reads it.
		var head frontMatter
		var body string
		headed := false
		if opensHeader(text) {
			head, body, headed = splitHeaders(norm.NFC.String(Clean(normaliseNewlines(string(text)))))
			f.take(head)
		}
		switch {
		case !withPlace:
		case headed:
			f.Place = textPlace(body, head)
		case mayHaveDateline(text):
			if decoded == nil {
				s, charset, err := decode(data, o.Encoding)
				if err != nil {
					return Facts{}, err
				}
				decoded = &decodedText{s, charset}
			}
			f.Place = leadPlace(decoded.text)
		}
	}
	if f.Date.IsZero() {
		f.Date = PathDate(name)
	}
	if why := o.notAPost(name); why != "" {
		f.Draft, f.Withheld = true, why
	}
	if f.Draft && f.Withheld == "" {
		f.Withheld = "draft"
	}
	return f, nil
}

// take sets the facts that front matter gives.
func (f *Facts) take(fm frontMatter) {
	f.Date, f.Updated, f.Draft, f.DateNote, f.Tags = fm.date, fm.updated, fm.draft, fm.dateNote, fm.tags
	f.Withheld, f.Expires = fm.withheld, fm.expires
}

// Rules is the version of the rules by which a file is a post or not
// (notAPost, webRootFiles, drafts, Hugo's headless pages and build options,
// Eleventy's pages out of its collections or never written, redirects,
// Pelican's Status). A store whose files were judged by older ones has each
// of its files read again once, so that a file that is no post by the new
// rules leaves the feeds, and its page answers 410 Gone. Bump it with any
// change to them. Version 3 takes a post down when its expiryDate comes,
// not when its file is next read: the store notes each post's expiry as it
// reads the file, and had noted none before. Version 4 withholds Eleventy's
// eleventyExcludeFromCollections and permalink: false, and reads a header
// block of "Key: value" lines (see splitHeaders), whose Status: draft,
// hidden or skip (Pelican's) is no post. Version 5 withholds a listing
// page, whose front matter's pagination pages through other posts
// (Eleventy's, jekyll-paginate-v2's), or whose body loops over the site's
// posts outside its code (see listsPosts).
//
// A site's own rule (see Site) needs no bump: it goes by the path alone,
// so a rescan reads again each file with a record that the site
// withholds, whatever the store's version, and the site may change while
// the daemon runs in any case.
const Rules = 5

// notAPost says why the file at name is no post though it is a seed, or
// "": a Jekyll draft (in a _drafts folder, which Jekyll publishes only
// when asked), a Hugo section's list page (_index.md, _index.fr.md),
// which Hugo's own feeds leave out, a file for robots or contributors
// (robots.txt, README.md: see webRootFiles), or, in a site generator's
// root, any file outside its posts (see Site).
func (o Options) notAPost(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	if base := path.Base(name); strings.HasPrefix(base, "_index.") {
		return "a section's list page (Hugo's _index), not a post"
	}
	if strings.HasPrefix(name, "_drafts/") || strings.Contains(name, "/_drafts/") {
		return "in _drafts: a Jekyll draft"
	}
	if base := path.Base(name); webRootFiles[strings.ToLower(base)] || repoFiles[strings.Split(base, ".")[0]] {
		return "a site's or a repository's own file, not a post"
	}
	return o.Site.Withholds(name)
}

// webRootFiles and repoFiles are the files a web site's root or a
// repository holds for robots, tools and contributors: a folder that is a
// whole site (a Jekyll site's root, say) holds them beside its posts, and
// none is a post. A repository's are named in capitals (README.md,
// LICENSE), so that a note named changelog.md or security.md stays a
// post.
var (
	webRootFiles = map[string]bool{"robots.txt": true, "humans.txt": true, "ads.txt": true, "app-ads.txt": true, "security.txt": true, "llms.txt": true}
	repoFiles    = map[string]bool{"README": true, "LICENSE": true, "LICENCE": true, "COPYING": true, "CHANGELOG": true,
		"CONTRIBUTING": true, "CODE_OF_CONDUCT": true, "CLAUDE": true, "AGENTS": true, "MAINTAINERS": true, "GOVERNANCE": true,
		"SECURITY": true, "SUPPORT": true, "CODEOWNERS": true, "NOTICE": true, "AUTHORS": true, "CONTRIBUTORS": true}
)

// inspectText returns the text of data as UTF-8, decoding only what is not
// plain UTF-8 already (or all of it, when o names an encoding), and the name
// of the encoding it was in; or the error Decode would give.
func (o Options) inspectText(data []byte, decoded *decodedText) ([]byte, string, error) {
	if o.Encoding != "" || len(data) >= 2 && (data[0] == 0xFF || data[0] == 0xFE || data[0] == 0xEF) ||
		bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) || !hasVisibleASCII(data) {
		if decoded != nil {
			return []byte(decoded.text), decoded.charset, nil
		}
		s, charset, err := decode(data, o.Encoding) // BOMs, other encodings, and the rare all-non-ASCII text
		return []byte(s), charset, err
	}
	if isBinary(data) {
		return nil, "", ErrBinary
	}
	return data, "", nil
}

// hasVisibleASCII reports whether data holds a printable ASCII character,
// which proves that it is not empty once cleaned.
func hasVisibleASCII(data []byte) bool {
	for _, c := range data {
		if c > ' ' && c < 0x7F {
			return true
		}
	}
	return false
}

func normaliseNewlines(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' {
			return finishNewlines(s)
		}
	}
	return s
}

// fingerprint hashes text with every run of white space read as one space
// and none at either end, so that re-wrapping a file or changing its line
// endings is not an edit. The hash is XXH3's 128 bits: a fingerprint only
// has to tell versions of text apart, and XXH3 does it at memory speed, ten
// times faster than SHA-256, which counts when 100,000 files are indexed.
func fingerprint(text []byte) string {
	bp := collapseBufs.Get().(*[]byte)
	b := appendCollapsed((*bp)[:0], text)
	sum := xxh3.Hash128(b).Bytes()
	if cap(b) <= 1<<20 { // the buffer, maybe grown: kept unless huge
		*bp = b[:0]
	}
	collapseBufs.Put(bp)
	return hex.EncodeToString(sum[:])
}

// collapseBufs are fingerprint's buffers for the collapsed text.
var collapseBufs = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// isSpace marks the bytes fingerprint reads as white space.
var isSpace = [256]bool{' ': true, '\n': true, '\t': true, '\r': true, '\f': true, '\v': true}

// irregular are the openings of white space that is not a single space.
var irregular = [][]byte{[]byte("  "), {'\n'}, {'\t'}, {'\r'}, {'\f'}, {'\v'}}

// appendCollapsed appends text with its white space collapsed to dst and
// returns the result. It jumps from one irregular run of white space to the
// next with vectorised searches, remembering where each kind occurs next,
// so tidy text costs one search per kind and one copy, and the whole pass
// stays linear.
func appendCollapsed(dst, text []byte) []byte {
	i, n := 0, len(text)
	for i < n && isSpace[text[i]] {
		i++
	}
	for n > i && isSpace[text[n-1]] {
		n--
	}
	text = text[:n]
	var next [6]int // where each kind of irregular run occurs next, or n
	for k := range next {
		next[k] = -1
	}
	start := i
	for {
		at := n
		for k, pat := range irregular {
			if next[k] < i {
				if j := bytes.Index(text[i:], pat); j >= 0 {
					next[k] = i + j
				} else {
					next[k] = n
				}
			}
			at = min(at, next[k])
		}
		if at >= n {
			break
		}
		for at > start && text[at-1] == ' ' {
			at-- // a single space just before a newline belongs to the run
		}
		dst = append(dst, text[start:at]...)
		for i = at; isSpace[text[i]]; i++ {
		}
		dst = append(dst, ' ')
		start = i
	}
	return append(dst, text[start:n]...)
}
