package httpd

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		headers []string
		want    bool
	}{
		{nil, false},
		{[]string{"gzip"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"GZIP;q=0.5"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.000"}, false},
		{[]string{"gzip;q=0.001"}, true},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"*, gzip;q=0"}, false},
		{[]string{"gzip;q=0, *"}, false},
		{[]string{"*;q=0", "gzip"}, true},
		{[]string{"br, deflate"}, false},
		{[]string{"identity, gzip;q=bogus"}, false},
	}
	for _, tt := range tests {
		if got := acceptsGzip(tt.headers); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v; want %v", tt.headers, got, tt.want)
		}
	}
}

func TestNotModified(t *testing.T) {
	mod := time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)
	const etag = `"abc"`
	req := func(header map[string][]string) *http.Request {
		r := httptest.NewRequest("GET", "/feed.atom", nil)
		for k, v := range header {
			r.Header[k] = v
		}
		return r
	}
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	tests := []struct {
		name   string
		header map[string][]string
		want   bool
	}{
		{"matching tag", map[string][]string{"If-None-Match": {`"abc"`}}, true},
		{"weak form of the tag", map[string][]string{"If-None-Match": {`W/"abc"`}}, true},
		{"tag on the second of several lines", map[string][]string{"If-None-Match": {`"x"`, `"y", "abc"`}}, true},
		{"no tag matches", map[string][]string{"If-None-Match": {`"x"`, `"y"`}}, false},
		{"If-None-Match wins over a matching date", map[string][]string{"If-None-Match": {`"x"`}, "If-Modified-Since": {mod.Format(http.TimeFormat)}}, false},
		{"same date", map[string][]string{"If-Modified-Since": {mod.Format(http.TimeFormat)}}, true},
		{"earlier date", map[string][]string{"If-Modified-Since": {mod.Add(-time.Second).Format(http.TimeFormat)}}, false},
		{"date later than the server's clock", map[string][]string{"If-Modified-Since": {future}}, false},
		{"two dates", map[string][]string{"If-Modified-Since": {mod.Format(http.TimeFormat), mod.Format(http.TimeFormat)}}, false},
		{"not a date", map[string][]string{"If-Modified-Since": {"yesterday"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := notModified(req(tt.header), etag, mod); got != tt.want {
				t.Errorf("notModified(%v) = %v; want %v", tt.header, got, tt.want)
			}
		})
	}
}

// TestSmugglingClosesConnection: a request with both Content-Length and
// Transfer-Encoding is answered, then its connection is closed (RFC 9112,
// 6.1), so nothing that follows on it can be read as another request.
func TestSmugglingClosesConnection(t *testing.T) {
	h, _, _ := newTestHandler(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprint(c, "GET /feed.atom HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"+
		"GET /feed.rss HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !resp.Close {
		t.Errorf("status %d, close %v; want 200 and the connection closed", resp.StatusCode, resp.Close)
	}
	if next, err := http.ReadResponse(br, nil); err == nil {
		t.Errorf("the request after it was answered too (%s); want the connection closed", next.Status)
	}
}
