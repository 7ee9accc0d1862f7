package daemon

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestFirstIndexPublishesAsItGoes: a daemon's first index of a folder
// larger than a chunk of reads publishes before it ends (the index's own
// test checks that it shows the newest entries then), and once more when
// it ends.
func TestFirstIndexPublishesAsItGoes(t *testing.T) {
	e := newEnv(t, nil)
	for i := range 4200 { // two chunks of the index's reads
		p := filepath.Join(e.seeds, "wire", fmt.Sprintf("%04d.txt", i))
		if i == 0 {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(p, fmt.Appendf(nil, "Story %d\n\nText of story %d.\n", i, i), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := start(t, e)
	h := getHealth(t, p)
	// One render of the empty store before the index, one during it, one
	// at its end.
	if h.Renders != 3 || h.Entries < 4200 {
		t.Errorf("after the first index: %d renders, %d entries; want 3 renders (one while indexing) and every entry", h.Renders, h.Entries)
	}
}
