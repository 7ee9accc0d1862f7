package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds the seedfeed command once for every end-to-end test.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "seedfeed-bin")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "seedfeed")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// syncBuffer is a bytes.Buffer safe for a process to write while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// daemonProc is a running seedfeed serve.
type daemonProc struct {
	cmd  *exec.Cmd
	addr string
	logs *syncBuffer
	done chan error
}

// env is a seeds folder, a state file and a config file for a daemon.
type env struct {
	seeds, state, config string
}

func newEnv(t *testing.T, config string) env {
	t.Helper()
	return env{seeds: seedDir(t), state: filepath.Join(t.TempDir(), "state.db"), config: writeConfig(t, config)}
}

func (e env) args(extra ...string) []string {
	return append([]string{"serve", "-config", e.config, "-seeds", e.seeds, "-state", e.state,
		"-listen", "127.0.0.1:0", "-log-format", "json"}, extra...)
}

// start runs the daemon and waits until it has indexed the folder.
func start(t *testing.T, args ...string) *daemonProc {
	t.Helper()
	p := &daemonProc{cmd: exec.Command(binary(t), args...), logs: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd.Stderr = p.logs
	p.cmd.Stdout = p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	waitFor(t, 10*time.Second, "the daemon to index", func() bool {
		for _, l := range strings.Split(p.logs.String(), "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(l), &rec) == nil && rec.Msg == "listening" {
				p.addr = rec.Addr
			}
		}
		return p.addr != "" && strings.Contains(p.logs.String(), `"msg":"indexed"`)
	})
	return p
}

// stop sends sig and checks that the daemon exits with 0 within 5 s.
func (p *daemonProc) stop(t *testing.T, sig os.Signal) {
	t.Helper()
	p.cmd.Process.Signal(sig)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("daemon exited with %v after %v\n%s", err, sig, p.logs.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("daemon still running 5s after %v", sig)
	}
}

func (p *daemonProc) url(path string) string { return "http://" + p.addr + path }

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type jsonItem struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Published string `json:"date_published"`
	Modified  string `json:"date_modified"`
	Content   string `json:"content_html"`
}

type jsonDoc struct {
	Title string     `json:"title"`
	Items []jsonItem `json:"items"`
}

func getFeed(t *testing.T, p *daemonProc) jsonDoc {
	t.Helper()
	resp, err := http.Get(p.url("/feed.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc jsonDoc
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func byTitle(doc jsonDoc, title string) (jsonItem, bool) {
	for _, it := range doc.Items {
		if it.Title == title {
			return it, true
		}
	}
	return jsonItem{}, false
}

func TestServeEndToEnd(t *testing.T) {
	e := newEnv(t, "")
	p := start(t, e.args()...)
	before := getFeed(t, p)
	if len(before.Items) != 2 {
		t.Fatalf("%d items at start; want the 2 seeds", len(before.Items))
	}
	t.Run("every link answers 200", func(t *testing.T) {
		for _, it := range before.Items {
			resp, err := http.Get(it.URL)
			if err != nil || resp.StatusCode != 200 {
				t.Errorf("GET %s = %v, %v; want 200", it.URL, resp, err)
			}
			if resp != nil {
				resp.Body.Close()
			}
		}
	})

	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(e.seeds, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("new.txt", "A new entry arrives\n\nIt was written while the daemon ran.\n")
	waitFor(t, 5*time.Second, "the new entry", func() bool { _, ok := byTitle(getFeed(t, p), "A new entry arrives"); return ok })

	// A writer that pauses longer than the debounce still ends as one entry
	// with the whole text.
	slow, err := os.Create(filepath.Join(e.seeds, "slow.txt"))
	if err != nil {
		t.Fatal(err)
	}
	slow.WriteString("A slow writer\n\nThe first half arrives. ")
	time.Sleep(400 * time.Millisecond)
	slow.WriteString("The second half arrives later.\n")
	slow.Close()
	waitFor(t, 5*time.Second, "the slow file's whole text", func() bool {
		it, ok := byTitle(getFeed(t, p), "A slow writer")
		return ok && strings.Contains(it.Content, "The second half arrives later.")
	})
	if n := len(getFeed(t, p).Items); n != 4 {
		t.Errorf("%d entries after the slow write; want 4", n)
	}
	os.Remove(filepath.Join(e.seeds, "slow.txt"))

	edited := before.Items[0]
	seed := filepath.Join(e.seeds, "001_c401cae448f2668c.txt")
	if strings.HasPrefix(edited.Title, "Commander") {
		seed = filepath.Join(e.seeds, "000_b0004d0eae77d0dc.txt")
	}
	text, _ := os.ReadFile(seed)
	time.Sleep(1100 * time.Millisecond) // dates have whole seconds: let the edit's be later
	write(filepath.Base(seed), string(text)+" One more sentence was added.")
	var after jsonItem
	waitFor(t, 5*time.Second, "the edit", func() bool {
		after, _ = byTitle(getFeed(t, p), edited.Title)
		return after.Modified != edited.Modified
	})
	if after.ID != edited.ID || after.Published != edited.Published || after.Title != edited.Title {
		t.Errorf("the edit changed more than updated: %+v -> %+v", edited, after)
	}

	if err := os.Remove(filepath.Join(e.seeds, "new.txt")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "the deletion", func() bool { return len(getFeed(t, p).Items) == 2 })
	resp, err := http.Get(p.url("/healthz"))
	if err != nil {
		t.Fatal(err)
	}
	var health struct{ Entries int }
	json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if health.Entries != 2 {
		t.Errorf("healthz counts %d entries; want 2", health.Entries)
	}
	final := getFeed(t, p)
	p.stop(t, syscall.SIGTERM)

	restarted := start(t, e.args()...)
	again := getFeed(t, restarted)
	// Links follow the port, which changes; IDs, titles and dates must not.
	strip := func(items []jsonItem) []jsonItem {
		out := append([]jsonItem(nil), items...)
		for i := range out {
			out[i].URL = ""
		}
		return out
	}
	if fmt.Sprint(strip(again.Items)) != fmt.Sprint(strip(final.Items)) {
		t.Errorf("after restart\n got %+v\nwant %+v", again.Items, final.Items)
	}
	restarted.stop(t, syscall.SIGINT)
}

func TestServeWebSub(t *testing.T) {
	got := make(chan string, 10)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("hub.mode") == "publish" {
			got <- r.PostForm.Get("hub.url")
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hub.Close()
	e := newEnv(t, fmt.Sprintf("hubs = [%q]\n", hub.URL))
	p := start(t, e.args()...)
	resp, err := http.Get(p.url("/feed.atom"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(resp.Header.Get("Link"), `<`+hub.URL+`>; rel="hub"`) {
		t.Errorf("Link header %q does not name the hub", resp.Header.Get("Link"))
	}
	os.WriteFile(filepath.Join(e.seeds, "ping.txt"), []byte("Ping the hub\n\nA new file.\n"), 0o644)
	select {
	case u := <-got:
		if !strings.HasPrefix(u, "http://"+p.addr+"/feed.") {
			t.Errorf("hub was told about %q; want a feed URL", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the hub heard nothing after a file landed")
	}
	p.stop(t, syscall.SIGTERM)
}

func TestServeReload(t *testing.T) {
	e := newEnv(t, "title = \"One\"\n")
	p := start(t, e.args()...)
	if err := os.WriteFile(e.config, []byte("title = \"Two\"\nnot_a_key = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 5*time.Second, "the failed reload to be logged", func() bool {
		return strings.Contains(p.logs.String(), "config reload failed")
	})
	if title := getFeed(t, p).Title; title != "One" {
		t.Errorf("after a bad reload the title is %q; want the old config kept", title)
	}
	if err := os.WriteFile(e.config, []byte("title = \"Two\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 5*time.Second, "the new title", func() bool { return getFeed(t, p).Title == "Two" })
	p.stop(t, syscall.SIGTERM)
}

// TestServeStartupErrors checks that each way start-up can fail does so at
// once, with one clear line.
func TestServeStartupErrors(t *testing.T) {
	e := newEnv(t, "")
	p := start(t, e.args()...)
	run := func(args ...string) (string, time.Duration) {
		start := time.Now()
		cmd := exec.Command(binary(t), args...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("seedfeed %v succeeded; want it to fail", args)
		}
		return string(out), time.Since(start)
	}
	other := newEnv(t, "")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"busy port", []string{"serve", "-config", other.config, "-seeds", other.seeds, "-state", other.state, "-listen", p.addr}, "address already in use"},
		{"state held by another process", append(e.args()[:7], "-listen", "127.0.0.1:0"), "in use by another seedfeed process"},
		{"bad config", []string{"serve", "-config", writeConfig(t, "limit = -1\n"), "-seeds", other.seeds}, `key "limit"`},
		{"missing seeds folder", []string{"serve", "-config", other.config, "-seeds", filepath.Join(t.TempDir(), "nope"), "-state", other.state}, "seeds folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, took := run(tt.args...)
			if !strings.Contains(out, tt.want) {
				t.Errorf("output %q lacks %q", out, tt.want)
			}
			if lines := strings.Count(strings.TrimSpace(out), "\n") + 1; lines != 1 {
				t.Errorf("output has %d lines; want one: %q", lines, out)
			}
			if took > 5*time.Second {
				t.Errorf("took %v to fail; want a few seconds at most", took)
			}
		})
	}
	p.stop(t, syscall.SIGTERM)
}

// needTool returns the path of an outside program; without it the test is
// skipped, except under CI, where it must be there.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI=true but not installed", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// TestNewsboat subscribes Debian's newsboat to the running daemon and reads
// its cache back: every entry must be there with its title, link and date,
// and a reload after a new file lands must pick it up.
func TestNewsboat(t *testing.T) {
	newsboat, sqlite := needTool(t, "newsboat"), needTool(t, "sqlite3")
	e := newEnv(t, "")
	p := start(t, e.args()...)
	home := t.TempDir()
	reload := func(feed string) map[string][3]string {
		t.Helper()
		urls := filepath.Join(home, "urls."+feed)
		cache := filepath.Join(home, "cache."+feed+".db")
		os.WriteFile(urls, []byte(p.url("/feed."+feed)+"\n"), 0o644)
		cmd := exec.Command(newsboat, "-u", urls, "-c", cache, "-C", os.DevNull, "-x", "reload")
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home, "TERM=dumb")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("newsboat: %v\n%s", err, out)
		}
		out, err := exec.Command(sqlite, "-separator", "\t", cache, "select guid, title, url, pubDate from rss_item").Output()
		if err != nil {
			t.Fatalf("sqlite3: %v", err)
		}
		items := map[string][3]string{}
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			f := strings.Split(sc.Text(), "\t")
			if len(f) == 4 {
				items[f[0]] = [3]string{f[1], f[2], f[3]}
			}
		}
		return items
	}
	check := func(feed string) {
		items := reload(feed)
		doc := getFeed(t, p)
		if len(items) != len(doc.Items) {
			t.Errorf("%s: newsboat holds %d items; want %d", feed, len(items), len(doc.Items))
		}
		for _, it := range doc.Items {
			got, ok := items[it.ID]
			pub, _ := time.Parse(time.RFC3339, it.Published)
			if !ok || got[0] != it.Title || got[1] != it.URL || got[2] != fmt.Sprint(pub.Unix()) {
				t.Errorf("%s: newsboat has %q for %s; want title %q, link %s, date %d", feed, got, it.ID, it.Title, it.URL, pub.Unix())
			}
		}
	}
	for _, feed := range []string{"atom", "rss"} {
		check(feed)
	}
	os.WriteFile(filepath.Join(e.seeds, "later.txt"), []byte("A later entry\n\nFor the reader.\n"), 0o644)
	waitFor(t, 5*time.Second, "the new entry", func() bool { _, ok := byTitle(getFeed(t, p), "A later entry"); return ok })
	for _, feed := range []string{"atom", "rss"} {
		check(feed)
	}
	p.stop(t, syscall.SIGTERM)
}
