package extract

import (
	"bytes"
	"strings"
	"testing"
)

// collapseReference is the obvious, slow definition writeCollapsed must
// match: fields split at ASCII white space, joined by single spaces.
func collapseReference(text []byte) []byte {
	fields := strings.FieldsFunc(string(text), func(r rune) bool { return r < 256 && isSpace[r] })
	return []byte(strings.Join(fields, " "))
}

func FuzzCollapse(f *testing.F) {
	for _, s := range []string{"", " ", "a", " a b ", "a  b", "a \n b", "a\r\n\r\nb", "a\tb\vc\fd", "x  ", "  y", "a \n", "é  ü"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		var got bytes.Buffer
		writeCollapsed(&got, text)
		if want := collapseReference(text); !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("writeCollapsed(%q) = %q; want %q", text, got.Bytes(), want)
		}
	})
}
