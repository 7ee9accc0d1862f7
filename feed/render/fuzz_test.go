package render

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/index"
)

// FuzzExtractRender feeds arbitrary bytes through extraction and rendering.
// Whatever the input, nothing panics, the title is non-empty, valid UTF-8
// and bounded, and the Atom and RSS output parse with encoding/xml and
// gofeed.
func FuzzExtractRender(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(feedtest.Seeds, "*"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, false)
		}
	}
	for _, s := range []string{
		"Title\n\nBody.", "+++\ntitle = \"x\"\n+++\n# h\n\ntext", "---\ntitle: [\n---\n", "\xff\xfeA\x00B\x00",
		"a\x00b\uFFFEc]]>d", "<script>alert(1)</script>", "TEHRAN – “Quote. More,” he said. PA/PA",
		"U.S. U.S. U.S.", "…", "\x93smart\x94 quotes \xa3",
		// UTF-8 with stray bytes, mended.
		"Über die Straße – ein Bericht\n\nIt\x92s caf\xe9, naïve \x81 and \xff\xfe.", "\xef\xbb\xbfIt\x92s",
		// UTF-16 without BOM, Russian (LE) and Chinese (BE).
		"\x1c\x04\x3e\x04\x41\x04\x3a\x04\x32\x04\x30\x04\x0a\x00\x0a\x00\x22\x04\x35\x04\x3a\x04\x41\x04\x42\x04\x2e\x00",
		"\x4e\x2d\x65\x87\xff\x0c\x6d\x4b\x8b\xd5\x30\x02\x00\x0a",
		// Site generators' markup, and links to files beside a post.
		"---\ntitle: g\n---\n{{< note >}}x{{< /note >}} {{% a %}}\n\n{% raw %}{{ b }}{% endraw %} {# c #}\n```\n{{< y >}}\n```\n<!--more-->\nz",
		"{\n\"title\": \"j\"\n}\n{% highlight go %}\nx\n{% endhighlight %}\n![i](x.png) [l](../y.pdf#p) [m](/r) ## H {#h}",
		"{% capture a %}\n```\nq\n{% endcapture %}\n{{< figure src=\"a b.png\" alt=\"[x]\" >}}\n{{</* e */>}} `{{< f >}}`",
		// Raw HTML, dialects, Liquid links, the Go blog's functions, references.
		"# R\n\n<img src=\"a.png\" srcset=\"javascript:x 1x\"><!-- c --><video src=\"v.mp4\"></video>\n\nx{: .a #b k=\"v\"}\n> [!NOTE]\n> n\n\n**{{ site.x }}** {% post_url 2020-01-01-x %} [a][] [b][c]\n",
		"{{code \"x.go\" `/a/` `/^}/`}} {{raw `\n<b>`}} {{image \"x.png\" 850}} {{video \"https://v\"}} {% raw %}`{{`{% endraw %} 情况下，\n以 &mdash; \\*x\\*",
		// 161 bytes, odd: read as .mdx
		"---\ntitle: M\n---\nimport X from './x'\nexport const y = 1\n\n## Heading {/*id*/}\n\n<Intro>\nText {'\\n'} and {`t`} <YouWillLearn /> {/* unclosed\n</Intro>\n\n    indented\n",
		"--- \ntitle: A\ntitle: B\ndate: 2016/07/08\n---\n### Notable Changes\n\n- **a**: b\n\n* <{{ x.y }}>\n\n![x](/images/x.gif){:\n.icon}Hello\n",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, markdown bool) {
		name := "fuzz.txt"
		switch {
		case markdown && len(data)%2 == 1: // MDX for half the Markdown, whose corpus entries name no third kind
			name = "fuzz.mdx"
		case markdown:
			name = "fuzz.md"
		}
		doc, err := extract.Extract(name, data)
		facts, ierr := extract.Inspect(name, data)
		if (err == nil) != (ierr == nil) {
			t.Fatalf("Extract error %v but Inspect error %v: they must fail together", err, ierr)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(facts, doc.Facts) {
			t.Fatalf("Inspect gave %+v, Extract %+v", facts, doc.Facts)
		}
		if doc.Title == "" || !utf8.ValidString(doc.Title) || utf8.RuneCountInString(doc.Title) > extract.GivenTitleLimit {
			t.Fatalf("title %q: want non-empty valid UTF-8 of at most %d characters", doc.Title, extract.GivenTitleLimit)
		}
		if utf8.RuneCountInString(doc.Summary) > extract.SummaryLimit {
			t.Fatalf("summary of %d characters; want at most %d", utf8.RuneCountInString(doc.Summary), extract.SummaryLimit)
		}
		e, _, err := index.Preview(nil, "", name, doc, time.Time{}, t0)
		if err != nil {
			t.Fatal(err)
		}
		snap, err := Render(testSite, []feed.Entry{e}, t0)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		for _, feedName := range []string{feed.Atom.Path, feed.RSS.Path} {
			b := snap.Files[feedName].Body
			if err := feedtest.WellFormed(b); err != nil {
				t.Fatalf("%s is not well-formed XML: %v\n%s", feedName, err, b)
			}
			parsed, err := gofeed.NewParser().ParseString(string(b))
			if err != nil {
				t.Fatalf("%s: gofeed: %v", feedName, err)
			}
			if len(parsed.Items) != 1 || parsed.Items[0].Title != strings.TrimSpace(doc.Title) {
				t.Fatalf("%s: items %d, title %q; want one item titled %q", feedName, len(parsed.Items), parsed.Items[0].Title, doc.Title)
			}
		}
	})
}
