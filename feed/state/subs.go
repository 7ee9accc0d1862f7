package state

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketSubs holds the subscriptions of the embedded WebSub hub: topic +
// "\x00" + callback → Subscription, as JSON. They are few (thousands at
// most), and read once, at start.
var bucketSubs = []byte("websub-subscriptions")

// Subscription is one WebSub subscriber of one topic, as the hub keeps it
// across restarts.
type Subscription struct {
	Topic    string    `json:"topic"`
	Callback string    `json:"callback"`
	Secret   string    `json:"secret,omitempty"`
	Expires  time.Time `json:"expires"`
	// Pending is when the topic changed with no delivery of it taken by
	// the callback since; zero when none waits. A delivery in flight when
	// the daemon stops is sent again after it starts.
	Pending  time.Time `json:"pending,omitzero"`
	Attempts int       `json:"attempts,omitempty"` // failed deliveries of what is pending
}

// Key is what names a subscription: its topic and callback.
func (s Subscription) Key() string { return s.Topic + "\x00" + s.Callback }

// Subscriptions returns every subscription stored.
func (s *Store) Subscriptions() ([]Subscription, error) {
	var out []Subscription
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSubs)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var sub Subscription
			if err := json.Unmarshal(v, &sub); err != nil {
				return fmt.Errorf("subscription %q: %w", k, err)
			}
			out = append(out, sub)
			return nil
		})
	})
	return out, err
}

// SaveSubscriptions stores put and removes the subscriptions named by the
// keys in drop, in one transaction.
func (s *Store) SaveSubscriptions(put []Subscription, drop []string) error {
	if len(put) == 0 && len(drop) == 0 {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSubs)
		if err != nil {
			return err
		}
		for _, k := range drop {
			if err := b.Delete([]byte(k)); err != nil {
				return err
			}
		}
		for _, sub := range put {
			v, err := json.Marshal(sub)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(sub.Key()), v); err != nil {
				return err
			}
		}
		return nil
	})
}
