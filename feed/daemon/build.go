package daemon

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/index"
	"github.com/seedfeed/seedfeed/feed/render"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
	"github.com/seedfeed/seedfeed/feed/static"
)

// Build indexes the seeds folder once, renders it, and writes the result
// into out: seedfeed build.
func Build(ctx context.Context, opts Options, out string) error {
	log := opts.logger()
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	start := time.Now()
	missing, seedsErr := checkSeeds(opts.Source.Dir)
	if seedsErr != nil && (!missing || noStore(opts.State)) {
		return seedsErr // with no store, there is nothing to keep publishing
	}
	if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
		return fmt.Errorf("output folder %s is not a folder", out)
	}
	if err := os.MkdirAll(out, 0o755); err != nil { // before the work, not after it
		return fmt.Errorf("output folder: %w", err)
	}
	store, err := state.OpenOrRestore(opts.State, log)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := missingSeeds(missing, seedsErr, store, opts.EmptyGrace, log); err != nil {
		return err
	}
	ix := index.New(opts.Source, store, index.Options{Now: now, Logger: log, EmptyGrace: opts.EmptyGrace,
		Limit: opts.Site.Limit, TextBytes: opts.Site.FeedBytes, Future: opts.Future, Categories: opts.categories(),
		Extract: extract.Options{Encoding: opts.Encoding}, Reuse: buildReuse})
	ix.SetSite(opts.Site.BaseURL) // the configured one: see state.SiteID
	if err := ix.Rescan(ctx); err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return stopError{cause: context.Cause(ctx), err: err, left: "while indexing; the output folder is as it was"}
		}
		return err
	}
	site := opts.siteAt(opts.Listen)
	entries, err := ix.Entries(site.Limit, site.FeedBytes)
	if err != nil {
		return err
	}
	layout, err := ix.Archive(site.Limit)
	if err != nil {
		return err
	}
	snap, err := render.RenderSince(site, entries, layout.Pages(), now(), nil)
	if err != nil {
		return err
	}
	done, err := write(ctx, out, ix, store, opts.Source, site, opts.Form, fmt.Sprintf("%#v", opts.categories()), snap, layout, entries, log)
	if err != nil {
		return err
	}
	scheduled, next := 0, time.Time{}
	if !opts.Future {
		scheduled, next = ix.Scheduled()
	}
	if scheduled > 0 {
		log.Info("holding back entries dated in the future: a build on or after their date publishes them, or -future now",
			"scheduled", scheduled, "next", next.UTC().Format(time.RFC3339))
	}
	log.Info("built", "dir", out, "entries", ix.Len(), "scheduled", scheduled, "in_feeds", len(entries), "archive_pages", layout.Pages(),
		"pages_checked", done.checked, "groups_rendered", done.rendered, "files_written", done.written,
		"seeds_read", ix.Reads(), "took", since(start))
	return store.Close()
}

// buildReuse is how many extractions a build keeps for the archive pages
// that follow (see index.Options.Reuse): enough for a category that holds
// one entry in 40 to find its entries' extractions still kept; about
// 10 MB of wire copy. Tests make it smaller than their folders.
var buildReuse = 2048

// write writes into out, besides the snapshot, every archive page in
// every kind and the page of every published entry that the snapshot does
// not hold. An archive page and the pages of its entries are one group,
// read and extracted once, keyed by what they are made from, so that a
// rebuild reads and renders only what changed; the entries of the
// subscription feeds whose pages the snapshot lacks (past the byte
// budget) are a group each. Groups go a few at a time, so that memory
// holds the records of those, not of the whole folder.
//
// When the store has taken no change since the last run (its generation),
// the site is the same and so are the entries published, that run's output
// stands: only the snapshot is written, and no page is checked, nor any
// category made.
//
// Once ctx is done, write starts no other page, and ends the run as one
// cut short (see static.Writer.Abort). Once every page is written, the
// rest goes to its end: the categories' feeds, the media copy (stopped
// halfway, it would leave files in the way, and once done, the last
// build's feeds may name files it removed) and Finish, which writes the
// site's feeds, the manifest and the stamp.
func write(ctx context.Context, out string, ix *index.Index, store *state.Store, src source.Source, site feed.Site, form, sources string, snap *render.Snapshot, layout index.Layout,
	entries []feed.Entry, log *slog.Logger) (done built, err error) {
	siteKey := fmt.Sprintf("%#v\x00%s", site, form) // in every key: see Options.Form
	published := ix.PublishedCount()
	stampOf := func() (string, error) {
		gen, err := store.Generation()
		return key(siteKey, sources, strconv.FormatUint(gen, 10), strconv.Itoa(published), strconv.Itoa(snap.Archive)), err
	}
	stamp, err := stampOf()
	if err != nil {
		return built{}, err
	}
	if static.Current(out, stamp) {
		// The entries are as they were; the files beside them may not be.
		if err := copyMedia(out, ix, src, log); err != nil {
			return built{}, err
		}
		n, err := static.WriteSnapshot(out, snap)
		return built{written: n}, err
	}
	// Closing the categories' full archive pages changes the store: the
	// stamp is of the store after it.
	if err := ix.CloseCategoryArchives(ix.TakeTouched(), site.Limit, site.Limit); err != nil {
		return built{checked: true}, err
	}
	if stamp, err = stampOf(); err != nil {
		return built{checked: true}, err
	}
	cats, _ := ix.Categories()
	layouts := make([]index.Layout, len(cats))
	for i, c := range cats {
		layout, err := ix.CategoryLayout(c.Slug, site.Limit)
		if err != nil {
			return built{checked: true}, err
		}
		layouts[i] = layout
	}
	w, err := static.NewWriter(out, func(yield func(string) bool) {
		for i, c := range cats {
			for n := 0; n <= layouts[i].Pages(); n++ {
				for _, k := range feed.Kinds {
					if !yield(feed.Place{Page: n, Dir: feed.CategoryDir(c.Slug)}.Path(k)) {
						return
					}
				}
			}
		}
		if !yield(feed.OPMLPath) {
			return
		}
		for _, id := range ix.Published() {
			if !yield(feed.PagePath(id)) {
				return
			}
		}
		for n := 1; n <= snap.Archive; n++ {
			for _, k := range feed.Kinds {
				if !yield(feed.ArchivePath(k, n)) {
					return
				}
			}
		}
		for _, name := range slices.Sorted(maps.Keys(snap.Files)) {
			if !yield(name) {
				return
			}
		}
	})
	if err != nil {
		return built{checked: true}, err
	}
	finishing := false
	defer func() {
		if finishing || ctx.Err() == nil || !errors.Is(err, ctx.Err()) {
			return
		}
		if aerr := w.Abort(); aerr != nil {
			err = stopError{cause: context.Cause(ctx), err: errors.Join(err, aerr),
				left: "and the run could not be closed, so the next build renders every page again: " + aerr.Error()}
			return
		}
		left := "the pages written are kept, the feeds are as they were, and the next build goes on from here"
		if err.Error() != ctx.Err().Error() {
			left += "; and: " + err.Error() // a file that could not be written, say
		}
		err = stopError{cause: context.Cause(ctx), err: err, left: left}
	}()
	var groups []static.Group
	for _, e := range entries {
		if !e.Trimmed {
			continue // its page is in the snapshot
		}
		rec, found, err := ix.Find(e.ID)
		if err != nil {
			return built{checked: true}, err
		}
		if found != index.Live {
			continue
		}
		groups = append(groups, static.Group{Names: []string{feed.PagePath(e.ID)}, Key: key(siteKey, index.RecordKey(rec)), Render: func() ([][]byte, error) {
			whole, err := ix.Entry(rec)
			if err != nil {
				log.Warn("skipping the page of a file that cannot be read", "path", e.Path, "reason", feed.Reason(err))
				return nil, nil
			}
			f, err := render.Page(site, whole)
			if err != nil {
				return nil, err
			}
			return [][]byte{f.Body}, nil
		}})
	}
	if err := w.Groups(ctx, groups); err != nil {
		return built{checked: true}, err
	}
	groups = nil
	// The archives' pages, the site's and every category's, are written in
	// the order of their dates, so that the pages that hold an entry come
	// close together and share its extraction (see index.Options.Reuse).
	var pages []archivePage
	siteGroup := func(n int) (static.Group, error) {
		return siteArchiveGroup(ix, site, siteKey, layout, feed.Place{Page: n, Pages: snap.Archive}, snap.Updated, log)
	}
	for n := 1; n <= snap.Archive; n++ {
		pages = append(pages, archivePage{date: layout.PageDate(n), n: n, make: siteGroup})
	}
	for i, c := range cats {
		csite, layout := render.CategorySite(site, c.Name), layouts[i]
		group := func(n int) (static.Group, error) {
			return categoryArchiveGroup(ix, csite, siteKey, c, layout, n, snap.Updated, log)
		}
		for n := 1; n <= layout.Pages(); n++ {
			pages = append(pages, archivePage{date: layout.PageDate(n), n: n, make: group})
		}
	}
	slices.SortStableFunc(pages, func(a, b archivePage) int { return cmp.Compare(a.date, b.date) })
	for len(pages) > 0 {
		n := min(len(pages), 16)
		groups := make([]static.Group, n)
		for i, p := range pages[:n] {
			if groups[i], err = p.make(p.n); err != nil {
				return built{checked: true}, err
			}
		}
		if err := w.Groups(ctx, groups); err != nil {
			return built{checked: true}, err
		}
		pages = pages[n:]
	}
	if err := ctx.Err(); err != nil {
		return built{checked: true}, err
	}
	// Every page is written: the rest is the last seconds, and goes to its
	// end. The categories' feeds and the list of every feed, after the
	// pages they link to; then the files entries reference (reading the
	// categories' entries notes theirs), before the site's feeds.
	finishing = true
	end := context.WithoutCancel(ctx)
	for rest := cats; len(rest) > 0; { // a few categories at a time: memory holds their records, not every category's
		n := min(len(rest), 16)
		groups, err := categoryGroups(ix, rest[:n], site, siteKey, snap.Updated, log)
		if err != nil {
			return built{checked: true}, err
		}
		if err := w.Groups(end, groups); err != nil {
			return built{checked: true}, err
		}
		rest = rest[n:]
	}
	if err := w.Groups(end, []static.Group{opmlGroup(site, siteKey, cats)}); err != nil {
		return built{checked: true}, err
	}
	if err := copyMedia(out, ix, src, log); err != nil {
		return built{checked: true}, err
	}
	rendered, err := w.Finish(snap, stamp)
	return built{checked: true, rendered: rendered, written: w.Changed()}, err
}

// stopError is a build stopped by its context: it says what stopped it
// (a signal, say) and what is left, and is ctx's error.
type stopError struct {
	cause, err error
	left       string
}

func (e stopError) Error() string {
	return "stopped before the end (" + e.cause.Error() + "): " + e.left
}

func (e stopError) Unwrap() error { return e.err }

// built is what write did: whether it checked the pages (it does not when
// nothing changed since the last run), how many groups of files it
// rendered (an archive page in its four kinds with the pages of its
// entries, or one entry's page), and how many files it wrote, those whose
// bytes changed.
type built struct {
	checked           bool
	rendered, written int
}

// archivePage is an archive page to write: its date (see
// index.Layout.PageDate), its number, and how to make its group, when its
// turn comes. make is one func for all the pages of an archive, not one
// each: at a million files, the categories' archives have about 40,000
// pages, and a func each held 9.5 MB.
type archivePage struct {
	date int64
	n    int
	make func(n int) (static.Group, error)
}

// siteArchiveGroup is the group of a page of the site's archive: its four
// kinds and the pages of its entries, read and extracted once.
func siteArchiveGroup(ix *index.Index, site feed.Site, siteKey string, layout index.Layout, at feed.Place, updated time.Time, log *slog.Logger) (static.Group, error) {
	n := at.Page
	recs, recsKey, err := ix.ArchivePage(layout, n)
	if err != nil {
		return static.Group{}, err
	}
	// The page's bytes depend on the count of pages only through its
	// link to the next: whether it is the newest.
	g := static.Group{Key: key(siteKey, strconv.Itoa(n), strconv.FormatBool(n == at.Pages), recsKey)}
	for _, k := range feed.Kinds {
		g.Names = append(g.Names, at.Path(k))
	}
	for _, rec := range recs {
		g.Names = append(g.Names, feed.PagePath(rec.ID))
	}
	g.Render = func() ([][]byte, error) {
		whole, err := ix.EntriesOf(recs, 0)
		var out [][]byte
		for _, k := range feed.Kinds {
			if err != nil {
				out = append(out, nil) // lacking an entry: kept as it was, and made again next time
				continue
			}
			f, err := render.Archive(site, k, whole, at, updated)
			if err != nil {
				return nil, err
			}
			out = append(out, f.Body)
		}
		if err != nil {
			log.Warn("skipping an archive page: some of its files cannot be read", "page", n, "reason", err.Error())
		}
		// One page for each record: an entry that cannot be read now
		// keeps the page it had.
		byID := make(map[string]feed.Entry, len(whole))
		for _, e := range whole {
			byID[e.ID] = e
		}
		for _, rec := range recs {
			e, ok := byID[rec.ID]
			if !ok {
				out = append(out, nil)
				continue
			}
			f, err := render.Page(site, e)
			if err != nil {
				return nil, err
			}
			out = append(out, f.Body)
		}
		return out, nil
	}
	return g, nil
}

// opmlGroup is the group of the list of every feed.
func opmlGroup(site feed.Site, siteKey string, cats []feed.Category) static.Group {
	parts := []string{siteKey}
	for _, c := range cats {
		parts = append(parts, c.Slug, c.Name)
	}
	return static.Group{Names: []string{feed.OPMLPath}, Key: key(parts...), Render: func() ([][]byte, error) {
		f, err := render.OPML(site, cats)
		if err != nil {
			return nil, err
		}
		return [][]byte{f.Body}, nil
	}}
}

// categoryGroups returns the groups of the subscription documents of
// the categories given, one each. Their archive pages are written with
// the site's (see write).
func categoryGroups(ix *index.Index, cats []feed.Category, main feed.Site, siteKey string, updated time.Time, log *slog.Logger) ([]static.Group, error) {
	var groups []static.Group
	for _, c := range cats {
		site := render.CategorySite(main, c.Name)
		recs, layout, _, recsKey, err := ix.CategoryFeed(c.Slug, main.Limit)
		if err != nil {
			return nil, err
		}
		at := feed.Place{Pages: layout.Pages(), Dir: feed.CategoryDir(c.Slug)}
		g := static.Group{Key: key(siteKey, c.Slug, c.Name, recsKey)}
		for _, k := range feed.Kinds {
			g.Names = append(g.Names, at.Path(k))
		}
		g.Render = func() ([][]byte, error) {
			entries, err := ix.EntriesOf(recs, site.FeedBytes)
			if err != nil {
				log.Warn("skipping a category's feeds: some of their files cannot be read", "category", c.Slug, "reason", err.Error())
				return nil, nil
			}
			var out [][]byte
			for _, k := range feed.Kinds {
				f, err := render.Document(site, k, entries, at, updated, updated)
				if err != nil {
					return nil, err
				}
				out = append(out, f.Body)
			}
			return out, nil
		}
		groups = append(groups, g)
	}
	return groups, nil
}

// categoryArchiveGroup is the group of page n of the archive of category
// c, laid out as layout: its four kinds.
func categoryArchiveGroup(ix *index.Index, site feed.Site, siteKey string, c feed.Category, layout index.Layout, n int, updated time.Time, log *slog.Logger) (static.Group, error) {
	recs, recsKey, err := ix.ArchivePage(layout, n)
	if err != nil {
		return static.Group{}, err
	}
	at := feed.Place{Page: n, Pages: layout.Pages(), Dir: feed.CategoryDir(c.Slug)}
	g := static.Group{Key: key(siteKey, c.Slug, c.Name, strconv.Itoa(n), strconv.FormatBool(n == layout.Pages()), recsKey)}
	for _, k := range feed.Kinds {
		g.Names = append(g.Names, at.Path(k))
	}
	g.Render = func() ([][]byte, error) {
		entries, err := ix.EntriesOf(recs, 0)
		if err != nil {
			log.Warn("skipping a category's archive page: some of its files cannot be read", "page", at.Path(feed.Atom), "reason", err.Error())
			return nil, nil
		}
		var out [][]byte
		for _, k := range feed.Kinds {
			f, err := render.Archive(site, k, entries, at, updated)
			if err != nil {
				return nil, err
			}
			out = append(out, f.Body)
		}
		return out, nil
	}
	return g, nil
}

// key fingerprints what a built file is made from.
func key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
