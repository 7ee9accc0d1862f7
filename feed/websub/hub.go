package websub

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/state"
)

// HubOptions configure the embedded hub. Zero durations and counts take
// the defaults named.
type HubOptions struct {
	URL     string         // the hub's own URL, as the feeds advertise it
	Allowed []netip.Prefix // callback networks allowed besides public addresses: for intranets and tests
	// Topics reports whether topic is one of seedfeed's own feeds; the hub
	// serves no other.
	Topics func(topic string) bool
	// Content returns the document at topic now, and its Content-Type.
	Content func(topic string) (body []byte, contentType string, err error)
	Store   Store
	Logger  *slog.Logger

	LeaseDefault time.Duration // 10 days
	LeaseMin     time.Duration // 1 hour
	LeaseMax     time.Duration // 30 days
	Timeout      time.Duration // of each request to a callback: 10 s
	Backoff      time.Duration // before the first retry of a failed delivery: 10 s, then doubling up to 30 minutes
	RetryFor     time.Duration // how long a delivery is retried: 24 hours
	MaxPerHost   int           // subscriptions with callbacks on one host: 10,000
	MaxTotal     int           // subscriptions in all: 100,000
}

// Store keeps the subscriptions across restarts: the state store.
type Store interface {
	Subscriptions() ([]state.Subscription, error)
	SaveSubscriptions(put []state.Subscription, drop []string) error
}

// Hub is a WebSub hub (W3C Recommendation, hub side) for seedfeed's own
// topics: it takes subscriptions, verifies the subscriber's intent, and
// posts each changed document to its subscribers (fat pings), signed when
// they gave a secret.
type Hub struct {
	opts   HubOptions
	log    *slog.Logger
	guard  *guard
	client *http.Client
	ctx    context.Context
	stop   context.CancelFunc
	wg     sync.WaitGroup
	verify chan struct{} // a slot per verification under way

	mu     sync.Mutex
	subs   map[string]*sub            // by Key
	topics map[string]map[string]*sub // by topic, then Key
	hosts  map[string]int             // subscriptions by callback host
	done   map[string]bool            // keys whose delivery succeeded since the last save: Pending cleared
	fast   lane                       // deliveries to subscribers that took the last one
	slow   lane                       // retries, so that a dead subscriber never holds up the others

	closed  bool                   // by Close: no new work
	url     atomic.Pointer[string] // the hub's own URL, as deliveries name it (see SetURL)
	saveMu  sync.Mutex             // held from a change through its save, so saves land in order; taken before mu
	publish chan []string          // topics to mark pending, for tend (see Publish)

	delivered, failed    atomic.Int64
	verified, unverified atomic.Int64
}

// sub is a subscription and where its delivery stands.
type sub struct {
	state.Subscription
	host   string
	gen    uint64      // counts the changes of its topic; a delivery clears Pending only if none came meanwhile
	queued bool        // in a lane, being delivered, or waiting for a retry
	slow   bool        // its last delivery took more than slowAfter: the slow lane serves it
	retry  *time.Timer // while waiting for a retry
}

// defaults fills in what opts leaves zero.
func (o *HubOptions) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&o.LeaseDefault, 10*24*time.Hour)
	set(&o.LeaseMin, time.Hour)
	set(&o.LeaseMax, 30*24*time.Hour)
	set(&o.Timeout, 10*time.Second)
	set(&o.Backoff, 10*time.Second)
	set(&o.RetryFor, 24*time.Hour)
	if o.MaxPerHost <= 0 {
		o.MaxPerHost = 10_000
	}
	if o.MaxTotal <= 0 {
		o.MaxTotal = 100_000
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// NewHub loads the stored subscriptions and drops the expired ones. What
// was pending when the daemon stopped is sent once SendPending is called,
// when the documents are there to send. It runs until Close.
func NewHub(opts HubOptions) (*Hub, error) {
	opts.defaults()
	g := &guard{allowed: opts.Allowed, resolver: net.DefaultResolver}
	h := &Hub{opts: opts, log: opts.Logger.With("hub", "embedded"), guard: g, client: g.client(opts.Timeout),
		verify: make(chan struct{}, 64), subs: map[string]*sub{}, topics: map[string]map[string]*sub{},
		hosts: map[string]int{}, done: map[string]bool{}, publish: make(chan []string, 256)}
	h.fast.wake, h.slow.wake = make(chan struct{}, 1), make(chan struct{}, 1)
	h.ctx, h.stop = context.WithCancel(context.Background())
	h.SetURL(opts.URL)
	stored, err := opts.Store.Subscriptions()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	var expired []string
	h.mu.Lock()
	for _, s := range stored {
		if !now.Before(s.Expires) {
			expired = append(expired, s.Key())
			continue
		}
		h.put(s)
	}
	h.mu.Unlock()
	if err := opts.Store.SaveSubscriptions(nil, expired); err != nil {
		return nil, err
	}
	for range 32 {
		h.run(&h.fast)
	}
	for range 4 {
		h.run(&h.slow)
	}
	h.wg.Add(1)
	go func() { // exits at Close
		defer h.wg.Done()
		h.tend()
	}()
	return h, nil
}

// put adds or replaces s in the maps. The caller holds h.mu.
func (h *Hub) put(s state.Subscription) *sub {
	if old, ok := h.subs[s.Key()]; ok {
		old.Secret, old.Expires = s.Secret, s.Expires
		return old
	}
	u, _ := url.Parse(s.Callback)
	n := &sub{Subscription: s, host: strings.ToLower(u.Hostname())}
	h.subs[s.Key()] = n
	if h.topics[s.Topic] == nil {
		h.topics[s.Topic] = map[string]*sub{}
	}
	h.topics[s.Topic][s.Key()] = n
	h.hosts[n.host]++
	return n
}

// drop removes the subscription with key. The caller holds h.mu.
func (h *Hub) drop(key string) {
	s, ok := h.subs[key]
	if !ok {
		return
	}
	delete(h.subs, key)
	delete(h.topics[s.Topic], key)
	if len(h.topics[s.Topic]) == 0 {
		delete(h.topics, s.Topic)
	}
	if h.hosts[s.host]--; h.hosts[s.host] <= 0 {
		delete(h.hosts, s.host)
	}
	delete(h.done, key)
	if s.retry != nil {
		s.retry.Stop()
	}
	s.Pending = time.Time{} // a delivery under way finds nothing more to do
}

// ServeHTTP takes a subscription request (WebSub 5.1): it checks it, answers
// 202 Accepted, and verifies the subscriber's intent (5.3) on its own time.
// Unknown parameters are ignored.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "405 method not allowed: subscribe with a POST", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "400 bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	req, err := h.parse(r)
	if err != nil {
		http.Error(w, "400 bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	select {
	case h.verify <- struct{}{}:
	default:
		w.Header().Set("Retry-After", "10")
		http.Error(w, "503 service unavailable: too many verifications under way", http.StatusServiceUnavailable)
		return
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		<-h.verify
		http.Error(w, "503 service unavailable: the hub is stopping", http.StatusServiceUnavailable)
		return
	}
	h.wg.Add(1)
	h.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
	go func() { // exits within the callback timeout, or at Close
		defer h.wg.Done()
		defer func() { <-h.verify }()
		h.settle(req)
	}()
}

// request is a subscription request that passed the checks made before
// 202 Accepted.
type request struct {
	mode, topic, secret string
	callback            *url.URL
	lease               time.Duration
}

// parse checks a subscription request as far as the answer to it goes:
// its mode, a callback the hub may reach, and a secret of the length the
// Recommendation allows. Whether the topic is served is told to the
// callback instead, as a denial.
func (h *Hub) parse(r *http.Request) (request, error) {
	f := r.PostForm
	req := request{mode: f.Get("hub.mode"), topic: f.Get("hub.topic"), secret: f.Get("hub.secret"), lease: h.opts.LeaseDefault}
	switch req.mode {
	case "subscribe", "unsubscribe":
	case "publish":
		return req, errors.New("this hub publishes seedfeed's own feeds as they change; it takes no publish requests")
	default:
		return req, fmt.Errorf("hub.mode %q is not subscribe or unsubscribe", req.mode)
	}
	if req.topic == "" {
		return req, errors.New("hub.topic is missing")
	}
	cb, err := url.Parse(f.Get("hub.callback"))
	if err != nil || (cb.Scheme != "http" && cb.Scheme != "https") || cb.Host == "" || cb.User != nil {
		return req, fmt.Errorf("hub.callback %q is not an absolute http(s) URL", f.Get("hub.callback"))
	}
	cb.Fragment = ""
	req.callback = cb
	if len(req.secret) >= 200 {
		return req, errors.New("hub.secret must be shorter than 200 bytes")
	}
	if s := f.Get("hub.lease_seconds"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return req, fmt.Errorf("hub.lease_seconds %q is not a positive number", s)
		}
		req.lease = min(time.Duration(min(n, 1<<32))*time.Second, h.opts.LeaseMax)
		req.lease = max(req.lease, h.opts.LeaseMin)
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := h.guard.check(ctx, cb); err != nil {
		return req, fmt.Errorf("hub.callback: %w", err)
	}
	return req, nil
}

// settle validates req (5.2), denying it at the callback when it cannot be
// served, then verifies the subscriber's intent (5.3), and only then
// subscribes or unsubscribes.
func (h *Hub) settle(req request) {
	log := h.log.With("topic", truncate(req.topic, 200), "callback", redact(req.callback))
	topicOK := req.mode != "subscribe" || h.opts.Topics(req.topic) // before h.mu: it asks the daemon
	if req.mode == "subscribe" {
		if reason := h.refusal(req, topicOK); reason != "" {
			log.Info("websub: subscription denied", "reason", reason)
			q := url.Values{"hub.mode": {"denied"}, "hub.topic": {req.topic}, "hub.reason": {reason}}
			h.call(req.callback, q, 0)
			return
		}
	}
	challenge := make([]byte, 24)
	rand.Read(challenge)
	want := base64.RawURLEncoding.EncodeToString(challenge)
	q := url.Values{"hub.mode": {req.mode}, "hub.topic": {req.topic}, "hub.challenge": {want}}
	if req.mode == "subscribe" {
		q.Set("hub.lease_seconds", strconv.FormatInt(int64(req.lease/time.Second), 10))
	}
	got, err := h.call(req.callback, q, len(want)+64)
	if err != nil || strings.TrimSpace(got) != want {
		if err == nil {
			err = errors.New("the callback did not echo hub.challenge")
		}
		log.Info("websub: intent not verified; nothing changed", "mode", req.mode, "reason", feed.Reason(err))
		h.unverified.Add(1)
		return
	}
	defer h.verified.Add(1)
	key := req.topic + "\x00" + req.callback.String()
	h.saveMu.Lock() // so that the store takes the changes in the order they are made
	h.mu.Lock()
	if req.mode == "unsubscribe" {
		h.drop(key)
		h.mu.Unlock()
		h.save(nil, []string{key})
		h.saveMu.Unlock()
		log.Info("websub: unsubscribed")
		return
	}
	if reason := h.refusalLocked(req, topicOK); reason != "" { // others may have subscribed meanwhile
		h.mu.Unlock()
		h.saveMu.Unlock() // before the request: a slow callback holds up no save
		log.Info("websub: subscription denied", "reason", reason)
		h.call(req.callback, url.Values{"hub.mode": {"denied"}, "hub.topic": {req.topic}, "hub.reason": {reason}}, 0)
		return
	}
	s := h.put(state.Subscription{Topic: req.topic, Callback: req.callback.String(), Secret: req.secret, Expires: time.Now().Add(req.lease)})
	saved := s.Subscription
	h.mu.Unlock()
	h.save([]state.Subscription{saved}, nil)
	h.saveMu.Unlock()
	log.Info("websub: subscribed", "lease", req.lease.String(), "signed", req.secret != "")
}

// refusal says why req cannot be served, or "". topicOK says whether its
// topic is one of the site's feeds.
func (h *Hub) refusal(req request, topicOK bool) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.refusalLocked(req, topicOK)
}

func (h *Hub) refusalLocked(req request, topicOK bool) string {
	if !topicOK {
		return "the topic is not a feed of this site, as the feed names itself (its rel=\"self\" URL)"
	}
	if _, renew := h.subs[req.topic+"\x00"+req.callback.String()]; renew {
		return ""
	}
	if len(h.subs) >= h.opts.MaxTotal {
		return "the hub holds as many subscriptions as it may"
	}
	if h.hosts[strings.ToLower(req.callback.Hostname())] >= h.opts.MaxPerHost {
		return "the callback's host holds as many subscriptions as it may"
	}
	return ""
}

// call GETs callback with q added to its query, and returns up to limit
// bytes of the body of a 2xx answer.
func (h *Hub) call(callback *url.URL, q url.Values, limit int) (string, error) {
	u := *callback
	if u.RawQuery == "" { // the callback's own query stays as it is, the hub's after it (5.3)
		u.RawQuery = q.Encode()
	} else {
		u.RawQuery += "&" + q.Encode()
	}
	req, err := http.NewRequestWithContext(h.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := h.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, int64(limit)))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", fmt.Errorf("the callback answered %s", resp.Status)
	}
	return string(body), nil
}

// userAgent names the hub in its requests.
const userAgent = "seedfeed (WebSub hub)"

// redact is a callback URL as logs show it: without its query, which may
// carry the subscriber's own secret.
func redact(u *url.URL) string {
	v := *u
	v.RawQuery = ""
	return v.String()
}

// redacted is redact of a callback URL kept as a string.
func redacted(callback string) string {
	if u, err := url.Parse(callback); err == nil {
		return redact(u)
	}
	return "(unreadable URL)"
}

// truncate bounds what a log line repeats of a request.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// save stores put and drops drop, logging a failure: the subscriptions in
// memory stand, and are saved again with the next change.
func (h *Hub) save(put []state.Subscription, drop []string) {
	if err := h.opts.Store.SaveSubscriptions(put, drop); err != nil {
		h.log.Error("websub: could not store subscriptions", "reason", feed.Reason(err))
	}
}

// SendPending queues every delivery still to make: those pending when the
// daemon last stopped. The daemon calls it once its documents are served.
func (h *Hub) SendPending() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.subs {
		if !s.Pending.IsZero() {
			h.enqueue(s)
		}
	}
}

// SetURL sets the hub's own URL, as deliveries name it: the base URL moved.
func (h *Hub) SetURL(u string) { h.url.Store(&u) }

// Retopic moves each subscription whose topic current maps to another URL
// (the site's base URL moved) to that URL, keeping its callback, secret,
// lease and what it is owed, and returns how many moved. current returns
// the topic as the feeds name it now, and whether it is still one.
func (h *Hub) Retopic(current func(topic string) (string, bool)) int {
	h.saveMu.Lock()
	defer h.saveMu.Unlock()
	var put []state.Subscription
	var drop []string
	h.mu.Lock()
	for key, s := range h.subs {
		topic, ok := current(s.Topic)
		if !ok || topic == s.Topic {
			continue
		}
		moved := s.Subscription
		moved.Topic = topic
		h.drop(key)
		h.put(moved)
		drop, put = append(drop, key), append(put, moved)
	}
	h.mu.Unlock()
	h.save(put, drop)
	return len(put)
}
