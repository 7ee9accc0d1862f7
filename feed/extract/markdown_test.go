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
		{"# 中文\n\n云原生领域以其复杂性而闻名，云原生词汇表的目的是在不需要任何先决技术知识的情况下，\n以通俗易懂的语言阐释云原生领域概念，不仅适用于技术人员，也适用于业务人员。\n为了实现这一目标，我们专注于简化。\n", // the CNCF glossary's
			"中文", "云原生领域以其复杂性而闻名，云原生词汇表的目的是在不需要任何先决技术知识的情况下，以通俗易懂的语言阐释云原生领域概念，不仅适用于技术人员，也适用于业务人员。为了实现这一目标，我们专注于简化。"},
		{"# 日本語\n\nクラウドネイティブの分野は複雑なことで知られており、\nこの用語集は前提知識なしで概念を説明します。\n",
			"日本語", "クラウドネイティブの分野は複雑なことで知られており、この用語集は前提知識なしで概念を説明します。"},
		{"# Lines\n\nOne line\nand the next.\n", "Lines", "One line and the next."},
		{"# A \\*starred\\* title\n\nUse \\[brackets\\]\\[\\], 5 \\* 3 and `\\*`.\n", "A *starred* title", "Use [brackets][], 5 * 3 and \\*."},
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
