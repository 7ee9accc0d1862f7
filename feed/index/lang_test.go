package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// TestEntriesCarryLanguage: an entry carries the language extraction
// found, and a file in a legacy encoding is read in the one the options
// force.
func TestEntriesCarryLanguage(t *testing.T) {
	dir := t.TempDir()
	// Too little text for detection to tell KOI8-R: only the option does.
	ru, _ := charmap.KOI8R.NewEncoder().Bytes([]byte("Москва сегодня\n\nЗима.\n"))
	for name, data := range map[string][]byte{
		"de.txt": []byte("Am 14. Juli wurde in Paris gefeiert. Die Stadt war voll und die Straßen waren gesperrt.\n"),
		"ru.txt": ru,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	src := source.Source{Dir: dir, Include: []string{"*.txt"}, MaxSize: 1 << 20}
	ix := New(src, store, Options{Now: feedtest.Fixed(t0), Extract: extract.Options{Encoding: "koi8-r"}})
	if err := ix.Rescan(context.Background()); err != nil {
		t.Fatal(err)
	}
	entries, err := ix.Entries(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{"de.txt": {"Am 14. Juli wurde in Paris gefeiert", "de"}, "ru.txt": {"Москва сегодня", "ru"}}
	if len(entries) != len(want) {
		t.Fatalf("%d entries; want %d", len(entries), len(want))
	}
	for _, e := range entries {
		if w := want[e.Path]; e.Title != w[0] || e.Lang != w[1] {
			t.Errorf("%s: title %q, lang %q; want %q, %q", e.Path, e.Title, e.Lang, w[0], w[1])
		}
	}
}
