package index

import (
	"fmt"
	"io/fs"
	"testing"

	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/source"
)

// TestSkipReason: each error that keeps a file out is counted under its
// word, wrapped as readers wrap it.
func TestSkipReason(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w: 9 bytes", source.ErrTooLarge), "too_large"},
		{extract.ErrBinary, "binary"},
		{fmt.Errorf("%w (a socket)", source.ErrNotRegular), "not_regular"},
		{source.ErrOutside, "outside"},
		{fmt.Errorf("%w a.txt, published under its own name", source.ErrLinkToSeed), "link"},
		{fmt.Errorf("%w (nowhere.txt)", source.ErrBrokenLink), "link"},
		{&fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission}, "unreadable"},
		{fmt.Errorf("front matter: bad"), "other"},
	} {
		if got := SkipReason(tt.err); got != tt.want {
			t.Errorf("SkipReason(%v) = %q; want %q", tt.err, got, tt.want)
		}
	}
}
