package daemon

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestLastModifiedOnlyMovesForward changes the feed several times, faster
// than once a second. Every version of /feed.atom has a Last-Modified
// later than the one before and no later than its Date, and a client
// holding an earlier version that sends only If-Modified-Since gets the new
// bytes, never a 304.
func TestLastModifiedOnlyMovesForward(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Debounce = 10 * time.Millisecond })
	p := start(t, e)
	type version struct {
		etag          string
		lastMod, date time.Time
	}
	get := func(header ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", p.url("/feed.atom"), nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	parse := func(resp *http.Response) version {
		t.Helper()
		lm, err1 := http.ParseTime(resp.Header.Get("Last-Modified"))
		date, err2 := http.ParseTime(resp.Header.Get("Date"))
		if err1 != nil || err2 != nil {
			t.Fatalf("Last-Modified %q, Date %q: %v %v", resp.Header.Get("Last-Modified"), resp.Header.Get("Date"), err1, err2)
		}
		return version{resp.Header.Get("ETag"), lm, date}
	}
	resp, _ := get()
	prev := parse(resp)
	for i := range 4 {
		title := fmt.Sprintf("Change number %d", i)
		feedtest.Write(t, filepath.Join(e.seeds, fmt.Sprintf("change%d.txt", i)), title+"\n\nBody.\n")
		var body string
		feedtest.WaitFor(t, 10*time.Second, title+" in the feed", func() bool {
			resp, body = get()
			return strings.Contains(body, title)
		})
		v := parse(resp)
		if v.etag == prev.etag || !v.lastMod.After(prev.lastMod) {
			t.Errorf("change %d: Last-Modified %v, ETag %s after %v, %s; want a later date with the new bytes", i, v.lastMod, v.etag, prev.lastMod, prev.etag)
		}
		if v.lastMod.After(v.date) {
			t.Errorf("change %d: Last-Modified %v is later than Date %v", i, v.lastMod, v.date)
		}
		if resp, body := get("If-Modified-Since", prev.lastMod.Format(http.TimeFormat)); resp.StatusCode != 200 || !strings.Contains(body, title) {
			t.Errorf("change %d: If-Modified-Since the previous version got %d; want 200 with the new bytes", i, resp.StatusCode)
		}
		if resp, _ := get("If-Modified-Since", v.lastMod.Format(http.TimeFormat)); resp.StatusCode != http.StatusNotModified {
			t.Errorf("change %d: If-Modified-Since this version got %d; want 304", i, resp.StatusCode)
		}
		prev = v
	}
}

// TestHealthzSaysWhatIsPublished: /healthz tells entries indexed from
// entries published, so that a probe can wait for the feed itself.
func TestHealthzSaysWhatIsPublished(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
	feedtest.Write(t, filepath.Join(e.seeds, "new.txt"), "A new entry\n\nBody.\n")
	var h health
	feedtest.WaitFor(t, 10*time.Second, "the new entry published", func() bool {
		h = getHealth(t, p)
		return h.Published == 3
	})
	if h.Indexed != 3 || h.Entries != 3 || h.Status != "ok" {
		t.Errorf("healthz = %+v; want ok, 3 indexed and 3 entries", h)
	}
	if got := len(getFeed(t, p).Items); got != h.Published {
		t.Errorf("the feed holds %d entries; healthz says %d published", got, h.Published)
	}
	if err := os.Remove(filepath.Join(e.seeds, "new.txt")); err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 10*time.Second, "the removal published", func() bool { return getHealth(t, p).Published == 2 })
}

// TestConditionalRequestsAgainstTheDaemon: RFC 9110's rules that readers
// and caches rely on, against the running daemon.
func TestConditionalRequestsAgainstTheDaemon(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
	do := func(header map[string][]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", p.url("/feed.atom"), nil)
		for k, v := range header {
			req.Header[k] = v
		}
		tr := &http.Transport{DisableCompression: true}
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	first := do(nil)
	etag, lastMod := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if r := do(map[string][]string{"If-None-Match": {`"other"`, etag}}); r.StatusCode != 304 {
		t.Errorf("If-None-Match with the tag on its second line = %d; want 304", r.StatusCode)
	}
	if r := do(map[string][]string{"If-Modified-Since": {lastMod}}); r.StatusCode != 304 {
		t.Errorf("If-Modified-Since the feed's date = %d; want 304", r.StatusCode)
	}
	future := time.Now().Add(24 * time.Hour).UTC().Format(http.TimeFormat)
	if r := do(map[string][]string{"If-Modified-Since": {future}}); r.StatusCode != 200 {
		t.Errorf("If-Modified-Since tomorrow = %d; want 200: a date later than the server's clock is ignored", r.StatusCode)
	}
	for _, ae := range []string{"gzip;q=0", "*, gzip;q=0", "identity"} {
		if r := do(map[string][]string{"Accept-Encoding": {ae}}); r.Header.Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding: %s got %s; want identity", ae, r.Header.Get("Content-Encoding"))
		}
	}
	if r := do(map[string][]string{"Accept-Encoding": {"gzip;q=0.5, *;q=0"}}); r.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("Accept-Encoding: gzip;q=0.5, *;q=0 got %q; want gzip", r.Header.Get("Content-Encoding"))
	}
}
