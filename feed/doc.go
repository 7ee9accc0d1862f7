// Package feed is seedfeed's domain: Entry (one seed as the feeds show
// it), Site (what the feeds say about themselves) and Kinds, the one table
// of the documents rendered for a set of entries (Atom, RSS, JSON Feed and
// the HTML index). Its subpackages are the layers, each with one job:
//
//	source   which files of the seeds folder are seeds; scanning; safe reads.
//	         Every system call on the folder, and all platform code.
//	extract  bytes → title, summary, HTML content, author and facts. Pure.
//	icon     bytes of the configured icon and logo → checked pictures;
//	         the built-in icon. Pure.
//	state    the bbolt store: stable IDs and dates, persisted.
//	index    the ordered set of entries; the one package that joins
//	         source, extract and state.
//	render   entries → a Snapshot: every document's bytes, ETag and
//	         modification time. No I/O.
//	httpd    serves the current Snapshot: routes, gzip, headers, 304s,
//	         /healthz, and the server's timeouts.
//	static   writes a Snapshot into a folder, for a static host.
//	websub   pings WebSub hubs when feeds change.
//	daemon   the loop that ties watch, index, render and httpd together;
//	         and the one-shot runs of build and extract.
//	feedtest helpers shared by the tests of these packages.
//
// The package watch, beside feed, turns fsnotify events into settled
// batches of paths and knows nothing of feeds.
//
// # The way of one byte
//
// A byte written to seeds/a.txt reaches a reader this way, in serve:
//
//  1. watch.Watcher gets the fsnotify event, waits until the file is quiet
//     (the debounce), and hands a watch.Batch of paths to the daemon's
//     callback, daemon.(*Daemon).apply.
//  2. index.(*Index).Update asks source.Source.Wants and Exists of each
//     path, then reads it with source.Source.ReadInto (open, fstat, one
//     read, close; never past the size limit, never blocking on a FIFO).
//     extract.Inspect fingerprints the text and finds its own dates, or
//     withholds it (a draft; a file that is no post, as in a Jekyll or a
//     Hugo site's root, which source.Source.Site finds at each Rescan,
//     outside its posts: extract.Site); a
//     batch no larger than a feed is extracted in the same read, with
//     extract.Complete. state.(*Store).Apply gives the file its stable ID
//     and dates, in one transaction a chunk, and the index puts the entry
//     (path, ID, date) in its newest-first order.
//  3. daemon.(*Daemon).render takes index.(*Index).Entries, the newest
//     Site.Limit entries with their text while Site.FeedBytes lasts (the
//     rest Trimmed), and index.(*Index).Archive, which closes archive pages
//     as entries leave the feeds; render.RenderSince makes a new
//     render.Snapshot: for each row of feed.Kinds its renderer (renderAtom,
//     renderRSS, renderJSON, renderIndex), renderPage for each entry
//     with its text whose page changed, and the site's pictures
//     (favicon.ico, the icon's PNG, the logo: addImages), which
//     config.Validate read through package icon. Unchanged files keep
//     their bytes and modification times.
//  4. httpd.(*Handler).Swap prepares every new file once (its gzip form and
//     its response headers, with the WebSub Link header for feeds) and
//     swaps the snapshot in behind an atomic pointer; websub.Publisher
//     pings the hubs of the feeds whose bytes changed.
//  5. A reader's GET /feed.atom reaches httpd.(*Handler).ServeHTTP, which
//     picks the prepared bytes, answers 304 when the validators match, and
//     writes the body. No request for the site's feeds renders or
//     compresses. A page the snapshot does not hold (an older entry's, an
//     archive page) is found by daemon.(*Daemon).page or archive through
//     index.(*Index).Find or ArchivePage, read with EntriesOf, rendered
//     with render.Page or render.Archive, and kept in the handler's cache;
//     so are a category's documents (daemon.(*Daemon).document, through
//     index.(*Index).CategoryFeed and render.Document) and /feeds.opml.
//
// seedfeed build goes the same way in one pass: daemon.Build runs
// index.(*Index).Rescan over the whole folder, then Entries, Archive and
// render.RenderSince, and a static.Writer writes, a few groups at a time,
// every archive page with its entries' pages, then the snapshot, pages
// first and feeds last, each file renamed into place, with one sync at
// the end. seedfeed extract runs source and extract on the files given,
// and index.Preview for their IDs and dates.
package feed
