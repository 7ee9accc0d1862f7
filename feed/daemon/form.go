package daemon

import (
	"debug/elf"
	"os"
)

// BuildID returns the Go build ID of the running executable, from its ELF
// note, or "" when it cannot tell (another format, an ID left out at link
// time). It changes with any change to the program's code, its libraries
// or the toolchain, and not when the same code is built again (go run
// builds the same ID each time): with the version, it makes a fit
// Options.Form.
func BuildID() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := elf.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	b, err := sec.Data()
	// A note: the sizes of its name and its description, its type, then
	// the name ("Go", padded to 4 bytes) and the description, the ID.
	if err != nil || len(b) < 16 {
		return ""
	}
	namesz, descsz := int(f.ByteOrder.Uint32(b[0:4])), int(f.ByteOrder.Uint32(b[4:8]))
	start := 12 + (namesz+3)&^3
	if namesz != 4 || string(b[12:14]) != "Go" || start+descsz > len(b) {
		return ""
	}
	return string(b[start : start+descsz])
}
