package extract

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// TestMendsUTF8WithStrayBytes: UTF-8 spoilt by a few bytes of another
// encoding (an apostrophe pasted from Word, a letter of Latin-1) is read as
// UTF-8, each stray byte as Windows-1252, and the log says so.
func TestMendsUTF8WithStrayBytes(t *testing.T) {
	for _, tt := range []struct {
		name, in, want, charset string
	}{
		{"German, one apostrophe from Word",
			"Über die Straße – ein Bericht\n\nDie Bürger von München haben am Sonntag über die neue Straßenbahn abgestimmt. „Eindeutig“.\n\nIt\x92s a pasted line.\n",
			"Über die Straße – ein Bericht\n\nDie Bürger von München haben am Sonntag über die neue Straßenbahn abgestimmt. „Eindeutig“.\n\nIt’s a pasted line.\n",
			"utf-8 (1 invalid byte read as windows-1252)"},
		{"Japanese, one byte of Latin-1",
			"東京 – 日本政府は30日、予算案を発表した。これは大きなニュースです。\n\n編集者注: caf\xe9\n",
			"東京 – 日本政府は30日、予算案を発表した。これは大きなニュースです。\n\n編集者注: café\n",
			"utf-8 (1 invalid byte read as windows-1252)"},
		{"Russian, a dash from Windows-1252",
			"Москва \x96 Президент России заявил в пятницу, что переговоры продолжатся.",
			"Москва – Президент России заявил в пятницу, что переговоры продолжатся.",
			"utf-8 (1 invalid byte read as windows-1252)"},
		// As many stray bytes as letters: read both ways, the UTF-8 makes
		// more sense ("cafĂŠ" in ISO-8859-2).
		{"as many stray bytes as sequences",
			"This is UTF-8 text with café and then a stray \xff\xfe byte and naïve.",
			"This is UTF-8 text with café and then a stray ÿþ byte and naïve.",
			"utf-8 (2 invalid bytes read as windows-1252)"},
		{"short, not Korean", "Caf\xc3\xa9 it\x92s", "Café it’s", "utf-8 (1 invalid byte read as windows-1252)"},
		{"a byte Windows-1252 has no character for", "Grüße aus Köln und Zürich \x81 und München.", "Grüße aus Köln und Zürich \uFFFD und München.",
			"utf-8 (1 invalid byte replaced by U+FFFD)"},
		{"both", "Grüße aus Köln, Zürich und München \x81 \x92.", "Grüße aus Köln, Zürich und München \uFFFD ’.",
			"utf-8 (1 invalid byte read as windows-1252, 1 invalid byte replaced by U+FFFD)"},
		// A BOM says UTF-8: there are no sequences to weigh.
		{"BOM", "\uFEFFIt\x92s only ASCII.", "It’s only ASCII.", "utf-8 (1 invalid byte read as windows-1252)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, charset, err := decode([]byte(tt.in), "")
			if err != nil || got != tt.want || charset != tt.charset {
				t.Errorf("decode(%q) = %q in %q, %v; want %q in %q", tt.in, got, charset, err, tt.want, tt.charset)
			}
			if facts, err := Inspect("a.txt", []byte(tt.in)); err != nil || facts.Encoding != tt.charset {
				t.Errorf("Inspect(%q).Encoding = %q, %v; want %q", tt.in, facts.Encoding, err, tt.charset)
			}
		})
	}
}

// TestLegacyTextIsNotMended: text in a legacy encoding is read in it as
// before, though it holds, by chance, bytes that are valid UTF-8.
func TestLegacyTextIsNotMended(t *testing.T) {
	for _, tt := range []struct {
		name, text, charset string
	}{
		// ASCII and a lone 0x92: "’" either way, and no UTF-8 to mend.
		{"ASCII and one apostrophe", "It’s a pasted line from Word.", "windows-1252"},
		// "É…" (0xC9 0x85) is "Ʌ" in UTF-8.
		{"French, an ellipsis after a capital", "CAFÉ… et crème brûlée à côté", "windows-1252"},
		// "ß“" (0xDF 0x93) is "ߓ" in UTF-8.
		{"German, a quote after ß", "„Spaß“, sagte er. Grüße", "windows-1252"},
		// "Ã©" (0xC3 0xA9) is "é" in UTF-8.
		{"a file with Ã© among its other letters", "Élève: le café était très chaud. Ã© à côté, près de l'été.", "windows-1252"},
		// Five stray bytes to one sequence do not outweigh it: the file is
		// read as it is mostly, in Windows-1252.
		{"more stray bytes than sequences", "“CafÃ©” it’s a “test”", "windows-1252"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if got, charset, err := decode(data, ""); err != nil || got != tt.text || charset != tt.charset {
				t.Errorf("decode(%q) = %q in %q, %v; want %q in %q", data, got, charset, err, tt.text, tt.charset)
			}
		})
	}
	// Short lines of GBK and the other encodings of two bytes a character
	// hold such sequences too, up to two for three invalid bytes, and are
	// read in their encodings still.
	for _, tt := range shortLegacyTexts {
		data, err := tt.enc.NewEncoder().Bytes([]byte(tt.text))
		if err != nil {
			t.Fatal(err)
		}
		if got, charset, err := decode(data, ""); err != nil || got != tt.text || charset != tt.charset {
			t.Errorf("decode(%q in %s) = %q in %s, %v", tt.text, tt.charset, got, charset, err)
		}
	}
}

// FuzzMendsOneStrayByte: a byte that is no UTF-8 put between the
// characters of UTF-8 text with enough letters beyond ASCII to outweigh it
// is read as Windows-1252 and the rest as it was; and whatever the input,
// decoding gives valid UTF-8 and the same every time.
func FuzzMendsOneStrayByte(f *testing.F) {
	f.Add("Über die Straße, sagte der Bürgermeister in München.", uint(4), byte(0x92))
	f.Add("東京 – 日本政府は30日", uint(3), byte(0xe9))
	f.Add("Москва – Президент", uint(7), byte(0xff))
	f.Add("ab", uint(1), byte(0x81))
	f.Fuzz(func(t *testing.T, s string, at uint, b byte) {
		data := []byte(s)
		if got, name, err := decode(data, ""); err == nil {
			if !utf8.ValidString(got) {
				t.Fatalf("decode(%q) = %q, not valid UTF-8", data, got)
			}
			if again, name2, _ := decode(data, ""); again != got || name2 != name {
				t.Fatalf("decode(%q) = %q in %s, then %q in %s", data, got, name, again, name2)
			}
		}
		if !utf8.ValidString(s) || b < 0x80 || len(s) == 0 {
			return
		}
		for _, c := range []byte(s) {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return // controls, which isBinary weighs otherwise in text that is not UTF-8
			}
		}
		if sequences, _ := utf8Census(data); sequences < mendRatio {
			return
		}
		i := int(at % uint(len(s)+1))
		for i < len(s) && i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		r := charmap.Windows1252.DecodeByte(b)
		if r >= 0x80 && r <= 0x9F {
			r = utf8.RuneError
		}
		in := s[:i] + string([]byte{b}) + s[i:]
		want, wantErr := Decode([]byte(s[:i] + string(r) + s[i:]))
		got, err := Decode([]byte(in))
		if got != want || (err == nil) != (wantErr == nil) {
			t.Fatalf("Decode(%q) = %q, %v; want %q, %v: the byte read as %q", in, got, err, want, wantErr, r)
		}
	})
}
