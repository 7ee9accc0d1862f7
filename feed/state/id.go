package state

import (
	"crypto/sha1"
	"encoding/hex"
)

var namespace = [16]byte{0x2b, 0x5f, 0x3d, 0x0e, 0x8a, 0x41, 0x5b, 0x7c, 0x9d, 0x12, 0x6e, 0x4f, 0xa0, 0xb3, 0xc5, 0xd7}

// NameID returns the ID a path gets when first seen: the RFC 9562 version 5
// UUID of the path, as a URN. It is never random, so it comes out the same
// on every machine and after a lost state file.
func NameID(name string) string {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte(name))
	var sum [sha1.Size]byte
	u := h.Sum(sum[:0])[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	var out [45]byte
	copy(out[:], "urn:uuid:")
	i := 9
	for j := range u {
		if j == 4 || j == 6 || j == 8 || j == 10 {
			out[i] = '-'
			i++
		}
		hex.Encode(out[i:i+2], u[j:j+1])
		i += 2
	}
	return string(out[:])
}
