package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorLines: a cause that stops serve or build is one line, names its
// path once, and reads the same in both commands.
func TestErrorLines(t *testing.T) {
	dir := t.TempDir()
	seeds := seedDir(t)
	file := filepath.Join(dir, "file.txt")
	os.WriteFile(file, []byte("not a folder"), 0o644)
	cases := []struct {
		name, seeds, state, path string
	}{
		{"missing seeds folder", filepath.Join(dir, "nope"), filepath.Join(dir, "a.db"), filepath.Join(dir, "nope")},
		{"seeds folder is a file", file, filepath.Join(dir, "b.db"), file},
		{"state store in a missing folder", seeds, filepath.Join(dir, "gone", "s.db"), filepath.Join(dir, "gone", "s.db")},
		{"state store is a folder", seeds, dir, dir},
	}
	for _, c := range cases {
		var said []string
		for _, cmd := range []string{"serve", "build"} {
			args := []string{cmd, "-config", writeConfig(t, ""), "-seeds", c.seeds, "-state", c.state, "-base-url", "https://example.org/"}
			if cmd == "build" {
				args = append(args, "-out", filepath.Join(t.TempDir(), "out"))
			} else {
				args = append(args, "-listen", "127.0.0.1:0")
			}
			var out bytes.Buffer
			err := run(context.Background(), args, &out, &out)
			if err == nil {
				t.Fatalf("%s, %s: no error", c.name, cmd)
			}
			line := err.Error()
			if strings.Contains(line, "\n") || strings.Count(line, c.path) != 1 {
				t.Errorf("%s, %s: %q; want one line naming %s once", c.name, cmd, line, c.path)
			}
			said = append(said, strings.TrimPrefix(line, cmd+": "))
			if _, err := os.Stat(c.state); c.state != dir && err == nil {
				t.Errorf("%s, %s: left a state store behind at %s", c.name, cmd, c.state)
			}
		}
		if said[0] != said[1] {
			t.Errorf("%s: serve says %q, build says %q; want the same words", c.name, said[0], said[1])
		}
	}
}
