package extract

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/unicode/norm"
)

// ErrBinary reports input that is not text in any encoding seedfeed reads.
var ErrBinary = errors.New("binary data, not text")

// ErrEmpty reports input with no text left after decoding and cleaning.
var ErrEmpty = errors.New("empty file")

// magics are the openings of common binary formats that may land in a seeds
// folder by mistake. They are refused before any decoding is tried.
var magics = [][]byte{
	[]byte("\x89PNG"), []byte("\xff\xd8\xff"), []byte("GIF8"), []byte("%PDF-"),
	[]byte("PK\x03\x04"), []byte("\x1f\x8b"), []byte("\x7fELF"), []byte("7z\xbc\xaf"),
	[]byte("SQLite format 3\x00"), []byte("\x00asm"), []byte("\xca\xfe\xba\xbe"),
}

// Decode turns raw file bytes into clean UTF-8 text: BOMs are honoured
// (UTF-8, UTF-16 and UTF-32), UTF-8 spoilt by a few invalid bytes is read
// as UTF-8 and those bytes as Windows-1252, other bytes that are not valid
// UTF-8 are read in the legacy encoding they are most likely in (GBK, Big5,
// Shift_JIS, Windows-1251 and others; Windows-1252 when no other fits),
// line endings become "\n", the text is NFC-normalised and every character
// that XML 1.0 forbids is removed.
func Decode(data []byte) (string, error) {
	s, _, err := decode(data, "")
	return s, err
}

// decode is Decode, reading every file without a BOM in the encoding that
// label names when it is not empty. It also returns the name of the
// encoding the text was in when that was not UTF-8 ("gbk",
// "windows-1251"), or what was mended when it was UTF-8 with invalid bytes
// ("utf-8 (1 invalid byte read as windows-1252)"), and "" when it was
// valid UTF-8.
func decode(data []byte, label string) (text, charset string, err error) {
	return decodeText(data, label, false)
}

// decodeText is decode; with borrow, text that is UTF-8 already may be
// data itself, not a copy, and what is made of it must be copied before
// data is used again (see Doc.own).
func decodeText(data []byte, label string, borrow bool) (text, charset string, err error) {
	var s string
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		s, charset = decodeUTF8(data[3:], borrow, true)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}):
		return transcode(utf32.UTF32(utf32.LittleEndian, utf32.ExpectBOM), data, "utf-32le")
	case bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return transcode(utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM), data, "utf-32be")
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return transcode(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), data, "utf-16le")
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return transcode(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), data, "utf-16be")
	case label != "":
		e, name, err := LookupEncoding(label)
		if err != nil {
			return "", "", fmt.Errorf("unknown encoding %q", label)
		}
		if !strings.HasPrefix(name, "utf-16") && isBinary(data) {
			return "", "", ErrBinary
		}
		if name == "utf-8" {
			name = ""
		}
		return transcode(e, data, name)
	default:
		if e, ok := sniffUTF16(data); ok {
			return transcode(e, data, "utf-16")
		}
		if isBinary(data) {
			return "", "", ErrBinary
		}
		s, charset = decodeUTF8(data, borrow, false)
	}
	s, err = finish(s)
	return s, charset, err
}

// decodeUTF8 returns data as a string, or, when it is not valid UTF-8,
// mended or in the legacy encoding it is most likely in, and the name of
// what it was read as (see decodeSpoiled). With borrow, valid UTF-8 is
// returned as data itself. bom says a UTF-8 BOM came before data.
func decodeUTF8(data []byte, borrow, bom bool) (string, string) {
	switch {
	case !utf8.Valid(data):
	case borrow:
		return unsafe.String(unsafe.SliceData(data), len(data)), ""
	default:
		return string(data), ""
	}
	return decodeSpoiled(data, bom)
}

func transcode(e encoding.Encoding, data []byte, name string) (string, string, error) {
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", err
	}
	if isBinary(out) {
		return "", "", ErrBinary
	}
	s, err := finish(string(out))
	return s, name, err
}

func finish(s string) (string, error) {
	s = norm.NFC.String(Clean(finishNewlines(s)))
	if strings.TrimSpace(s) == "" {
		return "", ErrEmpty
	}
	return s, nil
}

// finishNewlines turns CRLF and lone CR line endings into LF.
func finishNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// isBinary tells data that is not text from text that merely carries a few
// stray control characters. Valid UTF-8 is allowed many more of them than
// bytes that would have to be read as Windows-1252, because random bytes are
// almost never valid UTF-8.
func isBinary(data []byte) bool {
	if hasMagic(data) {
		return true
	}
	sample := data[:min(len(data), 8192)]
	if len(sample) == 0 {
		return false
	}
	controls := 0
	// Eight bytes at a time: only a word holding a byte below 0x20 or a DEL
	// (newlines included) is looked at byte by byte.
	i := 0
	for ; i+8 <= len(sample); i += 8 {
		w := binary.LittleEndian.Uint64(sample[i:])
		const ones, highs, spaces, dels = 0x0101010101010101, 0x8080808080808080, 0x2020202020202020, 0x7f7f7f7f7f7f7f7f
		if (w-spaces)&^w&highs == 0 && ((w^dels)-ones)&^(w^dels)&highs == 0 {
			continue
		}
		for _, b := range sample[i : i+8] {
			controls += int(controlByte[b])
		}
	}
	for _, b := range sample[i:] {
		controls += int(controlByte[b])
	}
	// Over 20% control bytes is binary; over 5% is binary unless the data
	// is valid UTF-8, which the common case, under 5%, need not check.
	switch {
	case controls*100 <= len(sample)*5:
		return false
	case controls*100 > len(sample)*20:
		return true
	}
	return !utf8.Valid(data)
}

// hasMagic reports whether data opens as a binary format does (see magics).
func hasMagic(data []byte) bool {
	for _, m := range magics {
		if bytes.HasPrefix(data, m) {
			return true
		}
	}
	return false
}

// controlByte is 1 for the bytes that count against text in isBinary: C0
// controls other than white space, and DEL.
var controlByte = func() (t [256]uint8) {
	for b := range 0x20 {
		t[b] = 1
	}
	for _, b := range []byte{'\t', '\n', '\r', '\f', '\v'} {
		t[b] = 0
	}
	t[0x7F] = 1
	return t
}()

// Clean removes every character that XML 1.0 forbids (C0 controls other than
// tab and newline, U+FFFE and U+FFFF, and surrogates), together with the C1
// controls, which are never meant as text. It returns s itself when there is
// nothing to remove.
func Clean(s string) string {
	i := firstDropped(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if !dropped(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// droppedLead holds the bytes that can open a character Clean removes: C0
// controls but tab and line ends, DEL, 0xC2 (C1 controls), 0xED
// (surrogates) and 0xEF (U+FFFE, U+FFFF).
var droppedLead = bytesOf("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0B\x0C\x0E\x0F\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F\x7F\xC2\xED\xEF")

// firstDropped returns the offset of the first character Clean removes, or
// -1. It looks at bytes, decoding only at those that can open such a
// character (droppedLead).
func firstDropped(s string) int {
	for i := 0; i < len(s); i++ {
		k := nextIn(s[i:], &droppedLead)
		if k < 0 {
			return -1
		}
		i += k
		r, _ := utf8.DecodeRuneInString(s[i:])
		if dropped(r) {
			return i
		}
	}
	return -1
}

func dropped(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r >= 0x7F && r <= 0x9F:
		return true
	case r == 0xFFFE || r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
		return true
	}
	return false
}
