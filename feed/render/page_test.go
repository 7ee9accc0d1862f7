package render

import (
	"html/template"
	"strings"
	"testing"
)

// escapeOracle is html/template, which wrote the pages before they were
// written by hand: each value in each of the places a page puts one.
var escapeOracle = template.Must(template.New("").Parse(
	`<title>{{.}}</title><p title="{{.}}">{{.}}</p><a href="{{.}}">x</a>`))

func escapedByHand(s string) string {
	h := &pageWriter{}
	h.raw("<title>")
	h.text(s)
	h.raw(`</title><p title="`)
	h.text(s)
	h.raw(`">`)
	h.text(s)
	h.raw(`</p><a href="`)
	h.url(s)
	h.raw(`">x</a>`)
	return string(h.b)
}

var escapeCases = []string{
	"", "plain", `Tom & Jerry's "show" <b>1+1</b>`, "\x00nul", "\xff\xfebad utf-8", "تهران — 東京 ← →",
	"javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "data:text/html,<script>", "vbscript:x",
	"mailto:a@example.org", "HTTPS://example.org/a b?q=1&r=2#frag", "http://example.org/%41%zz%4", "/path/with:colon",
	"https://example.org/entry/é.html", "https://example.org/a'b\"c<d>e(f)", "%", "%4", "%41", "a%2",
	"https://example.org/?a=1+2&b=[3]!$*,;=@~", "\t\n\r ", "\uFDD0\uFFFE",
}

// TestEscapesAsHTMLTemplate holds the pages' escaping to html/template's,
// value for value: text, attributes, titles and link addresses (a
// "javascript:" link becomes "#ZgotmplZ").
func TestEscapesAsHTMLTemplate(t *testing.T) {
	for _, s := range escapeCases {
		checkEscape(t, s)
	}
}

func FuzzEscapesAsHTMLTemplate(f *testing.F) {
	for _, s := range escapeCases {
		f.Add(s)
	}
	f.Fuzz(checkEscape)
}

func checkEscape(t *testing.T, s string) {
	var want strings.Builder
	if err := escapeOracle.Execute(&want, s); err != nil {
		t.Fatal(err)
	}
	if got := escapedByHand(s); got != want.String() {
		t.Errorf("escaped(%q) =\n%s\nwant (html/template)\n%s", s, got, want.String())
	}
}
