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

// TestHostileRequests sends paths that climb out of the site, methods that
// change things, and oversized headers: none reaches a file, each gets a
// refusal.
func TestHostileRequests(t *testing.T) {
	e := newEnv(t, nil)
	feedtest.Write(t, filepath.Join(filepath.Dir(e.seeds), "secret.txt"), "root:x:0:0:secret")
	p := start(t, e)
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
	p.stop(t)
}
