package httpd

import (
	"context"
	"net/http"
	"time"

	"github.com/seedfeed/seedfeed/feed/render"
)

// warmWait bounds how long a request for what the index makes (an older
// entry's page, an archive page, a category's feed, a picture an entry
// references) waits, while a restarted daemon serves its last snapshot,
// for the first snapshot of its index. A reader or a browser that follows
// a link waits a few seconds without harm; after warmWait, well inside
// the readers' own timeouts, it gets 503
// with Retry-After, which readers and crawlers take for "come back soon",
// not for a page that is gone.
const warmWait = 10 * time.Second // see Handler.warmWait

// retryWarm is the Retry-After of a request that waited warmWait in vain.
const retryWarm = "5"

// Restore makes h serve snap, the last snapshot of an earlier process
// (see render.Restore), until the first Swap: its files answer at once,
// with the validators they had, and what needs the index waits for that
// Swap. published is how many entries were known when it was rendered.
// It must be called before h serves and before any Swap.
func (h *Handler) Restore(snap *render.Snapshot, published int) {
	cur := h.prepare(snap, nil)
	cur.published, cur.restored = published, true
	h.cur.Store(cur)
}

// Restored reports whether the snapshot served is one that Restore put
// there, not yet replaced by a Swap.
func (h *Handler) Restored() bool { return h.cur.Load().restored }

// warmed returns the snapshot that serves a request for what the index
// makes: the current one, once it is not a restored one, waiting for that
// up to warmWait. When it returns false, it has answered r (503), or r
// went away.
func (h *Handler) warmed(w http.ResponseWriter, r *http.Request) (*current, bool) {
	cur, err := h.waitWarm(r.Context())
	if err == nil {
		return cur, true
	}
	if r.Context().Err() == nil {
		w.Header()["X-Content-Type-Options"] = nosniff
		w.Header().Set("Retry-After", retryWarm)
		http.Error(w, "503 service unavailable: seedfeed has just started and is still loading its index", http.StatusServiceUnavailable)
	}
	return nil, false
}

// errWarming reports a snapshot still restored after warmWait.
type errWarming struct{}

func (errWarming) Error() string { return "the index is still loading" }

// waitWarm waits up to warmWait, or until ctx is done, for a snapshot
// that is not a restored one, and returns it.
func (h *Handler) waitWarm(ctx context.Context) (*current, error) {
	if cur := h.cur.Load(); !cur.restored {
		return cur, nil
	}
	t := time.NewTimer(h.warmWait)
	defer t.Stop()
	select {
	case <-h.warm:
		return h.cur.Load(), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, errWarming{}
	}
}
