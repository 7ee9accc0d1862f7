package feed

import (
	"errors"
	"fmt"
	"io/fs"
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
