package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A category is a part of the publication with feeds of its own, at
// CategoryDir of its slug. An entry's categories come from the folder it
// sits in, from its front matter's tags and categories, and from the place
// of a wire dateline (see CategorySources). Names that make the same slug
// are one category: the folder "business" and the tag "Business".

// OPMLPath is the path, under the base URL, of the OPML list of every feed
// seedfeed publishes: the site's and each category's.
const OPMLPath = "feeds.opml"

// Category is one category as the list of feeds names it.
type Category struct {
	Slug    string
	Name    string // as the entries give it; of the names that make the slug, the first in sort order
	Entries int    // published entries in it
}

// CategorySources says where an entry's categories come from.
type CategorySources struct {
	Folders bool // the folder a file sits in, relative to the seeds folder
	Tags    bool // front matter tags and categories
	Places  bool // the place of a wire dateline
}

// AllCategorySources takes categories from everywhere: the default.
var AllCategorySources = CategorySources{Folders: true, Tags: true, Places: true}

// slugLimit bounds a slug, in characters.
const slugLimit = 80

// Slug returns the name of a category as it stands in a URL path: lower
// case, words joined by "-", every other character left out. Letters and
// digits of every script are kept, so that "اقتصاد" and "经济" stay
// readable (a URL carries them percent-encoded). It is empty when name has
// no letter or digit. The same name always gives the same slug.
//
// The signs that make a name of a programming language are spelled as
// words, so that no such name shares a slug with another: a "+" after a
// letter, a digit or another "+" is "plus", a "#" (or "♯") that ends a
// word is "sharp", and a "." that begins a word is "dot": "C++" is
// "c-plus-plus", "C#" "c-sharp", "F#" "f-sharp" and ".NET" "dot-net",
// while "C" stays "c". Hugo's urlize and Jekyll's "pretty" slugify keep
// "c++" and "c#", but "#" ends a URL's path, and "+" is a space to many
// a server. Names that differ in case only, or in spaces and other signs,
// share their slug, and are one category; a name cut to slugLimit ends
// in a digest of the whole, so that two long names that start alike are
// not.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	word := func(w string) {
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
		dash = true
	}
	rs := []rune(norm.NFC.String(name))
	alnum := func(i int) bool {
		return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]))
	}
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\u200c' || r == '\u200d':
			// The zero-width (non-)joiner is part of a Persian word.
			if b.Len() > 0 && !dash {
				b.WriteRune(r)
			}
		case r == '+' && (alnum(i-1) || i > 0 && rs[i-1] == '+' && strings.HasSuffix(b.String(), "plus")):
			word("plus")
		case (r == '#' || r == '♯') && alnum(i-1) && !alnum(i+1):
			word("sharp")
		case r == '.' && (i == 0 || unicode.IsSpace(rs[i-1])) && alnum(i+1):
			word("dot")
		default:
			dash = true
		}
	}
	// Lower case may undo NFC ("İ" and a combining accent): normalised
	// again, and cut, a slug gives itself back.
	s := norm.NFC.String(b.String())
	if utf8.RuneCountInString(s) > slugLimit {
		sum := sha256.Sum256([]byte(s))
		digest := hex.EncodeToString(sum[:3])
		n := 0
		for i := range s {
			if n == slugLimit-len(digest)-1 {
				s = strings.TrimRight(s[:i], "-\u200c\u200d") + "-" + digest
				break
			}
			n++
		}
	}
	return strings.TrimRight(s, "-\u200c\u200d")
}

// CategoryDir returns the folder, under the base URL, of the documents of
// the category with this slug: "category/business/".
func CategoryDir(slug string) string { return "category/" + slug + "/" }

// ParseCategoryPath splits p, a path under the base URL inside a
// category's folder, into the category's slug and the path inside its
// folder ("" for the folder itself).
func ParseCategoryPath(p string) (slug, rest string, ok bool) {
	p, ok = strings.CutPrefix(p, "category/")
	if !ok {
		return "", "", false
	}
	slug, rest, ok = strings.Cut(p, "/")
	if !ok || slug == "" || Slug(slug) != slug || !utf8.ValidString(rest) {
		return "", "", false
	}
	return slug, rest, true
}

// FolderCategory returns the category of the folder that holds the seed
// at p, a slash-separated path inside the seeds folder: its folder's path
// less the parts that are dates ("2024/05/") or start with "_" (Jekyll's
// "_posts"), so that "blog/_posts/2024/x.md" is in "blog", and
// "2024/05/x.txt" in none (""). A Hugo page bundle's folder is left out
// too: "posts/my-post/index.md" is in "posts", as are its translations
// ("posts/my-post/index.fr.md") and Docusaurus's
// "blog/2021-08-26-welcome/index.mdx" in "blog".
func FolderCategory(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	ext := strings.ToLower(path.Ext(p))
	if base := bundleBase(strings.TrimSuffix(p[i+1:], path.Ext(p))); (base == "index" || base == "_index") && (ext == ".md" || ext == ".markdown" || ext == ".mdx") {
		// A Hugo page bundle: its folder is the page, not a part.
		if i = strings.LastIndexByte(p[:i], '/'); i < 0 {
			return ""
		}
	}
	var keep []string
	for part := range strings.SplitSeq(p[:i], "/") {
		if part == "" || part == "." || strings.HasPrefix(part, "_") || isDatePart(part) {
			continue
		}
		keep = append(keep, part)
	}
	return strings.Join(keep, "/")
}

// bundleBase returns stem, a file's name less its extension, less the
// language Hugo's translations name before it: "index.fr" and
// "index.pt-br" are "index", each a translation of a bundle's page. A
// language is two letters, or two, a hyphen and a region or a script
// ("zh-cn", "zh-hans"), as nameLang in feed/extract reads them.
func bundleBase(stem string) string {
	i := strings.LastIndexByte(stem, '.')
	if i < 0 {
		return stem
	}
	code := stem[i+1:]
	if len(code) != 2 && (len(code) < 5 || len(code) > 7 || code[2] != '-') {
		return stem
	}
	for j, c := range code {
		if !('a' <= c|0x20 && c|0x20 <= 'z' || j > 2 && '0' <= c && c <= '9' || j == 2 && c == '-') {
			return stem
		}
	}
	return stem[:i]
}

// isDatePart reports whether a folder name is a year, a month or a day,
// or a date ("2024", "05", "2024-05-15").
func isDatePart(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// Categories returns the names of the categories of the seed at p (see
// FolderCategory) with these front matter tags and dateline place, from
// the sources given: the folder's, then the tags, then the place. Of
// names that make the same slug only the first is kept; a name that makes
// no slug is kept too, as a label with no feed of its own.
func (src CategorySources) Categories(p string, tags []string, place string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(name string) {
		name = strings.TrimSpace(name)
		if name == "" {
			return
		}
		key := Slug(name)
		if key == "" {
			key = "\x00" + name
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, name)
		}
	}
	if src.Folders {
		add(FolderCategory(p))
	}
	if src.Tags {
		for _, t := range tags {
			add(t)
		}
	}
	if src.Places {
		add(place)
	}
	return out
}
