package index

import (
	"time"
)

// Expiring returns the paths of the entries whose expiry (Hugo's
// expiryDate) falls in (after, until], and the earliest expiry later than
// until, zero when there is none. The store remembers the expiries (see
// state.Expiries), so that they hold across restarts: a daemon sets a
// timer for next, and reads the due paths again (see Update), which takes
// them out as they are now expired, their pages answering 410 Gone; a
// rescan does so of its own (see Rescan).
func (ix *Index) Expiring(after, until time.Time) (due []string, next time.Time, err error) {
	all, err := ix.store.Expiries()
	if err != nil {
		return nil, time.Time{}, err
	}
	for _, e := range all {
		switch {
		case !e.At.After(after):
		case !e.At.After(until):
			due = append(due, e.Path)
		case next.IsZero() || e.At.Before(next):
			next = e.At
		}
	}
	return due, next, nil
}

// expiredAt returns the set of paths whose expiry has come by now: a
// rescan reads them again though their files did not change, so that
// what expired while no one looked leaves the feeds. Nil when none has.
func (ix *Index) expiredAt(now time.Time) (map[string]bool, error) {
	due, _, err := ix.Expiring(time.Time{}, now)
	if err != nil || len(due) == 0 {
		return nil, err
	}
	set := make(map[string]bool, len(due))
	for _, p := range due {
		set[p] = true
	}
	return set, nil
}
