package extract

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

// frontMatter holds the keys seedfeed reads from a Markdown post's header.
type frontMatter struct {
	title, summary, author string
	lang                   string // BCP 47, as the front matter gives it (lang, language, locale), canonical
	tags                   []string
	date, updated          time.Time
	draft                  bool
	redirect               bool      // it names a redirect (redirect, redirect_to, redirect_url)
	withheld               string    // why a draft is not published, when it is no draft but no post either
	expires                time.Time // Hugo's expiryDate; zero when none
	dateNote               string    // why a date given was ignored
}

// splitFrontMatter separates a TOML (+++), YAML (---) or JSON ({…})
// header from the body, as Hugo, Jekyll, Zola and Eleventy write them, or
// else a block of "Key: value" lines, as Pelican and MultiMarkdown do (see
// splitHeaders).
func splitFrontMatter(s string) (fm frontMatter, body string, err error) {
	var fence string
	opening, _, lines := strings.Cut(s, "\n")
	switch opening = strings.TrimRight(opening, " \t"); {
	case lines && opening == "+++":
		fence = "+++"
	case lines && opening == "---":
		fence = "---" // spaces after it too, as Jekyll takes "---\\s*"
	case isJSONFrontMatter(s):
		raw := map[string]any{}
		dec := json.NewDecoder(strings.NewReader(s))
		if err := dec.Decode(&raw); err != nil {
			return fm, "", fmt.Errorf("front matter: %w", err)
		}
		fm, err = readFrontMatter(raw)
		body = strings.TrimPrefix(strings.TrimLeft(s[dec.InputOffset():], " \t"), "\n")
		return fm.stub(body), body, err
	default:
		fm, body, _ = splitHeaders(s)
		return fm, body, nil
	}
	_, rest, _ := strings.Cut(s, "\n")
	var head string
	for off := 0; ; {
		line, after, found := strings.Cut(rest[off:], "\n")
		if strings.TrimRight(line, " \t") == fence || fence == "---" && strings.TrimRight(line, " \t") == "..." {
			head, body = rest[:off], after
			break
		}
		if !found {
			return fm, "", fmt.Errorf("front matter: no closing %q", fence)
		}
		off += len(line) + 1
	}
	raw := map[string]any{}
	if fence == "+++" {
		if _, err := toml.Decode(head, &raw); err != nil {
			return fm, "", fmt.Errorf("front matter: %w", err)
		}
	} else if raw, err = yamlHeader(head); err != nil {
		return fm, "", fmt.Errorf("front matter: %w", err)
	}
	fm, err = readFrontMatter(raw)
	return fm.stub(body), body, err
}

// yamlHeader decodes a YAML header. A key given twice is an error to
// yaml.v3, but Jekyll (Ruby's YAML) and Hugo take the last: so does this,
// rather than drop the post (ruby-lang.org has four such posts).
func yamlHeader(head string) (map[string]any, error) {
	raw := map[string]any{}
	err := yaml.Unmarshal([]byte(head), &raw)
	if err == nil || !strings.Contains(err.Error(), "already defined") {
		return raw, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(head), &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return raw, nil
	}
	left := maxHeaderNodes
	v, err := lastKeyWins(doc.Content[0], 0, &left)
	if m, ok := v.(map[string]any); ok && err == nil {
		return m, nil
	}
	return nil, cmp.Or(err, errors.New("front matter is not a mapping"))
}

// maxHeaderNodes bounds the nodes of a header decoded by lastKeyWins: a
// post's header has tens.
const maxHeaderNodes = 10000

// lastKeyWins decodes n as yaml.v3 does, except that of a key given twice
// in a mapping, the last value is taken. left is how many more nodes it
// may decode, aliases expanded: yaml.v3 bounds what aliases expand to
// (a header of 300 bytes can name a billion nodes), and so must this.
func lastKeyWins(n *yaml.Node, depth int, left *int) (any, error) {
	if *left--; *left < 0 {
		return nil, errors.New("front matter too large once its aliases are expanded")
	}
	if depth > 100 {
		return nil, errors.New("front matter nested too deep")
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := lastKeyWins(n.Content[i+1], depth+1, left)
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := lastKeyWins(c, depth+1, left)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.AliasNode:
		return lastKeyWins(n.Alias, depth+1, left)
	}
	var v any
	err := n.Decode(&v)
	return v, err
}

// stub withholds a redirect with no text: a stub that sends readers
// elsewhere (the Go blog's 60), not a post. A redirect with text is
// published, as its text is the post.
func (fm frontMatter) stub(body string) frontMatter {
	switch {
	case fm.draft:
	case fm.redirect && strings.TrimSpace(body) == "":
		fm.draft, fm.withheld = true, "a redirect with no text, not a post"
	case listsPosts(body):
		fm.draft, fm.withheld = true, "a listing page (a template loop over the site's posts), not a post"
	}
	return fm
}

// isJSONFrontMatter reports whether s opens with a JSON object: "{", then
// a quoted key. A body that opens with a shortcode ("{{<") does not.
func isJSONFrontMatter(s string) bool {
	rest, ok := strings.CutPrefix(s, "{")
	return ok && strings.HasPrefix(strings.TrimLeft(rest, " \t\n"), `"`)
}

// readFrontMatter reads the keys seedfeed knows from a decoded header.
func readFrontMatter(raw map[string]any) (fm frontMatter, err error) {
	fields := make(map[string]any, len(raw))
	names := make(map[string]string, len(raw)) // each key as the file spells it
	for k, v := range raw {
		fields[strings.ToLower(k)], names[strings.ToLower(k)] = v, k
	}
	fm.title = collapse(str(fields["title"]))
	fm.summary = collapse(first(str(fields["summary"]), str(fields["description"]), str(fields["excerpt"])))
	fm.author = collapse(plainAuthor(author(first(fields["author"], fields["authors"]))))
	fm.lang = langTag(str(first(fields["lang"], fields["language"], fields["locale"], fields["languagecode"])))
	// Jekyll splits the plural keys' strings into words, and takes the
	// singular category whole ("category: release notes" is one).
	fm.tags = append(append(words(fields["tags"]), words(fields["categories"])...), list(fields["category"])...)
	if tax, ok := fields["taxonomies"].(map[string]any); ok { // Zola
		fm.tags = append(fm.tags, append(list(tax["tags"]), list(tax["categories"])...)...)
	}
	fm.draft = truth(fields["draft"])
	// Jekyll's "published: false" is a draft too; true or false, it is no
	// date.
	if pub, ok := fields["published"].(bool); ok {
		fm.draft = fm.draft || !pub
		delete(fields, "published")
	} else if p, ok := fields["published"].(string); ok && strings.EqualFold(strings.TrimSpace(p), "false") {
		fm.draft = true
		delete(fields, "published")
	}
	// Pages that are no posts: Hugo's headless bundles and pages it
	// neither renders nor lists; Eleventy's pages kept out of its
	// collections (a feed's template, a thank-you page) and those it never
	// writes; a listing page, whose pagination (Eleventy's, or
	// jekyll-paginate-v2's) pages through other posts; and a redirect with
	// no text (see stub).
	fm.redirect = fields["redirect"] != nil || fields["redirect_to"] != nil || fields["redirect_url"] != nil
	switch {
	case fm.draft:
	case truth(fields["headless"]):
		fm.draft, fm.withheld = true, "headless (Hugo): not a page of its own"
	case never(first(fields["build"], fields["_build"])):
		fm.draft, fm.withheld = true, "never rendered or listed (Hugo's build options)"
	case truth(fields["eleventyexcludefromcollections"]):
		fm.draft, fm.withheld = true, "kept out of every collection (Eleventy's eleventyExcludeFromCollections), not a post"
	case fields["permalink"] == false:
		fm.draft, fm.withheld = true, "never written (Eleventy's permalink: false), not a post"
	case paginates(fields["pagination"]):
		fm.draft, fm.withheld = true, "a listing page (its pagination pages through other posts), not a post"
	}
	fm.expires, _ = date(first(fields["expirydate"], fields["expires"])) // a day without its time, too
	// A date that cannot be used is noted and ignored: the post is dated as
	// if it gave none, never dropped.
	var notes []string
	if fm.date, err = dateOf(fields, names, publishedKeys); err != nil {
		notes = append(notes, err.Error())
	}
	if fm.date.IsZero() && len(notes) == 0 {
		// The address the post asks for, when it holds a date: Zola's
		// path = "2025/06/26/Rust-1.88.0" (the Rust blog's only date),
		// Hugo's url, Jekyll's permalink.
		for _, k := range []string{"path", "url", "permalink"} {
			if v := strings.Trim(str(fields[k]), "/"); v != "" {
				if t := PathDate(v + "/x"); !t.IsZero() {
					fm.date = t
					break
				}
			}
		}
	}
	if fm.updated, err = dateOf(fields, names, updatedKeys); err != nil {
		notes = append(notes, err.Error())
	}
	fm.dateNote = strings.Join(notes, "; ")
	return fm, nil
}

// publishedKeys and updatedKeys name a post's dates, in lower case, the
// first a header has first: Hugo's (and Jekyll's date), Astro's template's
// (pubDate, updatedDate) and AstroPaper's (pubDatetime, modDatetime),
// Zola's updated, and jekyll-last-modified-at's.
var (
	publishedKeys = []string{"date", "published", "pubdate", "publishdate", "pubdatetime"}
	updatedKeys   = []string{"lastmod", "updated", "modified", "updateddate", "moddatetime", "last_modified_at"}
)

// dateOf returns the date of the first of keys that gives one, or, when
// none does, the error of the first that gave a value: prefixed with the
// key as the file spells it ("pubDate: …").
func dateOf(fields map[string]any, names map[string]string, keys []string) (time.Time, error) {
	var failed error
	for _, k := range keys {
		t, err := date(fields[k])
		if err != nil {
			err = fmt.Errorf("%s: %w", names[k], err)
		}
		if !t.IsZero() {
			return t, err // a day without its time has both
		}
		if failed == nil {
			failed = err
		}
	}
	return time.Time{}, failed
}

// langTag returns s as a canonical BCP 47 tag ("pt-br" is "pt-BR",
// "en_US" "en-US"), or "" when it is none.
func langTag(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	if s == "" {
		return ""
	}
	t, err := language.Parse(s)
	if err != nil {
		return ""
	}
	return t.String()
}

// nameLang returns the language a Hugo file name gives before its
// extension ("post.it.md", "_index.zh-cn.md", "about.pt-br.md"), or "".
func nameLang(name string) string {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	stem := strings.TrimSuffix(base, path.Ext(base))
	i := strings.LastIndexByte(stem, '.')
	if i < 0 {
		return ""
	}
	code := stem[i+1:]
	if len(code) != 2 && (len(code) < 5 || len(code) > 7 || code[2] != '-') {
		return ""
	}
	t, err := language.Parse(code)
	if err != nil {
		return ""
	}
	// A code that is a language's own: not one retired for another (sh,
	// in, iw), nor one that is more often a file's or a word's (socket.io,
	// config.ts, how.to) than a language of a site's.
	if b, conf := t.Base(); conf != language.Exact || !strings.EqualFold(b.String(), code[:2]) || notNameLangs[b.String()] {
		return ""
	}
	return t.String()
}

// notNameLangs are language codes that a name's part before its
// extension is more likely to be something else: file types (.io, .ts),
// an English word (to), or constructed languages no site is in.
var notNameLangs = map[string]bool{"io": true, "ts": true, "to": true, "ia": true, "ie": true, "vo": true}

// never reports whether Hugo's build options (build or _build) keep a
// page out of the site: render "never" (or false), or list "never" (or
// false).
func never(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for k, v := range m {
		switch strings.ToLower(k) {
		case "render", "list":
			if s := strings.ToLower(strings.TrimSpace(str(v))); s == "never" || s == "false" {
				return true
			}
		}
	}
	return false
}

// truth reads a flag written as true, "true" or "yes".
func truth(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		v = strings.ToLower(strings.TrimSpace(v))
		return v == "true" || v == "yes"
	}
	return false
}

func first[T comparable](vs ...T) T {
	var zero T
	for _, v := range vs {
		if v != zero {
			return v
		}
	}
	return zero
}

func str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

func list(v any) []string {
	var out []string
	switch v := v.(type) {
	case string:
		for _, s := range strings.Split(v, ",") {
			if s = collapse(s); s != "" {
				out = append(out, s)
			}
		}
	case []any:
		for _, s := range v {
			if s := collapse(str(s)); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// words is list, but a string without a comma is words apart, as Jekyll
// reads categories and tags ("categories: release community" is two).
func words(v any) []string {
	if s, ok := v.(string); ok && !strings.Contains(s, ",") {
		return strings.Fields(s)
	}
	return list(v)
}

// author reads "Ann", ["Ann", "Bob"], {name = "Ann"} or [{name = "Ann"}]
// (which TOML gives as []map[string]any, YAML as []any).
func author(v any) string {
	switch v := v.(type) {
	case []map[string]any:
		names := make([]any, len(v))
		for i, m := range v {
			names[i] = m
		}
		return author(names)
	case []any:
		names := make([]string, 0, len(v))
		for _, a := range v {
			if n := author(a); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	case map[string]any:
		return str(v["name"])
	}
	return str(v)
}

// dateLayouts are the numeric forms of dates, with a numeric zone or none
// (none is UTC). Others, with a zone's name or in words, are
// zonedDate's and writtenDate's to read.
var dateLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05.999999999 -0700 MST", // Go's time.Time.String: the offset is read, the name only given
	"2006-01-02 15:04 -0700", "2006-01-02 15:04 -07:00", "2006-01-02T15:04-07:00", "2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02", time.RFC1123Z,
	"2006/01/02", "2006/01/02 15:04:05", "2006/01/02 15:04", // react.dev's
	"2006-1-2", "2006-1-2 15:04", "2006-1-2 15:04:05", // a day or month of one digit, as Pelican reads it
	time.RFC822Z,
}

// The dates seedfeed can keep: the store holds times as Unix nanoseconds.
var (
	earliest = time.Unix(0, math.MinInt64).UTC()
	latest   = time.Unix(0, math.MaxInt64).UTC()
)

// date reads a front matter date. A date without a zone is taken as UTC, so
// the result does not depend on the machine's time zone. A date outside
// what the store can hold (before 1678 or after 2262) is refused, never
// wrapped around.
//
// A time in a zone it cannot read keeps its day (see errDayOnly): then
// both the day and the error are returned.
func date(v any) (time.Time, error) {
	t, err := parseDate(v)
	if !t.IsZero() && (t.Before(earliest) || t.After(latest)) {
		return time.Time{}, fmt.Errorf("%s is outside the years 1678 to 2262", t.Format(time.DateOnly))
	}
	return t, err
}

// eleventyDates are the words Eleventy takes for a file's dates.
var eleventyDates = map[string]bool{"created": true, "last modified": true, "git created": true, "git last modified": true}

func parseDate(v any) (time.Time, error) {
	switch v := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return v.UTC(), nil
	case string:
		v = strings.TrimSpace(v)
		if v == "" || eleventyDates[strings.ToLower(v)] {
			return time.Time{}, nil // no date of its own: the file's, as seedfeed dates any file
		}
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, v); err == nil {
				return t.UTC(), nil
			}
		}
		if t, ok, err := zonedDate(v); ok {
			return t, err
		}
		if t, ok := writtenDate(v); ok {
			return t, nil
		}
		return time.Time{}, fmt.Errorf("%q is not a date", v)
	}
	return time.Time{}, fmt.Errorf("%v is not a date", v)
}
