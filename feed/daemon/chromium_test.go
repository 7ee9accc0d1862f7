package daemon

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestPagesFitAPhone loads the index and the page of an entry with a long
// code block, a wide picture, a long URL and a long word in headless
// Chromium, 390 px wide (a phone) and 1280 px wide, and checks that
// nothing makes the page scroll sideways: the code block scrolls inside
// itself, the picture fits the width. The screenshots are kept in a folder
// the test names, for CI to keep as artifacts.
func TestPagesFitAPhone(t *testing.T) {
	chromium := feedtest.NeedTool(t, "chromium")
	e := newEnv(t, nil)
	dir := filepath.Join(e.seeds, "posts", "wide")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	wide := image.NewRGBA(image.Rect(0, 0, 2400, 300))
	for x := range 2400 {
		for y := range 300 {
			wide.Set(x, y, color.RGBA{uint8(x / 10), 120, uint8(y), 255})
		}
	}
	var pic bytes.Buffer
	if err := png.Encode(&pic, wide); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "panorama.png"), pic.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	longLine := "seedfeed build -out public -base-url https://example.org/news/ " + strings.Repeat("--flag-that-goes-on-and-on ", 12)
	feedtest.Write(t, filepath.Join(dir, "index.md"), "---\ntitle: A wide post\ndate: 2026-10-01\n---\n"+
		"A post with everything that is wider than a phone.\n\n"+
		"```sh\n"+longLine+"\n```\n\n"+
		"![A panorama](panorama.png)\n\n"+
		"See https://example.org/"+strings.Repeat("a-very-long-path-segment/", 10)+" and the word "+strings.Repeat("Donaudampfschifffahrt", 6)+".\n\n"+
		"| column | another column | a third column with a long heading | and a fourth |\n|---|---|---|---|\n| "+strings.Repeat("cell ", 30)+" | b | c | d |\n")
	p := start(t, e)
	item, ok := byTitle(getFeed(t, p), "A wide post")
	if !ok {
		t.Fatal("the wide post is not in the feed")
	}
	shots, err := os.MkdirTemp("", "seedfeed-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)
	b := launch(t, chromium)
	for _, width := range []int{390, 1280} {
		for _, pg := range []struct{ name, url string }{{"index", p.url("/")}, {"entry", item.URL}} {
			shot := filepath.Join(shots, fmt.Sprintf("%s-%d.png", pg.name, width))
			m := b.measure(t, pg.url, width, 800, shot)
			if m.ScrollWidth > width {
				t.Errorf("%s at %d px: the page is %d px wide; want no sideways scrolling (see %s)", pg.name, width, m.ScrollWidth, shot)
			}
			if pg.name != "entry" {
				continue
			}
			if m.Image.Natural != 2400 || m.Image.Width > float64(width) {
				t.Errorf("entry at %d px: the picture is %v px wide of %d; want it loaded and within the page", width, m.Image.Width, m.Image.Natural)
			}
			if m.Pre.Client > width || m.Pre.Scroll <= m.Pre.Client {
				t.Errorf("entry at %d px: the code block is %d px wide, its text %d; want it within the page, scrolling inside itself", width, m.Pre.Client, m.Pre.Scroll)
			}
		}
	}
}

// measurement is what the page says of its width once loaded.
type measurement struct {
	ScrollWidth int `json:"sw"`
	Image       struct {
		Natural int     `json:"natural"`
		Width   float64 `json:"width"`
	} `json:"img"`
	Pre struct {
		Scroll int `json:"scroll"`
		Client int `json:"client"`
	} `json:"pre"`
}

const measureScript = `JSON.stringify({
	sw: document.documentElement.scrollWidth,
	img: (() => { const i = document.querySelector("article img"); return i ? {natural: i.naturalWidth, width: i.getBoundingClientRect().width} : {}; })(),
	pre: (() => { const p = document.querySelector("pre"); return p ? {scroll: p.scrollWidth, client: p.getBoundingClientRect().width} : {}; })(),
})`

// browser is headless Chromium driven over the DevTools protocol on a
// pipe (--remote-debugging-pipe: it reads commands on fd 3 and writes
// answers on fd 4, each a JSON message ended by a NUL), which needs
// nothing but the standard library.
type browser struct {
	cmd     *exec.Cmd
	in      *os.File // commands to Chromium
	outFile *os.File
	out     *bufio.Reader // its answers and events
	next    int
}

// launch starts Chromium; the test's cleanup stops it.
func launch(t *testing.T, chromium string) *browser {
	t.Helper()
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
		"--disable-extensions", "--hide-scrollbars", "--user-data-dir="+t.TempDir(), "about:blank")
	cmd.ExtraFiles = []*os.File{cmdR, outW} // fd 3, fd 4
	var stderr feedtest.SyncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	cmdR.Close()
	outW.Close()
	b := &browser{cmd: cmd, in: cmdW, outFile: outR, out: bufio.NewReader(outR)}
	t.Cleanup(func() {
		b.send("", "Browser.close", nil)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }() // exits when Chromium does
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		cmdW.Close()
		outR.Close()
		if t.Failed() {
			t.Logf("chromium's stderr:\n%s", stderr.String())
		}
	})
	return b
}

// message is a DevTools message: an answer (with ID) or an event.
type message struct {
	ID        int             `json:"id"`
	Method    string          `json:"method"`
	SessionID string          `json:"sessionId"`
	Result    json.RawMessage `json:"result"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// send sends a command and returns its ID.
func (b *browser) send(session, method string, params any) int {
	b.next++
	msg := map[string]any{"id": b.next, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, _ := json.Marshal(msg)
	b.in.Write(append(data, 0))
	return b.next
}

// read returns the next message from Chromium, waiting at most a minute.
func (b *browser) read(t *testing.T) message {
	t.Helper()
	b.outFile.SetReadDeadline(time.Now().Add(time.Minute))
	data, err := b.out.ReadBytes(0)
	if err != nil {
		t.Fatalf("reading from chromium: %v", err)
	}
	var m message
	if err := json.Unmarshal(data[:len(data)-1], &m); err != nil {
		t.Fatalf("chromium sent %q: %v", data, err)
	}
	return m
}

// call sends a command and returns its result; sawLoad says whether the
// page's load event came meanwhile.
func (b *browser) call(t *testing.T, session, method string, params any, result any) (sawLoad bool) {
	t.Helper()
	id := b.send(session, method, params)
	for {
		m := b.read(t)
		if m.Method == "Page.loadEventFired" && m.SessionID == session {
			sawLoad = true
		}
		if m.ID != id {
			continue
		}
		if m.Error != nil {
			t.Fatalf("chromium: %s: %s", method, m.Error.Message)
		}
		if result != nil {
			if err := json.Unmarshal(m.Result, result); err != nil {
				t.Fatalf("chromium: %s: %v", method, err)
			}
		}
		return sawLoad
	}
}

// measure opens url in a new tab of the given size, waits for it to load
// (its pictures too), measures it, and saves a screenshot at shot.
func (b *browser) measure(t *testing.T, url string, width, height int, shot string) measurement {
	t.Helper()
	var target struct {
		TargetID string `json:"targetId"`
	}
	b.call(t, "", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	b.call(t, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	s := attached.SessionID
	defer b.call(t, "", "Target.closeTarget", map[string]any{"targetId": target.TargetID}, nil)
	b.call(t, s, "Page.enable", nil, nil)
	b.call(t, s, "Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}, nil)
	if !b.call(t, s, "Page.navigate", map[string]any{"url": url}, nil) {
		for m := b.read(t); m.Method != "Page.loadEventFired" || m.SessionID != s; m = b.read(t) {
		}
	}
	var eval struct {
		Result struct {
			Value string `json:"value"`
		} `json:"result"`
	}
	b.call(t, s, "Runtime.evaluate", map[string]any{"expression": measureScript, "returnByValue": true}, &eval)
	var m measurement
	if err := json.Unmarshal([]byte(eval.Result.Value), &m); err != nil {
		t.Fatalf("measuring %s: %q: %v", url, eval.Result.Value, err)
	}
	var pic struct {
		Data string `json:"data"`
	}
	b.call(t, s, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &pic)
	if data, err := base64.StdEncoding.DecodeString(pic.Data); err == nil {
		os.WriteFile(shot, data, 0o644)
	}
	return m
}
