package state

import (
	"crypto/sha1"
	"encoding/hex"
)

var namespace = [16]byte{0x2b, 0x5f, 0x3d, 0x0e, 0x8a, 0x41, 0x5b, 0x7c, 0x9d, 0x12, 0x6e, 0x4f, 0xa0, 0xb3, 0xc5, 0xd7}

// NameID returns the ID a path got when first seen before IDs named their
// site (and still gets in a store given no site): the RFC 9562 version 5
// UUID of the path, as a URN.
func NameID(name string) string { return uuid5(namespace, name) }

// SiteID returns the ID a path gets when first seen on the site whose base
// URL is site, as configured (base_url): the RFC 9562 version 5 UUID, in
// the URL namespace, of the base URL and the path. It is never random, so
// it comes out the same on every machine and after a lost state file; and
// it is another on every site, as Atom wants an ID to be: two sites that
// each have a posts/hello.md give two IDs, and a reader that follows both
// keeps both posts. A NUL parts the two, so that "https://e.com/" and
// "blog/x.md" are not "https://e.com/blog/" and "x.md". With no base URL
// configured (a daemon serving its listen address), NameID(name): the
// address of a local daemon is no name of a site.
func SiteID(site, name string) string {
	if site == "" {
		return NameID(name)
	}
	return uuid5(urlNamespace, site+"\x00"+name)
}

// urlNamespace is RFC 9562's namespace of URLs.
var urlNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// uuid5 returns the version 5 UUID of name in space, as a URN.
func uuid5(space [16]byte, name string) string {
	h := sha1.New()
	h.Write(space[:])
	h.Write([]byte(name))
	var sum [sha1.Size]byte
	var u [16]byte
	copy(u[:], h.Sum(sum[:0]))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	var out [urnLen]byte
	return string(AppendURN(out[:0], u))
}

// urnPrefix starts every ID that NameID makes; urnLen is their length.
const (
	urnPrefix = "urn:uuid:"
	urnLen    = len(urnPrefix) + 36
)

// AppendURN appends u to dst as NameID writes it: urnPrefix, then
// lower-case hex in groups of 8, 4, 4, 4 and 12 digits.
func AppendURN(dst []byte, u [16]byte) []byte {
	dst = append(dst, urnPrefix...)
	for j := range u {
		if j == 4 || j == 6 || j == 8 || j == 10 {
			dst = append(dst, '-')
		}
		dst = hex.AppendEncode(dst, u[j:j+1])
	}
	return dst
}

// ParseURN returns the 16 bytes of id when it is written exactly as
// AppendURN writes them, so that AppendURN gives id back.
func ParseURN(id []byte) (u [16]byte, ok bool) {
	if len(id) != urnLen || string(id[:len(urnPrefix)]) != urnPrefix {
		return u, false
	}
	j := 0
	for i := len(urnPrefix); i < len(id); {
		switch i - len(urnPrefix) {
		case 8, 13, 18, 23:
			if id[i] != '-' {
				return u, false
			}
			i++
			continue
		}
		hi, ok1 := lowerHex(id[i])
		lo, ok2 := lowerHex(id[i+1])
		if !ok1 || !ok2 {
			return u, false
		}
		u[j] = hi<<4 | lo
		i, j = i+2, j+1
	}
	return u, true
}

// parseHex16 returns the 16 bytes that s writes in 32 lower-case hex
// digits, as a fingerprint is, when it does exactly.
func parseHex16(s []byte) (u [16]byte, ok bool) {
	if len(s) != 32 {
		return u, false
	}
	for j := range u {
		hi, ok1 := lowerHex(s[2*j])
		lo, ok2 := lowerHex(s[2*j+1])
		if !ok1 || !ok2 {
			return u, false
		}
		u[j] = hi<<4 | lo
	}
	return u, true
}

func lowerHex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}
