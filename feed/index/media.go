package index

import (
	"bytes"
	"path"
	"sync"

	"github.com/seedfeed/seedfeed/feed"
)

// mediaRefs remembers which files of the seeds folder the entries' texts
// reference, as each entry was last read: only those are published (see
// Referenced).
type mediaRefs struct {
	mu      sync.Mutex
	byEntry map[string][]string // the files each entry read references, by the entry's path
	count   map[string]int      // how many entries reference each file
}

// noteMedia fills in the size of each file e references (see feed.Media),
// leaving out those that cannot be opened (missing, not a regular file,
// through a symlink that leads out of the folder), and remembers them as
// e's references.
func (ix *Index) noteMedia(e *feed.Entry) {
	media := e.Media[:0:0]
	for _, m := range e.Media {
		if ix.src.Wants(m.Path) {
			continue // a seed is never published as a file
		}
		f, st, err := ix.src.OpenMedia(m.Path)
		if err != nil {
			continue
		}
		f.Close()
		m.Size = st.Size
		media = append(media, m)
	}
	e.Media = media
	r := &ix.media
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byEntry == nil {
		r.byEntry, r.count = map[string][]string{}, map[string]int{}
	}
	r.forget(e.Path)
	paths := make([]string, len(media))
	for i, m := range media {
		paths[i] = m.Path
		r.count[m.Path]++
	}
	r.byEntry[e.Path] = paths // even none: the entry has been read
}

// MediaRefs returns, for each entry read since the index started (by its
// path), the files of the seeds folder its text references, perhaps none.
func (ix *Index) MediaRefs() map[string][]string {
	r := &ix.media
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string][]string, len(r.byEntry))
	for p, media := range r.byEntry {
		out[p] = media
	}
	return out
}

// forgetMedia forgets what the entry at path referenced: it is gone, or a
// draft.
func (ix *Index) forgetMedia(path string) {
	ix.media.mu.Lock()
	defer ix.media.mu.Unlock()
	ix.media.forget(path)
}

// forget takes the references of the entry at path away. The caller holds
// r.mu.
func (r *mediaRefs) forget(path string) {
	for _, p := range r.byEntry[path] {
		if r.count[p]--; r.count[p] <= 0 {
			delete(r.count, p)
		}
	}
	delete(r.byEntry, path)
}

// Referenced reports whether the text of an entry, as last read for a
// feed, a page or an archive page, references the file at rel in the seeds
// folder. An entry not read since the index started has not said: its
// files are published once its page or a feed has been made.
func (ix *Index) Referenced(rel string) bool {
	r := &ix.media
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count[rel] > 0
}

// LookFor reads the entries beside the file at rel, in its folder and in
// the folder above, that have not been read since the index started, at
// most max of them, so that Referenced knows whether they reference it. A
// reader that saw a post's page before a restart asks for its pictures
// before anyone asks for the page again; a Hugo page bundle keeps them
// beside its post. An entry that is a draft or not yet published is not
// read.
func (ix *Index) LookFor(rel string, max int) {
	dirs := map[string]bool{path.Dir(rel): true, path.Dir(path.Dir(rel)): true}
	ix.media.mu.Lock()
	read := make(map[string]bool, len(ix.media.byEntry))
	for p := range ix.media.byEntry {
		read[p] = true
	}
	ix.media.mu.Unlock()
	var ids []string
	ix.mu.Lock()
	now := ix.now().UnixNano()
	ix.ascend(func(h handle) bool {
		p := ix.pathBytes(h)
		dir := []byte(".")
		if i := bytes.LastIndexByte(p, '/'); i >= 0 {
			dir = p[:i]
		}
		if dirs[string(dir)] && !read[string(p)] && (ix.recs[h].published <= now || ix.future) {
			ids = append(ids, ix.id(h))
		}
		return len(ids) < max
	})
	ix.mu.Unlock()
	for _, id := range ids {
		if rec, found, err := ix.Find(id); err == nil && found == Live {
			ix.Entry(rec) // notes what it references; a file that cannot be read references nothing
		}
	}
}
