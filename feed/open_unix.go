//go:build unix

package feed

import (
	"os"
	"syscall"
)

// openNonBlocking opens a file for reading without blocking, so that a FIFO
// swapped in under a seed's name cannot hang the reader.
func openNonBlocking(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
