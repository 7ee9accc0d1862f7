//go:build !unix

package feed

import "os"

// openNonBlocking opens a file for reading. Only Unix has FIFOs to guard
// against.
func openNonBlocking(name string) (*os.File, error) {
	return os.Open(name)
}
