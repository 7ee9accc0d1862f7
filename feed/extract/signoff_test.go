package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSignOffs: an agency's sign-off or an editor's initials at the end of
// a story never reach its title or summary, and stay at the end of its
// content.
func TestSignOffs(t *testing.T) {
	tests := []struct {
		name, in, summary, signOff string
	}{
		{"Reuter", "Stocks fell on Monday. Traders sold banks. Reuter", "Stocks fell on Monday. Traders sold banks.", "Reuter"},
		{"REUTER on its own line", "Markets slide\n\nStocks fell on Monday. Traders sold banks.\n\nREUTER\n", "Stocks fell on Monday. Traders sold banks.", "REUTER"},
		{"Reuters", "Markets slide\n\nStocks fell on Monday. Traders sold banks.\n\nReuters\n", "Stocks fell on Monday. Traders sold banks.", "Reuters"},
		{"(AP)", "A storm hit the coast. Roads were closed. (AP)", "A storm hit the coast. Roads were closed.", "(AP)"},
		{"PA/PA", "The minister resigned. He gave no reason. PA/PA", "The minister resigned. He gave no reason.", "PA/PA"},
		{"dpa", "Die Regierung trat zurück. Neuwahlen folgen. dpa", "Die Regierung trat zurück. Neuwahlen folgen.", "dpa"},
		{"initials and agency", "Regierung tritt zurück\n\nDie Regierung trat zurück. Neuwahlen folgen.\n\njf/dpa\n", "Die Regierung trat zurück. Neuwahlen folgen.", "jf/dpa"},
		{"two agencies", "Le gouvernement a démissionné. Des élections suivront. AFP/Reuters", "Le gouvernement a démissionné. Des élections suivront.", "AFP/Reuters"},
		{"AFP in brackets", "Le gouvernement a démissionné. Des élections suivront. (AFP)", "Le gouvernement a démissionné. Des élections suivront.", "(AFP)"},
		{"reporting and editing", "Stocks fell on Monday. Traders sold banks. (Reporting by Jane Doe; Editing by John Roe)",
			"Stocks fell on Monday. Traders sold banks.", "(Reporting by Jane Doe; Editing by John Roe)"},
		{"Arabic", "قال مسؤولون إن المحادثات ستستمر. وأضافوا أن الوفد سيعود. (رويترز)", "قال مسؤولون إن المحادثات ستستمر. وأضافوا أن الوفد سيعود.", "(رويترز)"},
		{"Russian", "Президент заявил, что переговоры продолжатся. Это стало известно. (ТАСС)", "Президент заявил, что переговоры продолжатся. Это стало известно.", "(ТАСС)"},
		{"an agency's name", "TEHRAN – Talks will resume next week, officials said.\n\nMehr News Agency\n",
			"Talks will resume next week, officials said.", "Mehr News Agency"},
		{"an agency's name in Russian", "МОСКВА – Переговоры продолжатся на следующей неделе.\n\nАгентство Франс Пресс\n",
			"Переговоры продолжатся на следующей неделе.", "Агентство Франс Пресс"},
		{"Chinese end mark", "北京（路透）－中国10月官方制造业PMI降至49.5，低于预期。分析人士此前预计会更高。\n\n（完）\n",
			"中国10月官方制造业PMI降至49.5，低于预期。分析人士此前预计会更高。", "（完）"},
		{"press release end mark", "BERLIN – Die Firma meldet einen Rekordumsatz. Der Gewinn stieg um zehn Prozent.\n\n###\n",
			"Die Firma meldet einen Rekordumsatz. Der Gewinn stieg um zehn Prozent.", "###"},
		{"Chinese", "国家统计局周三公布了数据。分析人士此前预计增幅会更小。（新华社）", "国家统计局周三公布了数据。分析人士此前预计增幅会更小。", "（新华社）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("a.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Summary != tt.summary {
				t.Errorf("summary = %q; want %q", doc.Summary, tt.summary)
			}
			if strings.Contains(doc.Title, tt.signOff) {
				t.Errorf("title %q holds the sign-off %q", doc.Title, tt.signOff)
			}
			if !strings.HasSuffix(doc.Content, ">"+escape(tt.signOff)+"</p>\n") {
				t.Errorf("content does not end with the sign-off %q: %q", tt.signOff, doc.Content)
			}
		})
	}
}

// TestNotSignOffs: a last sentence that merely names an agency stays in
// the story.
func TestNotSignOffs(t *testing.T) {
	for _, in := range []string{
		"Officials met on Monday. They spoke to Reuters.",
		"Officials met on Monday. The AP reported it first.",
		"Officials of both countries met in Geneva on Monday, and they agreed to meet again within a month in the same city.\n\nThe Agency reported it first",
	} {
		doc, err := Extract("a.txt", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Join(strings.Fields(in), " "); doc.Summary != want {
			t.Errorf("summary of %q = %q; want the whole text", in, doc.Summary)
		}
	}
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// TestSignOffIsNeverTheBody: a one-paragraph story without a dateline,
// then a blank line and a sign-off, is a story and its sign-off, not a
// title and a body of one sign-off: the paragraph is in the content, the
// title is its first sentence, the summary its sentences, and the sign-off
// ends the content.
func TestSignOffIsNeverTheBody(t *testing.T) {
	es := "La inflación en México bajó al 4,2 % en febrero, informó el instituto de estadística. Es la cifra más baja en tres años."
	short := "La inflación bajó en febrero. Es la cifra más baja."
	zh := "国家统计局周三公布了数据。分析人士此前预计增幅会更小。"
	tests := []struct {
		name, in, title, summary, signOff string
	}{
		{"Reuter after a long paragraph", es + "\n\nReuter\n",
			"La inflación en México bajó al 4,2 % en febrero, informó el instituto de estadística", es, "Reuter"},
		{"Reuter after a short paragraph", short + "\n\nReuter\n", "La inflación bajó en febrero", short, "Reuter"},
		{"REUTER", short + "\n\nREUTER\n", "La inflación bajó en febrero", short, "REUTER"},
		{"(AP)", short + "\n\n(AP)\n", "La inflación bajó en febrero", short, "(AP)"},
		{"dpa", short + "\n\ndpa\n", "La inflación bajó en febrero", short, "dpa"},
		{"initials", short + "\n\nPA/PA\n", "La inflación bajó en febrero", short, "PA/PA"},
		{"Chinese", zh + "\n\n（新华社）\n", "国家统计局周三公布了数据", zh, "（新华社）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("a.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title || doc.Summary != tt.summary {
				t.Errorf("title, summary = %q, %q; want %q, %q", doc.Title, doc.Summary, tt.title, tt.summary)
			}
			if !strings.Contains(doc.Content, escape(tt.summary)) || !strings.HasSuffix(doc.Content, "<p>"+escape(tt.signOff)+"</p>\n") {
				t.Errorf("content = %q; want the story, then the sign-off %q", doc.Content, tt.signOff)
			}
		})
	}
}

// TestTitleLineIsBounded: a first line longer than a derived title may
// be is a paragraph, not a title: the title is bounded like every other,
// and the line stays in the content.
func TestTitleLineIsBounded(t *testing.T) {
	line := "The council met on Tuesday to discuss the budget and the plans for new schools, roads and a hospital in the north"
	doc, err := Extract("a.txt", []byte(line+"\n\nThe vote was delayed.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(doc.Title); n > TitleLimit || !strings.Contains(doc.Content, line) {
		t.Errorf("title %q (%d characters), content %q; want at most %d characters, and the line in the content", doc.Title, n, doc.Content, TitleLimit)
	}
}

// TestNoteEndsAreNoCredits: the last line of a note that is no wire copy
// (no dateline opens it) stays the note's, and names no author, though it
// reads as an agency's name or sign-off.
func TestNoteEndsAreNoCredits(t *testing.T) {
	for _, last := range []string{"The Press Office", "National Press Club Band", "Agency Jobs", "Mehr News Agency"} {
		// No title line (the first is long): the summary runs on into
		// the last paragraph, as long as it is no credit.
		in := "We met at eight at the club and played until late, then we all walked home through the rain together.\n\n" + last + "\n"
		doc, err := Extract("a.txt", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Author != "" || !strings.HasSuffix(doc.Summary, " "+last) {
			t.Errorf("a note ending %q: author %q, summary %q; want no author, the line in the summary", last, doc.Author, doc.Summary)
		}
	}
	for _, in := range []string{"Today was a good day.\n\nReuters\n", "Markets slide\n\nStocks fell on Monday. Traders sold banks.\n\n(AP)\n"} {
		doc, err := Extract("a.txt", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Author != "" {
			t.Errorf("%q: author %q; want none: no dateline, no wire copy", in, doc.Author)
		}
	}
}
