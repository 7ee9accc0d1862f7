package httpd

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Server is the HTTP server of the daemon, with the timeouts that keep a
// slow or hostile client from holding it: a slowloris is dropped after
// ReadHeaderTimeout, a request body sent too slowly after bodyTimeout, an
// answer not read after WriteTimeout (a large one after writeGrace
// without progress; see progress), and an idle connection after
// IdleTimeout.
//
// net/http's ReadTimeout is not set: it would move a timer on every
// request, for the body that almost none has. A request with a body gets
// its deadline on its own (see bodyDeadline).
type Server struct {
	srv *http.Server
}

const (
	// bodyTimeout bounds the reading of a request's body, from the moment
	// its headers are read: a subscription to the hub, or the body of a
	// request that is refused and read to its end.
	bodyTimeout = 10 * time.Second
	// writeTimeout bounds the writing of an answer, from the moment its
	// request is read.
	writeTimeout = 30 * time.Second
	// writeGrace is how long each progressChunk of a large answer may
	// take to be written, so that a large file beside a post (a podcast's
	// episode) is not cut on a slow link, and a client that stops reading
	// is still dropped.
	writeGrace    = 30 * time.Second
	progressChunk = 1 << 20
)

// NewServer returns a server for h that logs its own errors at debug level.
func NewServer(h http.Handler, log *slog.Logger) *Server {
	return newServer(h, log, bodyTimeout, writeTimeout)
}

// newServer is NewServer with the body and write timeouts given; shorter
// in tests.
func newServer(h http.Handler, log *slog.Logger, body, write time.Duration) *Server {
	return &Server{srv: &http.Server{
		Handler:           bodyDeadline(h, body),
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      write,
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

// progress is a ResponseWriter that writes a large answer in chunks of
// progressChunk bytes, each with a write deadline of grace from its
// start, in place of the server's WriteTimeout: the answer takes as long
// as its client keeps reading. net/http sets the deadline of the next
// request on the connection anew.
type progress struct {
	http.ResponseWriter
	rc    *http.ResponseController
	grace time.Duration
}

// withProgress returns w writing as progress does, with grace.
func withProgress(w http.ResponseWriter, grace time.Duration) *progress {
	return &progress{ResponseWriter: w, rc: http.NewResponseController(w), grace: grace}
}

func (p *progress) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		chunk := b[:min(len(b), progressChunk)]
		p.rc.SetWriteDeadline(time.Now().Add(p.grace))
		m, err := p.ResponseWriter.Write(chunk)
		n += m
		if err != nil {
			return n, err
		}
		b = b[len(chunk):]
	}
	return n, nil
}

// ReadFrom keeps sendfile for a file copied from disk, a chunk at a time.
func (p *progress) ReadFrom(src io.Reader) (int64, error) {
	var n int64
	for {
		p.rc.SetWriteDeadline(time.Now().Add(p.grace))
		m, err := io.CopyN(p.ResponseWriter, src, progressChunk)
		n += m
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (p *progress) Unwrap() http.ResponseWriter { return p.ResponseWriter }

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
