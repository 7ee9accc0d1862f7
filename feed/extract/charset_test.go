package extract

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// legacyTexts are news leads as they come in the encodings of their
// languages before UTF-8: each is encoded in the test, then detected and
// decoded back.
var legacyTexts = []struct {
	name    string
	enc     encoding.Encoding
	charset string // what Facts.Encoding says
	text    string
}{
	{"GBK", simplifiedchinese.GBK, "gb18030",
		"北京（路透社）- 中国国家统计局周三公布的数据显示，十月份工业产出同比增长百分之五。分析人士此前预计增幅会更小。"},
	{"GB18030", simplifiedchinese.GB18030, "gb18030",
		"上海证券交易所今天收盘，主要股指小幅上涨。交易员说，市场正在等待央行的决定。"},
	{"Big5", traditionalchinese.Big5, "big5",
		"台北（中央社）行政院今天通過明年度總預算案，總額新台幣二兆八千億元。立法院將於下週審議。"},
	{"Shift_JIS", japanese.ShiftJIS, "shift_jis",
		"東京（ロイター）－ 日銀は金曜日、政策金利を据え置いた。市場の予想通りだった。"},
	{"EUC-JP", japanese.EUCJP, "euc-jp",
		"東京（ロイター）－ 日銀は金曜日、政策金利を据え置いた。市場の予想通りだった。"},
	{"EUC-KR", korean.EUCKR, "euc-kr",
		"서울(연합뉴스) - 한국은행은 목요일 기준금리를 동결했다. 시장의 예상과 같았다."},
	{"Windows-1251", charmap.Windows1251, "windows-1251",
		"МОСКВА, 3 марта – Президент России заявил в пятницу, что переговоры продолжатся. Это стало известно."},
	{"KOI8-R", charmap.KOI8R, "koi8-r",
		"МОСКВА, 3 марта - Президент России заявил в пятницу, что переговоры продолжатся."},
	{"ISO-8859-5", charmap.ISO8859_5, "iso-8859-5",
		"МОСКВА, 3 марта - Президент России заявил в пятницу, что переговоры продолжатся."},
	{"Windows-1256, Arabic", charmap.Windows1256, "windows-1256",
		"طهران (رويترز) - قال مسؤولون إيرانيون يوم الأربعاء إن المحادثات ستستمر. وأضافوا أن الوفد سيعود."},
	// Persian's پ چ ژ گ are where ISO-8859-6, which the detector
	// prefers for this text, has no letters.
	{"Windows-1256, Persian", charmap.Windows1256, "windows-1256",
		"تهران - رئيس جمهور ايران روز چهارشنبه گفت كه گفتگوها ادامه خواهد يافت. اين خبر را خبرگزاري پژوهش داد."},
	{"ISO-8859-6", charmap.ISO8859_6, "iso-8859-6",
		"طهران (رويترز) - قال مسؤولون إيرانيون يوم الأربعاء إن المحادثات ستستمر."},
	{"ISO-8859-7", charmap.ISO8859_7, "iso-8859-7",
		"ΑΘΗΝΑ - Ο πρωθυπουργός της Ελλάδας δήλωσε την Τετάρτη ότι οι συνομιλίες θα συνεχιστούν."},
	{"ISO-8859-2", charmap.ISO8859_2, "iso-8859-2",
		"Warszawa - Prezydent Polski powiedział w środę, że rozmowy będą kontynuowane. Zażółć gęślą jaźń."},
	{"Windows-1250", charmap.Windows1250, "windows-1250",
		"Praha – Předseda vlády řekl ve středu, že jednání budou pokračovat. „Žádný problém“, dodal."},
	{"ISO-8859-1", charmap.ISO8859_1, "windows-1252",
		"Wien - Der österreichische Bundeskanzler sagte am Mittwoch, die Gespräche würden fortgesetzt."},
	{"Windows-1252", charmap.Windows1252, "windows-1252",
		"Paris – Le président français a déclaré mercredi que les négociations se poursuivraient. «Très bien», a-t-il dit."},
}

func TestDecodeLegacyEncodings(t *testing.T) {
	for _, tt := range legacyTexts {
		t.Run(tt.name, func(t *testing.T) {
			data, err := tt.enc.NewEncoder().Bytes([]byte(tt.text))
			if err != nil {
				t.Fatalf("encoding the sample: %v", err)
			}
			got, err := Decode(data)
			if err != nil || got != tt.text {
				t.Errorf("Decode(%s bytes) = %q, %v; want %q", tt.name, got, err, tt.text)
			}
			facts, err := Inspect("a.txt", data)
			if err != nil || facts.Encoding != tt.charset {
				t.Errorf("Inspect(%s bytes).Encoding = %q, %v; want %q", tt.name, facts.Encoding, err, tt.charset)
			}
		})
	}
}

// TestUTF8HasNoEncodingNote: the log names an encoding only for text that
// was not UTF-8.
func TestUTF8HasNoEncodingNote(t *testing.T) {
	for _, in := range []string{"Plain ASCII.", "北京 – 中文。", "\uFEFFWith a BOM."} {
		if facts, err := Inspect("a.txt", []byte(in)); err != nil || facts.Encoding != "" {
			t.Errorf("Inspect(%q).Encoding = %q, %v; want none", in, facts.Encoding, err)
		}
	}
}

// TestForcedEncoding: an encoding set in the options is used for every
// file without a BOM, even where detection would guess another; a BOM
// still wins.
func TestForcedEncoding(t *testing.T) {
	// Russian in KOI8-R, read as Windows-1251 because the options say so.
	data, _ := charmap.KOI8R.NewEncoder().Bytes([]byte("Москва сегодня.\n\nТекст статьи."))
	want, _ := charmap.Windows1251.NewDecoder().String(string(data))
	doc, err := Options{Encoding: "windows-1251"}.Extract("a.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(want, doc.Title) || doc.Encoding != "windows-1251" {
		t.Errorf("title %q in %q; want the bytes read as Windows-1251 (%q)", doc.Title, doc.Encoding, want)
	}
	doc, err = Options{Encoding: "gbk"}.Extract("a.txt", []byte("\uFEFFHello there.\n\nBody text."))
	if err != nil || doc.Title != "Hello there." || doc.Encoding != "" {
		t.Errorf("UTF-8 with a BOM, gbk forced: title %q in %q, %v; want the BOM's UTF-8", doc.Title, doc.Encoding, err)
	}
	if _, err := (Options{Encoding: "klingon"}).Extract("a.txt", []byte("x")); err == nil {
		t.Errorf("Extract with an unknown encoding succeeded; want an error")
	}
}

// TestLegacyDecodingIsStable: the detector scores candidates in goroutines
// and sorts equal scores in no set order; a file must still read the same
// every time, or its fingerprint would change between reads. The input is
// one the fuzzer found read two ways.
func TestLegacyDecodingIsStable(t *testing.T) {
	for _, in := range []string{"0000\xbb\xb1\x140\x9c000000– “000000\xe300000” 00 00A0. AA/AA", "caf\xe9 \xb1\xb3\xbf \xe8\xf8"} {
		first, firstName, _ := decode([]byte(in), "")
		for range 3000 {
			if s, name, _ := decode([]byte(in), ""); s != first || name != firstName {
				t.Fatalf("decode(%q) = %q in %s, then %q in %s", in, first, firstName, s, name)
			}
		}
	}
}

// TestShortLegacyText: a line or two is too little for the detector's
// scores alone; where they tie or are weak, the reading with the most
// letters that make sense in one script wins.
func TestShortLegacyText(t *testing.T) {
	for _, tt := range shortLegacyTexts {
		data, err := tt.enc.NewEncoder().Bytes([]byte(tt.text))
		if err != nil {
			t.Fatal(err)
		}
		if s, name := decodeLegacy(data); s != tt.text || name != tt.charset {
			t.Errorf("decodeLegacy(%q in %s) = %q in %s", tt.text, tt.charset, s, name)
		}
	}
}

// shortLegacyTexts are lines in legacy encodings too short for the
// detector's scores alone.
var shortLegacyTexts = []struct {
	enc           encoding.Encoding
	text, charset string
}{
	{simplifiedchinese.GBK, "国家统计局周三公布了数据。", "gb18030"},
	{simplifiedchinese.GBK, "中国经济增长放缓", "gb18030"},
	{simplifiedchinese.GBK, "北京今天下雪了，交通受到影响。", "gb18030"},
	{traditionalchinese.Big5, "台灣經濟成長放緩", "big5"},
	{charmap.Windows1251, "Москва сегодня.", "windows-1251"},
	{charmap.Windows1251, "Президент заявил.", "windows-1251"},
	{korean.EUCKR, "한국은행은 금리를 동결했다.", "euc-kr"},
	{simplifiedchinese.GBK, "通知\n\n今天放假。\n", "gb18030"}, // "НЁЦЄ ЅсМм", capitals inside words, in Windows-1251
	{simplifiedchinese.GBK, "天气\n\n明天晴。\n", "gb18030"},
	{charmap.Windows1251, "Київ сьогодні.", "windows-1251"},          // Ukrainian letters, all of one nation
	{charmap.Windows1251, "Београд је главни град.", "windows-1251"}, // Serbian's
	{japanese.ShiftJIS, "お知らせ\n\nThe office is closed today.\n", "shift_jis"},
	{japanese.ShiftJIS, "東京の天気\n\nSunny.\n", "shift_jis"},
	{charmap.Windows1252, "Copyright © 2020 Example Corp. All rights reserved.", "windows-1252"}, // a symbol alone stays Western
	{charmap.Windows1252, "The valve holds 5 ± 1 bar at 50° north.", "windows-1252"},
	{charmap.Windows1252, "Heat to 180°C.", "windows-1252"},             // not 蚓 in Big5
	{charmap.Windows1252, "Set it to 20°±2 and 30°±2.", "windows-1252"}, // not 갚 in EUC-KR
	{charmap.Windows1252, "Café au lait, s'il vous plaît.", "windows-1252"},
}
