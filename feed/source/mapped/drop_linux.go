package mapped

import "golang.org/x/sys/unix"

// Drop tells the kernel that the n bytes of a shared file mapping at
// addr are not needed for now: their pages leave the process's resident
// set, and stay in the page cache, from which the next read of them maps
// them again. Nothing of the file changes. addr must be the start of a
// page of a shared mapping of a file that stays mapped during the call,
// and n within it: on other memory, dropped pages would read as zeros.
func Drop(addr uintptr, n int) error {
	if n <= 0 {
		return nil
	}
	if _, _, e := unix.Syscall(unix.SYS_MADVISE, addr, uintptr(n), unix.MADV_DONTNEED); e != 0 {
		return e
	}
	return nil
}

// WillNeed tells the kernel that the n bytes of a shared file mapping at
// addr are about to be read: it reads the pages of the file that are not
// in the page cache ahead, in large requests, instead of a small read at
// each fault. The pages join the page cache, not the resident set. The
// same conditions hold as for Drop.
func WillNeed(addr uintptr, n int) error {
	// The kernel reads no more ahead for one call than the device's
	// readahead window, 128 KiB unless raised: one call a window.
	for off := 0; off < n; off += willNeedStep {
		if _, _, e := unix.Syscall(unix.SYS_MADVISE, addr+uintptr(off), uintptr(min(willNeedStep, n-off)), unix.MADV_WILLNEED); e != 0 {
			return e
		}
	}
	return nil
}

const willNeedStep = 128 << 10
