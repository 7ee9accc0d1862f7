package daemon

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/websub"
)

// pushed is a delivery a callback got, and when.
type pushed struct {
	topic, hub, body, ctype string
	signedOK                bool
	at                      time.Time
}

// hubCallback is a subscriber's callback: it echoes challenges and hands
// on deliveries, checking their signature with secret.
func hubCallback(t *testing.T, secret string) (*httptest.Server, chan pushed) {
	got := make(chan pushed, 32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			io.WriteString(w, r.URL.Query().Get("hub.challenge"))
			return
		}
		body, _ := io.ReadAll(r.Body)
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		self, hub := "", ""
		for _, l := range strings.Split(r.Header.Get("Link"), ",") {
			target := strings.Trim(strings.TrimSpace(strings.Split(l, ";")[0]), "<>")
			switch {
			case strings.Contains(l, `rel="self"`):
				self = target
			case strings.Contains(l, `rel="hub"`):
				hub = target
			}
		}
		got <- pushed{self, hub, string(body), r.Header.Get("Content-Type"),
			r.Header.Get("X-Hub-Signature") == "sha256="+hex.EncodeToString(mac.Sum(nil)), time.Now()}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// subscribeTo subscribes callback to topic at the daemon's hub.
func subscribeTo(t *testing.T, p *proc, topic, callback, secret string) {
	t.Helper()
	resp, err := http.PostForm(p.url("/hub"), url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic},
		"hub.callback": {callback}, "hub.secret": {secret}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("subscribe to %s: %s; want 202", topic, resp.Status)
	}
}

// waitPush waits for a delivery of topic whose body holds want, keeping
// the others it takes from got in seen for later calls: deliveries of
// different topics come in any order.
func waitPush(t *testing.T, got chan pushed, seen *[]pushed, topic, want string) pushed {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		for i, d := range *seen {
			if d.topic == topic && strings.Contains(d.body, want) {
				*seen = append((*seen)[:i], (*seen)[i+1:]...)
				return d
			}
		}
		select {
		case d := <-got:
			*seen = append(*seen, d)
		case <-deadline:
			t.Fatalf("no delivery of %s with %q within 10 s", topic, want)
		}
	}
}

// TestHubEndToEnd: with hub = true, the feeds advertise the embedded hub;
// a subscriber gets a new seed file pushed, signed, for the main feed and
// for a category's; and after a restart its subscription still works.
func TestHubEndToEnd(t *testing.T) {
	const base = "https://news.example.org/" // behind a proxy: topics keep their URLs across restarts, which change the port
	e := newEnv(t, func(o *Options) {
		o.Site.BaseURL = base
		o.Hub = &websub.HubOptions{Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
		o.Metrics = true
	})
	p := start(t, e)
	hubURL := base + "hub"
	atom := base + "feed.atom"
	if body := string(get(t, p.url("/feed.atom"))); !strings.Contains(body, `<link href="`+hubURL+`" rel="hub">`) {
		t.Errorf("feed.atom does not advertise the hub %s", hubURL)
	}
	if body := string(get(t, p.url("/feed.json"))); !strings.Contains(body, `"url":"`+hubURL+`"`) {
		t.Errorf("feed.json does not list the hub %s", hubURL)
	}
	resp := fetch(t, p.url("/feed.rss"), nil)
	if link := resp.Header.Get("Link"); !strings.Contains(link, "<"+hubURL+`>; rel="hub"`) || !strings.Contains(link, `<`+base+`feed.rss>; rel="self"`) {
		t.Errorf("feed.rss Link header %q; want the hub and itself", link)
	}

	cb, got := hubCallback(t, "k3y")
	var seen []pushed
	// Another spelling of a feed's URL is no topic: its subscribers would
	// never hear of it.
	for _, topic := range []string{base + "feed%2Eatom", base + "feed.atom?x=1", base + "category/TEHRAN/feed.rss"} {
		if _, ok := p.d.topicName(topic); ok {
			t.Errorf("%s is taken for a topic; want only the feeds' own URLs", topic)
		}
	}
	category := base + "category/tehran/feed.rss"
	// The hub takes and verifies subscriptions while a render holds the
	// daemon's lock, and a publish returns at once meanwhile.
	func() {
		p.d.mu.Lock()
		defer p.d.mu.Unlock() // a failure below lets go too
		subscribeTo(t, p, atom, cb.URL+"/atom", "k3y")
		feedtest.WaitFor(t, 5*time.Second, "a subscription verified while the daemon is locked", func() bool { return p.d.hub.Stats().Verified == 1 })
		p.d.hub.Publish([]string{atom})
	}()
	subscribeTo(t, p, category, cb.URL+"/tehran", "k3y")
	feedtest.WaitFor(t, 5*time.Second, "two subscriptions in /healthz", func() bool {
		h := getHealth(t, p)
		return h.Hub != nil && h.Hub.Subscriptions == 2
	})

	wrote := time.Now()
	feedtest.Write(t, filepath.Join(e.seeds, "pushed.txt"), "TEHRAN – A story pushed to its subscribers as it lands, not when they poll.\n")
	d := waitPush(t, got, &seen, atom, "pushed to its subscribers")
	t.Logf("the new file reached the subscriber %v after it was written", d.at.Sub(wrote).Round(time.Millisecond))
	if !d.signedOK || !strings.HasPrefix(d.ctype, "application/atom+xml") {
		t.Errorf("delivery of %s: signed %v, type %q; want signed, Atom", atom, d.signedOK, d.ctype)
	}
	if d := waitPush(t, got, &seen, category, "pushed to its subscribers"); !d.signedOK || !strings.HasPrefix(d.ctype, "application/rss+xml") {
		t.Errorf("delivery of %s: signed %v, type %q; want signed, RSS", category, d.signedOK, d.ctype)
	}
	feedtest.WaitFor(t, 5*time.Second, "the hub's figures in /metrics", func() bool {
		m := scrape(t, p.url("/metrics"))
		return value(m, "seedfeed_websub_subscriptions", "state", "live") == 2 &&
			value(m, "seedfeed_websub_deliveries_total", "result", "ok") >= 2
	})

	p.stop(t)
	p = start(t, e)
	if h := getHealth(t, p); h.Hub == nil || h.Hub.Subscriptions != 2 {
		t.Fatalf("after a restart, /healthz says hub %+v; want 2 subscriptions", h.Hub)
	}
	feedtest.Write(t, filepath.Join(e.seeds, "after-restart.txt"), "A story after the restart\n\nStill pushed.\n")
	if d := waitPush(t, got, &seen, atom, "after the restart"); !d.signedOK {
		t.Error("the delivery after the restart is not signed with the subscriber's secret")
	}

	// A reload that renames the site changes every category's documents:
	// their subscribers hear of it too.
	renamed := e.opts
	renamed.Site.Title = "Renamed News"
	p.d.Reload(renamed)
	waitPush(t, got, &seen, category, "Renamed News")

	// A reload that moves the base URL moves the subscriptions with it: the
	// next change reaches them under the new URLs, from the new hub.
	const moved = "https://moved.example.org/"
	renamed.Site.BaseURL = moved
	p.d.Reload(renamed)
	feedtest.Write(t, filepath.Join(e.seeds, "after-the-move.txt"), "A story after the move\n\nStill pushed.\n")
	if d := waitPush(t, got, &seen, moved+"feed.atom", "after the move"); d.hub != moved+"hub" || !d.signedOK {
		t.Errorf("delivery after the move: hub %q, signed %v; want %shub, signed", d.hub, d.signedOK, moved)
	}
	if f := getHealth(t, p).Hub.Failed; f != 0 {
		t.Errorf("%d failed deliveries; want none (none of the callbacks failed)", f)
	}
}
