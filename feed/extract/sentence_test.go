package extract

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain", "One thing. Another thing! A third? Yes.",
			[]string{"One thing.", "Another thing!", "A third?", "Yes."}},
		{"U.S. inside a sentence", "He said the U.S. withdrawal will happen soon. Then he left.",
			[]string{"He said the U.S. withdrawal will happen soon.", "Then he left."}},
		{"U.S. before a proper noun", "The U.S. Army said so. It denied it.",
			[]string{"The U.S. Army said so.", "It denied it."}},
		{"U.S. ending a sentence", "It was fired by the U.S. The strike killed him.",
			[]string{"It was fired by the U.S.", "The strike killed him."}},
		{"military rank", "Gen. Esmail Ghaani spoke. Lt. Col. Smith agreed.",
			[]string{"Gen. Esmail Ghaani spoke.", "Lt. Col. Smith agreed."}},
		{"month and day", "The vote is on Jan. 5 in the capital. It may slip.",
			[]string{"The vote is on Jan. 5 in the capital.", "It may slip."}},
		{"decimal", "Growth was 3.5 percent last year. Inflation fell.",
			[]string{"Growth was 3.5 percent last year.", "Inflation fell."}},
		{"initials", "The book by J. R. R. Tolkien sold well. Fans queued.",
			[]string{"The book by J. R. R. Tolkien sold well.", "Fans queued."}},
		{"middle initial", "George W. Bush spoke on Monday. Reporters asked questions.",
			[]string{"George W. Bush spoke on Monday.", "Reporters asked questions."}},
		{"curly quote closes sentence", "“We will win.” He smiled.",
			[]string{"“We will win.”", "He smiled."}},
		{"straight quote closes sentence", `"We will win." He smiled.`,
			[]string{`"We will win."`, "He smiled."}},
		{"multi-sentence curly quote stays whole", "“The bones are crushed. The slaps were hard,” the account said. It warned them.",
			[]string{"“The bones are crushed. The slaps were hard,” the account said.", "It warned them."}},
		{"quote opens the next sentence", "He spoke. “Of course, revenge will be taken,” he said.",
			[]string{"He spoke.", "“Of course, revenge will be taken,” he said."}},
		{"lowercase after period is not a boundary", "See e.g. the report. It is long.",
			[]string{"See e.g. the report.", "It is long."}},
		{"a.m. before a starter", "It began at 9 a.m. The crowd grew.",
			[]string{"It began at 9 a.m.", "The crowd grew."}},
		{"company suffix", "Acme Inc. said profits rose. Shares jumped.",
			[]string{"Acme Inc. said profits rose.", "Shares jumped."}},
		{"number ends a sentence", "Sales rose in 2020. They fell in 2021.",
			[]string{"Sales rose in 2020.", "They fell in 2021."}},
		{"French quote with inner spaces stays whole", "« Nous ne céderons pas ! » a déclaré le ministre. Il est parti.",
			[]string{"« Nous ne céderons pas ! » a déclaré le ministre.", "Il est parti."}},
		{"French quote of several sentences", "« C'est fini. Nous partons. » Le ministre est parti.",
			[]string{"« C'est fini. Nous partons. »", "Le ministre est parti."}},
		{"French quote with no-break spaces", "«\u00a0Jamais\u00a0!\u00a0» a-t-il dit. Puis il est parti.",
			[]string{"«\u00a0Jamais\u00a0!\u00a0» a-t-il dit.", "Puis il est parti."}},
		{"ellipsis", "He paused… Then he went on.",
			[]string{"He paused…", "Then he went on."}},
		{"unclosed quote does not swallow the rest", "“He said it. " + strings.Repeat("More words here. ", 60),
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.in)
			if tt.want == nil {
				if len(got) < 10 {
					t.Fatalf("Sentences(%.40q…) = %d sentences; want the text split despite the open quote", tt.in, len(got))
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitDateline(t *testing.T) {
	tests := []struct {
		in, place, rest string
	}{
		{"TEHRAN – Commander of Iran’s elite", "Tehran", "Commander of Iran’s elite"},
		{"TEHRAN — Parliament Speaker", "Tehran", "Parliament Speaker"},
		{"LONDON (Reuters) - Britain said", "London", "Britain said"},
		{"WASHINGTON, Jan 5 (Reuters) - The U.S. said", "Washington", "The U.S. said"},
		{"NEW YORK, Nov. 3 (AP) — Stocks fell", "New York", "Stocks fell"},
		{"ST. LOUIS (AP) — A judge", "St. Louis", "A judge"},
		{"Tehran (IRNA) – Officials met", "Tehran", "Officials met"},
		{"(Reuters) - Apple said", "", "Apple said"},
		{"Apple – the iPhone maker – said", "", "Apple – the iPhone maker – said"},
		{"I - think so", "", "I - think so"},
		{"The U.S. - and others - agreed", "", "The U.S. - and others - agreed"},
	}
	for _, tt := range tests {
		place, rest := splitDateline(tt.in)
		if place != tt.place || rest != tt.rest {
			t.Errorf("splitDateline(%q) = %q, %q; want %q, %q", tt.in, place, rest, tt.place, tt.rest)
		}
	}
}

func TestDeriveTitle(t *testing.T) {
	long := "Commander of Iran’s elite Quds Force attended a closed session of the Iranian Parliament on Wednesday during which he predicted that the U.S. withdrawal from the region will happen soon."
	tests := []struct {
		name, in, want string
	}{
		{"short sentence loses its period", "Markets rallied on Friday.", "Markets rallied on Friday"},
		{"abbreviation keeps its period", "Troops were withdrawn by the U.S.", "Troops were withdrawn by the U.S."},
		{"question mark stays", "Is it over?", "Is it over?"},
		{"long sentence cut at a word, weak words dropped", long,
			"Commander of Iran’s elite Quds Force attended a closed session of the Iranian Parliament…"},
		{"cut prefers a late clause break", "The minister, who spoke for an hour on the budget and the reforms, said the plan would be delayed until next year at the earliest.",
			"The minister, who spoke for an hour on the budget and the reforms…"},
		{"a sentence that fits without its period is whole", "British inflation rose to 3.5 percent in March, the Office for National Statistics said on Wednesday.",
			"British inflation rose to 3.5 percent in March, the Office for National Statistics said on Wednesday"},
		{"one enormous word is cut hard", strings.Repeat("x", 500), strings.Repeat("x", TitleLimit-1) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := deriveTitle(tt.in)
			if got != tt.want {
				t.Errorf("deriveTitle(%.60q) = %q; want %q", tt.in, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > TitleLimit {
				t.Errorf("deriveTitle(%.60q) is %d characters; want at most %d", tt.in, n, TitleLimit)
			}
			if strings.HasSuffix(got, "the U.S.…") || strings.HasSuffix(got, " the…") {
				t.Errorf("deriveTitle(%.60q) = %q ends on a dangling word", tt.in, got)
			}
		})
	}
}

func TestLead(t *testing.T) {
	s := []string{strings.Repeat("a", 150) + ".", strings.Repeat("b", 100) + ".", strings.Repeat("c", 100) + "."}
	got := Lead(s, SummaryLimit)
	if want := s[0] + " " + s[1]; got != want {
		t.Errorf("Lead = %q; want the first two whole sentences", got)
	}
	one := []string{strings.Repeat("word ", 200)}
	if got := Lead(one, SummaryLimit); utf8.RuneCountInString(got) > SummaryLimit || !strings.HasSuffix(got, "…") {
		t.Errorf("Lead of one long sentence = %d chars %q; want it shortened with an ellipsis", utf8.RuneCountInString(got), got)
	}
}

// FuzzLowered: lowered is strings.ToLower, whether it lowers in place or
// not.
func FuzzLowered(f *testing.F) {
	for _, s := range []string{"", "Gen", "U.S", "INC", "mio", "Jürgen", "ПРОФ", "İ", strings.Repeat("AbC", 11), strings.Repeat("x", 33)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf [wordBuffer]byte
		if got, want := string(lowered(&buf, s)), strings.ToLower(s); got != want {
			t.Fatalf("lowered(%q) = %q; want %q", s, got, want)
		}
	})
}

// FuzzWords holds lastWord and firstWord, which pass over ASCII without
// decoding it, to their definitions by unicode.IsLetter.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"", "the U.S", "Gen", "Jürgen.", "a.b.", "проф", "x1y", "\xff\xfeab", "é", "end."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		i := len(s)
		for i > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:i])
			if !unicode.IsLetter(r) && r != '.' {
				break
			}
			i -= size
		}
		if got, want := lastWord(s), strings.Trim(s[i:], "."); got != want {
			t.Errorf("lastWord(%q) = %q; want %q", s, got, want)
		}
		want := s
		if end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }); end >= 0 {
			want = s[:end]
		}
		if got := firstWord(s); got != want {
			t.Errorf("firstWord(%q) = %q; want %q", s, got, want)
		}
	})
}

// FuzzLead holds Lead, which counts before it writes, to the lead written
// as it goes.
func FuzzLead(f *testing.F) {
	f.Add("One. Two three. Four!", 12)
	f.Add("国务院今天召开常务会议。会议决定加快推进改革。", 15)
	f.Add("A  spaced\tsentence. And   another.", 300)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		limit = 1 + int(uint(limit)%400)
		sentences := Sentences(text)
		sentences = append(sentences, strings.Fields(text)...) // some sentences that want collapsing, or are empty
		var b strings.Builder
		n := 0
		want := ""
		for _, s := range sentences {
			s = collapse(s)
			if s == "" {
				continue
			}
			l := utf8.RuneCountInString(s)
			if n == 0 {
				if l > limit {
					want = Shorten(s, limit)
					break
				}
			} else if sep := sentenceSep(b.String()); n+len(sep)+l > limit {
				break
			} else {
				b.WriteString(sep)
				n += len(sep)
			}
			b.WriteString(s)
			n += l
			want = b.String()
		}
		if got := Lead(sentences, limit); got != want {
			t.Errorf("Lead(%q, %d) = %q; want %q", sentences, limit, got, want)
		}
	})
}
