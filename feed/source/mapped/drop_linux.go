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
