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
// ReadHeaderTimeout, a slow reader after WriteTimeout.
type Server struct {
	srv *http.Server
}

// NewServer returns a server for h that logs its own errors at debug level.
func NewServer(h http.Handler, log *slog.Logger) *Server {
	return &Server{srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}}
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
