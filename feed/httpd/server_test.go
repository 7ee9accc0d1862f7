package httpd

import (
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"testing"
	"time"
)

// serveOn serves h through newServer, with the body timeout given, and
// returns its address and a channel that has a value for each connection
// the server closes.
func serveOn(t *testing.T, h http.Handler, body time.Duration) (addr string, closed <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := newServer(h, slog.New(slog.DiscardHandler), body)
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
	addr, closed := serveOn(t, h, 100*time.Millisecond)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST /feed.atom HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nthe first bytes of many")
	dropped(t, closed, "a body that stops")
}

// TestSlowReaderIsDropped: an answer larger than the sockets hold, to a
// client that does not read it, is cut at its write deadline, and the
// connection dropped.
func TestSlowReaderIsDropped(t *testing.T) {
	h, snap, _ := newTestHandler(t)
	big := make([]byte, 32<<20)
	rand.Read(big) // gzip does not pay: served as it is
	snap.Files["index.html"].Body = big
	h = NewHandler(snap, time.Minute, h.status)
	h.written = writeLimit{grace: 100 * time.Millisecond, rate: 1 << 40}
	addr, closed := serveOn(t, h, time.Second)

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
// on it, as http.ResponseController sets them.
type deadlineWriter struct {
	discardWriter
	set []time.Time
}

func (d *deadlineWriter) SetWriteDeadline(t time.Time) error {
	d.set = append(d.set, t)
	return nil
}

// TestWriteDeadlineIsLifted: a large answer is written with a deadline,
// lifted after it, so that the next answer on the connection, which may
// come long after, is not cut; a small answer sets none.
func TestWriteDeadlineIsLifted(t *testing.T) {
	l := writeLimit{grace: time.Minute, rate: 1 << 20}
	for _, tt := range []struct {
		size int64
		want int // deadlines set
	}{{bigAnswer, 0}, {bigAnswer + 1, 2}, {1 << 30, 2}} {
		w := &deadlineWriter{discardWriter: discardWriter{h: http.Header{}}}
		wrote := false
		start := time.Now()
		l.write(w, tt.size, func() { wrote = true })
		if !wrote || len(w.set) != tt.want {
			t.Fatalf("an answer of %d bytes: wrote %v, deadlines %v; want %d", tt.size, wrote, w.set, tt.want)
		}
		if tt.want == 0 {
			continue
		}
		if least := start.Add(l.grace + time.Duration(tt.size/l.rate)*time.Second); w.set[0].Before(least) {
			t.Errorf("an answer of %d bytes has until %v; want %v at least", tt.size, w.set[0].Sub(start), least.Sub(start))
		}
		if !w.set[1].IsZero() {
			t.Errorf("after an answer of %d bytes the deadline is %v; want it lifted", tt.size, w.set[1])
		}
	}
}
