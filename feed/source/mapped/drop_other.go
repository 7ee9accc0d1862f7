//go:build !linux

package mapped

// Drop does nothing here: the mapping's pages stay resident until
// the kernel wants them (see the Linux form).
func Drop(addr uintptr, n int) error { return nil }

// WillNeed does nothing here (see the Linux form).
func WillNeed(addr uintptr, n int) error { return nil }
