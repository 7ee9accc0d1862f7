package feed

import "io/fs"

// Reason is err as a log line says why, beside the path the line names
// already: an *fs.PathError loses its path ("open: permission denied"),
// which would only repeat it.
func Reason(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}
