package daemon

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// logLine is what the tests read of a JSON log line.
type logLine struct {
	Level string   `json:"level"`
	Msg   string   `json:"msg"`
	Files []string `json:"files"`
	More  int      `json:"more"`
}

// logLines returns the daemon's log lines at level info or above.
func logLines(t *testing.T, p *proc) []logLine {
	t.Helper()
	var lines []logLine
	for _, l := range strings.Split(strings.TrimSpace(p.logs.String()), "\n") {
		var ll logLine
		if err := json.Unmarshal([]byte(l), &ll); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, l)
		}
		if ll.Level != "DEBUG" {
			lines = append(lines, ll)
		}
	}
	return lines
}

// waitLog waits for an info line whose message is msg, and returns it.
func waitLog(t *testing.T, p *proc, msg string) logLine {
	t.Helper()
	var found logLine
	feedtest.WaitFor(t, 10*time.Second, "log line "+msg, func() bool {
		for _, l := range logLines(t, p) {
			if l.Level == "INFO" && l.Msg == msg {
				found = l
				return true
			}
		}
		return false
	})
	return found
}

// TestBatchLog: each batch of changes says at info level what it did to
// the entries, naming the files while they are few.
func TestBatchLog(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
	samples, _ := filepath.Glob(filepath.Join(e.seeds, "*.txt"))
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(e.seeds, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("new.txt", "A new story\n\nIt is about something that happened today.\n")
	if l := waitLog(t, p, "published 1, updated 0, removed 0"); !slices.Equal(l.Files, []string{"+new.txt"}) {
		t.Errorf("files = %q; want [+new.txt]", l.Files)
	}
	write("new.txt", "A new story, changed\n\nIt is about something else that happened today.\n")
	if l := waitLog(t, p, "published 0, updated 1, removed 0"); !slices.Equal(l.Files, []string{"~new.txt"}) {
		t.Errorf("files = %q; want [~new.txt]", l.Files)
	}
	os.Remove(samples[0])
	if l := waitLog(t, p, "published 0, updated 0, removed 1"); !slices.Equal(l.Files, []string{"-" + filepath.Base(samples[0])}) {
		t.Errorf("files = %q; want [-%s]", l.Files, filepath.Base(samples[0]))
	}
	// A rename keeps the entry's ID: it moved, nothing went or came.
	if err := os.Rename(filepath.Join(e.seeds, "new.txt"), filepath.Join(e.seeds, "renamed.txt")); err != nil {
		t.Fatal(err)
	}
	if l := waitLog(t, p, "published 0, updated 0, removed 0, moved 1"); !slices.Equal(l.Files, []string{"new.txt → renamed.txt"}) {
		t.Errorf("files = %q; want [new.txt → renamed.txt]", l.Files)
	}
	for i := range 12 { // past tallyNames: counted, not named
		write(fmt.Sprintf("many-%02d.txt", i), fmt.Sprintf("Story %d\n\nSomething happened, number %d.\n", i, i))
	}
	feedtest.WaitFor(t, 10*time.Second, "12 files in the log", func() bool {
		n := 0
		for _, l := range logLines(t, p) {
			var pub, upd, rem, mov int
			if _, err := fmt.Sscanf(l.Msg, "published %d, updated %d, removed %d", &pub, &upd, &rem); err == nil && strings.HasPrefix(l.Msg, "published") {
				if _, moves, ok := strings.Cut(l.Msg, ", moved "); ok {
					fmt.Sscan(moves, &mov)
				}
				if len(l.Files) > 10 || len(l.Files)+l.More != pub+upd+rem+mov {
					t.Fatalf("%q names %d files and %d more; want at most 10 named, all counted", l.Msg, len(l.Files), l.More)
				}
				n += pub
			}
		}
		return n == 1+12
	})
}
