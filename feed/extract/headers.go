package extract

import (
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"time"
)

// A header block is the other way a text file says what it is: lines of
// "Key: value" at its very start, then a blank line, then the body. Pelican
// and MultiMarkdown write their metadata so (Title:, Date:, Tags:), and a
// mail or news article opens with its header (Subject:, From:, Date:).
// Being prose-like, it is taken for one only when nothing else can be
// meant (see splitHeaders); then it is read as front matter, and the body
// is what follows its blank line.

// splitHeaders separates the header block that opens s from the body after
// its blank line, and reads it as front matter. ok is false, and body is
// s, when s opens with none; so it does when the block is not surely one:
//
//   - every line up to the first blank line (or the end) is "Key: value",
//     a key of letters, digits, "-" and "_" with no space in it, then a
//     colon and a space or the line's end; or, after one, a continuation
//     line that opens with white space, as a mail header is folded;
//   - a title (Title:, a mail's Subject:) or a date that reads as one
//     (Date:) is among them;
//   - and there are two such lines at least, but for a lone Title: line.
//
// So "Meeting notes: Q3 planning", then a blank line, stays a note whose
// first line is its title, and "Q: …" and "A: …" stay text.
func splitHeaders(s string) (fm frontMatter, body string, ok bool) {
	fields, body, ok := headerFields(s)
	if !ok {
		return fm, s, false
	}
	known := map[string]string{}
	for _, f := range fields {
		if _, seen := known[f.key]; !seen { // of a key given twice, the first
			known[f.key] = f.value
		}
	}
	title := first(known["title"], decodeWords(known["subject"]))
	dated := false
	if d := known["date"]; d != "" {
		t, err := headerDate(d)
		dated = err == nil && !t.IsZero()
	}
	if title == "" && !dated || len(fields) < 2 && fields[0].key != "title" {
		return fm, s, false
	}
	raw := map[string]any{"title": title, "summary": known["summary"], "lang": first(known["lang"], known["language"])}
	for _, k := range []string{"date", "modified", "updated", "lastmod"} {
		if v := known[k]; v != "" {
			if t, err := headerDate(v); err == nil {
				raw[k] = t
			} else {
				raw[k] = v // for readFrontMatter to note why it is no date
			}
		}
	}
	// Pelican's Author is one, its Authors and Tags a list, apart by
	// semicolons when there are some, else by commas; its Category is one.
	if v := first(known["author"], mailName(known["from"])); v != "" {
		raw["author"] = v
	}
	if v := known["authors"]; v != "" {
		raw["authors"] = metadataList(v)
	}
	tags := metadataList(known["tags"])
	tags = append(tags, metadataList(known["categories"])...)
	if v := known["category"]; v != "" {
		tags = append(tags, v)
	}
	raw["tags"] = tags
	fm, _ = readFrontMatter(raw) // it fails for none of these
	switch strings.ToLower(known["status"]) {
	case "draft":
		fm.draft = true
	case "hidden":
		fm.draft, fm.withheld = true, "hidden (Pelican's Status: hidden): listed nowhere, not a post"
	case "skip":
		fm.draft, fm.withheld = true, "skipped (Pelican's Status: skip): not a post"
	}
	return fm, body, true
}

// headerField is one field of a header block: its key in lower case, and
// its value, continuation lines joined with spaces.
type headerField struct{ key, value string }

// headerFields reads the lines of "Key: value" that open s up to its first
// blank line (see splitHeaders), and returns them and the text after that
// line; ok is false when a line on the way is none.
func headerFields(s string) (fields []headerField, body string, ok bool) {
	if !opensHeader(s) {
		return nil, s, false // nearly every file
	}
	rest := s
	start := -1 // where the value of the last field starts in s
	end := 0    // and where it ends
	flush := func() {
		if start >= 0 {
			fields[len(fields)-1].value = collapse(s[start:end])
		}
	}
	for rest != "" {
		line, after, found := strings.Cut(rest, "\n")
		at := len(s) - len(rest)
		rest = after
		if !found {
			rest = ""
		}
		switch {
		case strings.TrimSpace(line) == "":
			flush()
			return fields, rest, true
		case line[0] == ' ' || line[0] == '\t':
			if start < 0 {
				return nil, s, false
			}
			end = at + len(line)
		default:
			key, n, ok := headerKey(line)
			if !ok {
				return nil, s, false
			}
			flush()
			fields = append(fields, headerField{key: strings.ToLower(key)})
			start, end = at+n, at+len(line)
		}
	}
	flush()
	return fields, "", true // a file of nothing but its header
}

// opensHeader reports whether text opens with a line that may be a header
// block's: "Key:", then a space or the line's end. It is quick, for the
// plain text of every file to be asked.
func opensHeader[T string | []byte](text T) bool {
	_, _, ok := headerKey(text)
	return ok
}

// headerKey returns the key of a header line ("Title: T" has "Title"), and
// the offset of its value, or ok false when line is no header line.
func headerKey[T string | []byte](line T) (key string, value int, ok bool) {
	i := 0
	for i < len(line) && i <= 64 && (isASCIILetter(rune(line[i])) || i > 0 && (line[i] >= '0' && line[i] <= '9' || line[i] == '-' || line[i] == '_')) {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != ':' {
		return "", 0, false
	}
	if i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\t' && line[i+1] != '\n' && line[i+1] != '\r' {
		return "", 0, false // "http://…", "Note:this"
	}
	return string(line[:i]), i + 1, true
}

// metadataList splits a list as Pelican does: at semicolons when there are
// some, else at commas (so "Doe, Jane; Roe, Richard" is two authors), each
// trimmed, the empty and the repeated left out.
func metadataList(v string) []any {
	sep := ","
	if strings.Contains(v, ";") {
		sep = ";"
	}
	var out []any
	seen := map[string]bool{}
	for _, item := range strings.Split(v, sep) {
		if item = strings.TrimSpace(item); item != "" && !seen[item] {
			seen[item] = true
			out = append(out, item)
		}
	}
	return out
}

// headerDate reads the date of a header: a mail's, as RFC 5322 writes it
// ("Thu, 22 Apr 1993 23:00:00 GMT", "22 Apr 93 23:00:00 EDT"), or one as
// front matter writes it (Pelican's "2013-06-07 18:46", see date).
func headerDate(v string) (time.Time, error) {
	if t, err := mail.ParseDate(numericZone(v)); err == nil {
		return date(t)
	}
	return date(v)
}

// numericZone writes the zone a mail's date names ("EDT", "GMT") as its
// offset ("-0400"), from the names dates are read with (zoneOffsets, which
// hold RFC 5322's), and one of another name as none ("+0000", as RFC 5322
// reads them): time.Parse would take the offset the machine's own zone
// gives the name, and extraction must not depend on the machine.
func numericZone(v string) string {
	body, comment := strings.TrimSpace(v), ""
	if i := strings.LastIndexByte(body, '('); i > 0 && strings.HasSuffix(body, ")") {
		body, comment = strings.TrimSpace(body[:i]), " "+body[i:]
	}
	i := strings.LastIndexByte(body, ' ')
	if i < 0 || !isZoneName(body[i+1:]) {
		return v
	}
	h, sign := zoneOffsets[strings.ToUpper(body[i+1:])], "+" // 0 for a name not read
	if h < 0 {
		h, sign = -h, "-"
	}
	return fmt.Sprintf("%s%s%02d00%s", body[:i+1], sign, h, comment)
}

// mailName returns the name a mail's From: gives, as readers show it:
// "Robert Lipman" of "lipman@x (Robert Lipman)" and of "Robert Lipman
// <lipman@x>"; the address when it gives no name; "" for "".
func mailName(from string) string {
	if from == "" {
		return ""
	}
	a, err := mail.ParseAddress(from)
	switch {
	case err != nil:
		return decodeWords(from) // not as RFC 5322 has it: as it is
	case a.Name != "":
		return a.Name
	}
	return a.Address
}

// decodeWords decodes the encoded words of a mail header
// ("=?iso-8859-1?q?J=F6rg?="), when it holds some that can be.
func decodeWords(v string) string {
	if !strings.Contains(v, "=?") {
		return v
	}
	if d, err := new(mime.WordDecoder).DecodeHeader(v); err == nil {
		return collapse(d)
	}
	return v
}
