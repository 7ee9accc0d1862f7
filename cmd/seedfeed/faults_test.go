package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/state"
)

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

func healthz(t *testing.T, p *daemonProc) (entries int) {
	t.Helper()
	var h struct{ Entries int }
	if err := json.Unmarshal(get(t, p.url("/healthz")), &h); err != nil {
		t.Fatal(err)
	}
	return h.Entries
}

// checkStore opens a stopped daemon's state file and checks it.
func checkStore(t *testing.T, path string) {
	t.Helper()
	if err := state.Verify(path); err != nil {
		t.Errorf("state store is inconsistent: %v", err)
	}
}

// TestKillDuringBurst kills the daemon with SIGKILL while files land. After
// a restart every file is indexed, and earlier entries keep their IDs and
// dates.
func TestKillDuringBurst(t *testing.T) {
	e := newEnv(t, "")
	p := start(t, e.args()...)
	before := getFeed(t, p).Items
	const n = 600
	for i := range n {
		name := filepath.Join(e.seeds, fmt.Sprintf("burst-%03d.txt", i))
		if err := os.WriteFile(name, []byte(fmt.Sprintf("Burst %d\n\nBody.\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		if i == n/3 {
			p.cmd.Process.Kill() // SIGKILL: no chance to clean up
			<-p.done
		}
	}
	checkStore(t, e.state)
	again := start(t, e.args()...)
	waitFor(t, 10*time.Second, "every file to be indexed", func() bool { return healthz(t, again) == n+2 })
	again.stop(t, syscall.SIGTERM)
	// The samples are no longer among the newest 50 in the feed: ask the
	// store, which knows every entry.
	s, err := state.Open(e.state, true)
	if err != nil {
		t.Fatal(err)
	}
	recs := feedtest.Records(t, s)
	s.Close()
	byID := map[string]state.Record{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	for _, b := range before {
		r, ok := byID[b.ID]
		if !ok {
			t.Errorf("entry %q (%s) lost across the kill", b.Title, b.ID)
			continue
		}
		if got := r.FirstSeen.Truncate(time.Second).Format(time.RFC3339); got != b.Published {
			t.Errorf("entry %q: published %s before the kill, %s after", b.Title, b.Published, got)
		}
	}
	checkStore(t, e.state)
}

// TestStateStoreFull puts the state store on a tiny tmpfs and fills it. The
// daemon keeps serving its last feed, logs, and once there is room again it
// records what it missed. The store is never corrupted.
func TestStateStoreFull(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "small")
	os.Mkdir(dir, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir).CombinedOutput(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("mount a tmpfs (needed under CI=true): %v %s", err, out)
		}
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	defer exec.Command("umount", "-l", dir).Run()
	e := newEnv(t, "")
	e.state = filepath.Join(dir, "state.db")
	p := start(t, e.args()...)
	// Fill the file system to the last byte.
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	const n = 400
	for i := range n {
		os.WriteFile(filepath.Join(e.seeds, fmt.Sprintf("full-%03d.txt", i)), []byte(fmt.Sprintf("While full %d\n\nBody.\n", i)), 0o644)
	}
	waitFor(t, 10*time.Second, "the failure to be logged", func() bool {
		return strings.Contains(p.logs.String(), "could not record changes")
	})
	if got := len(getFeed(t, p).Items); got != 2 {
		t.Errorf("while the store is full the feed has %d entries; want the last good 2", got)
	}
	os.Remove(filler)
	waitFor(t, 20*time.Second, "the missed files once there is room", func() bool { return healthz(t, p) == n+2 })
	p.stop(t, syscall.SIGTERM)
	checkStore(t, e.state)
}

// TestSlowloris holds 100 connections that never finish their headers. A
// normal client is still served at once, and the slow ones are dropped
// after ReadHeaderTimeout.
func TestSlowloris(t *testing.T) {
	e := newEnv(t, "")
	p := start(t, e.args()...)
	var conns []net.Conn
	for range 100 {
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET /feed.atom HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		conns = append(conns, c)
	}
	start := time.Now()
	get(t, p.url("/feed.atom"))
	if d := time.Since(start); d > time.Second {
		t.Errorf("a normal request took %v beside 100 slow connections; want it served promptly", d)
	}
	var dropped atomic.Int32
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			if _, err := io.ReadAll(c); err == nil || !errors.Is(err, os.ErrDeadlineExceeded) {
				dropped.Add(1) // the server closed it (EOF or reset)
			}
		}()
	}
	wg.Wait()
	if d := dropped.Load(); d != 100 {
		t.Errorf("%d of 100 slow connections were dropped within 10 s; want all, after ReadHeaderTimeout", d)
	}
	p.stop(t, syscall.SIGTERM)
}

// rawRequest sends request as is and returns the status and body.
func rawRequest(t *testing.T, addr, request string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer to %.60q: %v", request, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHostileRequests(t *testing.T) {
	e := newEnv(t, "")
	os.WriteFile(filepath.Join(filepath.Dir(e.seeds), "secret.txt"), []byte("root:x:0:0:secret"), 0o644)
	p := start(t, e.args()...)
	for _, target := range []string{"/../../../../etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "/entry/..%2f..%2fsecret.txt",
		"/entry/%2e%2e/%2e%2e/secret.txt", "/entry/../../secret.txt", "/seeds/000_b0004d0eae77d0dc.txt", "/%2e%2e/secret.txt",
		"/entry/..\\..\\secret.txt", "/./feed.atom/../../secret.txt"} {
		code, body := rawRequest(t, p.addr, "GET "+target+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		if code != 400 && code != 404 && code != 301 && code != 307 {
			t.Errorf("GET %s = %d; want 400 or 404 (or a redirect to a cleaned path)", target, code)
		}
		if strings.Contains(body, "root:") || strings.Contains(body, "TEHRAN") {
			t.Errorf("GET %s served a file: %.80q", target, body)
		}
	}
	for _, method := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"} {
		code, _ := rawRequest(t, p.addr, method+" /feed.atom HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		if code != 405 && code != 400 {
			t.Errorf("%s /feed.atom = %d; want 405", method, code)
		}
	}
	big := "GET /feed.atom HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 100<<10) + "\r\n\r\n"
	if code, _ := rawRequest(t, p.addr, big); code != 431 {
		t.Errorf("a 100 KiB header = %d; want 431", code)
	}
	var many strings.Builder
	many.WriteString("GET /feed.atom HTTP/1.1\r\nHost: x\r\n")
	for i := range 5000 { // about 60 KiB of headers, past MaxHeaderBytes
		fmt.Fprintf(&many, "X-H%d: v\r\n", i)
	}
	many.WriteString("\r\n")
	if code, _ := rawRequest(t, p.addr, many.String()); code != 431 {
		t.Errorf("5000 headers = %d; want 431", code)
	}
	p.stop(t, syscall.SIGTERM)
}

// TestLoadWhileChanging loads the feeds and the index while 2,000 files
// land. No request fails, every body is one whole valid document, and
// afterwards every file is counted.
func TestLoadWhileChanging(t *testing.T) {
	wrk := needTool(t, "wrk")
	e := newEnv(t, "")
	p := start(t, e.args()...)
	const n = 2000
	loadFor := "8s"
	var wrkOut []byte
	var wrkErr error
	var wg sync.WaitGroup
	// wrk goes round the two XML feeds and the index.
	script := filepath.Join(t.TempDir(), "rotate.lua")
	os.WriteFile(script, []byte(`local paths = {"/feed.atom", "/feed.rss", "/"}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
`), 0o644)
	wg.Add(1)
	go func() {
		defer wg.Done()
		wrkOut, wrkErr = exec.Command(wrk, "-t2", "-c16", "-d"+loadFor, "--timeout", "5s", "-s", script, p.url("/")).CombinedOutput()
	}()
	var checked, bad atomic.Int64
	stop := make(chan struct{})
	var problems sync.Map
	for _, path := range []string{"/feed.atom", "/feed.rss", "/"} {
		wg.Add(1)
		go func() { // checks whole bodies until stop
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := client.Get(p.url(path))
				if err != nil {
					bad.Add(1)
					problems.Store(path, err.Error())
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				checked.Add(1)
				if err := wholeDocument(path, resp.StatusCode, body, err); err != nil {
					bad.Add(1)
					problems.Store(path, err.Error())
				}
			}
		}()
	}
	for i := range n {
		os.WriteFile(filepath.Join(e.seeds, fmt.Sprintf("load-%04d.txt", i)), []byte(fmt.Sprintf("Under load %d\n\nBody.\n", i)), 0o644)
		if i%100 == 0 {
			time.Sleep(50 * time.Millisecond) // spread the files over the load
		}
	}
	waitFor(t, 20*time.Second, "every file to be counted", func() bool { return healthz(t, p) == n+2 })
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()
	if wrkErr != nil {
		t.Fatalf("wrk: %v\n%s", wrkErr, wrkOut)
	}
	for _, bad := range []string{"Non-2xx or 3xx responses", "Socket errors"} {
		if bytes.Contains(wrkOut, []byte(bad)) {
			t.Errorf("wrk reports %s:\n%s", bad, wrkOut)
		}
	}
	if bad.Load() > 0 || checked.Load() < 10 {
		problems.Range(func(k, v any) bool { t.Logf("%v: %v", k, v); return true })
		t.Errorf("%d of %d checked responses were not whole valid documents", bad.Load(), checked.Load())
	}
	t.Logf("wrk: %s; %d bodies checked", strings.TrimSpace(lastLines(wrkOut, 2)), checked.Load())
	p.stop(t, syscall.SIGTERM)
}

// wholeDocument checks that a response is one complete document.
func wholeDocument(path string, code int, body []byte, readErr error) error {
	if readErr != nil {
		return readErr
	}
	if code != 200 {
		return fmt.Errorf("status %d", code)
	}
	if path == "/" {
		if !bytes.HasSuffix(bytes.TrimSpace(body), []byte("</html>")) {
			return errors.New("index.html is cut short")
		}
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed: %v", err)
		}
	}
	if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
		return fmt.Errorf("gofeed: %v", err)
	}
	return nil
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}
