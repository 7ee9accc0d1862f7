package index

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"slices"

	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// Tally is what changes did to the entries since the last TakeTally: the
// files that came in, changed or left, counted, and named while few.
type Tally struct {
	Published, Updated, Removed, Moved int
	// Files names the first tallyNames files, "+" new, "~" changed, "-"
	// gone, and "old → new" moved.
	Files []string
}

// tallyNames is how many files a Tally names.
const tallyNames = 10

// Empty reports whether nothing changed.
func (t Tally) Empty() bool { return t.Published+t.Updated+t.Removed+t.Moved == 0 }

// String is the tally as a log line says it: "published 3, updated 1,
// removed 2", and ", moved 1" when a file moved.
func (t Tally) String() string {
	s := fmt.Sprintf("published %d, updated %d, removed %d", t.Published, t.Updated, t.Removed)
	if t.Moved > 0 {
		s += fmt.Sprintf(", moved %d", t.Moved)
	}
	return s
}

// Attrs are the tally's files, for a log line whose message is the
// tally.
func (t Tally) Attrs() []any {
	if more := t.Published + t.Updated + t.Removed + t.Moved - len(t.Files); more > 0 {
		return []any{slog.Any("files", t.Files), slog.Int("more", more)}
	}
	return []any{slog.Any("files", t.Files)}
}

// count adds one change to the tally. The caller holds ix.mu.
func (t *Tally) count(n *int, mark, path string) {
	*n++
	if len(t.Files) < tallyNames {
		t.Files = append(t.Files, mark+path)
	}
}

// tallyMoves counts as removed the entries that left (ID → path), but
// those whose ID a file read now took, renamed or moved there: those are
// counted as moved. It returns the new paths of those. The caller holds
// ix.mu; recs are the records of good, in its order.
func (ix *Index) tallyMoves(left map[string]string, good []inspected, recs []state.Record) map[string]bool {
	if left == nil {
		return nil
	}
	moved := map[string]bool{}
	for i, r := range good {
		if from, ok := left[recs[i].ID]; ok && from != r.path {
			ix.tally.count(&ix.tally.Moved, "", from+" → "+r.path)
			moved[r.path] = true
			delete(left, recs[i].ID)
		}
	}
	for _, p := range slices.Sorted(maps.Values(left)) {
		ix.tally.count(&ix.tally.Removed, "-", p)
	}
	return moved
}

// TakeTally returns what changed since it was last called, and starts
// counting anew.
func (ix *Index) TakeTally() Tally {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	t := ix.tally
	ix.tally = Tally{}
	return t
}

// SkipReason says in a word or two why err keeps a file out of the feeds,
// for counting: "too_large", "binary", "empty", "not_regular", "outside"
// (a symlink out of the seeds folder), "link" (a symlink to another seed,
// or to nothing), "unreadable" (the file system refused it) or "other".
// A draft is "draft".
func SkipReason(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, source.ErrTooLarge):
		return "too_large"
	case errors.Is(err, extract.ErrBinary):
		return "binary"
	case errors.Is(err, extract.ErrEmpty):
		return "empty"
	case errors.Is(err, source.ErrNotRegular):
		return "not_regular"
	case errors.Is(err, source.ErrOutside):
		return "outside"
	case errors.Is(err, source.ErrLinkToSeed), errors.Is(err, source.ErrBrokenLink):
		return "link"
	case errors.As(err, &pe):
		return "unreadable"
	}
	return "other"
}
