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

// serveOn serves h through newServer, with the body and write timeouts
// given, and returns its address and a channel that has a value for each
// connection the server closes.
func serveOn(t *testing.T, h http.Handler, body, write time.Duration) (addr string, closed <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(h, slog.New(slog.DiscardHandler), body, write)
	c := make(chan struct{}, 16)
	s.srv.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateClosed {
			c <- struct{}{}
		}
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ln.Addr().String(), c
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
	addr, closed := serveOn(t, h, 100*time.Millisecond, time.Minute)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /feed.atom HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nthe first bytes of many")
	dropped(t, closed, "a body that stops")
}

// TestUnreadAnswersAreDropped: a client that asks for small answers, many
// at once, and reads none, with a receive window too small to hold them,
// is dropped after the write timeout.
func TestUnreadAnswersAreDropped(t *testing.T) {
	h, _, _ := newTestHandler(t)
	addr, closed := serveOn(t, h, time.Minute, 200*time.Millisecond)
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
// than its grace, and the connection dropped.
func TestSlowReaderIsDropped(t *testing.T) {
	h, snap, _ := newTestHandler(t)
	big := make([]byte, 32<<20)
	rand.Read(big) // gzip does not pay: served as it is
	snap.Files["index.html"].Body = big
	h = NewHandler(snap, time.Minute, h.status)
	h.grace = 100 * time.Millisecond
	addr, closed := serveOn(t, h, time.Minute, time.Minute)

	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	dropped(t, closed, "a client that does not read")
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := io.Copy(io.Discard, c)
	if errors.Is(err, os.ErrDeadlineExceeded) || n >= int64(len(big)) {
		t.Errorf("the client read %d bytes, %v; want fewer than the %d of the answer, then the end", n, err, len(big))
	}
}

// deadlineWriter is a ResponseWriter that notes the write deadlines set
// on it, as http.ResponseController sets them, and the size of each
// write.
type deadlineWriter struct {
	discardWriter
	set    []time.Time
	writes []int
}

func (d *deadlineWriter) SetWriteDeadline(t time.Time) error {
	d.set = append(d.set, t)
	return nil
}

func (d *deadlineWriter) Write(p []byte) (int, error) {
	d.writes = append(d.writes, len(p))
	return len(p), nil
}

// TestProgressDeadlines: a large answer is written in chunks, each with
// its own deadline, a grace from its start, however long the whole takes;
// from a file as from memory.
func TestProgressDeadlines(t *testing.T) {
	const size = 3*progressChunk + 5
	for _, from := range []string{"memory", "file"} {
		w := &deadlineWriter{discardWriter: discardWriter{h: http.Header{}}}
		p := withProgress(w, time.Minute)
		start := time.Now()
		var n int64
		var err error
		if from == "memory" {
			var m int
			m, err = p.Write(make([]byte, size))
			n = int64(m)
		} else {
			n, err = p.ReadFrom(strings.NewReader(strings.Repeat("x", size)))
		}
		if err != nil || n != size {
			t.Fatalf("from %s: wrote %d, %v; want %d", from, n, err, size)
		}
		if len(w.set) != 4 || len(w.writes) < 4 {
			t.Fatalf("from %s: deadlines %v for writes %v; want one a chunk of %d, 4", from, w.set, w.writes, progressChunk)
		}
		for _, at := range w.set {
			if at.Before(start.Add(time.Minute)) || at.After(time.Now().Add(time.Minute)) {
				t.Errorf("from %s: a chunk's deadline is %v after the start; want a minute after its own", from, at.Sub(start))
			}
		}
	}
}
