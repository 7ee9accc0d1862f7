// Package mapped lets go of the resident pages of a file's memory map: it
// is feed/source's, the one place for system calls, for the state store,
// which bbolt reads through a map.
package mapped
