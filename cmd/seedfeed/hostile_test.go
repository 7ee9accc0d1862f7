package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
)

// skipLines counts the log lines that skip the file at path, with a reason.
func skipLines(p *daemonProc, path string) int {
	n := 0
	for _, l := range strings.Split(p.logs.String(), "\n") {
		var rec struct{ Msg, Path, Reason string }
		if json.Unmarshal([]byte(l), &rec) == nil && rec.Msg == "skipping file" && rec.Path == path && rec.Reason != "" {
			n++
		}
	}
	return n
}

func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d, %v; want 200", url, resp.StatusCode, err)
	}
	return b
}

// checkFeeds asserts what must hold after any bad input: the daemon serves,
// both XML feeds parse with gofeed and xmllint, and the sample entries are
// all still there.
func checkFeeds(t *testing.T, p *daemonProc, keep []jsonItem) {
	t.Helper()
	if p.cmd.ProcessState != nil {
		t.Fatalf("the daemon exited\n%s", p.logs.String())
	}
	xmllint, _ := exec.LookPath("xmllint")
	for _, name := range []string{"/feed.atom", "/feed.rss"} {
		body := get(t, p.url(name))
		f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s does not parse: %v", name, err)
		}
		ids := map[string]bool{}
		for _, it := range f.Items {
			ids[it.GUID] = true
		}
		for _, k := range keep {
			if !ids[k.ID] {
				t.Errorf("%s lost the entry %q", name, k.Title)
			}
		}
		if xmllint != "" {
			cmd := exec.Command(xmllint, "--noout", "-")
			cmd.Stdin = bytes.NewReader(body)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("xmllint %s: %v\n%s", name, err, out)
			}
		}
	}
}

func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// TestHostileInputs feeds the running daemon every kind of bad file. In
// every case it keeps running, the feeds stay valid, every other entry
// stays, and a skipped file gets exactly one log line with its reason.
func TestHostileInputs(t *testing.T) {
	if os.Getenv("CI") != "" {
		needTool(t, "xmllint")
	}
	e := newEnv(t, "max_file_size = \"2MiB\"\n")
	p := start(t, e.args()...)
	keep := getFeed(t, p).Items
	path := func(name string) string { return filepath.Join(e.seeds, name) }
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(path(name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	waitTitle := func(title string) jsonItem {
		t.Helper()
		var it jsonItem
		waitFor(t, 5*time.Second, "entry "+title, func() bool {
			var ok bool
			it, ok = byTitle(getFeed(t, p), title)
			return ok
		})
		return it
	}
	waitSkipped := func(name string) {
		t.Helper()
		waitFor(t, 5*time.Second, "a log line skipping "+name, func() bool { return skipLines(p, name) > 0 })
		time.Sleep(300 * time.Millisecond) // any second line would have come by now
		if n := skipLines(p, name); n != 1 {
			t.Errorf("%d log lines skip %s; want exactly one", n, name)
		}
	}
	random := make([]byte, 8192)
	rand.New(rand.NewSource(7)).Read(random)

	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"binary data is skipped", func(t *testing.T) {
			write("binary.txt", random)
			waitSkipped("binary.txt")
		}},
		{"control characters are removed, the entry kept", func(t *testing.T) {
			write("controls.txt", []byte("Control\x00 characters\n\nText with a NUL \x00, a bell \x07 and an escape \x1b.\n"))
			it := waitTitle("Control characters")
			if strings.ContainsAny(it.Content, "\x00\x07\x1b") {
				t.Errorf("content kept control characters: %q", it.Content)
			}
		}},
		{"U+FFFE and U+FFFF are removed", func(t *testing.T) {
			write("nonchars.txt", []byte("Non\uFFFEcharacters\n\nBody\uFFFF here.\n"))
			it := waitTitle("Noncharacters")
			if strings.ContainsAny(it.Content, "\uFFFE\uFFFF") {
				t.Errorf("content kept noncharacters: %q", it.Content)
			}
		}},
		{"invalid UTF-8 is read as Windows-1252", func(t *testing.T) {
			write("latin.txt", []byte("Caf\xe9 prices\n\nA coffee costs \xa35.\n"))
			it := waitTitle("Café prices")
			if !strings.Contains(it.Content, "£5") {
				t.Errorf("content = %q; want £5", it.Content)
			}
		}},
		{"UTF-16 with a BOM is decoded", func(t *testing.T) {
			write("utf16.txt", utf16LE("Sixteen bits\r\n\r\nA UTF-16 body.\r\n"))
			waitTitle("Sixteen bits")
		}},
		{"an empty file is skipped", func(t *testing.T) {
			write("empty.txt", nil)
			waitSkipped("empty.txt")
		}},
		{"a 1 MB line without punctuation gets a bounded title", func(t *testing.T) {
			write("long.txt", bytes.Repeat([]byte("word "), 200_000))
			var it jsonItem
			waitFor(t, 10*time.Second, "the long file's entry", func() bool {
				for _, x := range getFeed(t, p).Items {
					if strings.HasPrefix(x.Title, "word word") {
						it = x
						return true
					}
				}
				return false
			})
			if n := utf8.RuneCountInString(it.Title); n > 100 {
				t.Errorf("title of a 1 MB line is %d characters; want at most 100", n)
			}
		}},
		{"a file far over the size limit is skipped unread", func(t *testing.T) {
			f, err := os.Create(path("huge.txt"))
			if err != nil {
				t.Fatal(err)
			}
			f.Truncate(64 << 20) // sparse: 64 MiB that cost nothing to make
			f.Close()
			waitSkipped("huge.txt")
		}},
		{"a FIFO is never read", func(t *testing.T) {
			if err := syscall.Mkfifo(path("fifo.txt"), 0o644); err != nil {
				t.Fatal(err)
			}
			waitSkipped("fifo.txt")
			get(t, p.url("/healthz")) // and the daemon still answers
		}},
		{"a folder named x.txt is not an entry", func(t *testing.T) {
			if err := os.Mkdir(path("folder.txt"), 0o755); err != nil {
				t.Fatal(err)
			}
			write("folder.txt/inner.txt", []byte("Inside a folder named like a file\n\nBody.\n"))
			waitTitle("Inside a folder named like a file")
			for _, it := range getFeed(t, p).Items {
				if strings.Contains(it.Title, "folder") && it.Title != "Inside a folder named like a file" {
					t.Errorf("the folder became an entry: %q", it.Title)
				}
			}
		}},
		{"a symlink out of the folder is not followed", func(t *testing.T) {
			secret := filepath.Join(t.TempDir(), "secret.txt")
			os.WriteFile(secret, []byte("Top secret\n\nroot:x:0:0:root:/root:/bin/bash\n"), 0o644)
			if err := os.Symlink(secret, path("passwd.txt")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("/etc/passwd", path("etc.txt")); err != nil {
				t.Fatal(err)
			}
			waitSkipped("passwd.txt")
			waitSkipped("etc.txt")
			for _, u := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/"} {
				if b := get(t, p.url(u)); bytes.Contains(b, []byte("root:x:0:0")) || bytes.Contains(b, []byte("Top secret")) {
					t.Errorf("%s serves the target of a symlink out of the folder", u)
				}
			}
		}},
		{"a symlink loop does not hang", func(t *testing.T) {
			os.Symlink("loop-b.txt", path("loop-a.txt"))
			os.Symlink("loop-a.txt", path("loop-b.txt"))
			waitSkipped("loop-a.txt")
			get(t, p.url("/healthz"))
		}},
		{"names with spaces, newlines, markup and non-ASCII work", func(t *testing.T) {
			for i, name := range []string{"with space.txt", "new\nline.txt", "<b>markup<b> & \"quotes\" <script>.txt", "ünïcødé – 東京.txt"} {
				title := fmt.Sprintf("Odd name number %d", i)
				write(name, []byte(title+"\n\nBody.\n"))
				it := waitTitle(title)
				get(t, it.URL) // its page answers
			}
		}},
		{"files created and deleted at once leave no ghosts", func(t *testing.T) {
			before := len(getFeed(t, p).Items)
			for i := range 100 {
				name := path(fmt.Sprintf("ghost-%03d.txt", i))
				os.WriteFile(name, []byte("Ghost\n\nBoo.\n"), 0o644)
				os.Remove(name)
			}
			time.Sleep(time.Second)
			after := getFeed(t, p)
			if len(after.Items) != before {
				t.Errorf("%d entries after 100 files came and went; want %d", len(after.Items), before)
			}
			if _, ok := byTitle(after, "Ghost"); ok {
				t.Error("a ghost entry is in the feed")
			}
		}},
		{"markup in text is escaped everywhere", func(t *testing.T) {
			write("xss.txt", []byte("<script>alert(1)</script> & co\n\nBody with \"><img src=x onerror=alert(1)> and <iframe src=//evil> & more.\n"))
			it := waitTitle("<script>alert(1)</script> & co")
			for _, u := range []string{"/", it.URL[strings.Index(it.URL, "/entry/"):]} {
				b := get(t, p.url(u))
				for _, bad := range []string{"<script>", "<img", "<iframe"} {
					if bytes.Contains(b, []byte(bad)) {
						t.Errorf("%s carries raw %s", u, bad)
					}
				}
			}
			// What a reader renders as HTML (content in both formats, and
			// RSS descriptions) must hold the markup only as text.
			for _, u := range []string{"/feed.atom", "/feed.rss"} {
				f, err := gofeed.NewParser().Parse(bytes.NewReader(get(t, p.url(u))))
				if err != nil {
					t.Fatal(err)
				}
				for _, item := range f.Items {
					html := item.Content
					if u == "/feed.rss" {
						html += item.Description
					}
					for _, bad := range []string{"<script", "<img", "<iframe"} {
						if strings.Contains(html, bad) {
							t.Errorf("%s: %q carries %s as markup", u, item.Title, bad)
						}
					}
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t)
			checkFeeds(t, p, keep)
		})
	}
	p.stop(t, syscall.SIGTERM)
}
