package extract

import (
	"strings"
	"testing"
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
	} {
		doc, err := Extract("a.txt", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Summary != in {
			t.Errorf("summary of %q = %q; want the whole text", in, doc.Summary)
		}
	}
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
