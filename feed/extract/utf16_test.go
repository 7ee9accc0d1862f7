package extract

import (
	"bytes"
	"errors"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// TestUTF16WithoutBOMInAnyScript: UTF-16 saved without a BOM is read as
// such in either byte order, whatever the script, and with ASCII among it.
func TestUTF16WithoutBOMInAnyScript(t *testing.T) {
	for _, tt := range []struct{ name, text string }{
		{"Russian", "Центральный банк России сохранил ключевую ставку на уровне 16% годовых.\n\nРешение было ожидаемым.\n"},
		{"Russian, one line", "Москва сегодня."},
		{"Chinese", "国家统计局30日发布数据显示，11月份制造业采购经理指数为50.3%，比上月上升0.2个百分点。\n"},
		{"Chinese, no ASCII", "中国经济增长放缓，专家表示。"},
		{"Chinese among digits", "2024年3月10日0时，北京0度。\n"},
		{"Japanese", "東京（ロイター）－ 日銀は金曜日、政策金利を据え置いた。市場の予想通りだった。\n"},
		{"Korean", "서울(연합뉴스) - 한국은행은 목요일 기준금리를 동결했다.\n"},
		{"Greek", "ΑΘΗΝΑ - Ο πρωθυπουργός της Ελλάδας δήλωσε την Τετάρτη ότι οι συνομιλίες θα συνεχιστούν.\n"},
		{"Arabic", "طهران (رويترز) - قال مسؤولون إيرانيون يوم الأربعاء إن المحادثات ستستمر.\n"},
		{"Thai", "กรุงเทพฯ - นายกรัฐมนตรีกล่าวในวันพุธว่าการเจรจาจะดำเนินต่อไป\n"},
		{"Russian among English", "Release notes\n\nThe Russian team (команда разработчиков) fixed the bug in the parser: «исправлено».\n"},
		{"Chinese among English", "Notes for v2.1\n\nWe added Chinese docs (中文文档) and fixed the build on Windows. 感谢所有贡献者！\n"},
		{"an emoji", "Привет 👋 мир, как дела?\n"},
	} {
		for _, bigEndian := range []bool{false, true} {
			name := tt.name + " LE"
			if bigEndian {
				name = tt.name + " BE"
			}
			t.Run(name, func(t *testing.T) {
				got, charset, err := decode(utf16Bytes(tt.text, bigEndian, false), "")
				if err != nil || got != tt.text || charset != "utf-16" {
					t.Errorf("decode(%s in UTF-16 without BOM) = %q in %q, %v; want %q in utf-16", tt.name, got, charset, err, tt.text)
				}
			})
		}
	}
}

// TestNotUTF16: binary files, text in the legacy encodings of two bytes a
// character and ASCII with a NUL are not taken for UTF-16, though their
// length is even.
func TestNotUTF16(t *testing.T) {
	even := func(b []byte) []byte {
		if len(b)%2 == 1 {
			return b[:len(b)-1]
		}
		return b
	}
	random := rand.New(rand.NewSource(1))
	noise := func(n int) []byte {
		b := make([]byte, n)
		random.Read(b)
		return b
	}
	legacy := map[string][]byte{}
	for _, tt := range legacyTexts {
		if data, err := tt.enc.NewEncoder().Bytes([]byte(tt.text + "\n")); err == nil {
			legacy[tt.name] = even(data)
		}
	}
	for _, tt := range shortLegacyTexts {
		if data, err := tt.enc.NewEncoder().Bytes([]byte(tt.text)); err == nil {
			legacy["short "+tt.charset+" "+tt.text] = even(data)
		}
	}
	for name, e := range map[string]interface {
		Bytes([]byte) ([]byte, error)
	}{"GBK": simplifiedchinese.GBK.NewEncoder(), "Big5": traditionalchinese.Big5.NewEncoder(),
		"Shift_JIS": japanese.ShiftJIS.NewEncoder(), "EUC-KR": korean.EUCKR.NewEncoder()} {
		// No ASCII at all, and no line end: nothing but pairs of bytes.
		if data, err := e.Bytes([]byte("国家统计局周三公布的数据显示十月份工业产出同比增长百分之五分析人士此前预计增幅会更小")); err == nil {
			legacy[name+", no ASCII"] = even(data)
		}
	}
	cases := map[string][]byte{
		"PNG":                    append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), noise(1024)...),
		"ZIP":                    append([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), noise(1024)...),
		"gzip":                   append([]byte("\x1f\x8b\x08\x00"), noise(512)...),
		"random bytes":           noise(4096),
		"random bytes, short":    noise(64),
		"random, spaces between": bytes.Join([][]byte{noise(40), noise(40), noise(40), noise(40)}, []byte(" \x00\n\x00")),
		"ASCII with a NUL":       []byte("Good\x00 text\x07 here\x1b."),
		// Common characters, but among units no text has.
		"common characters among private-use units": bytes.Repeat(utf16Bytes("的是\uE123\n", false, false), 20),
		// A ZIP of a UTF-16 file, stored: the rest would read as text.
		"ZIP of UTF-16": append([]byte("PK\x03\x04"), utf16Bytes("Центральный банк России сохранил ключевую ставку.\n", false, false)...),
		"UTF-8 Chinese": even([]byte("国家统计局30日发布数据显示，制造业景气水平有所回升。\n")),
	}
	for name, data := range legacy {
		cases[name] = data
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if _, ok := sniffUTF16(data); ok {
				t.Errorf("sniffUTF16(%s) = UTF-16; want none", name)
			}
			if _, charset, err := decode(data, ""); charset == "utf-16" && !errors.Is(err, ErrBinary) {
				t.Errorf("decode(%s) read it as %s, %v", name, charset, err)
			}
		})
	}
}

// FuzzUTF16WithoutBOM: text read as UTF-16 without a BOM is read in the
// right byte order, and neither text in UTF-8 nor in GBK or Shift_JIS,
// which hold no byte of a UTF-16 separator, is ever taken for UTF-16.
func FuzzUTF16WithoutBOM(f *testing.F) {
	f.Add("Центральный банк России.\n", false)
	f.Add("国家统计局30日发布数据显示，比上月上升。\n", true)
	f.Add("東京の天気\n\nSunny.\n", false)
	f.Add("Hello there\n", true)
	f.Add("0侮", true) // in the other byte order, an ideographic space and a syllable of Hangul
	f.Fuzz(func(t *testing.T, s string, bigEndian bool) {
		if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' && r != '\r' }) {
			return
		}
		for _, e := range []interface {
			Bytes([]byte) ([]byte, error)
		}{encoding.Nop.NewEncoder(), simplifiedchinese.GBK.NewEncoder(), japanese.ShiftJIS.NewEncoder()} {
			if data, err := e.Bytes([]byte(s)); err == nil {
				if _, ok := sniffUTF16(data); ok {
					t.Fatalf("sniffUTF16(%q, %q in another encoding) = UTF-16", data, s)
				}
			}
		}
		data := utf16Bytes(s, bigEndian, false)
		if _, ok := sniffUTF16(data); !ok {
			return
		}
		want, wantErr := Decode([]byte(s))
		if got, err := Decode(data); got != want || (err == nil) != (wantErr == nil) {
			t.Fatalf("Decode(%q in UTF-16, big-endian %v) = %q, %v; want %q, %v", s, bigEndian, got, err, want, wantErr)
		}
	})
}
