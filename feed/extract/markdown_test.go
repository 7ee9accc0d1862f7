package extract

import "testing"

// TestMarkdownPlainText: a post's summary and title are plain text as a
// reader sees the post: character references are characters, and a line
// break within a paragraph is a space, but none between two characters of
// Chinese or Japanese.
func TestMarkdownPlainText(t *testing.T) {
	for _, tt := range []struct{ in, title, summary string }{
		{"# Pagination &amp; more\n\nWith many websites &mdash; especially blogs&nbsp;&amp; news &#8212; it is common.\n",
			"Pagination & more", "With many websites — especially blogs & news — it is common."},
		{"# 中文\n\n在这种情况下，\n以下内容适用。Go\nis fine.\n", "中文", "在这种情况下，以下内容适用。Go is fine."},
		{"# 日本語\n\nこれは\nテストです。\n", "日本語", "これはテストです。"},
		{"# Lines\n\nOne line\nand the next.\n", "Lines", "One line and the next."},
		{"# Code\n\nWrite `&amp;` for an ampersand.\n", "Code", "Write &amp; for an ampersand."},
	} {
		doc, err := Extract("post.md", []byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != tt.title || doc.Summary != tt.summary {
			t.Errorf("%q: title %q, summary %q; want %q, %q", tt.in, doc.Title, doc.Summary, tt.title, tt.summary)
		}
	}
}
