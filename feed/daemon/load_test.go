package daemon

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestLoadWhileChanging loads the feeds and the index while 2,000 files
// land. No request fails, every body is one whole valid document, and
// afterwards every file is counted.
func TestLoadWhileChanging(t *testing.T) {
	wrk := feedtest.NeedTool(t, "wrk")
	e := newEnv(t, nil)
	p := start(t, e)
	const n = 2000
	loadFor := "8s"
	var wrkOut []byte
	var wrkErr error
	wrkDone := make(chan struct{})
	// wrk goes round the two XML feeds and the index.
	script := filepath.Join(t.TempDir(), "rotate.lua")
	feedtest.Write(t, script, `local paths = {"/feed.atom", "/feed.rss", "/"}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
`)
	go func() {
		defer close(wrkDone)
		wrkOut, wrkErr = exec.Command(wrk, "-t2", "-c16", "-d"+loadFor, "--timeout", "5s", "-s", script, p.url("/")).CombinedOutput()
	}()
	var checked, bad atomic.Int64
	stop := make(chan struct{})
	var checkers sync.WaitGroup
	var problems sync.Map
	for _, path := range []string{"/feed.atom", "/feed.rss", "/"} {
		checkers.Add(1)
		go func() { // checks whole bodies until stop
			defer checkers.Done()
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
		feedtest.Write(t, filepath.Join(e.seeds, fmt.Sprintf("load-%04d.txt", i)), fmt.Sprintf("Under load %d\n\nBody.\n", i))
		if i%100 == 0 {
			time.Sleep(50 * time.Millisecond) // spread the files over the load
		}
	}
	feedtest.WaitFor(t, 20*time.Second, "every file to be counted", func() bool { return healthz(t, p) == n+2 })
	// The checks go on until the feeds with every file are served, and for
	// as long as wrk loads.
	feedtest.WaitFor(t, 5*time.Second, "the feeds with every file", func() bool { return getHealth(t, p).Published == n+2 })
	<-wrkDone
	close(stop)
	checkers.Wait()
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
	p.stop(t)
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
	if err := feedtest.WellFormed(body); err != nil {
		return fmt.Errorf("not well-formed: %v", err)
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
