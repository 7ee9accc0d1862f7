package state

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// storeWith makes a closed store of n records at a fresh path.
func storeWith(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, false)
	if err != nil {
		t.Fatal(err)
	}
	var c Change
	for i := range n {
		c.Seen = append(c.Seen, seen(fmt.Sprintf("dir/file-%04d.txt", i), fmt.Sprintf("hash-%d", i)))
	}
	apply(t, s, c, t0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// damage changes the file at path as one kind of fault would.
var damages = map[string]func(t *testing.T, path string){
	"cut in half": func(t *testing.T, path string) { truncate(t, path, size(t, path)/2) },
	"only the meta pages left": func(t *testing.T, path string) {
		truncate(t, path, 2*int64(os.Getpagesize()))
	},
	"random bytes over the data pages": func(t *testing.T, path string) {
		scribble(t, path, 2*int64(os.Getpagesize()), size(t, path))
	},
	"random bytes over the meta pages": func(t *testing.T, path string) {
		scribble(t, path, 0, 2*int64(os.Getpagesize()))
	},
	"not a store at all": func(t *testing.T, path string) {
		if err := os.WriteFile(path, bytes.Repeat([]byte("seedfeed "), 5000), 0o600); err != nil {
			t.Fatal(err)
		}
	},
}

func size(t *testing.T, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func truncate(t *testing.T, path string, n int64) {
	if err := os.Truncate(path, n); err != nil {
		t.Fatal(err)
	}
}

func scribble(t *testing.T, path string, from, to int64) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := make([]byte, to-from)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range junk {
		junk[i] = byte(r.Uint32())
	}
	if _, err := f.WriteAt(junk, from); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedStoreIsAnErrorNotACrash: each kind of damage makes Open and
// Verify fail with ErrDamaged, and never crashes the process.
func TestDamagedStoreIsAnErrorNotACrash(t *testing.T) {
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			path := storeWith(t, 500)
			damage(t, path)
			if s, err := Open(path, false); !errors.Is(err, ErrDamaged) {
				if s != nil {
					s.Close()
				}
				t.Errorf("Open = %v; want ErrDamaged", err)
			}
			if err := Verify(path); !errors.Is(err, ErrDamaged) {
				t.Errorf("Verify = %v; want ErrDamaged", err)
			}
		})
	}
}

// TestAnyPageScribbledNeverCrashes scribbles over one page at a time:
// whichever page it is, opening the store either works or says it is
// damaged.
func TestAnyPageScribbledNeverCrashes(t *testing.T) {
	clean := storeWith(t, 500)
	data, err := os.ReadFile(clean)
	if err != nil {
		t.Fatal(err)
	}
	page := int64(os.Getpagesize())
	damaged := 0
	for p := int64(0); p*page < int64(len(data)); p++ {
		path := filepath.Join(t.TempDir(), "state.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		scribble(t, path, p*page, (p+1)*page)
		s, err := Open(path, false)
		switch {
		case err == nil:
			s.Close()
		case errors.Is(err, ErrDamaged):
			damaged++
		default:
			t.Errorf("page %d scribbled: Open = %v; want success or ErrDamaged", p, err)
		}
	}
	if damaged == 0 {
		t.Error("no scribbled page was found damaged; the check reads nothing")
	}
}

// TestRestoreFromBackup: a damaged store is replaced by the last good copy,
// with one warning that names both files and keeps the damaged one aside;
// without a copy, the error says what to do.
func TestRestoreFromBackup(t *testing.T) {
	path := storeWith(t, 50)
	s := openTest(t, path)
	want, _, err := s.Lookup("dir/file-0007.txt")
	if err != nil || want.ID == "" {
		t.Fatalf("Lookup = %+v, %v", want, err)
	}
	if err := s.Backup(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	truncate(t, path, size(t, path)/2)

	var logs bytes.Buffer
	restored, err := OpenOrRestore(path, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatalf("OpenOrRestore = %v; want the copy", err)
	}
	defer restored.Close()
	got, _, err := restored.Lookup("dir/file-0007.txt")
	if err != nil || got.ID != want.ID || !got.FirstSeen.Equal(want.FirstSeen) {
		t.Errorf("after restoring: %+v, %v; want %+v", got, err, want)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 || !strings.Contains(logs.String(), path) || !strings.Contains(logs.String(), BackupPath(path)) {
		t.Errorf("%d warnings; want one naming %s and %s:\n%s", n, path, BackupPath(path), logs.String())
	}
	if kept, _ := filepath.Glob(path + ".damaged-*"); len(kept) != 1 {
		t.Errorf("damaged files kept: %v; want one", kept)
	}

	bare := storeWith(t, 50)
	truncate(t, bare, size(t, bare)/2)
	_, err = OpenOrRestore(bare, slog.New(slog.NewTextHandler(&logs, nil)))
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "no good copy") || strings.Contains(err.Error(), "\n") {
		t.Errorf("without a copy: %v; want one line naming the damage and what to do", err)
	}
}
