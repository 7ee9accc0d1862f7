package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// subscribers are the callbacks of the hub rows, all in this process: each
// echoes its challenge, and counts the deliveries that hold the marker.
type subscribers struct {
	srv    *http.Server
	addr   string
	marker atomic.Pointer[string]
	mu     sync.Mutex
	got    map[string]bool // callbacks that got the marker
	first  time.Time       // when the first of them did
	all    chan struct{}   // closed when every one of n has
	n      int
}

func newSubscribers(n int) (*subscribers, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &subscribers{addr: ln.Addr().String(), n: n}
	s.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			io.WriteString(w, r.URL.Query().Get("hub.challenge"))
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusNoContent)
		m := s.marker.Load()
		if m == nil || !strings.Contains(string(body), *m) {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.got[r.URL.Path] {
			if len(s.got) == 0 {
				s.first = time.Now()
			}
			s.got[r.URL.Path] = true
			if len(s.got) == s.n {
				close(s.all)
			}
		}
	})}
	go s.srv.Serve(ln) // ends at Close
	return s, nil
}

// expect starts counting the deliveries that hold marker.
func (s *subscribers) expect(marker string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got, s.all = map[string]bool{}, make(chan struct{})
	s.marker.Store(&marker)
	return s.all
}

// benchHub measures the embedded hub: one change delivered to n
// subscribers on loopback, and serving while fan-outs run against serving
// alone.
func benchHub(o options) ([]row, error) {
	n := 1000
	if o.quick {
		n = 100
	}
	dir := filepath.Join(o.dir, "hub")
	os.RemoveAll(dir)
	defer os.RemoveAll(dir)
	seeds := filepath.Join(dir, "seeds")
	if err := os.MkdirAll(seeds, 0o755); err != nil {
		return nil, err
	}
	for i := range 50 {
		if err := os.WriteFile(filepath.Join(seeds, fmt.Sprintf("a%02d.txt", i)), article(3, i), 0o644); err != nil {
			return nil, err
		}
	}
	config := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(config, []byte("hub = true\nhub_allowed_networks = [\"127.0.0.0/8\"]\n"), 0o644); err != nil {
		return nil, err
	}
	d, err := startDaemon(o, true, "-config", config, "-seeds", seeds, "-state", filepath.Join(dir, "state.db"))
	if err != nil {
		return nil, err
	}
	defer d.stop()
	subs, err := newSubscribers(n)
	if err != nil {
		return nil, err
	}
	defer subs.srv.Close()
	topic := "http://" + d.addr + "/feed.atom"
	if err := subscribeAll(d.addr, topic, subs.addr, n); err != nil {
		return nil, err
	}

	// One change, to every subscriber. Changes come a second apart or
	// more, as they do in a folder: a second change within the second of
	// the last waits for the next (see README, "HTTP").
	var fanouts, spreads []time.Duration
	for i := range 3 {
		time.Sleep(1100 * time.Millisecond)
		marker := fmt.Sprintf("hubmarker%d", i)
		all := subs.expect(marker)
		start := time.Now()
		if err := os.WriteFile(filepath.Join(seeds, marker+".txt"), []byte(strings.ToUpper(marker)+"\n\nA story for every subscriber, "+marker+".\n"), 0o644); err != nil {
			return nil, err
		}
		select {
		case <-all:
		case <-time.After(time.Minute):
			return nil, fmt.Errorf("hub: not all %d subscribers got the change within a minute", n)
		}
		fanouts = append(fanouts, time.Since(start))
		subs.mu.Lock()
		spreads = append(spreads, time.Since(subs.first))
		subs.mu.Unlock()
	}
	took := median(fanouts)
	rows := []row{{what: fmt.Sprintf("hub: one change delivered to %d subscribers on loopback, all have it", n),
		measured: ms(took) + " from the write", baseline: ms(median(spreads)) + " first to last", target: "<= 1 s to the first", ok: took-median(spreads) <= time.Second}}

	// Serving while fan-outs run, against serving alone: the feed is
	// driven as in the serving rows, and new files land every 300 ms
	// during one of the two loads. Each change is a render and a fan-out.
	var alone, during []float64
	for round := range o.rounds {
		r, err := load(o, topic, "")
		if err != nil {
			return nil, err
		}
		alone = append(alone, r)
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() { // ends at stop
			defer close(done)
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				case <-time.After(300 * time.Millisecond):
				}
				name := fmt.Sprintf("during%d-%d", round, i)
				os.WriteFile(filepath.Join(seeds, name+".txt"), []byte(strings.ToUpper(name)+"\n\nA story, "+name+".\n"), 0o644)
			}
		}()
		r, err = load(o, topic, "")
		close(stop)
		<-done
		if err != nil {
			return nil, err
		}
		during = append(during, r)
	}
	ratios := make([]float64, len(alone))
	for i := range alone {
		ratios[i] = during[i] / alone[i]
	}
	ratio := medianF(ratios)
	rows = append(rows, row{what: fmt.Sprintf("hub: serve /feed.atom while changes fan out to %d subscribers", n),
		measured: fmt.Sprintf("%.0f req/s", medianF(during)), baseline: fmt.Sprintf("%.0f req/s with no change", medianF(alone)),
		ratio: fmt.Sprintf("%.2fx", ratio), target: "reported", ok: true})
	return rows, nil
}

// subscribeAll subscribes n callbacks at base to topic through the hub at
// addr, 16 at a time, and waits until the hub holds all of them.
func subscribeAll(addr, topic, base string, n int) error {
	sem := make(chan struct{}, 16)
	errs := make(chan error, n)
	for i := range n {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			for {
				resp, err := http.PostForm("http://"+addr+"/hub", url.Values{"hub.mode": {"subscribe"}, "hub.topic": {topic},
					"hub.callback": {fmt.Sprintf("http://%s/cb/%d", base, i)}, "hub.secret": {"bench"}})
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusServiceUnavailable { // verifications under way: as a subscriber would, ask again
						time.Sleep(100 * time.Millisecond)
						continue
					}
					if resp.StatusCode != http.StatusAccepted {
						err = fmt.Errorf("subscribe: %s", resp.Status)
					}
				}
				errs <- err
				return
			}
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			return err
		}
	}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var h struct {
			Hub struct {
				Subscriptions int `json:"subscriptions"`
			} `json:"hub"`
		}
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return err
		}
		err = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if h.Hub.Subscriptions == n {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("hub: the subscriptions were not all verified within a minute")
}
