package daemon

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestSlowloris holds 100 connections that never finish their headers. A
// normal client is still served at once, and the slow ones are dropped
// after ReadHeaderTimeout.
func TestSlowloris(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
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
	p.stop(t)
}

// rawRequest sends request as is and returns the status and body.
func rawRequest(t *testing.T, addr, request string) (int, string) {
	t.Helper()
	code, body, _ := rawRequestLocation(t, addr, request)
	return code, body
}

// rawRequestLocation is rawRequest that also returns the Location header.
func rawRequestLocation(t *testing.T, addr, request string) (int, string, string) {
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
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// TestHostileRequests sends paths that climb out of the site, methods that
// change things, and oversized headers: none reaches a file, each gets a
// refusal.
func TestHostileRequests(t *testing.T) {
	e := newEnv(t, nil)
	feedtest.Write(t, filepath.Join(filepath.Dir(e.seeds), "secret.txt"), "root:x:0:0:secret")
	p := start(t, e)
	// Each path is refused: 404 at once, or a 307 to the cleaned path,
	// which then answers 404. Nothing else will do.
	for target, redirect := range map[string]string{
		"/../../../../etc/passwd": "/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd": "", "/entry/..%2f..%2fsecret.txt": "",
		"/entry/%2e%2e/%2e%2e/secret.txt": "", "/entry/../../secret.txt": "/secret.txt", "/seeds/000_b0004d0eae77d0dc.txt": "",
		"/%2e%2e/secret.txt": "", "/entry/..\\..\\secret.txt": "", "/./feed.atom/../../secret.txt": "/secret.txt",
	} {
		code, body, location := rawRequestLocation(t, p.addr, "GET "+target+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		switch {
		case redirect == "" && code != 404:
			t.Errorf("GET %s = %d; want 404", target, code)
		case redirect != "" && (code != 307 || location != redirect):
			t.Errorf("GET %s = %d to %q; want 307 to %s", target, code, location, redirect)
		case redirect != "":
			if code, _ := rawRequest(t, p.addr, "GET "+location+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); code != 404 {
				t.Errorf("GET %s, where %s leads, = %d; want 404", location, target, code)
			}
		}
		if strings.Contains(body, "root:") || strings.Contains(body, "TEHRAN") {
			t.Errorf("GET %s served a file: %.80q", target, body)
		}
	}
	for _, method := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"} {
		code, _, _ := rawRequestLocation(t, p.addr, method+" /feed.atom HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		if code != 405 {
			t.Errorf("%s /feed.atom = %d; want 405", method, code)
		}
	}
	if code, _ := rawRequest(t, p.addr, "CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n"); code != 405 && code != 400 {
		t.Errorf("CONNECT = %d; want it refused", code)
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
	p.stop(t)
}
