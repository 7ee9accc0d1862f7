package httpd

import (
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// long are limits no test reaches, for those a test does not time.
var long = limits{header: time.Minute, idle: time.Minute, write: time.Minute, body: time.Minute}

// serveOn serves h through newServer, with the limits given, and returns
// its address and a channel that has a value for each connection the
// server closes.
func serveOn(t *testing.T, h http.Handler, l limits) (addr string, closed <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(h, slog.New(slog.DiscardHandler), l)
	c := make(chan struct{}, 16)
	hook := s.srv.ConnState
	s.srv.ConnState = func(nc net.Conn, st http.ConnState) {
		hook(nc, st)
		if st == http.StateClosed {
			c <- struct{}{}
		}
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ln.Addr().String(), c
}

// dial connects to addr, and closes the connection when the test ends.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// dropped waits up to ten seconds for the server to close a connection.
func dropped(t *testing.T, closed <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: the server still holds the connection after 10 s; want it dropped", what)
	}
}

// TestSlowBodyIsDropped: a request whose body never comes whole is
// dropped after the body timeout, though the handler never reads it
// (net/http reads what is left of a small body to keep the connection).
func TestSlowBodyIsDropped(t *testing.T) {
	h, _, _ := newTestHandler(t)
	l := long
	l.body = 100 * time.Millisecond
	addr, closed := serveOn(t, h, l)
	c := dial(t, addr)
	io.WriteString(c, "POST /feed.atom HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nthe first bytes of many")
	dropped(t, closed, "a body that stops")
}

// TestUnreadAnswersAreDropped: a client that asks for small answers, many
// at once, and reads none, with a receive window too small to hold them,
// is dropped after the write timeout.
func TestUnreadAnswersAreDropped(t *testing.T) {
	h, _, _ := newTestHandler(t)
	l := long
	l.write = 200 * time.Millisecond
	addr, closed := serveOn(t, h, l)
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 1024) })
	}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go io.WriteString(c, strings.Repeat("GET /feed.atom HTTP/1.1\r\nHost: x\r\n\r\n", 2000)) // blocks once the server stops reading
	dropped(t, closed, "a client that reads none of its answers")
}

// TestSlowReaderIsDropped: an answer larger than the sockets hold, to a
// client that does not read it, is cut once a chunk of it takes longer
// than the write limit, and the connection dropped.
func TestSlowReaderIsDropped(t *testing.T) {
	h, snap, _ := newTestHandler(t)
	big := make([]byte, 32<<20)
	rand.Read(big) // gzip does not pay: served as it is
	snap.Files["index.html"].Body = big
	h = NewHandler(snap, time.Minute, h.status)
	l := long
	l.write = 100 * time.Millisecond
	addr, closed := serveOn(t, h, l)

	c := dial(t, addr)
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	dropped(t, closed, "a client that does not read")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := io.Copy(io.Discard, c)
	if errors.Is(err, os.ErrDeadlineExceeded) || n >= int64(len(big)) {
		t.Errorf("the client read %d bytes, %v; want fewer than the %d of the answer, then the end", n, err, len(big))
	}
}
