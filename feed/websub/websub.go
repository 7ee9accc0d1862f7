// Package websub tells WebSub hubs that feeds have changed, so that
// subscribers hear of a new entry at once instead of at their next poll.
//
// Each hub has its own goroutine and queue. A ping never blocks the caller:
// Publish only records which feeds changed. Failed pings are retried with
// exponential backoff; feeds that change again meanwhile are folded into the
// next attempt, so a slow hub gets one ping, not a backlog.
package websub

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/seedfeed/seedfeed/feed"
)

// Options tune a Publisher.
type Options struct {
	Client   *http.Client  // nil: a client with a 10 s timeout
	Logger   *slog.Logger  // nil: slog.Default()
	Backoff  time.Duration // first retry delay; doubles up to MaxDelay; zero means 1 s
	MaxDelay time.Duration // zero means 5 minutes
	Attempts int           // per change; zero means 8
	// Pinged, when set, is told of each ping to a hub: nil when the hub
	// took it, else why not.
	Pinged func(err error)
}

// Publisher pings a set of hubs.
type Publisher struct {
	hubs []*hub
	wg   sync.WaitGroup
	stop context.CancelFunc
}

type hub struct {
	url  string
	opts Options
	kick chan struct{}

	mu     sync.Mutex
	topics map[string]bool // feeds changed since the last successful ping
}

// New starts one goroutine per hub. They run until Close.
func New(hubs []string, opts Options) *Publisher {
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = 5 * time.Minute
	}
	if opts.Attempts <= 0 {
		opts.Attempts = 8
	}
	if opts.Pinged == nil {
		opts.Pinged = func(error) {}
	}
	ctx, stop := context.WithCancel(context.Background())
	p := &Publisher{stop: stop}
	for _, u := range hubs {
		h := &hub{url: u, opts: opts, kick: make(chan struct{}, 1), topics: map[string]bool{}}
		p.hubs = append(p.hubs, h)
		p.wg.Add(1)
		go func() { // exits when Close cancels ctx
			defer p.wg.Done()
			h.run(ctx)
		}()
	}
	return p
}

// Publish announces that the feeds at topics changed. It returns at once.
func (p *Publisher) Publish(topics []string) {
	for _, h := range p.hubs {
		h.mu.Lock()
		for _, t := range topics {
			h.topics[t] = true
		}
		h.mu.Unlock()
		select {
		case h.kick <- struct{}{}:
		default:
		}
	}
}

// Close stops the hubs' goroutines and waits for them. Pings not yet sent
// are dropped. It is safe to call more than once.
func (p *Publisher) Close() {
	p.stop()
	p.wg.Wait()
}

func (h *hub) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, 0, len(h.topics))
	for t := range h.topics {
		out = append(out, t)
	}
	h.topics = map[string]bool{}
	sort.Strings(out)
	return out
}

// giveBack returns topics whose ping failed to the queue.
func (h *hub) giveBack(topics []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range topics {
		h.topics[t] = true
	}
}

func (h *hub) run(ctx context.Context) {
	log := h.opts.Logger.With("hub", h.url)
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.kick:
		}
		delay := h.opts.Backoff
		for attempt := 1; ; attempt++ {
			topics := h.take()
			if len(topics) == 0 {
				break
			}
			err := h.ping(ctx, topics)
			if ctx.Err() == nil {
				h.opts.Pinged(err)
			}
			if err == nil {
				log.Debug("websub: published", "topics", len(topics))
				break
			}
			if ctx.Err() != nil {
				return
			}
			if attempt >= h.opts.Attempts {
				log.Warn("websub: giving up until the next change", "attempts", attempt, "reason", feed.Reason(err))
				break
			}
			h.giveBack(topics)
			log.Warn("websub: publish failed; will retry", "attempt", attempt, "in", delay.String(), "reason", feed.Reason(err))
			select {
			case <-ctx.Done():
				return
			case <-time.After(delay):
			}
			delay = min(2*delay, h.opts.MaxDelay)
		}
	}
}

// ping sends one publish request per topic, as WebSub hubs expect:
// hub.mode=publish and hub.url=<feed URL>, form-encoded.
func (h *hub) ping(ctx context.Context, topics []string) error {
	for _, t := range topics {
		form := url.Values{"hub.mode": {"publish"}, "hub.url": {t}}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("User-Agent", "seedfeed (WebSub publisher)")
		resp, err := h.opts.Client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("hub answered %s for %s", resp.Status, t)
		}
	}
	return nil
}
