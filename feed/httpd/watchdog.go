package httpd

import (
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// limits are how long each phase of a connection may last.
type limits struct {
	// header bounds the reading of a request's headers: from the accept
	// for the first request, from its first byte for the next ones.
	header time.Duration
	// idle bounds the wait for the next request on a kept connection.
	idle time.Duration
	// write bounds an answer, from the moment its request is read, until
	// it is written or until each progressChunk of it is: an answer takes
	// as long as its client keeps reading, so that a podcast's episode is
	// not cut on a slow link, and a client that stops reading is dropped.
	write time.Duration
	// body bounds the reading of a request's body, from the moment its
	// headers are read (see bodyDeadline).
	body time.Duration
}

// A watchdog keeps the server's limits on its connections from one
// goroutine, in place of net/http's ReadHeaderTimeout, WriteTimeout and
// IdleTimeout. Those read the clock and arm or disarm a runtime timer
// five times a request, a twentieth of the rate of 304 answers (issue
// 16). Here each connection keeps its phase and the tick it began in one
// word, written by the connection's own goroutine as it goes; a few
// times in the shortest limit the watchdog reads every connection's word
// and closes those whose phase has lasted too long.
type watchdog struct {
	limits
	tick  time.Duration
	ticks atomic.Uint64 // ticks since the start: the connections' clock

	mu    sync.Mutex
	conns map[*watched]struct{}
}

// A phase of a connection, as the watchdog times it.
const (
	phaseNew    = iota // accepted, its first request not yet read
	phaseIdle          // between requests, nothing of the next one read
	phaseHeader        // the next request's first bytes read, not its headers
	phaseActive        // a request read, its answer being made and written

	phaseBits = 2
	phaseMask = 1<<phaseBits - 1
)

// newWatchdog returns a watchdog for l, which looks at each connection
// five times in the shortest of l's limits.
func newWatchdog(l limits) *watchdog {
	return &watchdog{
		limits: l,
		tick:   min(l.header, l.idle, l.write) / 5,
		conns:  map[*watched]struct{}{},
	}
}

// run looks at the connections every tick until stop is closed.
func (w *watchdog) run(stop <-chan struct{}) {
	t := time.NewTicker(w.tick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := w.ticks.Add(1)
		w.mu.Lock()
		for c := range w.conns {
			if w.expired(c.state.Load(), now) {
				c.Conn.Close() // its reads and writes fail; net/http ends it
				delete(w.conns, c)
			}
		}
		w.mu.Unlock()
	}
}

// expired reports whether a connection whose state word is s has been in
// its phase longer than its limit at tick now. A phase marked in tick t
// began at most a tick before t ended, so it has surely lasted
// (now-t-1) ticks.
func (w *watchdog) expired(s, now uint64) bool {
	lasted := time.Duration(int64(now)-int64(s>>phaseBits)-1) * w.tick
	switch s & phaseMask {
	case phaseNew, phaseHeader:
		return lasted >= w.header
	case phaseIdle:
		return lasted >= w.idle
	default:
		return lasted >= w.write
	}
}

// watch returns c, watched from its phaseNew.
func (w *watchdog) watch(c net.Conn) *watched {
	wc := &watched{Conn: c, dog: w}
	wc.mark(phaseNew)
	w.mu.Lock()
	w.conns[wc] = struct{}{}
	w.mu.Unlock()
	return wc
}

// connState follows net/http's view of each connection: it is the
// server's ConnState hook.
func (w *watchdog) connState(c net.Conn, s http.ConnState) {
	wc, ok := c.(*watched)
	if !ok {
		return
	}
	switch s {
	case http.StateActive:
		wc.written = 0
		wc.mark(phaseActive)
	case http.StateIdle:
		wc.mark(phaseIdle)
	case http.StateHijacked, http.StateClosed:
		w.mu.Lock()
		delete(w.conns, wc)
		w.mu.Unlock()
	}
}

// listener is a net.Listener whose connections its watchdog watches.
type listener struct {
	net.Listener
	dog *watchdog
}

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.dog.watch(c), nil
}

// watched is a connection that marks its phase as it reads and writes.
// net/http reads a request, runs its hooks and writes the answer on one
// goroutine; a read in the background while a handler runs only reads.
type watched struct {
	net.Conn
	dog   *watchdog
	state atomic.Uint64 // the tick the phase began in << phaseBits | the phase
	// written counts the bytes of the answer since its last mark; touched
	// only by the goroutine that writes.
	written int64
}

// mark notes that c's phase p begins now.
func (c *watched) mark(p uint64) {
	c.state.Store(c.dog.ticks.Load()<<phaseBits | p)
}

// Read notes the first bytes of a request on a kept connection: the
// header limit starts there, the idle one ends.
func (c *watched) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 && c.state.Load()&phaseMask == phaseIdle {
		c.mark(phaseHeader)
	}
	return n, err
}

// Write writes b a progressChunk at a time, and gives the answer a new
// write limit after each.
func (c *watched) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		m, err := c.Conn.Write(b[:min(len(b), progressChunk)])
		n += m
		c.wrote(int64(m))
		if err != nil {
			return n, err
		}
		b = b[m:]
	}
	return n, nil
}

// ReadFrom copies r as Write writes, and keeps sendfile for a file, a
// progressChunk at a time (net/http copies a file through it).
func (c *watched) ReadFrom(r io.Reader) (int64, error) {
	rf, ok := c.Conn.(io.ReaderFrom)
	if !ok {
		return io.Copy(struct{ io.Writer }{c}, r)
	}
	src, left := r, int64(-1) // left: what a LimitedReader r allows, or -1
	lr, limited := r.(*io.LimitedReader)
	if limited { // sendfile sees through one LimitedReader, not two
		src, left = lr.R, lr.N
	}
	var n int64
	for left != 0 {
		chunk := int64(progressChunk)
		if left > 0 {
			chunk = min(chunk, left)
		}
		m, err := rf.ReadFrom(&io.LimitedReader{R: src, N: chunk})
		n += m
		c.wrote(m)
		if limited {
			left -= m
			lr.N = left
		}
		if err != nil || m < chunk {
			return n, err
		}
	}
	return n, nil
}

// wrote counts n bytes of an answer written, and marks the answer's
// progress once a progressChunk is.
func (c *watched) wrote(n int64) {
	c.written += n
	if c.written >= progressChunk {
		c.written = 0
		if c.state.Load()&phaseMask == phaseActive {
			c.mark(phaseActive)
		}
	}
}

// CloseWrite lets net/http half-close a connection whose request body it
// gave up on.
func (c *watched) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
