package daemon

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestFolderPastPathMax: a folder so deep that its path is longer than
// PATH_MAX can be neither watched nor listed by its path. The daemon starts
// anyway, serves every other entry, logs the folder once with the reason,
// and reports it in /healthz.
func TestFolderPastPathMax(t *testing.T) {
	e := newEnv(t, nil)
	root, err := os.OpenRoot(e.seeds)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	seg := strings.Repeat("d", 200)
	deep := seg
	for range 21 { // 21 × 201 bytes: past Linux's 4096
		deep += "/" + seg
	}
	if err := root.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := root.WriteFile(deep+"/deep.txt", []byte("Deep story\n\nBody.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := start(t, e)
	if n := len(getFeed(t, p).Items); n != 2 {
		t.Errorf("the feed holds %d entries; want the 2 sample stories", n)
	}
	feedtest.WaitFor(t, 10*time.Second, "a problem naming the deep folder", func() bool {
		return strings.Contains(strings.Join(getHealth(t, p).Problems, "\n"), seg)
	})
	for _, msg := range []string{"cannot watch folder", "cannot list folder"} {
		var lines []string
		for line := range strings.SplitSeq(p.logs.String(), "\n") {
			if strings.Contains(line, msg) && strings.Contains(line, seg) {
				lines = append(lines, line)
			}
		}
		if len(lines) != 1 || !strings.Contains(lines[0], "file name too long") {
			t.Errorf("%d log lines say %q of the deep folder; want one, with the reason:\n%s", len(lines), msg, strings.Join(lines, "\n"))
		}
	}
	p.stop(t)
}
