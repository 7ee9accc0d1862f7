package extract

import (
	"strings"
	"testing"
	"time"
)

// TestSiteGenerators reads posts as Hugo, Jekyll, Zola and Eleventy write
// them: no template tag reaches the summary or the content, what paired
// tags enclose stays, code shows tags as written, and the generators' own
// ways to give a summary, a title and a draft are read.
func TestSiteGenerators(t *testing.T) {
	for _, tt := range []struct {
		name, in   string
		title      string
		summary    string
		draft      bool
		tags       []string
		has, lacks []string
		date       string // when given: Doc.Date, and no DateNote
	}{
		// Hugo
		{name: "Hugo inline shortcode", in: "---\ntitle: Release\n---\nThe option is new {{< new-in 0.140.0 />}} in this release.\n",
			summary: "The option is new in this release.", lacks: []string{"new-in"}},
		{name: "Hugo include shortcode on its own line", in: "+++\ntitle = \"Install\"\n+++\n{{% include \"/_common/install.md\" %}}\n\nRun the installer.\n",
			summary: "Run the installer.", lacks: []string{"include", "_common"}},
		{name: "Hugo paired shortcode keeps its text", in: "# Notes\n\n{{< note >}}Back up your site first.{{< /note >}}\n",
			title: "Notes", summary: "Back up your site first.", has: []string{"<p>Back up your site first.</p>"}, lacks: []string{"note"}},
		{name: "Hugo paired shortcode over lines", in: "# Notes\n\nBefore.\n\n{{% admonition type=\"warning\" %}}\nBack up your site **first**.\n{{% /admonition %}}\n",
			has: []string{"<strong>first</strong>"}, lacks: []string{"admonition", "warning"}},
		{name: "Hugo highlight is a code block", in: "# Code\n\nLook:\n\n{{< highlight go \"linenos=table\" >}}\nfunc main() {}\n{{< /highlight >}}\n",
			has: []string{`<pre><code class="language-go">func main() {}`}, lacks: []string{"highlight", "linenos"}},
		{name: "Hugo shortcode in a code fence stays", in: "# Video\n\nWrite this:\n\n```\n{{< youtube w7Ft2ymGmfc >}}\n```\n\nIt embeds the video.\n",
			summary: "It embeds the video.", has: []string{"{{&lt; youtube w7Ft2ymGmfc &gt;}}"}},
		{name: "Hugo shortcode in inline code stays", in: "# Figures\n\nWrite `{{< figure src=\"x.png\" >}}` to add a figure, and {{< new-in 0.1 >}} more.\n",
			has: []string{"<code>{{&lt; figure src=&quot;x.png&quot; &gt;}}</code>"}, lacks: []string{"new-in"}},
		{name: "Hugo escaped shortcode reads as the shortcode", in: "# Escapes\n\n```go-html-template\n{{</* myshortcode */>}}\n```\n\nAnd inline {{%/* other */%}} too.\n",
			has: []string{"{{&lt; myshortcode &gt;}}", "inline {{% other %}} too"}, lacks: []string{"/*"}},
		{name: "Hugo figure is an image", in: "# Deploy\n\n{{< figure src=\"vercel-01.png\" alt=\"The dashboard\" >}}\n\nOpen the dashboard.\n",
			summary: "Open the dashboard.", has: []string{`<img src="vercel-01.png" alt="The dashboard">`}, lacks: []string{"{{", "figure src"}},
		{name: "Hugo inline shortcode's text argument is a word of the sentence", in: "---\ntitle: Pods\n---\nA {{< glossary_tooltip text=\"Pod\" term_id=\"pod\" >}} runs one or more\n{{< glossary_tooltip text='containers' term_id=\"container\" >}} on a node.\n",
			summary: "A Pod runs one or more containers on a node.", lacks: []string{"glossary", "term_id", "pod\""}},
		{name: "Hugo link shortcode keeps its text, not its address", in: "# Notes\n\nRead the {{% link text=\"release notes\" url=\"/releases/notes/\" %}} for details.\n",
			summary: "Read the release notes for details.", lacks: []string{"/releases/notes/", "url="}},
		{name: "Hugo abbr shortcode shows its text, its title is the tooltip", in: "# Markup\n\nWrite {{< abbr title=\"HyperText Markup Language\" text=\"HTML\" >}} by hand.\n",
			summary: "Write HTML by hand.", lacks: []string{"HyperText"}},
		{name: "Hugo text argument with an escaped quote", in: "# Q\n\nSay {{< term text=\"the \\\"best\\\" one\" >}} now.\n",
			summary: "Say the \"best\" one now."},
		{name: "Hugo inline shortcode's title is no text", in: "# Home\n\n{{< homepage/otel-feature title=\"Traces\" image=\"t.svg\" >}}\n\nTrace requests.\n",
			summary: "Trace requests.", lacks: []string{"Traces"}},
		{name: "Hugo paired shortcode's text is no word", in: "# Tabs\n\n{{< tabpane text=true >}}\nUse the CLI.\n{{< /tabpane >}}\n\n{{% button text=\"Go\" %}}Start here.{{% /button %}}\n",
			summary: "Use the CLI.", has: []string{"<p>Start here.</p>"}, lacks: []string{"true", "Go"}},
		{name: "Hugo ref in a link", in: "# Links\n\nSee [the guide]({{< ref \"guide.md\" >}}) first.\n",
			summary: "See the guide first.", lacks: []string{"ref \"guide", "{{"}},
		{name: "more divider decides the summary", in: "---\ntitle: Long\n---\nIntro one.\n\nIntro two.\n\n<!--more-->\n\nThe rest, which is long.\n",
			summary: "Intro one. Intro two.", has: []string{"The rest"}, lacks: []string{"more"}},
		{name: "more divider: an introduction to code is no summary", in: "---\ntitle: Long\n---\nUse this:\n\n```toml\na = 1\n```\n\nThen push.\n\n<!--more-->\n\nRest.\n",
			summary: "Then push."},
		{name: "more divider inside a paragraph", in: "---\ntitle: Long\n---\nOnly this. <!--more--> Not this.\n",
			summary: "Only this."},
		{name: "front matter summary beats the divider", in: "---\ntitle: Long\nsummary: Given.\n---\nIntro one.\n\n<!--more-->\n\nRest.\n",
			summary: "Given."},
		{name: "Docusaurus's truncate divider decides the summary", in: "---\ntitle: Long\n---\nIntro one.\n\nIntro two.\n\n<!-- truncate -->\n\nThe rest, which is long.\n",
			summary: "Intro one. Intro two.", has: []string{"The rest"}, lacks: []string{"truncate"}},
		{name: "Docusaurus's truncate divider as MDX writes it", in: "---\ntitle: Long\n---\nIntro one.\n\nIntro two.\n\n{/* truncate */}\n\nThe rest, which is long.\n",
			summary: "Intro one. Intro two.", has: []string{"The rest"}, lacks: []string{"truncate"}},
		{name: "a JSX comment of another word is no divider", in: "---\ntitle: Long\n---\nIntro one.\n\nIntro two.\n\n{/* truncated */}\n\nThe rest, which is long.\n",
			summary: "Intro one.", lacks: []string{"truncate"}},
		{name: "a divider in code is code", in: "---\ntitle: Code\n---\n```html\n<!--more-->\n```\n\nText after.\n",
			summary: "Text after.", has: []string{"&lt;!--more--&gt;"}},
		{name: "heading equal to the title is not repeated", in: "---\ntitle: Hello World\n---\n# Hello world!\n\nText.\n",
			title: "Hello World", lacks: []string{"<h1"}},
		{name: "heading after a shortcode still says the title", in: "---\ntitle: Hello\n---\n{{< toc >}}\n\n## Hello\n\nText.\n",
			title: "Hello", lacks: []string{"<h2", "toc"}},
		{name: "a different heading stays", in: "---\ntitle: Hello\n---\n# Welcome\n\nText.\n",
			title: "Hello", has: []string{"<h1>Welcome</h1>"}},
		{name: "a list under a heading leads a post that opens with it", in: "---\ntitle: Node.js 26.7.0\n---\n### Notable Changes\n\n- **crypto**: support loading keys\n- **lib**: add perfetto\n\n### Commits\n\n- fix\n\nWindows Installer: https://nodejs.org/x.msi\n",
			summary: "Notable Changes: crypto: support loading keys; lib: add perfetto"},
		{name: "a table of contents in two levels leads nothing", in: "---\ntitle: Guide\n---\n## Contents\n\n- [Intro](#intro)\n  - [Setup](#setup)\n- [Use](#use)\n\n## Intro\n\nThis guide explains it.\n",
			summary: "This guide explains it."},
		{name: "a table of contents leads nothing", in: "---\ntitle: Guide\n---\n## Contents\n\n- [Setup](#setup)\n- [Use](#use)\n\n## Setup\n\nInstall it first.\n",
			summary: "Install it first."},
		{name: "an introduction and code: the next paragraph", in: "---\ntitle: Config\n---\nThis is the default configuration:\n\n```toml\nbaseURL = \"/\"\n```\n\nYou can change any of it.\n",
			summary: "You can change any of it."},
		{name: "an introduction and a paragraph are one lead", in: "---\ntitle: Thing\n---\nHere is the thing:\n\nIt works well.\n",
			summary: "Here is the thing: It works well."},
		{name: "an introduction and a list are one lead", in: "---\ntitle: Parts\n---\nIt has three parts:\n\n- a parser\n- a renderer\n- a server\n",
			summary: "It has three parts: a parser; a renderer; a server"},
		{name: "a paragraph of images is no lead", in: "---\ntitle: Pics\n---\n![A cat](cat.jpg)\n\nThe cat sat.\n",
			summary: "The cat sat."},
		{name: "JSON front matter", in: "{\n  \"title\": \"JSON post\",\n  \"tags\": [\"a\"],\n  \"draft\": true\n}\n\nBody text.\n",
			title: "JSON post", summary: "Body text.", draft: true, tags: []string{"a"}},
		{name: "a shortcode first is no JSON", in: "{{< note >}}Hi there.{{< /note >}}\n",
			summary: "Hi there."},
		{name: "Hugo draft", in: "+++\ntitle = \"W\"\ndraft = true\n+++\nx\n", draft: true},
		{name: "draft as a string", in: "---\ntitle: W\ndraft: \"yes\"\n---\nx\n", draft: true},
		// Jekyll
		{name: "Jekyll link tag", in: "---\ntitle: J\n---\nSee [the post]({% link _posts/2020-01-01-x.md %}) and {{ site.repository }}.\n",
			summary: "See the post and .", lacks: []string{"{%", "link _posts", "site.repository"}},
		{name: "Jekyll raw keeps its text", in: "---\ntitle: J\n---\nWrite {% raw %}{{ page.title }}{% endraw %} in a layout.\n",
			summary: "Write {{ page.title }} in a layout.", lacks: []string{"raw"}},
		{name: "Jekyll raw block", in: "---\ntitle: J\n---\nIntro.\n\n{% raw %}\nUse {{ site.title }} here.\n{% endraw %}\n",
			has: []string{"Use {{ site.title }} here."}, lacks: []string{"raw"}},
		{name: "tags with arguments in backticks", in: "---\ntitle: G\n---\nThe interface:\n\n{{code \"context/interface.go\" `/START/` `/^}/`}}\n\nSet {{< param `x` >}} here, and {{% note `t` %}}Inner{{% /note %}} text. Braces: `{{` and `}}`.\n",
			has:   []string{"<p>The interface:</p>\n<p>Set here, and Inner text. Braces: <code>{{</code> and <code>}}</code>.</p>"},
			lacks: []string{"START", "param", "note", "`"}}, // the golang blog's {{code}}; hugoDocs' param and note
		{name: "Hugo's code-toggle is code", in: "---\ntitle: H\n---\nIntro.\n\n{{< code-toggle file=hugo >}}\n# comment\n[menus]\nx = 1\n{{< /code-toggle >}}\n",
			has: []string{"<pre><code># comment\n[menus]\nx = 1\n</code></pre>"}, lacks: []string{"<h1>", "code-toggle"}}, // hugoDocs' menus.md
		{name: "Hugo's code-toggle in a list item", in: "---\ntitle: H\n---\nIntro.\n\n1. `production.toml`\n    - Include this section only:\n\n      {{< code-toggle file=hugo >}}\n      [services]\n      # comment\n      {{< /code-toggle >}}\n\n    - Nothing else.\n",
			has: []string{"<pre><code>[services]\n# comment\n</code></pre>", "Nothing else."}, lacks: []string{"code-toggle", "<h1>"}}, // hugoDocs' configuration/introduction.md
		{name: "a loose list's indented paragraphs are no code", in: "---\ntitle: H\n---\nIntro.\n\n1. `staging.toml`\n\n    - Include this section only:\n\n      {{< code-toggle file=hugo >}}\n      [services]\n      {{< /code-toggle >}}\n\n    - Set {{< param x >}} here.\n\nText.\n\n    {{< kept >}}\n\nIn the year\n2024. it was good.\n\n    {{< kept too >}}\n",
			has: []string{"<pre><code>[services]\n</code></pre>", "<p>Set here.</p>", "<pre><code>{{&lt; kept &gt;}}", "<pre><code>{{&lt; kept too &gt;}}"}, lacks: []string{"code-toggle", "param"}}, // hugoDocs' configuration/introduction.md
		{name: "the Go blog's raw text", in: "---\ntitle: G\n---\nThe function:\n\n{{raw `\n\tfunc Min(x, y float64) float64 {\n\n\t\treturn x\n\t}\n`}}\n\nWe make it generic.\nCompare with the {{\" < \"}}\noperator, {{raw \"<b>\"}}bold{{raw `</b>`}} and so on.\nChannels use {{raw \"`<-`\"}}, and the {{raw \"[`{{block}}` action]\"}}(/pkg/text/template/) too.\n\n\tif n {{raw \"<\"}}= 1 {\n",
			has:   []string{"<pre><code>func Min(x, y float64) float64 {\n\n\treturn x\n}\n</code></pre>\n<p>We make it generic.", "&lt;\noperator, <b>bold</b> and so on.\nChannels use <code>&lt;-</code>, and the <a href=\"/pkg/text/template/\"><code>{{block}}</code> action</a> too.</p>", "if n &lt;= 1 {"},
			lacks: []string{"raw", "`"}}, // golang/website's template functions
		{name: "the Go blog's images and videos", in: "---\ntitle: G\n---\nIntro.\n\n{{image \"generics/sets.png\" 850}}\n\n<div>\n<a href=\"big.jpg\">\n{{image \"small.jpg\" 150}}\n</a>\n</div>\n\n{{video \"https://www.youtube.com/embed/kNHo788oO5Y?rel=0\"}}\n",
			has: []string{`<figure><img src="generics/sets.png" alt=""></figure>`, `<img src="small.jpg" alt="">`, `<a href="https://www.youtube.com/embed/kNHo788oO5Y?rel=0">`}, lacks: []string{"{{", "850"}},
		{name: "Kramdown attribute lists", in: "---\ntitle: J\n---\n## History\n{: #v4-4-1}\n\nThe page says what it is.\n{: .note .info}\n\nA *big*{:.big} word, and {: this} in prose.\n\n```\n{: .kept-in-code}\n```\n",
			summary: "The page says what it is.", has: []string{"<p>A <em>big</em> word, and {: this} in prose.</p>", "{: .kept-in-code}"},
			lacks: []string{"{: #", "{: .note", "{:.big"}}, // the jekyll docs' history page had {: #v4-4-1} as its summary
		{name: "a Kramdown attribute list over a line break", in: "---\ntitle: J\n---\n![cover](x.gif){:\n.icon width=\"70\"}Hello world, this is the lead.\n\nRuby's {:a =>\n1} stays.\n",
			summary: "Hello world, this is the lead.", has: []string{`<p><img src="x.gif" alt="cover">Hello world`, "{:a =&gt;\n1} stays."}, lacks: []string{".icon", "width"}}, // ruby-lang.org's 2017 posts
		{name: "Ruby hashes are no attribute lists", in: "---\ntitle: J\n---\nIntro with `{:a}` and\n[!NOTE] in prose.\n\n{% highlight ruby %}\nopts = {:verbose => true}\n{% endhighlight %}\n\n    h = {:a}\n",
			has: []string{"<code>{:a}</code> and\n[!NOTE] in prose.", "opts = {:verbose =&gt; true}", "h = {:a}"}}, // the review's
		{name: "a variable in emphasis", in: "---\ntitle: J\n---\nIntro.\n\nRuby version **{{ site.ruby }}** is needed.\n",
			has: []string{"<p>Ruby version is needed.</p>"}, lacks: []string{"****"}},
		{name: "GitHub's alerts", in: "---\ntitle: J\n---\nIntro.\n\n> [!NOTE]\n> Useful information.\n\n> [!warning] Careful.\n\n```\n> [!TIP]\n```\n",
			has:   []string{"<blockquote>\n<p><strong>Note</strong></p>\n<p>Useful information.</p>\n</blockquote>", "<p><strong>Warning</strong> Careful.</p>", "&gt; [!TIP]"},
			lacks: []string{"[!NOTE]", "[!warning]"}},
		{name: "Jekyll raw around code spans", in: "---\ntitle: J\n---\nUse braces: {% raw %}`{{`{% endraw %} and {% raw %}`}}`{% endraw %}. Tags use\n{% raw %}`{%`{% endraw %} and\n{% raw %}`%}`{% endraw %}.\n\nFor example:\n\n{% raw %}\n```liquid\n{% if x %}y{% endif %}\n```\n{% endraw %}\n",
			has:   []string{"<code>{{</code> and <code>}}</code>.", "<code>{%</code> and\n<code>%}</code>.</p>", "{% if x %}y{% endif %}"},
			lacks: []string{"raw", "<p></p>"}}, // the jekyll docs' step-by-step/02-liquid.md
		{name: "Jekyll raw in a code fence", in: "---\ntitle: J\n---\nIntro.\n\n```liquid\n{% raw %}\n{{ x }}\n{% endraw %}\n```\n",
			has: []string{"{{ x }}"}, lacks: []string{"raw"}},
		{name: "references no definition gives show their text", in: "---\ntitle: J\n---\nFix the index ([#1045][]) or ([#1121][]) and [`Meta`][], [given][] too.\nKeep ![pic][] and `a[b][]`.\n\n{% for n in list %}[#{{ n }}]: https://x/{{ n }}{% endfor %}\n[given]: /given\n",
			summary: "Fix the index (#1045) or (#1121) and Meta, given too. Keep ![pic][] and a[b][].", has: []string{"(#1045) or (#1121) and <code>Meta</code>, <a href=\"/given\">given</a> too.\nKeep ![pic][] and <code>a[b][]</code>."}}, // the jekyll docs' 2013 release posts
		{name: "Jekyll highlight is a code block", in: "---\ntitle: J\n---\nIntro.\n\n{% highlight ruby linenos %}\ndef x; end\n{% endhighlight %}\n",
			has: []string{`<pre><code class="language-ruby">def x; end`}, lacks: []string{"highlight", "linenos"}},
		{name: "Jekyll comment goes", in: "---\ntitle: J\n---\nIntro.\n\n{% comment %}\nsecret draft note\n{% endcomment %}\n",
			lacks: []string{"secret", "comment"}},
		{name: "Jekyll published false", in: "---\ntitle: J\npublished: false\n---\nx\n", draft: true},
		{name: "Jekyll excerpt", in: "---\ntitle: J\nexcerpt: The gist.\n---\nLong text.\n", summary: "The gist."},
		{name: "Liquid include", in: "---\ntitle: J\n---\n{% include figure.html image=\"a.png\" %}\n\nText.\n", summary: "Text.", lacks: []string{"include"}},
		// Zola
		{name: "Zola shortcodes and taxonomies", in: "+++\ntitle = \"Z\"\ndescription = \"About Z.\"\n[taxonomies]\ntags = [\"rust\"]\n+++\n{{ youtube(id=\"abc\") }}\n\n{% note(kind=\"info\") %}\nInside the note.\n{% end %}\n",
			summary: "About Z.", tags: []string{"rust"}, has: []string{"Inside the note."}, lacks: []string{"youtube", "note(", "{% end"}},
		// Eleventy
		{name: "Eleventy shortcode", in: "---\ntitle: E\ntags: post\n---\n{% image \"cat.jpg\", \"A cat\" %}\n\nText.\n",
			summary: "Text.", tags: []string{"post"}, lacks: []string{"image", "cat.jpg"}},
		{name: "Hugo publishDate", in: "+++\ntitle = \"P\"\npublishDate = 2024-05-01T10:00:00Z\n+++\nx\n", date: "2024-05-01T10:00:00Z"},
		{name: "Eleventy's date words are no date, and no complaint", in: "---\ntitle: E\ndate: git Last Modified\n---\nx\n", date: "0001-01-01T00:00:00Z"},
		// Prose that only looks like a tag
		{name: "braces over a blank line are text", in: "# T\n\nUse {{ with care.\n\nThen }} close.\n", has: []string{"Use {{ with care.", "Then }} close."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("post.md", []byte(tt.in))
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if tt.title != "" && doc.Title != tt.title {
				t.Errorf("title = %q; want %q", doc.Title, tt.title)
			}
			if tt.summary != "" && doc.Summary != tt.summary {
				t.Errorf("summary = %q; want %q", doc.Summary, tt.summary)
			}
			if tt.date != "" && (doc.Date.Format(time.RFC3339) != tt.date || doc.DateNote != "") {
				t.Errorf("date = %s (note %q); want %s and no note", doc.Date.Format(time.RFC3339), doc.DateNote, tt.date)
			}
			if doc.Draft != tt.draft {
				t.Errorf("draft = %v; want %v", doc.Draft, tt.draft)
			}
			if tt.tags != nil && strings.Join(doc.Tags, ",") != strings.Join(tt.tags, ",") {
				t.Errorf("tags = %q; want %q", doc.Tags, tt.tags)
			}
			checkContent(t, doc, tt.has, tt.lacks)
		})
	}
}

// TestMarkdownLinks: a post's relative links and images, and those from
// the root of its site ("/root.png", Jekyll's way), and only those, are
// what it references (each once, in order); Hugo's figure is one.
func TestMarkdownLinks(t *testing.T) {
	in := "# T\n\n{{< figure src=\"vercel-01.png\" >}}\n\n![a](img/a.png) [b](../b/) [c](https://example.org/c.png) [d](/root.png) [e](#e) " +
		"[f](mailto:x@example.org) ![a again](img/a.png) [g](notes.pdf#page=2) <https://auto.example/>\n\n```\n![code](code.png)\n```\n"
	doc, err := Extract("posts/x/index.md", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"vercel-01.png", "img/a.png", "../b/", "/root.png", "notes.pdf#page=2"}
	if strings.Join(doc.Links, " ") != strings.Join(want, " ") {
		t.Errorf("Links = %q; want %q", doc.Links, want)
	}
	if text, _ := Extract("x.txt", []byte("Title\n\nSee img/a.png.\n")); text.Links != nil {
		t.Errorf("plain text has links %q", text.Links)
	}
}

// TestMoreGeneratorMarkup: what Liquid and Nunjucks keep unseen goes, and
// headings keep only their id of the attributes a post gives them.
func TestMoreGeneratorMarkup(t *testing.T) {
	for _, tt := range []struct {
		name, in, summary string
		has, lacks        []string
	}{
		{"inline capture", "---\ntitle: C\n---\nShown.{% capture note %}Hidden text.{% endcapture %} Also shown.\n",
			"Shown. Also shown.", nil, []string{"Hidden", "capture"}},
		{"capture block", "---\ntitle: C\n---\n{% capture intro %}\nHidden text.\n{% endcapture %}\nShown.\n",
			"Shown.", nil, []string{"Hidden", "capture"}},
		{"capture block with code", "---\ntitle: C\n---\n{% capture sample %}\n```go\nhidden()\n```\n{% endcapture %}\nShown.\n",
			"Shown.", nil, []string{"hidden", "capture", "<pre"}},
		{"inline comment", "---\ntitle: C\n---\nShown {% comment %}hidden{% endcomment %}here.\n",
			"Shown here.", nil, []string{"hidden", "comment"}},
		{"Nunjucks comment", "---\ntitle: C\n---\nShown {# a note to self #}here.\n",
			"Shown here.", nil, []string{"note to self", "{#"}},
		{"heading id", "---\ntitle: C\n---\nText.\n\n## Install {#install}\n\nRun it.\n",
			"", []string{`<h2 id="install">Install</h2>`}, []string{"{#"}},
		{"heading attributes but the id go", "---\ntitle: C\n---\nText.\n\n## Big {#big .huge style=\"position:fixed\" dir=\"rtl\"}\n",
			"", []string{`<h2 id="big">Big</h2>`}, []string{"style", "huge", "rtl"}},
		{"heading attributes in a quote and a list go", "---\ntitle: C\n---\nText.\n\n> ## Quoted {style=\"position:fixed;width:100%\" class=\"x\"}\n\n- ## Listed {tabindex=\"1\" class=\"y\"}\n",
			"", []string{">Quoted</h2>", ">Listed</h2>"}, []string{"style", "class", "tabindex"}},
		{"a heading with an id says the title", "---\ntitle: Hello\n---\n# Hello {#hello}\n\nText.\n",
			"Text.", nil, []string{"<h1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("post.md", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if tt.summary != "" && doc.Summary != tt.summary {
				t.Errorf("summary = %q; want %q", doc.Summary, tt.summary)
			}
			checkContent(t, doc, tt.has, tt.lacks)
		})
	}
}

// TestHostileGeneratorMarkup: openings without ends, by the ten
// thousand, cost one pass each, not one pass per opening (a file of 256 KiB
// would otherwise take many minutes), and come out as text.
func TestHostileGeneratorMarkup(t *testing.T) {
	for name, unit := range map[string]string{
		"raw blocks":      "{% raw %}\n",
		"highlights":      "{{< highlight go >}}\nx\n",
		"inline comments": "a {% comment %} b ",
		"captures":        "{% capture x %}",
		"backtick runs":   "a ``` b `` c ",
		"lone braces":     "{{ {% {# ",
		"Go raw strings":  "{{raw `\nx\n\n    {{raw ` {{raw \"<\"}} ",
		"references":      "[a][] ][] `[b][]` ",
	} {
		t.Run(name, func(t *testing.T) {
			in := "---\ntitle: T\n---\n" + strings.Repeat(unit, (1<<18)/len(unit))
			doc, err := Extract("post.md", []byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != "T" {
				t.Errorf("title = %q; want T", doc.Title)
			}
		})
	}
}

// TestVariableHoles: a variable that only the generator can fill leaves
// no double space behind, and a sentence that lost one is no summary when
// another sentence can be.
func TestVariableHoles(t *testing.T) {
	for _, tt := range []struct {
		name, in, title, summary, has string
	}{
		{"a sentence with a hole, and one without", "---\ntitle: P\n---\nThe project lives at {{ site.repository }} on GitHub. Anyone may send patches.\n",
			"P", "Anyone may send patches.", "<p>The project lives at on GitHub. Anyone may send patches.</p>"},
		{"the lead has holes only: the next paragraph", "---\ntitle: P\n---\nIt lives at {{ site.repository }} on GitHub.\n\nAnyone may send patches.\n",
			"P", "Anyone may send patches.", "<p>It lives at on GitHub.</p>"},
		{"no sentence without a hole", "---\ntitle: P\n---\nThe project lives at {{ site.repository }} on GitHub.\n",
			"P", "The project lives at on GitHub.", "<p>The project lives at on GitHub.</p>"},
		{"a hole in a link's address leaves the rest, from the root", "---\ntitle: P\n---\nRead it [in Vietnamese][1].\n\n[1]: {{ site.url }}/vi/\n",
			"P", "Read it in Vietnamese.", `<p>Read it <a href="/vi/">in Vietnamese</a>.</p>`}, // ruby-lang.org's, 206 posts
		{"a hole at the start of a line", "---\ntitle: P\n---\n{{ site.title }} is a blog. It is new.\n",
			"P", "It is new.", "<p>is a blog. It is new.</p>"},
		{"a title from a heading with a hole", "# Welcome to {{ site.title }}\n\nIt is new.\n",
			"Welcome to", "It is new.", "<p>It is new.</p>"},
		{"an autolink to a variable leaves nothing, nor a bullet of its own", "---\ntitle: R\n---\nRuby was released.\n\n* <{{ release.url.gz }}>\n\n      SIZE: {{ release.size.gz }}\n\n* <{{ release.url.xz }}>\n* [Notes](notes.html)\n\n- <{{ a }}>\n- <{{ b }}>\n\nGet it at <{{ site.url }}>.\n",
			"R", "Ruby was released.", "<p>Ruby was released.</p>\n<ul>\n<li>\n<pre><code>SIZE: {{ release.size.gz }}\n</code></pre>\n</li>\n<li>\n<p><a href=\"notes.html\">Notes</a></p>\n</li>\n</ul>\n<p>Get it at .</p>\n"}, // ruby-lang.org's release posts
		{"a Hugo shortcode leaves one space", "---\ntitle: R\n---\nThe option is new {{< new-in 0.140.0 />}} in this release.\n",
			"R", "The option is new in this release.", "<p>The option is new in this release.</p>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("post.md", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title || doc.Summary != tt.summary {
				t.Errorf("title, summary = %q, %q; want %q, %q", doc.Title, doc.Summary, tt.title, tt.summary)
			}
			if !strings.Contains(doc.Content, tt.has) || strings.Contains(doc.Content, "  ") || strings.Contains(doc.Content, hole) {
				t.Errorf("content = %q; want %q in it, and no double space nor mark of a hole", doc.Content, tt.has)
			}
		})
	}
}

// TestFiguresAndVideos: Hugo's figure is a figure with its caption, and
// its YouTube and Vimeo shortcodes are links to the video; neither is a
// summary.
func TestFiguresAndVideos(t *testing.T) {
	for _, tt := range []struct{ name, in, has string }{
		{"figure with a caption", "# T\n\n{{< figure src=\"pic.png\" alt=\"A pic\" caption=\"The caption explains the picture.\" >}}\n\nText.\n",
			`<figure><img src="pic.png" alt="A pic"><figcaption>The caption explains the picture.</figcaption></figure>`},
		{"a caption's markup is cleaned", "# T\n\n{{< figure src=\"pic.png\" caption=\"Cats & <b>dogs</b><script>x()</script>\" >}}\n\nText.\n",
			`<figcaption>Cats &amp; <b>dogs</b></figcaption></figure>`}, // raw HTML: see TestRawHTMLIsKeptClean
		{"figure without a caption", "# T\n\n{{< figure src=\"pic.png\" alt=\"A pic\" >}}\n\nText.\n",
			`<figure><img src="pic.png" alt="A pic"></figure>`},
		{"YouTube", "# T\n\n{{< youtube dQw4w9WgXcQ >}}\n\nText.\n",
			`<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a>`},
		{"YouTube with an id and a title", "# T\n\n{{< youtube id=\"dQw4w9WgXcQ\" title=\"The talk\" >}}\n\nText.\n",
			`<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">The talk</a>`},
		{"Vimeo", "# T\n\n{{< vimeo 146022717 >}}\n\nText.\n",
			`<a href="https://vimeo.com/146022717">https://vimeo.com/146022717</a>`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("post.md", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(doc.Content, tt.has) || strings.Contains(doc.Content, "{{") || strings.ContainsRune(doc.Content, 0xFFFE) {
				t.Errorf("content = %q; want %q in it, and no tag", doc.Content, tt.has)
			}
			if doc.Summary != "Text." {
				t.Errorf("summary = %q; want Text.", doc.Summary)
			}
		})
	}
}

// checkContent fails unless doc's content holds each of has, and neither
// its content nor its summary any of lacks.
func checkContent(t *testing.T, doc Doc, has, lacks []string) {
	t.Helper()
	for _, s := range has {
		if !strings.Contains(doc.Content, s) {
			t.Errorf("content lacks %q:\n%s", s, doc.Content)
		}
	}
	for _, s := range lacks {
		if strings.Contains(doc.Content, s) || strings.Contains(doc.Summary, s) {
			t.Errorf("content or summary carries %q:\n%s\nsummary: %s", s, doc.Content, doc.Summary)
		}
	}
}
