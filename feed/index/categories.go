package index

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/btree"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/state"
)

// Each category (see feed.Category) is a set of entries of its own, in the
// same order as the index's: its feeds are its newest entries, and its
// archive (see Layout) is laid out as the site's, with bounds of its own
// in the store. An entry names its categories; the sets are kept in step
// with the entries as they come and go, so that a category's feed costs its
// own size to read, never a walk of the whole index. They are made when
// first asked for (a rebuild with nothing to do never makes them), in one
// walk of the index, oldest first.

// catSet is the entries of one category.
type catSet struct {
	name   string                // of the names that make its slug, the least in sort order
	order  *btree.BTreeG[handle] // newest first
	bounds []state.Bound         // of its closed archive pages, oldest first; nil until loaded
	// changed is when it last changed, in whole Unix seconds, as its
	// documents' Last-Modified says. A change only marks it dirty; the
	// first read after (see CategoryFeed) dates it, under the same lock as
	// the entries it reads: so the date moves once per version a reader
	// can see, a second past the one before.
	changed int64
	dirty   bool
	merged  bool // names that differ other than in case were found to share its slug, and said so
}

// touch notes a change to the category c with this slug. The caller holds
// ix.mu.
func (ix *Index) touch(slug string, c *catSet) {
	ix.touched[slug] = true
	c.dirty = true
}

// stamp dates the changes to c since it was last read (see catSet). The
// caller holds ix.mu.
func (ix *Index) stamp(c *catSet) {
	if c.dirty {
		c.changed, c.dirty = max(ix.now().Unix(), c.changed+1), false
	}
}

// cutoffNow is the time before which entries are published (see
// Options.Future): as of the last Entries, so that a category shows a
// scheduled entry when the site's feeds do, in the same render, and no
// sooner. The caller holds ix.mu.
func (ix *Index) cutoffNow() int64 {
	if ix.cutoff == 0 {
		return ix.now().UnixNano()
	}
	return ix.cutoff
}

// publishedIn returns how many entries of c are published. Those not yet
// due are its newest. The caller holds ix.mu.
func (ix *Index) publishedIn(c *catSet) int {
	if ix.future {
		return c.order.Len()
	}
	cutoff, waiting := ix.cutoffNow(), 0
	c.order.Ascend(func(h handle) bool {
		if ix.recs[h].published > cutoff {
			waiting++
			return true
		}
		return false
	})
	return c.order.Len() - waiting
}

// catSep joins an entry's category names.
const catSep = "\x00"

// categoriesOf returns the set of names of the categories of the seed at
// path with these tags and place, from the index's sources, for a record.
func (ix *Index) categoriesOf(path string, tags []string, place string) uint32 {
	if ix.sources == (feed.CategorySources{}) {
		return 0
	}
	// A record's categories follow from its folder's, its tags and its
	// place, which most records share with many others: each set is made
	// once, not once a record (a fifth of a warm rebuild's work was
	// making the categories' slugs again).
	key := feed.FolderCategory(path) + catSep + place + catSep + strings.Join(tags, catSep)
	ix.internMu.Lock()
	i, ok := ix.catsOf[key]
	ix.internMu.Unlock()
	if ok {
		return i
	}
	i = ix.intern(strings.Join(ix.sources.Categories(path, tags, place), catSep))
	ix.internMu.Lock()
	defer ix.internMu.Unlock()
	if len(ix.catsOf) >= catsOfSize {
		clear(ix.catsOf) // tags of their own on every post: the sets are not shared
	}
	ix.catsOf[key] = i
	return i
}

// catsOfSize bounds categoriesOf's memory of the sets it made.
const catsOfSize = 4096

// intern returns the place of s, names joined by catSep, in catSets,
// shared with every entry that has the same categories: a folder of
// 10,000 files holds one copy. It is safe for concurrent use (judge makes
// records in two goroutines).
func (ix *Index) intern(s string) uint32 {
	if s == "" {
		return 0
	}
	ix.internMu.Lock()
	defer ix.internMu.Unlock()
	if i, ok := ix.catSet[s]; ok {
		return i
	}
	i := uint32(len(ix.catSets))
	ix.catSets = append(ix.catSets, s)
	ix.catSet[s] = i
	return i
}

// catNames returns the set of category names at i in catSets.
func (ix *Index) catNames(i uint32) string {
	ix.internMu.Lock()
	defer ix.internMu.Unlock()
	return ix.catSets[i]
}

// slug is feed.Slug, remembered for each name. The caller holds ix.mu.
func (ix *Index) slug(name string) string {
	s, ok := ix.slugs[name]
	if !ok {
		s = feed.Slug(name)
		ix.slugs[name] = s
	}
	return s
}

// ensureCats makes the categories' sets when first needed. The caller
// holds ix.mu.
func (ix *Index) ensureCats() {
	if ix.catsMade {
		return
	}
	ix.catsMade = true
	ix.descend(ix.addCats) // oldest first: see newTree
}

// addRecord adds the entry of rec to b.
func (ix *Index) addRecord(b *batch, rec state.Record) {
	b.add(rec.Path, identOf([]byte(rec.ID)), rec.Published().UnixNano(), ix.categoriesOf(rec.Path, rec.Tags, rec.Place))
}

// addBrief adds to b the entry of the record at path p, as br tells it.
func (ix *Index) addBrief(b *batch, p string, br state.Brief) {
	var cats uint32
	if ix.sources != (feed.CategorySources{}) {
		cats = ix.briefCategories(b, p, br)
	}
	b.add(p, briefIdent(br), br.Published.UnixNano(), cats)
}

// briefCategories returns the set of categories of the record at p, as br
// tells it. The set follows from the record's folder (and a page bundle's
// name: see feed.FolderCategory) and from its tags and place as the store
// encodes them, which most records share with many others: b remembers
// each set by those bytes, so that a rescan decodes the tags and makes the
// folder's category once for many records, and takes no lock for the
// others (categoriesOf, which it calls for the first, takes two).
func (ix *Index) briefCategories(b *batch, p string, br state.Brief) uint32 {
	var buf [256]byte
	key := append(buf[:0], p[:strings.LastIndexByte(p, '/')+1]...)
	if name := p[len(key):]; strings.HasPrefix(name, "index.") || strings.HasPrefix(name, "_index.") {
		key = append(key, name...)
	}
	key = append(append(key, 0), br.FactsKey()...) // no path holds a 0
	if i, ok := b.catsOf[string(key)]; ok {
		return i
	}
	tags, place := br.Facts()
	i := ix.categoriesOf(p, tags, place)
	if b.catsOf == nil {
		b.catsOf = map[string]uint32{}
	} else if len(b.catsOf) >= catsOfSize {
		clear(b.catsOf)
	}
	b.catsOf[string(key)] = i
	return i
}

// eachCategory calls fn with the slug and name of each category in the
// set cats that has a slug. The caller holds ix.mu.
func (ix *Index) eachCategory(cats uint32, fn func(slug, name string)) {
	if cats == 0 {
		return
	}
	for name := range strings.SplitSeq(ix.catNames(cats), catSep) {
		if slug := ix.slug(name); slug != "" {
			fn(slug, name)
		}
	}
}

// addCats and removeCats keep the categories' sets in step with the
// entries, once made, and note the categories touched. The caller holds
// ix.mu.
func (ix *Index) addCats(h handle) {
	if !ix.catsMade {
		return
	}
	ix.eachCategory(ix.recs[h].cats, func(slug, name string) {
		c := ix.cats[slug]
		if c == nil {
			c = &catSet{name: name, order: ix.newTree()}
			ix.cats[slug] = c
			ix.catGen++
		} else if name != c.name {
			if !c.merged && !strings.EqualFold(name, c.name) {
				// Names of the same words but for their signs and spaces
				// ("node.js", "Node JS"): one category, as Slug intends,
				// said once, so that no two names share a feed unseen.
				c.merged = true
				ix.log.Info("categories: names that share a slug are one category", "slug", slug, "name", min(name, c.name), "also", max(name, c.name))
			}
			if name < c.name {
				c.name = name
				ix.catGen++
			}
		}
		c.order.ReplaceOrInsert(h)
		ix.touch(slug, c)
	})
}

// compactCats makes the categories' sets anew, each filled oldest first
// (see newTree). A first index that publishes as it reads fills them
// newest first, once the categories are made, and each node of their
// trees kept room for twice the handles it held: 21 MB at 1,000,000
// files, for 12. It takes the lock for one category at a time.
func (ix *Index) compactCats() {
	ix.mu.Lock()
	slugs := slices.Collect(maps.Keys(ix.cats))
	ix.mu.Unlock()
	for _, slug := range slugs {
		ix.mu.Lock()
		if c := ix.cats[slug]; c != nil {
			t := ix.newTree()
			c.order.Descend(func(h handle) bool {
				t.ReplaceOrInsert(h)
				return true
			})
			c.order = t
		}
		ix.mu.Unlock()
	}
}

func (ix *Index) removeCats(h handle) {
	if !ix.catsMade {
		return
	}
	ix.eachCategory(ix.recs[h].cats, func(slug, _ string) {
		c := ix.cats[slug]
		if c == nil {
			return
		}
		c.order.Delete(h)
		ix.touch(slug, c)
		if c.order.Len() == 0 {
			ix.catGen++
			if c.bounds == nil {
				delete(ix.cats, slug) // its archive, if any, stays in the store for its return
			}
		}
	})
}

// Categories returns every category that holds published entries, by
// name, and a generation of the list: the same generation, the same
// categories with the same names (their counts of entries aside).
func (ix *Index) Categories() ([]feed.Category, uint64) {
	ix.mu.Lock()
	ix.ensureCats()
	out := make([]feed.Category, 0, len(ix.cats))
	for slug, c := range ix.cats {
		if n := ix.publishedIn(c); n > 0 {
			out = append(out, feed.Category{Slug: slug, Name: c.name, Entries: n})
		}
	}
	gen := ix.catGen
	ix.mu.Unlock()
	slices.SortFunc(out, func(a, b feed.Category) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Slug, b.Slug))
	})
	return out, gen
}

// CategoriesGeneration returns the generation of the list of categories
// (see Categories), without making the list.
func (ix *Index) CategoriesGeneration() uint64 {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.ensureCats()
	return ix.catGen
}

// Category returns the name of the category with this slug, and whether
// it holds published entries.
func (ix *Index) Category(slug string) (string, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.ensureCats()
	c := ix.cats[slug]
	if c == nil || ix.publishedIn(c) == 0 {
		return "", false
	}
	return c.name, true
}

// TakeTouched returns the slugs of the categories whose entries came, went
// or changed since the last call, sorted, and starts afresh.
func (ix *Index) TakeTouched() []string {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.ensureCats()
	out := make([]string, 0, len(ix.touched))
	for slug := range ix.touched {
		out = append(out, slug)
	}
	clear(ix.touched)
	slices.Sort(out)
	return out
}

// CategoryFeed returns the records of the newest limit entries of the
// category (those published: see Options.Future), newest first, with the
// layout of its archive, when it last changed (see catSet), and a key of
// what its subscription documents are made from: the same key, the same
// documents (and, served, the same changed time).
func (ix *Index) CategoryFeed(slug string, limit int) (recs []state.Record, l Layout, changed time.Time, key string, err error) {
	ix.mu.Lock()
	ix.ensureCats()
	top, l, err := ix.categoryLayout(slug, limit)
	paths := ix.paths(top)
	if c := ix.cats[slug]; c != nil {
		ix.stamp(c)
		changed = time.Unix(c.changed, 0).UTC()
	}
	ix.mu.Unlock()
	if err != nil {
		return nil, Layout{}, time.Time{}, "", err
	}
	if recs, err = ix.store.LookupAll(paths); err != nil {
		return nil, Layout{}, time.Time{}, "", err
	}
	return recs, l, changed, strconv.Itoa(l.Pages()) + catSep + RecordsKey(recs), nil
}

// categoryLayout returns the newest limit published entries of a
// category, and the layout of its archive as it stands. The caller holds
// ix.mu.
func (ix *Index) categoryLayout(slug string, limit int) ([]handle, Layout, error) {
	c := ix.cats[slug]
	if c == nil {
		return nil, Layout{set: slug}, nil
	}
	if c.bounds == nil {
		b, err := ix.store.ArchiveBounds(slug)
		if err != nil {
			return nil, Layout{}, err
		}
		c.bounds = append(make([]state.Bound, 0, len(b)), b...)
	}
	cutoff := ix.cutoffNow()
	var top []handle
	c.order.Ascend(func(h handle) bool {
		if ix.recs[h].published > cutoff && !ix.future {
			return true // scheduled
		}
		top = append(top, h)
		return limit <= 0 || len(top) < limit
	})
	l := Layout{set: slug, feedFull: limit > 0 && len(top) == limit, bounds: c.bounds[:len(c.bounds):len(c.bounds)], filling: ix.filling}
	if l.feedFull {
		l.feedLast = ix.posOf(top[len(top)-1])
	}
	l.Closed, l.Open = len(c.bounds), len(ix.openPage(l))
	return top, l, nil
}

// CategoryLayout returns the layout of a category's archive as it stands.
func (ix *Index) CategoryLayout(slug string, limit int) (Layout, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.ensureCats()
	_, l, err := ix.categoryLayout(slug, limit)
	return l, err
}

// CloseCategoryArchives closes the archive pages of each category named
// that hold more than pageSize entries, as Archive does the site's, given
// the size of its feeds, in one transaction of the store. When that fails,
// the categories are touched again, for the next call.
func (ix *Index) CloseCategoryArchives(slugs []string, limit, pageSize int) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.ensureCats()
	if ix.filling {
		return nil // see startFilling: Archive closes them all once the index is whole
	}
	return ix.closeCategoryArchives(slugs, limit, pageSize)
}

// closeCategoryArchives is CloseCategoryArchives. The caller holds ix.mu.
func (ix *Index) closeCategoryArchives(slugs []string, limit, pageSize int) error {
	var closing []state.Closing
	for _, slug := range slugs {
		_, l, err := ix.categoryLayout(slug, limit)
		if err != nil {
			return err
		}
		c := ix.cats[slug]
		if c == nil || l.Open <= pageSize {
			continue
		}
		closing = append(closing, state.Closing{Set: slug, Have: len(c.bounds), Bounds: ix.closingBounds(ix.openPage(l), pageSize)})
	}
	if len(closing) == 0 {
		return nil
	}
	if err := ix.store.CloseArchivePagesOf(closing); err != nil {
		for _, slug := range slugs {
			ix.touched[slug] = true // for the next try
		}
		return err
	}
	for _, cl := range closing {
		c := ix.cats[cl.Set]
		c.bounds = append(c.bounds, cl.Bounds...)
		ix.touch(cl.Set, c) // its feeds link to one more page
	}
	return nil
}
