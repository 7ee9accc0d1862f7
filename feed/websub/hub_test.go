package websub

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/state"
)

const site = "https://news.example.org/"

// topics are the hub's own, with their documents.
var topics = map[string][2]string{
	site + "feed.atom": {"<feed>atom</feed>", "application/atom+xml; charset=utf-8"},
	site + "feed.rss":  {"<rss>rss</rss>", "application/rss+xml; charset=utf-8"},
	site + "feed.json": {`{"version":"json"}`, "application/feed+json; charset=utf-8"},
}

// delivery is one content distribution request a subscriber got.
type delivery struct {
	body                   string
	ctype, link, signature string
}

// subscriber is a callback: it answers verifications as echo says, and
// deliveries as deliverStatus says.
type subscriber struct {
	t   *testing.T
	srv *httptest.Server

	mu            sync.Mutex
	echo          bool  // echo hub.challenge
	deliverStatus []int // answers to deliveries, in turn; the last repeats; empty: 204
	verified      []url.Values
	rawQueries    []string // of the verifications, as sent
	denied        []url.Values
	hang          chan struct{} // when set, deliveries wait on it
	entered       chan struct{} // when set, told of each delivery as it comes
	got           chan delivery
}

func newSubscriber(t *testing.T) *subscriber {
	s := &subscriber{t: t, echo: true, got: make(chan delivery, 16)}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Method == http.MethodGet {
			s.mu.Lock()
			defer s.mu.Unlock()
			if q.Get("hub.mode") == "denied" {
				s.denied = append(s.denied, q)
				return
			}
			s.verified = append(s.verified, q)
			s.rawQueries = append(s.rawQueries, r.URL.RawQuery)
			if s.echo {
				io.WriteString(w, q.Get("hub.challenge"))
			} else {
				io.WriteString(w, "no")
			}
			return
		}
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		hang, status := s.hang, http.StatusNoContent
		if n := len(s.deliverStatus); n > 0 {
			status = s.deliverStatus[0]
			if n > 1 {
				s.deliverStatus = s.deliverStatus[1:]
			}
		}
		s.mu.Unlock()
		if s.entered != nil {
			s.entered <- struct{}{}
		}
		if hang != nil {
			select {
			case <-hang:
			case <-r.Context().Done():
				return
			}
		}
		w.WriteHeader(status)
		if status >= 200 && status < 300 {
			s.got <- delivery{string(body), r.Header.Get("Content-Type"), r.Header.Get("Link"), r.Header.Get("X-Hub-Signature")}
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *subscriber) verifications() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.verified)
}

// hubEnv is a hub on a store, served over HTTP.
type hubEnv struct {
	hub   *Hub
	srv   *httptest.Server
	store *state.Store
	opts  HubOptions
}

func newHub(t *testing.T, change func(*HubOptions)) *hubEnv {
	t.Helper()
	store, err := state.Open(filepath.Join(t.TempDir(), "state.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	opts := HubOptions{
		URL:     site + "hub",
		Allowed: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		Topics:  func(topic string) bool { _, ok := topics[topic]; return ok },
		Content: func(topic string) ([]byte, string, error) {
			d, ok := topics[topic]
			if !ok {
				return nil, "", errors.New("no such topic")
			}
			return []byte(d[0]), d[1], nil
		},
		Store:   store,
		Backoff: 20 * time.Millisecond,
		Timeout: 5 * time.Second,
	}
	if change != nil {
		change(&opts)
	}
	e := &hubEnv{store: store, opts: opts}
	e.start(t)
	return e
}

// start runs a hub on e's store, as a restart would.
func (e *hubEnv) start(t *testing.T) {
	t.Helper()
	h, err := NewHub(e.opts)
	if err != nil {
		t.Fatal(err)
	}
	h.SendPending() // as the daemon does once its documents are served
	e.hub = h
	e.srv = httptest.NewServer(h)
	t.Cleanup(func() { e.srv.Close(); h.Close() })
}

func (e *hubEnv) stop() {
	e.srv.Close()
	e.hub.Close()
}

// request posts a subscription request and returns the status.
func (e *hubEnv) request(t *testing.T, form url.Values) int {
	t.Helper()
	resp, err := http.PostForm(e.srv.URL, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// subscribe subscribes s to topic and waits until the hub holds want
// subscriptions.
func (e *hubEnv) subscribe(t *testing.T, s *subscriber, topic string, extra url.Values, want int) {
	t.Helper()
	form := url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic}, "hub.callback": {s.srv.URL + "/cb"}}
	for k, v := range extra {
		form[k] = v
	}
	before := e.hub.Stats().Verified
	if got := e.request(t, form); got != http.StatusAccepted {
		t.Fatalf("subscribe: %d; want 202", got)
	}
	feedtest.WaitFor(t, 5*time.Second, "the subscription to be verified", func() bool {
		st := e.hub.Stats()
		return st.Verified > before && st.Subscriptions == want
	})
}

func receive(t *testing.T, s *subscriber) delivery {
	t.Helper()
	select {
	case d := <-s.got:
		return d
	case <-time.After(5 * time.Second):
		t.Fatal("no delivery within 5 s")
	}
	return delivery{}
}

// delivered waits until the hub has nothing left to deliver, and fails
// unless it made exactly want deliveries since it had made before: a
// delivery it was not due counts, however late it would reach its
// callback. The caller has received the deliveries it expects.
func delivered(t *testing.T, e *hubEnv, before int64, want int64) {
	t.Helper()
	feedtest.WaitFor(t, 5*time.Second, "every delivery made", func() bool { return e.hub.Stats().Pending == 0 })
	if got := e.hub.Stats().Delivered - before; got != want {
		t.Errorf("%d deliveries for the change; want %d", got, want)
	}
}

// TestHubConformance drives the hub as websub.rocks's hub tests 100 to 106
// do.
func TestHubConformance(t *testing.T) {
	e := newHub(t, nil)
	atom := site + "feed.atom"

	// 100: a plain subscription, verified, then a delivery.
	plain := newSubscriber(t)
	e.subscribe(t, plain, atom, url.Values{"hub.lease_seconds": {"7200"}}, 1)
	plain.mu.Lock()
	v := plain.verified[0]
	plain.mu.Unlock()
	if v.Get("hub.mode") != "subscribe" || v.Get("hub.topic") != atom || v.Get("hub.challenge") == "" || v.Get("hub.lease_seconds") != "7200" {
		t.Errorf("verification of intent: %v; want mode, topic, challenge and lease_seconds 7200", v)
	}
	e.hub.Publish([]string{atom})
	d := receive(t, plain)
	if d.body != topics[atom][0] || d.ctype != topics[atom][1] || d.signature != "" {
		t.Errorf("delivery: %+v; want the Atom document, its type, no signature", d)
	}
	if !strings.Contains(d.link, `<`+site+`hub>; rel="hub"`) || !strings.Contains(d.link, `<`+atom+`>; rel="self"`) {
		t.Errorf("delivery Link: %q; want the hub and the topic", d.link)
	}

	// 101: with a secret, each delivery is signed.
	signed := newSubscriber(t)
	e.subscribe(t, signed, atom, url.Values{"hub.secret": {"s3cret"}}, 2)
	e.hub.Publish([]string{atom})
	receive(t, plain)
	d = receive(t, signed)
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write([]byte(d.body))
	if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); d.signature != want {
		t.Errorf("X-Hub-Signature = %q; want %q", d.signature, want)
	}

	// 102: unknown parameters are ignored.
	extra := newSubscriber(t)
	e.subscribe(t, extra, atom, url.Values{"foo": {"bar"}, "hub.unknown": {"x"}}, 3)

	// 103: subscribing again renews the lease; it does not add one.
	e.subscribe(t, extra, atom, url.Values{"hub.lease_seconds": {"86400"}}, 3)
	if got := extra.verifications(); got != 2 {
		t.Errorf("%d verifications; want 2", got)
	}
	feedtest.WaitFor(t, 5*time.Second, "the renewed lease", func() bool {
		subs, _ := e.store.Subscriptions()
		for _, s := range subs {
			if s.Callback == extra.srv.URL+"/cb" {
				return time.Until(s.Expires) > 23*time.Hour
			}
		}
		return false
	})
	before := e.hub.Stats().Delivered
	e.hub.Publish([]string{atom})
	receive(t, extra)
	receive(t, plain)
	receive(t, signed)
	delivered(t, e, before, 3) // one to a renewed subscription, not two

	// 104: unsubscribing, verified, ends it.
	if got := e.request(t, url.Values{"hub.mode": {"unsubscribe"}, "hub.topic": {atom}, "hub.callback": {extra.srv.URL + "/cb"}}); got != http.StatusAccepted {
		t.Fatalf("unsubscribe: %d", got)
	}
	feedtest.WaitFor(t, 5*time.Second, "the unsubscription", func() bool { return e.hub.Stats().Subscriptions == 2 })
	before = e.hub.Stats().Delivered
	e.hub.Publish([]string{atom})
	receive(t, plain)
	receive(t, signed)
	delivered(t, e, before, 2) // none to the callback that left

	// 105, 106: RSS and JSON topics, each with its type.
	for _, topic := range []string{site + "feed.rss", site + "feed.json"} {
		s := newSubscriber(t)
		e.subscribe(t, s, topic, nil, e.hub.Stats().Subscriptions+1)
		e.hub.Publish([]string{topic})
		if d := receive(t, s); d.body != topics[topic][0] || d.ctype != topics[topic][1] {
			t.Errorf("%s: delivery %+v; want its document and type %s", topic, d, topics[topic][1])
		}
	}
}

// TestHubRefusals: what the hub refuses, and how it says so.
func TestHubRefusals(t *testing.T) {
	e := newHub(t, nil)
	s := newSubscriber(t)
	cb := s.srv.URL + "/cb"
	for _, c := range []struct {
		form url.Values
		want int
	}{
		{url.Values{"hub.mode": {"subscribe"}, "hub.topic": {site + "feed.atom"}, "hub.callback": {"ftp://x/"}}, 400},
		{url.Values{"hub.mode": {"subscribe"}, "hub.callback": {cb}}, 400},
		{url.Values{"hub.mode": {"publish"}, "hub.url": {site + "feed.atom"}}, 400},
		{url.Values{"hub.mode": {"subscribe"}, "hub.topic": {site + "feed.atom"}, "hub.callback": {cb}, "hub.secret": {strings.Repeat("x", 200)}}, 400},
		{url.Values{"hub.mode": {"subscribe"}, "hub.topic": {site + "feed.atom"}, "hub.callback": {cb}, "hub.lease_seconds": {"soon"}}, 400},
	} {
		if got := e.request(t, c.form); got != c.want {
			t.Errorf("%v: %d; want %d", c.form, got, c.want)
		}
	}
	// A topic that is not the site's: accepted, then denied at the callback.
	if got := e.request(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"https://elsewhere.example/feed"}, "hub.callback": {cb}}); got != http.StatusAccepted {
		t.Errorf("foreign topic: %d; want 202, then a denial", got)
	}
	feedtest.WaitFor(t, 5*time.Second, "the denial", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.denied) == 1 && s.denied[0].Get("hub.reason") != "" && s.denied[0].Get("hub.topic") == "https://elsewhere.example/feed"
	})
	// A callback that does not echo the challenge is not subscribed.
	s.mu.Lock()
	s.echo = false
	s.mu.Unlock()
	e.request(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {site + "feed.atom"}, "hub.callback": {cb}})
	feedtest.WaitFor(t, 5*time.Second, "the verification to fail", func() bool { return e.hub.Stats().Unverified == 1 })
	if n := e.hub.Stats().Subscriptions; n != 0 {
		t.Errorf("%d subscriptions after a failed verification; want 0", n)
	}

	// Loopback without the allow-list: refused before anything is sent to it.
	strict := newHub(t, func(o *HubOptions) { o.Allowed = nil })
	if got := strict.request(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {site + "feed.atom"}, "hub.callback": {cb}}); got != http.StatusBadRequest {
		t.Errorf("loopback callback without the allow-list: %d; want 400", got)
	}
	for _, a := range []string{"10.0.0.1", "169.254.169.254", "192.168.1.1", "::1", "fe80::1", "fd00:ec2::254", "100.64.0.1", "0.0.0.0",
		"::ffff:10.0.0.1", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "2002:a00:1::1", "2002:7f00:1::1", "2001:0:4136:e378::1",
		"::7f00:1", "::a00:1", "fec0::1", "100::1", "192.0.2.1", "198.51.100.1", "203.0.113.9", "224.0.0.1", "255.255.255.255"} {
		if (&guard{}).permits(netip.MustParseAddr(a)) {
			t.Errorf("%s is permitted; want it refused", a)
		}
	}
	for _, a := range []string{"93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "64:ff9b::5db8:d70e", "2002:5db8:d70e::1"} {
		if !(&guard{}).permits(netip.MustParseAddr(a)) {
			t.Errorf("public address %s is refused", a)
		}
	}
	if s.verifications() != 1 {
		t.Errorf("the strict hub sent %d requests to a loopback callback; want none", s.verifications()-1)
	}
}

// rebinding answers a public address first and a private one after, as a
// name whose records an attacker changes between the hub's check and its
// connection.
type rebinding struct{ calls atomic.Int32 }

func (r *rebinding) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	if r.calls.Add(1) == 1 {
		return []netip.Addr{netip.MustParseAddr("93.184.215.14")}, nil
	}
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

// TestGuardChecksAgainOnConnect: the address is checked when the name is
// resolved for the subscription, and again when each request connects.
func TestGuardChecksAgainOnConnect(t *testing.T) {
	g := &guard{resolver: &rebinding{}}
	cb, _ := url.Parse("http://rebind.example/cb")
	if err := g.check(context.Background(), cb); err != nil {
		t.Fatalf("check of a public address: %v", err)
	}
	c, err := g.dial(context.Background(), "tcp", "rebind.example:80")
	if err == nil {
		c.Close()
	}
	if !errors.Is(err, errRefused) {
		t.Errorf("dial after the name turned private: %v; want it refused", err)
	}
}

// TestHubKeepsCallbackQuery: a callback's own query stays as it was, the
// hub's parameters after it (WebSub 5.3).
func TestHubKeepsCallbackQuery(t *testing.T) {
	q := newHub(t, nil)
	own := newSubscriber(t)
	form := url.Values{"hub.mode": {"subscribe"}, "hub.topic": {site + "feed.atom"}, "hub.callback": {own.srv.URL + "/cb?user=5&x=a%20b"}}
	if got := q.request(t, form); got != http.StatusAccepted {
		t.Fatalf("subscribe: %d", got)
	}
	feedtest.WaitFor(t, 5*time.Second, "the verification", func() bool { return own.verifications() == 1 })
	own.mu.Lock()
	if q := own.rawQueries[0]; !strings.HasPrefix(q, "user=5&x=a%20b&hub.") {
		t.Errorf("verification query %q; want the callback's own first, as it was", q)
	}
	own.mu.Unlock()
	feedtest.WaitFor(t, 5*time.Second, "the subscription", func() bool { return q.hub.Stats().Subscriptions == 1 })
}

// TestHubDeliveryFailures: a 500 is retried until it succeeds, a 410 ends
// the subscription, and a callback that hangs holds up no other.
func TestHubDeliveryFailures(t *testing.T) {
	e := newHub(t, func(o *HubOptions) { o.Timeout = time.Minute }) // the hung callback hangs past every wait below
	atom := site + "feed.atom"
	flaky := newSubscriber(t)
	flaky.deliverStatus = []int{500, 500, 200}
	e.subscribe(t, flaky, atom, nil, 1)
	gone := newSubscriber(t)
	gone.deliverStatus = []int{http.StatusGone}
	e.subscribe(t, gone, atom, nil, 2)
	hung := newSubscriber(t)
	hung.hang, hung.entered = make(chan struct{}), make(chan struct{}, 1)
	defer close(hung.hang)
	e.subscribe(t, hung, site+"feed.rss", nil, 3)
	healthy := newSubscriber(t)
	e.subscribe(t, healthy, atom, nil, 4)

	e.hub.Publish([]string{site + "feed.rss"})
	<-hung.entered // it holds its delivery
	e.hub.Publish([]string{atom})
	receive(t, healthy) // while the hung one still hangs
	receive(t, flaky)   // after two retries
	feedtest.WaitFor(t, 5*time.Second, "the 410 to end its subscription", func() bool { return e.hub.Stats().Subscriptions == 3 })
	if st := e.hub.Stats(); st.Failed < 2 {
		t.Errorf("failed deliveries = %d; want at least the flaky callback's 2", st.Failed)
	}
	subs, _ := e.store.Subscriptions()
	for _, s := range subs {
		if s.Callback == gone.srv.URL+"/cb" {
			t.Error("the store still holds the subscription that answered 410")
		}
	}
}

// TestHubRestart: subscriptions survive a restart, and a delivery that had
// not been taken when the hub stopped is sent after it starts again.
func TestHubRestart(t *testing.T) {
	e := newHub(t, func(o *HubOptions) { o.Backoff = time.Hour })
	atom := site + "feed.atom"
	s := newSubscriber(t)
	s.deliverStatus = []int{503, 204}
	e.subscribe(t, s, atom, url.Values{"hub.secret": {"k"}}, 1)
	e.hub.Publish([]string{atom})
	feedtest.WaitFor(t, 5*time.Second, "the failed delivery", func() bool { return e.hub.Stats().Failed == 1 })
	e.stop()

	e.start(t) // the retry an hour away is not waited for: the start sends what is pending
	if n := e.hub.Stats().Subscriptions; n != 1 {
		t.Fatalf("%d subscriptions after a restart; want 1", n)
	}
	d := receive(t, s)
	if d.body != topics[atom][0] || !strings.HasPrefix(d.signature, "sha256=") {
		t.Errorf("delivery after the restart: %+v; want the document, signed", d)
	}
	feedtest.WaitFor(t, 5*time.Second, "the delivery to be stored as done", func() bool {
		subs, _ := e.store.Subscriptions()
		return len(subs) == 1 && subs[0].Pending.IsZero()
	})
}

// TestHubInFlightAtStop: a delivery under way when the hub stops (as at
// SIGTERM) is sent again after it starts.
func TestHubInFlightAtStop(t *testing.T) {
	e := newHub(t, nil)
	atom := site + "feed.atom"
	s := newSubscriber(t)
	s.hang, s.entered = make(chan struct{}), make(chan struct{}, 4)
	e.subscribe(t, s, atom, nil, 1)
	e.hub.Publish([]string{atom})
	<-s.entered // the delivery is in flight
	e.stop()
	s.mu.Lock()
	s.hang = nil
	s.mu.Unlock()
	e.start(t)
	if d := receive(t, s); d.body != topics[atom][0] {
		t.Errorf("delivery after the restart: %q; want the Atom document", d.body)
	}
}

// TestHubLimits: past the subscriptions allowed per callback host, a
// subscription is denied at its callback.
func TestHubLimits(t *testing.T) {
	e := newHub(t, func(o *HubOptions) { o.MaxPerHost = 1 })
	s := newSubscriber(t)
	e.subscribe(t, s, site+"feed.atom", nil, 1)
	e.subscribe(t, s, site+"feed.atom", url.Values{"hub.lease_seconds": {"86400"}}, 1) // a renewal is no new one
	if got := e.request(t, url.Values{"hub.mode": {"subscribe"}, "hub.topic": {site + "feed.rss"}, "hub.callback": {s.srv.URL + "/other"}}); got != http.StatusAccepted {
		t.Fatalf("subscribe: %d", got)
	}
	feedtest.WaitFor(t, 5*time.Second, "the denial", func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.denied) == 1 && strings.Contains(s.denied[0].Get("hub.reason"), "as many subscriptions")
	})
	if n := e.hub.Stats().Subscriptions; n != 1 {
		t.Errorf("%d subscriptions; want 1", n)
	}
}

// TestHubLeaseExpiry: a subscription whose lease ran out is dropped.
func TestHubLeaseExpiry(t *testing.T) {
	e := newHub(t, func(o *HubOptions) { o.LeaseMin = time.Second })
	s := newSubscriber(t)
	e.subscribe(t, s, site+"feed.atom", url.Values{"hub.lease_seconds": {"1"}}, 1)
	feedtest.WaitFor(t, 5*time.Second, "the lease to run out", func() bool { return e.hub.Stats().Subscriptions == 0 })
	feedtest.WaitFor(t, 5*time.Second, "the store to forget it", func() bool {
		subs, _ := e.store.Subscriptions()
		return len(subs) == 0
	})
}
