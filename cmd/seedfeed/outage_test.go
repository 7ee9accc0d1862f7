package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestFoldersThatCannotBeRead runs the daemon as an ordinary user (nobody,
// when the test runs as root, who may read anything) over a seeds folder
// in which the user loses, then regains, the right to read subfolders:
//   - a folder it cannot read at start-up does not stop it: it starts, and
//     names the folder in /healthz problems;
//   - a folder that becomes unreadable keeps its entries in the feed; a file
//     edited meanwhile keeps its ID and published date;
//   - once readable again, the folders are watched and read within seconds,
//     without waiting for the periodic rescan.
func TestFoldersThatCannotBeRead(t *testing.T) {
	root, err := os.MkdirTemp("", "seedfeed-outage-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if d != nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(root)
	})
	seeds, state := filepath.Join(root, "seeds"), filepath.Join(root, "state")
	for name, text := range map[string]string{
		"top.txt": "Top story\n\nBody.\n", "sub/a.txt": "Story A\n\nBody.\n", "sub/b.txt": "Story B\n\nBody.\n",
		"locked/c.txt": "Story C\n\nBody.\n",
	} {
		feedtest.Write(t, filepath.Join(seeds, name), text)
	}
	if err := os.Mkdir(state, 0o777); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(root, "config.toml")
	feedtest.Write(t, config, "rescan_interval = \"0s\"\n") // no safety net: what arrives, arrives by the retries
	for _, p := range []string{root, seeds, state, filepath.Dir(binary(t))} {
		os.Chmod(p, 0o777)
	}
	os.Chmod(state, 0o777)
	lock := func(dir string, mode os.FileMode) {
		t.Helper()
		if err := os.Chmod(filepath.Join(seeds, dir), mode); err != nil {
			t.Fatal(err)
		}
	}
	lock("locked", 0o000)

	cmd := exec.Command(binary(t), "serve", "-config", config, "-seeds", seeds, "-state", filepath.Join(state, "s.db"),
		"-listen", "127.0.0.1:0", "-log-format", "json")
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	p := launch(t, cmd)
	h := health(t, p)
	if !strings.Contains(strings.Join(h.Problems, "\n"), "locked") {
		t.Errorf("problems at start = %q; want the unreadable folder named", h.Problems)
	}
	if h.Entries != 3 {
		t.Errorf("%d entries at start; want top, a and b", h.Entries)
	}
	a, ok := byTitle(getFeed(t, p), "Story A")
	if !ok {
		t.Fatal("Story A is not in the feed")
	}

	// sub becomes unreadable; a.txt is edited meanwhile.
	lock("sub", 0o000)
	feedtest.Write(t, filepath.Join(seeds, "sub", "a.txt"), "Story A, edited\n\nBody.\n")
	feedtest.WaitFor(t, 20*time.Second, "the unreadable folder in problems", func() bool {
		return strings.Contains(strings.Join(health(t, p).Problems, "\n"), "sub")
	})
	for _, title := range []string{"Story A", "Story B", "Top story"} {
		if _, ok := byTitle(getFeed(t, p), title); !ok {
			t.Errorf("%q left the feed while its folder could not be read", title)
		}
	}

	// Both folders readable again.
	lock("sub", 0o755)
	lock("locked", 0o755)
	feedtest.WaitFor(t, 30*time.Second, "the folders read again", func() bool {
		h := health(t, p)
		_, edited := byTitle(getFeed(t, p), "Story A, edited")
		return len(h.Problems) == 0 && h.Published == 4 && edited
	})
	doc := getFeed(t, p)
	edited, _ := byTitle(doc, "Story A, edited")
	if edited.ID != a.ID || edited.Published != a.Published {
		t.Errorf("Story A after the outage: ID %s, published %s; want %s, %s", edited.ID, edited.Published, a.ID, a.Published)
	}
	if _, ok := byTitle(doc, "Story C"); !ok {
		t.Error("the file of the folder readable again is not in the feed")
	}
	for _, dir := range []string{"sub", "locked"} {
		n := 0
		for _, l := range strings.Split(p.logs.String(), "\n") {
			var rec struct{ Msg, Path string }
			if json.Unmarshal([]byte(l), &rec) == nil && rec.Msg == "cannot list folder; keeping its entries until it can be" && rec.Path == dir {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d warnings that %s cannot be listed; want 1 for the outage", n, dir)
		}
	}
	p.stop(t, syscall.SIGTERM)
}

func health(t *testing.T, p *daemonProc) feedtest.Health {
	t.Helper()
	var h feedtest.Health
	feedtest.GetJSON(t, p.url("/healthz"), &h)
	return h
}

func byTitle(doc jsonDoc, title string) (jsonItem, bool) { return doc.ByTitle(title) }
