package extract

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
)

// bareRefs returns src less the brackets of each collapsed reference that
// no definition gives, which CommonMark leaves as they are written: the
// jekyll docs' release posts write "([#1037][])" and define #1037 in a
// Liquid loop that seedfeed cannot run. Its text shows, as a link's would.
// more, an offset into src, moves with the text. It returns nil when
// there is no such reference.
func bareRefs(root ast.Node, src []byte, more int) ([]byte, int) {
	if !bytes.Contains(src, []byte("][]")) {
		return nil, more
	}
	var cuts []int // the offsets of each "[" and "][]" to take out, in order
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, code := n.(*ast.CodeSpan); code {
			return ast.WalkSkipChildren, nil // code shows as written
		}
		t, ok := n.(*ast.Text)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		// "][]" may run over two texts: "#1121][" and "])".
		for off := t.Segment.Start; off < t.Segment.Stop; {
			i := bytes.IndexByte(src[off:t.Segment.Stop], ']')
			if i < 0 {
				break
			}
			end := off + i
			off = end + 1
			if !bytes.HasPrefix(src[end:], []byte("][]")) {
				continue
			}
			open := bytes.LastIndexByte(src[:end], '[')
			if open < 0 || open+1 == end || open > 0 && (src[open-1] == '!' || src[open-1] == '\\') ||
				len(cuts) > 0 && open <= cuts[len(cuts)-1] {
				continue
			}
			// A label of one line, whose code spans close within it.
			if label := src[open+1 : end]; bytes.ContainsAny(label, "]\n") || bytes.Count(label, []byte("`"))%2 != 0 {
				continue
			}
			cuts = append(cuts, open, end)
		}
		return ast.WalkContinue, nil
	})
	if len(cuts) == 0 {
		return nil, more
	}
	out := make([]byte, 0, len(src))
	from := 0
	for k, at := range cuts {
		n := 1 // "["
		if k%2 == 1 {
			n = len("][]")
		}
		out = append(out, src[from:at]...)
		from = at + n
		if at+n <= more {
			more -= n
		}
	}
	return append(out, src[from:]...), more
}
