package extract

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestRawHTMLIsKeptClean: a Markdown post's raw HTML (a picture with its
// width, details, keys, a video) is kept, and what could run or hide
// (script, style, frames, event handlers, javascript: links) is not; the
// files it shows are the post's links, published with it. A post with no
// raw HTML but comments is rendered as before.
func TestRawHTMLIsKeptClean(t *testing.T) {
	in := "# Raw\n\nKeys <kbd>Ctrl</kbd>+<kbd>C</kbd>, a note[^1].\n\n" +
		"<img src=\"cat.png\" width=\"300\" onerror=\"alert(1)\" alt=\"A cat\">\n\n" +
		"<script>alert(1)</script>\n\n<style>body{display:none}</style>\n\n" +
		"<details><summary>More</summary>Hidden text</details>\n\n" +
		"<video src=\"clip.mp4\" controls onplay=\"x()\"></video>\n\n" +
		"| a | b |\n|:--|--:|\n| 1 | 2 |\n\n" +
		"<a href=\"javascript:alert(1)\">bad</a> <a href=\"https://example.com/\" onclick=\"x()\">out</a> <iframe src=\"https://evil.example/\"></iframe>\n\n" +
		"<img src=\"b.png\" srcset=\"javascript:alert(1) 1x, data:image/svg+xml,x 2x\"> <video src=\"javascript:alert(2)\" poster=\"javascript:alert(3)\"><source src=\"javascript:x\"></video> <input type=\"text\">\n\n" +
		"[^1]: The note.\n"
	doc, err := Extract("post.md", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<img src="cat.png" width="300" alt="A cat">`, `<details><summary>More</summary>Hidden text</details>`,
		`<kbd>Ctrl</kbd>`, `<video src="clip.mp4" controls`, `<a href="https://example.com/">out</a>`,
		`<th style="text-align: left">a</th>`, `class="footnote-ref" role="doc-noteref"`} {
		if !strings.Contains(doc.Content, want) {
			t.Errorf("content lacks %s:\n%s", want, doc.Content)
		}
	}
	for _, bad := range []string{"<script", "alert(", "srcset", "poster", "<source", `type="text"`, "data:", "<style", "display:none", "onerror", "onplay", "onclick", "<iframe", "evil", "javascript:", "nofollow"} {
		if strings.Contains(doc.Content, bad) {
			t.Errorf("content holds %s:\n%s", bad, doc.Content)
		}
	}
	for _, l := range []string{"cat.png", "clip.mp4"} {
		if !slices.Contains(doc.Links, l) {
			t.Errorf("links %q lack %s", doc.Links, l)
		}
	}
	if doc.Summary != "Keys Ctrl+C, a note." {
		t.Errorf("summary %q; want the lead's text", doc.Summary)
	}

	plain := "# Plain\n\nText [with](a.md) \"quotes\".\n\n<!-- more -->\n\nMore.\n"
	doc, err = Extract("post.md", []byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	if want := "<p>Text <a href=\"a.md\">with</a> &quot;quotes&quot;.</p>\n<p>More.</p>\n"; doc.Content != want {
		t.Errorf("a post with a comment only: content %q; want %q, as goldmark's safe renderer writes it", doc.Content, want)
	}

	// A comment, then a picture on its line, is raw HTML, not a comment.
	doc, err = Extract("post.md", []byte("# Pictured\n\nText.\n\n<!-- a picture --><img src=\"c.png\" alt=\"C\">\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Content, `<img src="c.png" alt="C">`) || !slices.Contains(doc.Links, "c.png") {
		t.Errorf("a picture after a comment: content %q, links %q; want the picture", doc.Content, doc.Links)
	}
}

func TestNextURLAttr(t *testing.T) {
	for _, c := range []struct {
		name, html string
		want       int // where the value starts; -1: none
	}{
		{"a link", `<a href="x">`, 9},
		{"a picture", `<img src="y">`, 10},
		{"the nearer of the two", `<img src="y"><a href="x">`, 10},
		{"other attributes are passed over", `<a class="c" title="t" href="x">`, 29},
		{"an attribute that only ends in href is none", `<a data-href="x" xlink:href="y">`, -1},
		{"no attribute", `<p>text="x"</p>`, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := NextURLAttr(c.html); got != c.want {
				t.Errorf("NextURLAttr(%q) = %d; want %d", c.html, got, c.want)
			}
		})
	}
}

// BenchmarkManyLinks is a post of 16,000 links: reading its links once
// costs in proportion to its length (it was quadratic: 8.6 s a build).
func BenchmarkManyLinks(b *testing.B) {
	var md strings.Builder
	md.WriteString("# Links\n\n")
	for i := range 16000 {
		fmt.Fprintf(&md, "- [link %d](page-%d.md)\n", i, i)
	}
	b.ReportAllocs()
	for range b.N {
		if _, err := Extract("post.md", []byte(md.String())); err != nil {
			b.Fatal(err)
		}
	}
}
