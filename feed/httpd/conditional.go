package httpd

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// notModified applies If-None-Match, or, when there is none,
// If-Modified-Since (RFC 9110, 13.1.2 and 13.1.3). If-None-Match may come
// on several header lines, which make one list. If-Modified-Since is
// ignored when it is not one valid date, or when it is later than now:
// such a date proves nothing about the client's copy; and for a file
// without a modification time, which no date can vouch for.
func notModified(r *http.Request, etag string, modTime time.Time) bool {
	if inm := r.Header["If-None-Match"]; len(inm) > 0 {
		for _, line := range inm {
			for t := range strings.SplitSeq(line, ",") {
				t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
				if t == "*" || t == etag {
					return true
				}
			}
		}
		return false
	}
	if ims := r.Header["If-Modified-Since"]; len(ims) == 1 {
		if t, err := http.ParseTime(ims[0]); err == nil && !t.After(time.Now()) && !modTime.IsZero() {
			return !modTime.After(t)
		}
	}
	return false
}

// acceptsGzip reports whether Accept-Encoding headers allow gzip (RFC
// 9110, 12.5.3): gzip or x-gzip with a q above 0; failing those, "*" with a
// q above 0. An explicit gzip;q=0 refuses gzip whatever "*" says.
func acceptsGzip(headers []string) bool {
	gzipQ, anyQ := -1.0, -1.0 // -1: not named
	for _, header := range headers {
		for part := range strings.SplitSeq(header, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.TrimSpace(coding)
			switch {
			case strings.EqualFold(coding, "gzip"), strings.EqualFold(coding, "x-gzip"):
				gzipQ = max(gzipQ, quality(params))
			case coding == "*":
				anyQ = max(anyQ, quality(params))
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return anyQ > 0
}

// quality reads the weight of a coding from its parameters ("q=0.5");
// without one it is 1, and a weight that does not parse counts as 0.
func quality(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || q < 0 || q > 1 {
				return 0
			}
			return q
		}
	}
	return 1
}
