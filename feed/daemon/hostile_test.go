package daemon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
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
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// skipLines counts the log lines that skip the file at path, with a reason.
func skipLines(p *proc, path string) int {
	n := 0
	for _, l := range strings.Split(p.logs.String(), "\n") {
		var rec struct{ Msg, Path, Reason string }
		if json.Unmarshal([]byte(l), &rec) == nil && rec.Msg == "skipping file" && rec.Path == path && rec.Reason != "" {
			n++
		}
	}
	return n
}

// checkFeeds asserts what must hold after any bad input: the daemon serves,
// both XML feeds parse with gofeed and xmllint, and the sample entries are
// all still there.
func checkFeeds(t *testing.T, p *proc, keep []jsonItem) {
	t.Helper()
	if !p.running() {
		t.Fatalf("the daemon stopped\n%s", p.logs)
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
		feedtest.NeedTool(t, "xmllint") // checkFeeds uses it where it is installed
	}
	e := newEnv(t, func(o *Options) { o.Source.MaxSize = 2 << 20 })
	p := start(t, e)
	keep := getFeed(t, p).Items
	path := func(name string) string { return filepath.Join(e.seeds, name) }
	write := func(t *testing.T, name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(path(name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	waitTitle := func(t *testing.T, title string) jsonItem {
		t.Helper()
		var it jsonItem
		feedtest.WaitFor(t, 5*time.Second, "entry "+title, func() bool {
			var ok bool
			it, ok = byTitle(getFeed(t, p), title)
			return ok
		})
		return it
	}
	// settle writes an empty file, waits for the line that skips it, then
	// for the daemon to finish that batch, render and all. The watcher hands
	// each path on after the same quiet interval, in the order the events
	// came, so by then the daemon has read, logged and rendered every file
	// written before it, and any render it had put off has run.
	settled := 0
	settle := func(t *testing.T) {
		t.Helper()
		settled++
		name := fmt.Sprintf("settle-%02d.txt", settled)
		write(t, name, nil)
		feedtest.WaitFor(t, 5*time.Second, "the daemon to skip "+name, func() bool { return skipLines(p, name) > 0 })
		p.d.settled() // d.mu is held while a batch is applied and rendered
	}
	waitSkipped := func(t *testing.T, name string) {
		t.Helper()
		feedtest.WaitFor(t, 5*time.Second, "a log line skipping "+name, func() bool { return skipLines(p, name) > 0 })
		settle(t) // any second line would have come by now
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
			write(t, "binary.txt", random)
			waitSkipped(t, "binary.txt")
		}},
		{"control characters are removed, the entry kept", func(t *testing.T) {
			write(t, "controls.txt", []byte("Control\x00 characters\n\nText with a NUL \x00, a bell \x07 and an escape \x1b.\n"))
			it := waitTitle(t, "Control characters")
			if strings.ContainsAny(it.Content, "\x00\x07\x1b") {
				t.Errorf("content kept control characters: %q", it.Content)
			}
		}},
		{"U+FFFE and U+FFFF are removed", func(t *testing.T) {
			write(t, "nonchars.txt", []byte("Non\uFFFEcharacters\n\nBody\uFFFF here.\n"))
			it := waitTitle(t, "Noncharacters")
			if strings.ContainsAny(it.Content, "\uFFFE\uFFFF") {
				t.Errorf("content kept noncharacters: %q", it.Content)
			}
		}},
		{"invalid UTF-8 is read as Windows-1252", func(t *testing.T) {
			write(t, "latin.txt", []byte("Caf\xe9 prices\n\nA coffee costs \xa35.\n"))
			it := waitTitle(t, "Café prices")
			if !strings.Contains(it.Content, "£5") {
				t.Errorf("content = %q; want £5", it.Content)
			}
		}},
		{"a GBK file is read as GBK, and the log says so", func(t *testing.T) {
			data, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("北京今天下雪\n\n北京今天下了今年的第一场雪。交通受到影响。\n"))
			if err != nil {
				t.Fatal(err)
			}
			write(t, "gbk.txt", data)
			waitTitle(t, "北京今天下雪")
			found := false
			for _, l := range strings.Split(p.logs.String(), "\n") {
				var rec struct{ Msg, Path, Encoding string }
				if json.Unmarshal([]byte(l), &rec) == nil && rec.Path == "gbk.txt" && rec.Encoding == "gb18030" {
					found = true
				}
			}
			if !found {
				t.Errorf("no log line names gbk.txt's encoding, gb18030:\n%s", p.logs)
			}
		}},
		{"UTF-16 with a BOM is decoded", func(t *testing.T) {
			write(t, "utf16.txt", utf16LE("Sixteen bits\r\n\r\nA UTF-16 body.\r\n"))
			waitTitle(t, "Sixteen bits")
		}},
		{"an empty file is skipped", func(t *testing.T) {
			write(t, "empty.txt", nil)
			waitSkipped(t, "empty.txt")
		}},
		{"a 1 MB line without punctuation gets a bounded title", func(t *testing.T) {
			write(t, "long.txt", bytes.Repeat([]byte("word "), 200_000))
			var it jsonItem
			feedtest.WaitFor(t, 10*time.Second, "the long file's entry", func() bool {
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
			// Text, not zeros, so that only the size can refuse it: the
			// reason must say so.
			write(t, "huge.txt", bytes.Repeat([]byte("Plain words of text. "), 8<<20/21))
			waitSkipped(t, "huge.txt")
			if !strings.Contains(p.logs.String(), "over the size limit") {
				t.Errorf("huge.txt was skipped, but not for its size\n%s", p.logs)
			}
		}},
		{"a FIFO is never read", func(t *testing.T) {
			if err := syscall.Mkfifo(path("fifo.txt"), 0o644); err != nil {
				t.Fatal(err)
			}
			waitSkipped(t, "fifo.txt")
			get(t, p.url("/healthz")) // and the daemon still answers
		}},
		{"a folder named x.txt is not an entry", func(t *testing.T) {
			if err := os.Mkdir(path("folder.txt"), 0o755); err != nil {
				t.Fatal(err)
			}
			write(t, "folder.txt/inner.txt", []byte("Inside a folder named like a file\n\nBody.\n"))
			waitTitle(t, "Inside a folder named like a file")
			for _, it := range getFeed(t, p).Items {
				if strings.Contains(it.Title, "folder") && it.Title != "Inside a folder named like a file" {
					t.Errorf("the folder became an entry: %q", it.Title)
				}
			}
		}},
		{"a symlink out of the folder is not followed", func(t *testing.T) {
			secret := filepath.Join(t.TempDir(), "secret.txt")
			feedtest.Write(t, secret, "Top secret\n\nroot:x:0:0:root:/root:/bin/bash\n")
			if err := os.Symlink(secret, path("passwd.txt")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("/etc/passwd", path("etc.txt")); err != nil {
				t.Fatal(err)
			}
			waitSkipped(t, "passwd.txt")
			waitSkipped(t, "etc.txt")
			for _, u := range []string{"/feed.atom", "/feed.rss", "/feed.json", "/"} {
				if b := get(t, p.url(u)); bytes.Contains(b, []byte("root:x:0:0")) || bytes.Contains(b, []byte("Top secret")) {
					t.Errorf("%s serves the target of a symlink out of the folder", u)
				}
			}
		}},
		{"a symlink loop does not hang", func(t *testing.T) {
			os.Symlink("loop-b.txt", path("loop-a.txt"))
			os.Symlink("loop-a.txt", path("loop-b.txt"))
			waitSkipped(t, "loop-a.txt")
			get(t, p.url("/healthz"))
		}},
		{"names with spaces, newlines, markup and non-ASCII work", func(t *testing.T) {
			for i, name := range []string{"with space.txt", "new\nline.txt", "<b>markup<b> & \"quotes\" <script>.txt", "ünïcødé – 東京.txt"} {
				title := fmt.Sprintf("Odd name number %d", i)
				write(t, name, []byte(title+"\n\nBody.\n"))
				it := waitTitle(t, title)
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
			// A file written after them is served once the daemon has dealt
			// with every ghost.
			feedtest.Write(t, path("after-the-ghosts.txt"), "After the ghosts\n\nBody.\n")
			waitTitle(t, "After the ghosts")
			after := getFeed(t, p)
			if len(after.Items) != before+1 {
				t.Errorf("%d entries after 100 files came and went and one more landed; want %d", len(after.Items), before+1)
			}
			if _, ok := byTitle(after, "Ghost"); ok {
				t.Error("a ghost entry is in the feed")
			}
		}},
		{"markup in text is escaped everywhere", func(t *testing.T) {
			write(t, "xss.txt", []byte("<script>alert(1)</script> & co\n\nBody with \"><img src=x onerror=alert(1)> and <iframe src=//evil> & more.\n"))
			it := waitTitle(t, "<script>alert(1)</script> & co")
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
	p.stop(t)
}
