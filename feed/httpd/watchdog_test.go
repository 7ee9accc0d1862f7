package httpd

import (
	"bufio"
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// ask sends a GET for path on c and reads its answer whole.
func ask(t *testing.T, c net.Conn, br *bufio.Reader, path string) {
	t.Helper()
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	answer(t, c, br)
}

// answer reads the next answer on c whole and wants it 200.
func answer(t *testing.T, c net.Conn, br *bufio.Reader) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("reading an answer: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s; want 200", resp.Status)
	}
}

// TestKeptConnectionLimits: a kept connection is dropped once idle for
// the idle limit; the header limit starts at the next request's first
// byte, so a request after a pause longer than it is served, and one
// whose headers stop coming is dropped though the idle limit is far.
func TestKeptConnectionLimits(t *testing.T) {
	h, _, _ := newTestHandler(t)

	t.Run("idle", func(t *testing.T) {
		l := long
		l.idle = 200 * time.Millisecond
		addr, closed := serveOn(t, h, l)
		c := dial(t, addr)
		ask(t, c, bufio.NewReader(c), "/feed.atom")
		dropped(t, closed, "an idle connection")
	})

	t.Run("pause", func(t *testing.T) {
		l := long
		l.header = 200 * time.Millisecond
		addr, _ := serveOn(t, h, l)
		c := dial(t, addr)
		br := bufio.NewReader(c)
		ask(t, c, br, "/feed.atom")
		time.Sleep(3 * l.header) // the client's pause
		// The next request comes in two parts, a third of the header limit
		// apart: its header phase starts with the first.
		io.WriteString(c, "GET /feed.json HTTP/1.1\r\n")
		time.Sleep(l.header / 3)
		io.WriteString(c, "Host: x\r\n\r\n")
		answer(t, c, br)
		ask(t, c, br, "/feed.rss") // and the connection is still kept
	})

	t.Run("slow header", func(t *testing.T) {
		l := long
		l.header = 100 * time.Millisecond
		addr, closed := serveOn(t, h, l)
		c := dial(t, addr)
		ask(t, c, bufio.NewReader(c), "/feed.atom")
		io.WriteString(c, "GET /feed.json HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		dropped(t, closed, "a second request whose headers stop")
	})
}

// TestSteadyReaderIsServed: a large answer to a client that reads it
// slowly but steadily is served whole, though it takes several write
// limits: each progressChunk of it takes less than one. From memory (a
// page of the snapshot) and from a file (as a file beside a post is).
func TestSteadyReaderIsServed(t *testing.T) {
	const size = 16 << 20
	big := make([]byte, size)
	rand.Read(big) // gzip does not pay: served as it is
	h, snap, _ := newTestHandler(t)
	snap.Files["index.html"].Body = big
	mem := NewHandler(snap, time.Minute, h.status)
	name := filepath.Join(t.TempDir(), "episode.mp3")
	if err := os.WriteFile(name, big, 0o644); err != nil {
		t.Fatal(err)
	}
	file := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(name)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		http.ServeContent(w, r, "", time.Time{}, f)
	})
	for _, tc := range []struct {
		from string
		h    http.Handler
	}{{"memory", mem}, {"a file", file}} {
		l := long
		l.write = 500 * time.Millisecond
		addr, _ := serveOn(t, tc.h, l)
		d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			return rc.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 64<<10) })
		}}
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(30 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("from %s: %v", tc.from, err)
		}
		start := time.Now()
		var n int64
		buf := make([]byte, 256<<10)
		for {
			m, err := io.ReadFull(resp.Body, buf)
			n += int64(m)
			if err != nil {
				break
			}
			time.Sleep(25 * time.Millisecond) // the client's pace: 1 MiB in 100 ms or more
		}
		if took := time.Since(start); n != size {
			t.Errorf("from %s: the client read %d bytes in %v; want all %d", tc.from, n, took, size)
		} else if took < 2*l.write {
			t.Errorf("from %s: the client read it all in %v; the test wants it to take longer than the write limit, %v", tc.from, took, l.write)
		}
	}
}

// readFromConn is a net.Conn whose ReadFrom notes what it was given.
type readFromConn struct {
	net.Conn
	got []io.Reader
}

func (c *readFromConn) ReadFrom(r io.Reader) (int64, error) {
	c.got = append(c.got, r)
	return io.Copy(io.Discard, r)
}

// TestReadFromKeepsSendfile: a file copied through a watched connection
// reaches the socket's ReadFrom a progressChunk at a time, each a file
// under one LimitedReader, as sendfile wants it, and no more than the
// LimitedReader net/http gave allows.
func TestReadFromKeepsSendfile(t *testing.T) {
	const size = 3*progressChunk + 5
	name := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(name, make([]byte, size+100), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	conn := &readFromConn{}
	c := newWatchdog(long).watch(conn)
	lr := &io.LimitedReader{R: f, N: size}
	n, err := c.ReadFrom(lr)
	if err != nil || n != size || lr.N != 0 {
		t.Fatalf("copied %d, %v, %d left; want %d, nil, 0 left", n, err, lr.N, size)
	}
	if len(conn.got) != 4 {
		t.Fatalf("ReadFrom was given %d readers; want one a chunk, 4", len(conn.got))
	}
	for _, r := range conn.got {
		if l, ok := r.(*io.LimitedReader); !ok || l.R != io.Reader(f) || l.N > progressChunk {
			t.Fatalf("ReadFrom was given %#v; want a LimitedReader of the file, a chunk at most", r)
		}
	}
}

// TestWatchdogOutlivesServe: Serve returns as Shutdown begins, but the
// watchdog keeps its limits on the connections Shutdown waits for: a
// slowloris does not hold a Shutdown to its deadline.
func TestWatchdogOutlivesServe(t *testing.T) {
	h, _, _ := newTestHandler(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := long
	l.header = 100 * time.Millisecond
	s := newServer(h, slog.New(slog.DiscardHandler), l)
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /feed.atom HTTP/1.1\r\nHost: x\r\nX-Slow: ")
	// Under the 5 s after which net/http's Shutdown gives up on a
	// connection that never sent its first request.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown = %v; want the slow connection dropped by the watchdog, and nil", err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v", err)
	}
}
