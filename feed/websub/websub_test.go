package websub

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"
)

// fakeHub records publish pings and fails the first failFirst of them.
type fakeHub struct {
	mu        sync.Mutex
	failFirst int
	calls     int
	got       []string // hub.url of each accepted ping
	bad       []string // anything malformed
}

func (h *fakeHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls++
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		h.bad = append(h.bad, r.Method+" "+r.Header.Get("Content-Type"))
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("hub.mode") != "publish" {
		h.bad = append(h.bad, "mode "+r.PostForm.Get("hub.mode"))
	}
	if h.calls <= h.failFirst {
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	h.got = append(h.got, r.PostForm.Get("hub.url"))
	w.WriteHeader(http.StatusNoContent)
}

func (h *fakeHub) wait(t *testing.T, n int) []string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		h.mu.Lock()
		got := append([]string(nil), h.got...)
		h.mu.Unlock()
		if len(got) >= n {
			sort.Strings(got)
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("hub got %d pings; want %d", len(h.got), n)
	return nil
}

func TestPublish(t *testing.T) {
	hub := &fakeHub{}
	srv := httptest.NewServer(hub)
	defer srv.Close()
	p := New([]string{srv.URL}, Options{})
	defer p.Close()
	p.Publish([]string{"https://example.org/feed.atom", "https://example.org/feed.rss"})
	got := hub.wait(t, 2)
	if got[0] != "https://example.org/feed.atom" || got[1] != "https://example.org/feed.rss" || len(hub.bad) > 0 {
		t.Errorf("hub got %q, malformed %q; want one publish per feed URL", got, hub.bad)
	}
}

func TestPublishRetriesWithBackoff(t *testing.T) {
	hub := &fakeHub{failFirst: 2}
	srv := httptest.NewServer(hub)
	defer srv.Close()
	p := New([]string{srv.URL}, Options{Backoff: 20 * time.Millisecond})
	defer p.Close()
	start := time.Now()
	p.Publish([]string{"https://example.org/feed.atom"})
	hub.wait(t, 1)
	if waited := time.Since(start); waited < 60*time.Millisecond {
		t.Errorf("third attempt came after %v; want backoff of 20ms then 40ms", waited)
	}
	if hub.calls != 3 {
		t.Errorf("%d calls; want 2 failures and a success", hub.calls)
	}
}

func TestPublishNeverBlocks(t *testing.T) {
	stuck := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-stuck }))
	defer srv.Close()
	defer close(stuck)
	p := New([]string{srv.URL}, Options{})
	start := time.Now()
	for range 100 {
		p.Publish([]string{"https://example.org/feed.atom"})
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("100 Publish calls to a stuck hub took %v; want them not to wait", d)
	}
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung on a stuck hub")
	}
}
