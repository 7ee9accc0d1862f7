package websub

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/state"
)

// lane is a queue of subscriptions to deliver to, by key, and the workers
// that take from it.
type lane struct {
	mu   sync.Mutex
	keys []string
	wake chan struct{} // has a token while keys may be non-empty
}

func (l *lane) push(key string) {
	l.mu.Lock()
	l.keys = append(l.keys, key)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// pop returns the next key, or false when the lane is empty.
func (l *lane) pop() (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.keys) == 0 {
		return "", false
	}
	k := l.keys[0]
	l.keys[0] = ""
	l.keys = l.keys[1:]
	if len(l.keys) > 0 {
		select { // pass the token on to another worker
		case l.wake <- struct{}{}:
		default:
		}
	}
	return k, true
}

// run starts a worker of l.
func (h *Hub) run(l *lane) {
	h.wg.Add(1)
	go func() { // exits at Close
		defer h.wg.Done()
		for {
			key, ok := l.pop()
			if !ok {
				select {
				case <-h.ctx.Done():
					return
				case <-l.wake:
				}
				continue
			}
			h.deliver(key)
		}
	}()
}

// enqueue puts s in its lane, unless it is there already: the fast one,
// or the slow one after a failure or a slow answer. The caller holds h.mu.
func (h *Hub) enqueue(s *sub) {
	if s.queued {
		return
	}
	s.queued = true
	if s.Attempts > 0 || s.slow {
		h.slow.push(s.Key())
	} else {
		h.fast.push(s.Key())
	}
}

// slowAfter is how long a delivery may take before its subscriber is
// served by the slow lane: one that answers just inside the timeout must
// not hold up the fast lane's workers.
const slowAfter = 2 * time.Second

// Publish has the documents at topics delivered to their subscribers. It
// returns at once: the hub's own goroutine stores which deliveries are due
// before it starts them, and Close waits for it, so a restart sends them
// still.
func (h *Hub) Publish(topics []string) {
	select {
	case h.publish <- topics:
	case <-h.ctx.Done():
	}
}

// mark makes the subscriptions of topics pending, stores them so, and
// queues their deliveries.
func (h *Hub) mark(topics []string) {
	now := time.Now()
	var put []state.Subscription
	h.saveMu.Lock()
	defer h.saveMu.Unlock()
	h.mu.Lock()
	for _, t := range topics {
		for _, s := range h.topics[t] {
			if !now.Before(s.Expires) {
				continue // tend drops it
			}
			s.gen++
			delete(h.done, s.Key())
			if s.Pending.IsZero() {
				s.Pending = now
				put = append(put, s.Subscription)
			}
		}
	}
	h.mu.Unlock()
	h.save(put, nil) // stored before any is sent
	h.mu.Lock()
	for _, t := range topics {
		for _, s := range h.topics[t] {
			if !s.Pending.IsZero() {
				h.enqueue(s)
			}
		}
	}
	h.mu.Unlock()
}

// deliver posts the current document of the subscription's topic to its
// callback (WebSub 7): 2xx is done, 410 Gone ends the subscription, any
// other answer or none is tried again later, from the slow lane.
func (h *Hub) deliver(key string) {
	h.mu.Lock()
	s, ok := h.subs[key]
	if !ok || s.Pending.IsZero() {
		if ok {
			s.queued = false
		}
		h.mu.Unlock()
		return
	}
	topic, callback, secret, gen := s.Topic, s.Callback, s.Secret, s.gen
	h.mu.Unlock()

	start := time.Now()
	status, err := h.post(topic, callback, secret)
	h.saveMu.Lock()
	defer h.saveMu.Unlock()
	h.mu.Lock()
	if h.subs[key] != s { // unsubscribed meanwhile
		h.mu.Unlock()
		return
	}
	s.queued = false
	if h.ctx.Err() != nil {
		h.mu.Unlock()
		return // closing: what is pending stays stored, for the next start
	}
	s.slow = time.Since(start) > slowAfter
	log := h.log.With("topic", topic, "callback", redacted(callback))
	switch {
	case err == nil && status >= 200 && status <= 299:
		h.delivered.Add(1)
		s.Attempts = 0
		if s.gen != gen { // the topic changed again while it was sent
			s.Pending = time.Now()
			h.enqueue(s)
			break
		}
		s.Pending = time.Time{}
		h.done[key] = true
	case err == nil && status == http.StatusGone:
		h.delivered.Add(1)
		log.Info("websub: the callback is gone; subscription ended")
		h.drop(key)
		h.mu.Unlock()
		h.save(nil, []string{key})
		return
	default:
		h.failed.Add(1)
		if err == nil {
			err = fmt.Errorf("the callback answered %d", status)
		}
		s.Attempts++
		if time.Since(s.Pending) >= h.opts.RetryFor {
			log.Warn("websub: giving up a delivery until the topic changes again", "attempts", s.Attempts, "reason", feed.Reason(err))
			s.Pending, s.Attempts = time.Time{}, 0
			h.done[key] = true
			break
		}
		delay := min(h.opts.Backoff<<min(s.Attempts-1, 20), 30*time.Minute)
		level := slog.LevelDebug
		if s.Attempts == 1 {
			level = slog.LevelInfo // the first failure of a run of them is news
		}
		log.Log(context.Background(), level, "websub: delivery failed; will retry", "in", delay.String(), "reason", feed.Reason(err))
		s.queued = true // until the retry: a new change waits for it too
		s.retry = time.AfterFunc(delay, func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			if h.subs[key] == s && h.ctx.Err() == nil {
				s.retry, s.queued = nil, false
				h.enqueue(s)
			}
		})
	}
	h.mu.Unlock()
}

// post sends the document at topic to callback, signed with secret when
// there is one, and returns the answer's status.
func (h *Hub) post(topic, callback, secret string) (int, error) {
	body, ctype, err := h.opts.Content(topic)
	if err != nil {
		return 0, fmt.Errorf("the topic cannot be rendered now: %w", err)
	}
	req, err := http.NewRequestWithContext(h.ctx, http.MethodPost, callback, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Link", "<"+*h.url.Load()+`>; rel="hub", <`+topic+`>; rel="self"`)
	req.Header.Set("User-Agent", userAgent)
	if secret != "" {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		req.Header.Set("X-Hub-Signature", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}

// tendEvery is how often the hub drops expired subscriptions and stores
// which deliveries are done.
const tendEvery = time.Second

// tend marks what Publish hands it, drops expired subscriptions and
// stores the deliveries done, until Close; then it marks what is left and
// stores once more.
func (h *Hub) tend() {
	tick := time.NewTicker(tendEvery)
	defer tick.Stop()
	for {
		select {
		case topics := <-h.publish:
			h.mark(topics)
		case <-h.ctx.Done():
			for {
				select {
				case topics := <-h.publish:
					h.mark(topics)
					continue
				default:
				}
				break
			}
			h.flush()
			return
		case <-tick.C:
			h.flush()
		}
	}
}

// flush stores the deliveries done and drops the expired subscriptions.
func (h *Hub) flush() {
	now := time.Now()
	var put []state.Subscription
	var drop []string
	h.saveMu.Lock()
	defer h.saveMu.Unlock()
	h.mu.Lock()
	for key := range h.done {
		if s, ok := h.subs[key]; ok {
			put = append(put, s.Subscription)
		}
	}
	clear(h.done)
	for key, s := range h.subs {
		if !now.Before(s.Expires) {
			drop = append(drop, key)
			h.drop(key)
		}
	}
	h.mu.Unlock()
	h.save(put, drop)
}

// HubStats is what the hub reports for /healthz and the metrics.
type HubStats struct {
	Subscriptions int   // live
	Pending       int   // subscriptions with a delivery to make
	Delivered     int64 // deliveries taken (2xx, or 410)
	Failed        int64 // deliveries that failed, each retried or given up
	Verified      int64 // requests whose intent the callback confirmed
	Unverified    int64 // requests whose callback did not echo the challenge
}

// Stats returns the hub's figures now.
func (h *Hub) Stats() HubStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := HubStats{Subscriptions: len(h.subs), Delivered: h.delivered.Load(), Failed: h.failed.Load(),
		Verified: h.verified.Load(), Unverified: h.unverified.Load()}
	for _, s := range h.subs {
		if !s.Pending.IsZero() {
			st.Pending++
		}
	}
	return st
}

// Close stops the hub: deliveries and verifications under way are cut
// short, and what is pending stays stored, for the next start.
func (h *Hub) Close() {
	h.stop()
	h.mu.Lock()
	h.closed = true
	for _, s := range h.subs {
		if s.retry != nil {
			s.retry.Stop()
		}
	}
	h.mu.Unlock()
	h.wg.Wait()
}
