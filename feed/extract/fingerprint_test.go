package extract

import (
	"bytes"
	"strings"
	"testing"
)

// collapseReference is the obvious, slow definition appendCollapsed must
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
		want := collapseReference(text)
		if got := appendCollapsed(nil, text); !bytes.Equal(got, want) {
			t.Fatalf("appendCollapsed(nil, %q) = %q; want %q", text, got, want)
		}
		if got := appendCollapsed([]byte("x"), text); !bytes.Equal(got, append([]byte("x"), want...)) {
			t.Fatalf("appendCollapsed(\"x\", %q) = %q; want \"x\" and %q", text, got, want)
		}
	})
}

// TestFingerprintIsStable pins the fingerprint of one text. The state store
// keeps fingerprints across versions: a change here marks every file read
// again as edited, so it must be deliberate.
func TestFingerprintIsStable(t *testing.T) {
	const want = "affcb5f005ab0820fb39d25b46e34891" // XXH3-128 of "One two. Three four."
	if got := fingerprint([]byte("  One two.\r\nThree\tfour.\n\n")); got != want {
		t.Errorf("fingerprint = %s; want %s", got, want)
	}
}
