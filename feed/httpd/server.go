package httpd

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is the HTTP server of the daemon, with the limits that keep a
// slow or hostile client from holding it: a slowloris is dropped after
// headerTimeout, a request body sent too slowly after bodyTimeout, an
// answer not read after writeTimeout (a large one after writeTimeout
// without a progressChunk of progress), and an idle connection after
// idleTimeout. A watchdog keeps them, not net/http's timeouts, which cost
// a timer and the clock several times a request; a request with a body
// gets a deadline of its own (see bodyDeadline).
type Server struct {
	srv *http.Server
	dog *watchdog
	// The watchdog runs from the first Serve until Shutdown or Close, which
	// wait for it: it keeps its limits on the connections a Shutdown
	// waits for.
	started, stopped sync.Once
	stop, done       chan struct{}
}

const (
	headerTimeout = 5 * time.Second
	idleTimeout   = 60 * time.Second
	// bodyTimeout bounds the reading of a request's body, from the moment
	// its headers are read: a subscription to the hub, or the body of a
	// request that is refused and read to its end.
	bodyTimeout = 10 * time.Second
	// writeTimeout bounds the writing of an answer, from the moment its
	// request is read, or each progressChunk of a large one.
	writeTimeout  = 30 * time.Second
	progressChunk = 1 << 20
)

// NewServer returns a server for h that logs its own errors at debug level.
func NewServer(h http.Handler, log *slog.Logger) *Server {
	return newServer(h, log, limits{header: headerTimeout, idle: idleTimeout, write: writeTimeout, body: bodyTimeout})
}

// newServer is NewServer with the limits given; shorter in tests.
func newServer(h http.Handler, log *slog.Logger, l limits) *Server {
	dog := newWatchdog(l)
	return &Server{dog: dog, stop: make(chan struct{}), done: make(chan struct{}), srv: &http.Server{
		Handler:        bodyDeadline(h, l.body),
		ConnState:      dog.connState,
		MaxHeaderBytes: 32 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}}
}

// bodyDeadline gives a request that has a body d to send it, and then h
// serves it. (A request without one has http.NoBody.) net/http clears the
// deadline as it reads the next request.
func bodyDeadline(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != http.NoBody {
			http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
		}
		h.ServeHTTP(w, r)
	})
}

// Serve serves on ln until Shutdown or Close, and then returns nil.
func (s *Server) Serve(ln net.Listener) error {
	s.started.Do(func() {
		go func() {
			defer close(s.done)
			s.dog.run(s.stop)
		}()
	})
	if err := s.srv.Serve(listener{ln, s.dog}); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops taking connections and waits for those in flight until
// ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	s.halt()
	return err
}

// Close closes the server and every connection at once.
func (s *Server) Close() error {
	err := s.srv.Close()
	s.halt()
	return err
}

// halt stops the watchdog and waits for it, if it ever ran.
func (s *Server) halt() {
	s.stopped.Do(func() { close(s.stop) })
	s.started.Do(func() { close(s.done) }) // it never ran: nothing to wait for
	<-s.done
}
