package extract

// Scans that look for a few kinds of byte in a text go through a set of
// them (markLead, quoteLead, droppedLead): one load per byte.

// nextIn returns the offset of the first byte of s in set, or -1: a scan
// that looks at each byte with one load, in a loop small enough to keep
// in registers.
func nextIn(s string, set *[256]bool) int {
	for i := 0; i < len(s); i++ {
		if set[s[i]] {
			return i
		}
	}
	return -1
}

// bytesOf returns the set of the bytes of s, for nextIn.
func bytesOf(s string) (set [256]bool) {
	for i := range len(s) {
		set[s[i]] = true
	}
	return set
}
