package httpd

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Server is the HTTP server of the daemon, with the timeouts that keep a
// slow or hostile client from holding it: a slowloris is dropped after
// ReadHeaderTimeout, a request body sent too slowly after bodyTimeout, a
// slow reader of a large answer after its write deadline (see
// writeLimit), and an idle connection after IdleTimeout.
//
// A request without a body and a small answer set no deadline of their
// own. net/http's ReadTimeout and WriteTimeout would set two on every
// request, each a timer to move: most of a 304's cost beside its
// handler's. An answer of up to bigAnswer bytes goes into the sockets'
// buffers without waiting for the reader, and a request without a body
// has nothing to wait for once its headers are read.
type Server struct {
	srv *http.Server
}

const (
	// bodyTimeout bounds the reading of a request's body, from the moment
	// its headers are read: a subscription to the hub, or the body of a
	// request that is refused and read to its end.
	bodyTimeout = 10 * time.Second
	// bigAnswer is the size of an answer from which it is written with a
	// deadline. A client's receive window and the server's send buffer
	// take this much at least, on loopback as on the Internet, whether
	// the client reads or not.
	bigAnswer = 64 << 10
)

// writeLimit makes the write deadline of a large answer: grace, and the
// time its bytes take at rate bytes a second. A large file beside a post
// (a podcast's episode) gets the time it needs over a slow link.
type writeLimit struct {
	grace time.Duration
	rate  int64
}

// defaultWriteLimit is the daemon's; tests take shorter ones.
var defaultWriteLimit = writeLimit{grace: 30 * time.Second, rate: 64 << 10}

// NewServer returns a server for h that logs its own errors at debug level.
func NewServer(h http.Handler, log *slog.Logger) *Server {
	return newServer(h, log, bodyTimeout)
}

// newServer is NewServer with the body timeout given; shorter in tests.
func newServer(h http.Handler, log *slog.Logger, body time.Duration) *Server {
	return &Server{srv: &http.Server{
		Handler:           bodyDeadline(h, body),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}}
}

// bodyDeadline gives a request that has a body d to send it, and then h
// serves it. (A request without one has http.NoBody.)
func bodyDeadline(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != http.NoBody {
			http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
		}
		h.ServeHTTP(w, r)
	})
}

// deadline returns the write deadline of an answer of size bytes written
// from now: the zero time, none, when it is small.
func (l writeLimit) deadline(size int64) time.Time {
	if size <= bigAnswer {
		return time.Time{}
	}
	return time.Now().Add(l.grace + time.Duration(float64(size)/float64(l.rate)*float64(time.Second)))
}

// write runs write, which writes an answer of size bytes to w, with its
// write deadline, and lifts the deadline after it, for the next request on
// the connection.
func (l writeLimit) write(w http.ResponseWriter, size int64, write func()) {
	at := l.deadline(size)
	if at.IsZero() {
		write()
		return
	}
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(at)
	write()
	rc.SetWriteDeadline(time.Time{})
}

// Serve serves on ln until Shutdown or Close, and then returns nil.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops taking connections and waits for those in flight until
// ctx is done.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }

// Close closes the server and every connection at once.
func (s *Server) Close() error { return s.srv.Close() }
