package index

import (
	"sync"

	"github.com/seedfeed/seedfeed/feed/extract"
)

// A build writes each entry into up to three archives: the site's and
// those of its categories (its folder's, its place's…). Their pages are
// written in the order of their dates (see Layout.PageDate), so the pages
// that hold an entry come close together, and an extraction kept for a
// while (Options.Reuse) serves them all: each file is read and extracted
// about once, not once per archive.

// reuse keeps the latest extractions, at most about size of them, in two
// generations: when the young one is full, it becomes the old one and the
// old one is dropped. A hit in the old generation moves to the young one.
type reuse struct {
	mu         sync.Mutex
	size       int
	young, old map[string]extract.Doc // by path
}

// get returns the extraction of the file at path, if one is kept and
// still of the text whose fingerprint is hash.
func (r *reuse) get(path, hash string) (extract.Doc, bool) {
	if r == nil {
		return extract.Doc{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	doc, ok := r.young[path]
	if !ok {
		if doc, ok = r.old[path]; ok {
			r.putLocked(path, doc)
		}
	}
	return doc, ok && doc.Hash == hash
}

// put keeps doc, the extraction of the file at path.
func (r *reuse) put(path string, doc extract.Doc) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.putLocked(path, doc)
}

func (r *reuse) putLocked(path string, doc extract.Doc) {
	if r.young == nil || len(r.young) >= r.size/2 {
		r.old, r.young = r.young, make(map[string]extract.Doc, r.size/2)
	}
	r.young[path] = doc
}

// newReuse returns a reuse of about size extractions, or nil when size is
// not positive.
func newReuse(size int) *reuse {
	if size <= 0 {
		return nil
	}
	return &reuse{size: max(size, 2)}
}
