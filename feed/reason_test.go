package feed

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// TestReason: a log line's reason does not repeat the path the line names.
func TestReason(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "gone.txt")
	_, err := os.Open(missing)
	if got := Reason(err); got != "open: no such file or directory" {
		t.Errorf("Reason(%v) = %q; want %q", err, got, "open: no such file or directory")
	}
	other := fmt.Errorf("binary data, not text: %w", errors.New("NUL at byte 3"))
	if got := Reason(other); got != other.Error() {
		t.Errorf("Reason(%v) = %q; want it unchanged", other, got)
	}
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		t.Fatalf("os.Open error %T is not an *fs.PathError", err)
	}
}

// TestReasonURL: a failed request's reason does not repeat its URL or
// its address.
func TestReasonURL(t *testing.T) {
	op := &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}, Err: errors.New("connect: connection refused")}
	err := &url.Error{Op: "Post", URL: "http://127.0.0.1:9/hub", Err: op}
	if got := Reason(err); got != "connect: connection refused" {
		t.Errorf("Reason(%v) = %q; want %q", err, got, "connect: connection refused")
	}
}
