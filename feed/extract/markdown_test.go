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

// TestMDX: MDX's syntax (JSX and JavaScript) never shows as text. A JSX
// comment goes, in .md files too (react.dev writes them there), and one
// that ends a heading is its id; a string expression is its text within
// a component's block; a .mdx file is Markdown with front matter, less
// its imports, exports and components' tags. Code keeps all as written,
// and a "{" of prose stays.
func TestMDX(t *testing.T) {
	for _, tt := range []struct {
		name, file, in string
		title, summary string
		has, lacks     []string
	}{
		{name: "a JSX comment goes, and names a heading's id", file: "post.md",
			in:      "---\ntitle: R\n---\nIntro {/* a note */}here.\n\n## What is new {/*whats-new*/}\n\n## Old {/* not an id */}\n\n```js\n{/* kept */}\n```\n\nAnd `{/* kept too */}`.\n",
			summary: "Intro here.", has: []string{"<p>Intro here.</p>", `<h2 id="whats-new">What is new</h2>`, "<h2>Old</h2>", "{/* kept */}", "<code>{/* kept too */}</code>"},
			lacks: []string{"{/<em>", "a note", "not an id"}}, // react.dev's blog
		{name: "string expressions in a component's block are their text", file: "post.md",
			in:      "---\ntitle: R\n---\nIntro.\n\n<ConsoleBlockMulti>\n<ConsoleLogLine level=\"error\">\n\ncreate-react-app is deprecated.\n{'\\n\\n'}\nYou can find a list{\"!\"}\n{'  '}at App{`*`}\n\n</ConsoleLogLine>\n</ConsoleBlockMulti>\n\nIn prose {'a'} stays, as does {`b`}.\n",
			summary: "Intro.", has: []string{"<p>create-react-app is deprecated.</p>\n<p>You can find a list!\nat App*</p>", "<p>In prose {&#39;a&#39;} stays, as does {<code>b</code>}.</p>"},
			lacks: []string{"{&#39;\\n"}}, // react.dev's sunsetting-create-react-app.md
		{name: "HTML in capitals is no component", file: "post.md",
			in: "---\ntitle: R\n---\nIntro.\n\n<BR>\n\nA set {'a'} stays.\n", has: []string{"A set {&#39;a&#39;} stays."}},
		{name: "a .mdx file is Markdown with front matter, less imports, exports and components' tags", file: "post.mdx",
			in:    "---\ntitle: Hello MDX\n---\n\nimport Tabs from '@theme/Tabs';\nimport {Intro} from './intro';\n\nexport const meta = {\n  a: 1,\n};\n\n<Intro>\nSome **text**{' '}here.{/* note */}\n</Intro>\n\n<YouWillLearn />\n\n<Note>\n\nInside a <Link href=\"/x\" n={1}>note</Link>, {`quoted`}.\n\n</Note>\n\n<>\n<div className=\"x\" onclick=\"y()\">raw <b>HTML</b></div>\n</>\n\n<Section>\n    ```js\n    import x from 'y';\n    <Kept a={'b'} />\n    ```\n</Section>\n\nA line{'!'}\nimport stays text.\n",
			title: "Hello MDX", summary: "Some text here.",
			has:   []string{"<p>Some <strong>text</strong> here.</p>", "<p>Inside a note, quoted.</p>", "<div>raw <b>HTML</b></div>", "import x from &#39;y&#39;;\n&lt;Kept a={&#39;b&#39;} /&gt;", "<p>A line!\nimport stays text.</p>"},
			lacks: []string{"Tabs", "meta", "Intro", "YouWillLearn", "Note&gt;", "Link", "className", "onclick", "&lt;&gt;", "Section", "`"}}, // Docusaurus, react.dev, nodejs.org
		{name: "a code span does not cross a blank line", file: "post.mdx",
			in: "---\ntitle: T\n---\nPress the ` key.\n\n{/* embargoed until Friday */}\n\n<Intro>\nUse `x.\n</Intro>\n", has: []string{"<p>Use `x.</p>"},
			lacks: []string{"embargoed", "Intro"}}, // the review's
		{name: "a .mdx file's tags in capitals are a component's", file: "post.mdx",
			in: "---\ntitle: T\n---\nText <B>kept</B>.\n", summary: "Text kept.", has: []string{"<p>Text kept.</p>"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if tt.title != "" && doc.Title != tt.title {
				t.Errorf("title = %q; want %q", doc.Title, tt.title)
			}
			if tt.summary != "" && doc.Summary != tt.summary {
				t.Errorf("summary = %q; want %q", doc.Summary, tt.summary)
			}
			checkContent(t, doc, tt.has, tt.lacks)
		})
	}
}

// TestProseOverCode: a post's summary is prose, not a command. A paragraph
// that is code alone is no lead (tldr's pages give each example so); with
// no paragraph of prose, the first quote is the lead (a tldr page's
// description), but gives no title; a quote before a paragraph (an
// epigraph) is not the lead. A
// heading of punctuation that is the file's name is the title (tldr's
// "[.md", headed "# [").
func TestProseOverCode(t *testing.T) {
	const tar = "# tar\n\n> Archiving utility.\n> Often combined with a compression method, such as `gzip`.\n\n- [c]reate an archive:\n\n`tar cf {{target.tar}} {{file}}`\n\n- E[x]tract it:\n\n`tar xf {{source.tar}}`\n"
	for _, tt := range []struct{ name, file, in, title, summary string }{
		{"a tldr page: the quote, not the command", "tar.md", tar, "tar", "Archiving utility. Often combined with a compression method, such as gzip."},
		{"a command's name in punctuation", "[.md", "# [\n\n> Check file types and compare values.\n\n- Test a string:\n\n`[ \"{{a}}\" = \"{{b}}\" ]`\n", "[", "Check file types and compare values."},
		{"$", "pages.ar/common/$.md", "# $\n\n> Expand Bash variables.\n\n- Print a variable:\n\n`echo ${{VARIABLE}}`\n", "$", "Expand Bash variables."},
		{"a code line before prose", "post.md", "# Post\n\n`go install example.com/tool@latest`\n\nThe tool does one thing well.\n", "Post", "The tool does one thing well."},
		{"an epigraph before the paragraph", "post.md", "# Post\n\n> Simplicity is prerequisite for reliability.\n\nWe rewrote the scheduler.\n", "Post", "We rewrote the scheduler."},
		{"code in prose is prose", "post.md", "# Post\n\nRun `make` first.\n", "Post", "Run make first."},
		{"punctuation that is not the name is no title", "notes.md", "# ---\n\nBody text here.\n", "notes", "Body text here."},
		{"a quote alone summarizes but names nothing", "native-lib-alert.md", "> [!IMPORTANT] Help wanted\n>\n> If you know of a library, let us know.\n", "native lib alert", "Important Help wanted If you know of a library, let us know."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract(tt.file, []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title || doc.Summary != tt.summary {
				t.Errorf("Extract(%s): title %q, summary %q; want %q, %q", tt.file, doc.Title, doc.Summary, tt.title, tt.summary)
			}
		})
	}
}
