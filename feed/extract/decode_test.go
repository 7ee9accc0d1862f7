package extract

import (
	"encoding/binary"
	"errors"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		if bigEndian {
			out = binary.BigEndian.AppendUint16(out, u)
		} else {
			out = binary.LittleEndian.AppendUint16(out, u)
		}
	}
	return out
}

func TestDecode(t *testing.T) {
	const text = "Price: £5 — “quoted” café\nsecond line"
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"UTF-8", []byte(text), text},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, text...), text},
		{"UTF-16LE with BOM", utf16Bytes(text, false, true), text},
		{"UTF-16BE with BOM", utf16Bytes(text, true, true), text},
		{"UTF-16LE without BOM", utf16Bytes(text, false, false), text},
		{"Windows-1252 pound sign", []byte("Price: \xa35 \x93quoted\x94 caf\xe9"), "Price: £5 “quoted” café"},
		{"CRLF", []byte("a\r\nb\r\n"), "a\nb\n"},
		{"lone CR", []byte("a\rb"), "a\nb"},
		{"NUL and controls removed", []byte("Good\x00 text\x07 here\x1b."), "Good text here."},
		{"10% controls, UTF-8", []byte(strings.Repeat("café bar\x01", 40)), strings.TrimSpace(strings.Repeat("café bar", 40))},
		{"U+FFFE and U+FFFF removed", []byte("a\uFFFEb\uFFFFc"), "abc"},
		{"C1 controls removed", []byte("a\u0085b"), "ab"},
		{"NFC", []byte("cafe\u0301"), "café"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("Decode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDecodeRefuses(t *testing.T) {
	random := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(random)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"random bytes", random, ErrBinary},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ErrBinary},
		{"all NUL", make([]byte, 1024), ErrBinary},
		// One control byte in ten is text as UTF-8 (see TestDecode), but
		// not in bytes that are not UTF-8; one in four is never text.
		{"10% controls, not UTF-8", []byte(strings.Repeat("caf\xe9 bar\x01", 40)), ErrBinary},
		{"25% controls, UTF-8", []byte(strings.Repeat("ab\x01\x02abc\x03", 40)), ErrBinary},
		{"empty", nil, ErrEmpty},
		{"white space", []byte(" \n\t\r\n"), ErrEmpty},
		{"BOM only", []byte{0xEF, 0xBB, 0xBF}, ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Decode(tt.in); !errors.Is(err, tt.want) {
				t.Errorf("Decode(%s) error = %v; want %v", tt.name, err, tt.want)
			}
		})
	}
}

func TestFingerprintIgnoresWhiteSpace(t *testing.T) {
	base := fingerprint([]byte("One two. Three four."))
	for _, in := range []string{"One two. Three four.", "  One  two.\r\nThree\tfour.\n\n", "One\ntwo.\n\nThree four.\n"} {
		if got := fingerprint([]byte(in)); got != base {
			t.Errorf("fingerprint(%q) = %s; want %s, as for the collapsed text", in, got, base)
		}
	}
	for _, in := range []string{"One two. Three four!", "Onetwo. Three four.", "One two. Three four. Five."} {
		if fingerprint([]byte(in)) == base {
			t.Errorf("fingerprint(%q) equals that of different text", in)
		}
	}
}
