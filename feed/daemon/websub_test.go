package daemon

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestServeWebSub names the configured hub in the feeds' Link header and
// tells the hub about the feeds when a file lands.
func TestServeWebSub(t *testing.T) {
	got := make(chan string, 10)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("hub.mode") == "publish" {
			got <- r.PostForm.Get("hub.url")
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hub.Close()
	e := newEnv(t, func(o *Options) { o.Site.Hubs = []string{hub.URL} })
	p := start(t, e)
	resp, err := http.Get(p.url("/feed.atom"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(resp.Header.Get("Link"), `<`+hub.URL+`>; rel="hub"`) {
		t.Errorf("Link header %q does not name the hub", resp.Header.Get("Link"))
	}
	feedtest.Write(t, filepath.Join(e.seeds, "ping.txt"), "Ping the hub\n\nA new file.\n")
	select {
	case u := <-got:
		if !strings.HasPrefix(u, "http://"+p.addr+"/feed.") {
			t.Errorf("hub was told about %q; want a feed URL", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the hub heard nothing after a file landed")
	}
	p.stop(t)
}
