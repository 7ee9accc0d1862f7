package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkExtract extracts a wire article of about 3 KB, the bench
// corpus's kind: the cost of each entry of an archive page made on
// request.
func BenchmarkExtract(b *testing.B) {
	files, err := filepath.Glob(filepath.Join("..", "..", "seeds", "*.txt"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no sample seeds: %v", err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract("a.txt", data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCollapse: collapse is strings.Fields joined by single spaces, for
// every kind of white space and for invalid UTF-8.
func TestCollapse(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", " a  b ", "a\u00a0b", "a \u2003 b",
		"\u3000", "é ü", "“quoted” text", "a\xffb", "\xff \xfe", "x\r\n\r\ny", "a\u0085b", "tail\u2029"} {
		if got, want := collapse(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapse(%q) = %q; want %q", s, got, want)
		}
	}
}

// FuzzCollapseString checks collapse against strings.Fields on any text.
func FuzzCollapseString(f *testing.F) {
	for _, s := range []string{"", " a  b ", "a\u00a0\u2003b", "\xff \xfe", "“x”  y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapse(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("collapse(%q) = %q; want %q", s, got, want)
		}
	})
}

// FuzzLeadPlace: the place that Inspect finds with leadPlace, for every
// file, is the place that extraction finds with parseProse, so that an
// entry's categories never depend on whether it was extracted.
func FuzzLeadPlace(f *testing.F) {
	for _, s := range []string{"TEHRAN – Iran said.\n\nMore.", "Title\n\nLONDON (Reuters) - Stocks fell.", "\n\n \n(AP) — Text",
		"NEW YORK,\nJan. 5 (AP) — wrapped\nlines", strings.Repeat("x", 130) + "\nTEHRAN – y",
		"TEHRAN – " + strings.Repeat("word ", 400), strings.Repeat("ABC ", 300) + "– text", strings.Repeat("AB-", 400) + " – text",
		strings.Repeat(" ", 2000) + "\nLONDON – x", "物价还会涨吗？\n\n新华社北京11月30日电 国家统计局周三公布了数据。"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		body := s
		if _, rest, ok := leadTitle(s); ok {
			body = rest
		}
		if got, want := leadPlace(s), parseProse(body).place; got != want {
			t.Fatalf("leadPlace(%q) = %q; parseProse finds %q", s, got, want)
		}
	})
}

// FuzzDatelineHead: splitDatelineKind, which reads a long paragraph's
// head, finds what it finds in the whole paragraph.
func FuzzDatelineHead(f *testing.F) {
	for _, s := range []string{"TEHRAN – Iran said.", "LONDON (Reuters) - Stocks fell.", "TEHRAN – " + strings.Repeat("word ", 400),
		strings.Repeat("ABC ", 300) + "– text", strings.Repeat("AB-", 400) + "C – Text here.", strings.Repeat("ABC ", 190) + "– Text",
		"Exclusive – " + strings.Repeat("AB ", 340) + "– x", "طهران (إرنا) – " + strings.Repeat("كلمة ", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := collapse(s) // as paragraphs come
		whole := p[labelEnd(p):]
		gp, gr, gs := splitDatelineKind(p)
		wp, wr, ws := datelineIn(whole, whole)
		if gp != wp || gr != wr || gs != ws {
			t.Fatalf("splitDatelineKind(%q) = %q, %d bytes left, %v; the whole paragraph gives %q, %d, %v", p, gp, len(gr), gs, wp, len(wr), ws)
		}
	})
}

// FuzzCollapseIsFields: collapse is strings.Fields joined by single spaces,
// whatever the text.
func FuzzCollapseIsFields(f *testing.F) {
	for _, s := range []string{"", " ", "a b", " a", "a ", "a  b", "a \u00a0b", "“x” y", "a\xff b", "x\r\n\r\ny", "é  ü ", "\u3000a\u2003"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapse(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("collapse(%q) = %q; want %q", s, got, want)
		}
	})
}
