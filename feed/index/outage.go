package index

import (
	"fmt"
	"sort"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/source"
)

// emptySince is the name under which the store remembers since when the
// seeds folder has been empty or missing over a store of entries.
const emptySince = "empty since"

// noteUnlisted records the folders a rescan could not list: one warning
// per folder per outage, and a line when it can be listed again.
func (ix *Index) noteUnlisted(unlisted []source.Unlisted) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	now := map[string]string{}
	for _, u := range unlisted {
		now[u.Path] = u.Err.Error()
		if _, known := ix.unlisted[u.Path]; !known {
			ix.log.Warn("cannot list folder; keeping its entries until it can be", "path", folderName(u.Path), "reason", feed.Reason(u.Err))
		}
	}
	for p := range ix.unlisted {
		if _, still := now[p]; !still {
			ix.log.Info("folder can be listed again", "path", folderName(p))
		}
	}
	ix.unlisted = now
}

func folderName(rel string) string {
	if rel == "" {
		return "."
	}
	return rel
}

// holdEmpty decides, when a rescan finds the seeds folder empty (or
// missing), whether to keep every entry rather than remove them: an
// unmounted disk or a failed sync looks just like that. They are kept, with
// a warning each time, until files appear again or the folder has been
// empty for the grace; a grace of 0 removes them at once.
func (ix *Index) holdEmpty(empty, missing bool) (bool, error) {
	since, err := ix.store.Since(emptySince)
	if err != nil {
		return false, err
	}
	if !empty || ix.store.Empty() || ix.grace <= 0 {
		ix.setHeld("")
		if !since.IsZero() {
			if empty {
				ix.log.Warn("seeds folder still empty after the grace; removing its entries", "grace", ix.grace.String())
			} else {
				ix.log.Info("seeds folder has files again")
			}
			return false, ix.store.Note(emptySince, time.Time{})
		}
		return false, nil
	}
	now := ix.now()
	if since.IsZero() {
		since = now
		if err := ix.store.Note(emptySince, since); err != nil {
			return false, err
		}
	}
	until := since.Add(ix.grace)
	if !now.Before(until) {
		ix.setHeld("")
		ix.log.Warn("seeds folder still empty after the grace; removing its entries", "grace", ix.grace.String())
		return false, ix.store.Note(emptySince, time.Time{})
	}
	what := "empty"
	if missing {
		what = "missing"
	}
	ix.setHeld(fmt.Sprintf("the seeds folder is %s since %s, but the state store holds entries: they are kept until %s (empty_grace)",
		what, since.UTC().Format(time.RFC3339), until.UTC().Format(time.RFC3339)))
	ix.log.Warn("seeds folder is "+what+"; keeping the entries known", "since", since.UTC().Format(time.RFC3339), "until", until.UTC().Format(time.RFC3339))
	return true, nil
}

// heldEmpty reports whether an empty or missing seeds folder is being held
// over its entries.
func (ix *Index) heldEmpty() bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.held != ""
}

func (ix *Index) setHeld(problem string) {
	ix.mu.Lock()
	ix.held = problem
	ix.mu.Unlock()
}

// Problems says, each in a sentence, what keeps the index from seeing the
// whole folder: folders that cannot be listed, an empty folder held over its
// entries, files that could not be read for now. Empty when all is well.
func (ix *Index) Problems() []string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var out []string
	for p, reason := range ix.unlisted {
		out = append(out, fmt.Sprintf("folder %s cannot be listed (%s); its entries are kept, and their text shows again once it can be read", folderName(p), reason))
	}
	sort.Strings(out)
	if ix.held != "" {
		out = append(out, ix.held)
	}
	if len(ix.later) > 0 {
		if n := len(ix.later); n == 1 {
			out = append(out, "1 file could not be read for now; its entry is kept and it will be read again")
		} else {
			out = append(out, fmt.Sprintf("%d files could not be read for now; their entries are kept and they will be read again", n))
		}
	}
	return out
}
