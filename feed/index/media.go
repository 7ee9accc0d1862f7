package index

import (
	"bytes"
	"hash/maphash"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/state"
)

// mediaRefs remembers which files of the seeds folder the entries' texts
// reference, as each entry was last read: only those are published (see
// Referenced).
//
// Most entries reference nothing, and a build reads every one: those are
// known by a 64-bit digest of their path, not by the path, which costs a
// string and a map entry each (and kept alive the whole record the path
// was cut from: over 100 MB at a million files). Two paths with the same
// digest would take each other's word for having been read: about one
// chance in 10^7 at a million entries, with a seed new to each process.
type mediaRefs struct {
	mu      sync.Mutex
	seed    maphash.Seed
	none    digestSet           // the digests of the paths of entries read that reference nothing
	byEntry map[string][]string // the files each entry read references, by the entry's path, when it references some
	count   map[string]int      // how many entries reference each file
}

// noteMedia fills in the size of each file e references (see feed.Media),
// leaving out those that cannot be opened (missing, not a regular file,
// through a symlink that leads out of the folder), and remembers them as
// e's references.
func (ix *Index) noteMedia(e *feed.Entry) {
	ix.noteSeeds(e)
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
		r.seed = maphash.MakeSeed()
		r.byEntry, r.count = map[string][]string{}, map[string]int{}
	}
	r.forget(e.Path)
	if len(media) == 0 {
		r.none.add(maphash.String(r.seed, e.Path))
		return
	}
	paths := make([]string, len(media))
	for i, m := range media {
		paths[i] = m.Path
		r.count[m.Path]++
	}
	r.byEntry[strings.Clone(e.Path)] = paths
}

// MediaRefs returns, for each entry read since the index started that
// references files of the seeds folder (by its path), those files. An
// entry read that references none is not there (see WasRead).
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

// WasRead reports whether the entry at path has been read since the index
// started: then MediaRefs says what it references, perhaps nothing.
func (ix *Index) WasRead(path string) bool {
	ix.media.mu.Lock()
	defer ix.media.mu.Unlock()
	return ix.media.wasRead(path)
}

// wasRead is WasRead. The caller holds r.mu.
func (r *mediaRefs) wasRead(path string) bool {
	if r.byEntry == nil {
		return false
	}
	if _, ok := r.byEntry[path]; ok {
		return true
	}
	return r.none.has(maphash.String(r.seed, path))
}

// AnyMedia reports whether the text of any entry read since the index
// started references a file of the seeds folder: when none does, and none
// did before, there is nothing to copy, and no need to ask which.
func (ix *Index) AnyMedia() bool {
	ix.media.mu.Lock()
	defer ix.media.mu.Unlock()
	return len(ix.media.count) > 0
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
	if r.byEntry == nil {
		return
	}
	r.none.remove(maphash.String(r.seed, path))
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
	var ids []string
	ix.mu.Lock()
	ix.media.mu.Lock() // after ix.mu, as drop takes them
	now := ix.now().UnixNano()
	ix.ascend(func(h handle) bool {
		p := ix.pathBytes(h)
		dir := []byte(".")
		if i := bytes.LastIndexByte(p, '/'); i >= 0 {
			dir = p[:i]
		}
		if dirs[string(dir)] && (ix.recs[h].published <= now || ix.future) && !ix.media.wasRead(string(p)) {
			ids = append(ids, ix.id(h))
		}
		return len(ids) < max
	})
	ix.media.mu.Unlock()
	ix.mu.Unlock()
	for _, id := range ids {
		if rec, found, err := ix.Find(id); err == nil && found == Live {
			ix.Entry(rec) // notes what it references; a file that cannot be read references nothing
		}
	}
}

// noteSeeds keeps of e.Seeds the seeds, each with the ID of its entry: the
// one the store holds, or else the one it will get when first seen (a
// post linked before it is written, or a file not indexed yet). A link to
// a file that is no seed is left as it is.
//
// A link from a site's root may name a file below the seeds folder when
// that folder is a folder of the site rather than its root: its _posts,
// where {% post_url x %}, which is /_posts/x, is x (see feed.BelowRoot).
// When the store knows none of them, and no file is at the link's own
// path, such a file is the one a post written later will be.
func (ix *Index) noteSeeds(e *feed.Entry) {
	seeds := e.Seeds[:0]
	for _, s := range e.Seeds {
		var below []string
		for _, p := range s.FromRoot {
			below = append(below, feed.BelowRoot(p, ix.place)...)
		}
		id, known := ix.seedID(s.Path)
		for _, alt := range slices.Concat(s.Also, below) {
			if known {
				break
			}
			id, known = ix.seedID(alt)
		}
		guess := s.Path
		if i := slices.IndexFunc(below, ix.src.Wants); i >= 0 && !ix.src.Exists(s.Path) {
			guess = below[i]
		}
		switch {
		case known:
			s.ID = id
		case ix.src.Wants(guess):
			s.ID = state.SiteID(ix.siteURL(), guess)
		default:
			continue
		}
		s.Also, s.FromRoot = nil, nil
		seeds = append(seeds, s)
	}
	e.Seeds = seeds
}

// seedID returns the ID the store holds for the seed at rel. Jekyll's
// {% post_url 2020-01-01-x %} names a post without its extension: then
// the post the store holds under one.
func (ix *Index) seedID(rel string) (string, bool) {
	if ix.src.Wants(rel) {
		rec, ok, err := ix.store.Lookup(rel)
		return rec.ID, err == nil && ok
	}
	for _, ext := range []string{".md", ".markdown"} {
		if rec, ok, err := ix.store.Lookup(rel + ext); err == nil && ok {
			return rec.ID, true
		}
	}
	return "", false
}
