package feed

import (
	"io/fs"
	"net"
	"net/url"
)

// Reason is err as a log line says why, beside the path or URL the line
// names already: an *fs.PathError loses its path ("open: permission
// denied"), an *url.Error its URL and a *net.OpError its addresses
// ("connect: connection refused"), which would only repeat them.
func Reason(err error) string {
	switch e := err.(type) {
	case *fs.PathError:
		return e.Op + ": " + e.Err.Error()
	case *url.Error:
		return Reason(e.Err)
	case *net.OpError:
		return e.Err.Error()
	}
	return err.Error()
}
