package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestBriefIsExtractWithoutContent: Options.Brief gives what Extract gives
// for plain text but the Content, and leaves Markdown as it is.
func TestBriefIsExtractWithoutContent(t *testing.T) {
	inputs := map[string]string{
		"title.txt": "Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant TimeWarner jumped 76% to $1.13bn. Its shares rose.\n\nThe firm said it was pleased.\n",
		"wire.txt":  "LONDON (AFP) - Gen. Ali Rezaei warned on Tuesday. “A ceasefire,” Dr. Maria Lopez said. Prices rose 0.4 percent in the U.S. last month.\n\nThe talks resume on Jan. 5.\n\nMH/PA\n\nAll Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License.\n",
		"long.txt":  "BERLIN – " + longParagraph + "\n",
		// Title first, then one paragraph long enough to be laid out in
		// several, in two-byte letters: the summary reads the first.
		"ru.txt": "Совет отложил голосование\n\n" + strings.Repeat("Совет собрался во вторник. Голосование отложено на месяц. ", 12) + "\n",
		// The same without a title, where the summary may run on past the
		// first paragraph that the HTML makes.
		"ru-untitled.txt": strings.Repeat("Совет собрался во вторник. Голосование отложено. ", 30) + "\n",
		"zh-untitled.txt": strings.Repeat("国务院今天召开常务会议。", 40) + "\n",
		"de.txt":          "Die Bundesregierung hat am 14. Juli beschlossen, die Förderung um 58 Mio. Euro zu erhöhen. Der Minister sagte, dies sei ein wichtiger Schritt.\n\nVon Anna Schmidt\n",
		"ar.txt":          "طهران - قال المتحدث باسم الحكومة إن المحادثات ستستأنف الأسبوع المقبل. وأضاف أن الوفد سيصل يوم الأحد.\n",
		"zh.txt":          "新华社北京电 国务院今天召开常务会议。会议决定加快推进改革。\n",
		"only.txt":        "....\n",
		"wrapped.md":      "---\ntitle: A post\n---\nSome *emphasis* here. A second sentence.\n",
		"news.txt":        "From: ann@example.org (Ann)\nSubject: A post\nSummary: Its own.\nDate: Thu, 22 Apr 1993 23:00:00 GMT\n\nLONDON (Reuters) - Stocks fell. Traders sold.\n\nMore.\n",
	}
	addSampleSeeds(t, inputs)
	for name, in := range inputs {
		whole, err := Extract(name, []byte(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		brief, err := Options{Brief: true}.Extract(name, []byte(in))
		if err != nil {
			t.Fatalf("%s, brief: %v", name, err)
		}
		want := whole
		if !IsMarkdown(name) {
			if whole.Content == "" && name != "only.txt" {
				t.Errorf("%s: no content to leave out", name)
			}
			want.Content = ""
		}
		if !reflect.DeepEqual(brief, want) {
			t.Errorf("%s: brief extraction\n%+v\nwant\n%+v", name, brief, want)
		}
	}
}

const longParagraph = "The council met on Tuesday to discuss the budget. It agreed to delay the vote until next month. " +
	"Officials said the delay would give the opposition time to study the plan. The mayor, J. R. Smith, said he was disappointed. " +
	"“We have waited long enough,” he said. Critics said the plan would cost $1.2 billion over five years. " +
	"The vote is now set for Feb. 3. Residents are invited to a hearing at 6 p.m. on Monday. " +
	"The city’s finance office said revenue fell 3.5 percent in the last quarter. Unions welcomed the delay. " +
	"A spokesman for the governor declined to comment. The council will meet again next week."

// TestBriefOwnsItsStrings: a brief extraction reads UTF-8 text where it
// lies and makes its paragraphs in an arena, and what it returns is still
// whole once the caller has written over the bytes it read, as a reader
// that reads each file into one buffer does, and the next extraction over
// the arena.
func TestBriefOwnsItsStrings(t *testing.T) {
	inputs := map[string]string{
		"clean.txt":  "A title\n\nA first paragraph, clean as it is. It runs on.\n\nBy Jane Doe\n",
		"wire.txt":   "LONDON (AFP) - Gen. Ali Rezaei warned on Tuesday. Prices rose.\n\nReporting by Jane Doe\n",
		"spaced.txt": "LONDON (AFP) -  Gen. Ali  Rezaei warned\non Tuesday.  Prices rose.\n\nA title-less  text, wrapped\nat the margin.\n\n(Reporting by  Jane Doe)\n",
		"bom.txt":    "\xEF\xBB\xBFA title\n\nText after a byte-order mark.\n",
		"post.md": "---\ntitle: A post\nauthor: Jane Doe\ntags: [alpha, beta]\ndate: 2024-01-02\n---\n" +
			"Some *emphasis* and ![a](img/a.png) and [b](../b.html).\n",
		"toml.md": "+++\ntitle = \"Toml\"\ncategories = [\"gamma\"]\ndate = \"not a date\"\n+++\nBody.\n",
	}
	addSampleSeeds(t, inputs)
	for name, in := range inputs {
		checkBriefOwns(t, name, []byte(in))
	}
}

// FuzzBriefOwnsItsStrings is TestBriefOwnsItsStrings on any text.
func FuzzBriefOwnsItsStrings(f *testing.F) {
	f.Add("a.txt", []byte("A title\n\nClean text. More.\n"))
	f.Add("a.md", []byte("---\ntitle: T\ntags: [x]\n---\n[l](x.png)\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		checkBriefOwns(t, name, data)
	})
}

func checkBriefOwns(t *testing.T, name string, data []byte) {
	t.Helper()
	want, wantErr := Options{Brief: true}.Extract(name, bytes.Clone(data))
	want.own(nil, nil) // its own copy of every string, whatever it points into
	buf := bytes.Clone(data)
	got, err := Options{Brief: true}.Extract(name, buf)
	for i := range buf {
		buf[i] = 'Z'
	}
	// The arena it made its paragraphs in is the next one's.
	bf := arenas.Get().(*briefing)
	arena := bf.arena[:cap(bf.arena)]
	for i := range arena {
		arena[i] = 'Y'
	}
	arenas.Put(bf)
	if (err == nil) != (wantErr == nil) || !reflect.DeepEqual(got, want) {
		t.Errorf("%s: once its bytes are written over, a brief extraction says\n%+v (%v)\nwant\n%+v (%v)", name, got, err, want, wantErr)
	}
}

// addSampleSeeds adds the project's sample seeds to inputs, by name.
func addSampleSeeds(t *testing.T, inputs map[string]string) {
	t.Helper()
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "seeds", "*.txt"))
	if len(seeds) == 0 {
		t.Fatal("no sample seeds")
	}
	for _, f := range seeds {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = string(b)
	}
}
