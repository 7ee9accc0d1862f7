package daemon

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"slices"
	"time"

	"github.com/seedfeed/seedfeed/feed/httpd"
	"github.com/seedfeed/seedfeed/feed/render"
	"github.com/seedfeed/seedfeed/feed/state"
)

// A restart serves the last run's snapshot at once, kept in the state
// store at each render (see save), so that readers get what they got
// before, with the same validators, within moments of the start whatever
// the size of the folder. The index is loaded from the store and then
// compared with the folder in the background; the first render from it
// replaces the restored snapshot.

// restoreFormat changes when what the key of a saved snapshot covers
// does.
const restoreFormat = 1

// snapshotKey names what the daemon renders from: seedfeed's version and
// every setting that shapes the documents. A saved snapshot with another
// key is not served. It is made once, and again after a reload. The
// caller holds d.mu, or the daemon is starting.
func (d *Daemon) snapshotKey() string {
	if d.snapKey != "" {
		return d.snapKey
	}
	h := sha256.New()
	o := d.opts
	fmt.Fprintf(h, "%d\x00%s\x00%#v\x00%#v\x00%t\x00%q\x00%q\x00%d", restoreFormat, o.Version, d.site, o.categories(),
		o.Future, o.Encoding, o.Source.Include, o.Source.MaxSize)
	d.snapKey = hex.EncodeToString(h.Sum(nil))
	return d.snapKey
}

// restore serves the snapshot the last run saved, when it was made from
// the same settings by the same version, and reports whether it did. It
// runs before the server does.
func (d *Daemon) restore() bool {
	sv, ok, err := d.store.Snapshot()
	switch {
	case err != nil:
		d.log.Warn("cannot read the last run's feeds; serving once indexed", "reason", err.Error())
		return false
	case !ok:
		return false
	case sv.Key != d.snapshotKey():
		d.log.Info("the last run's feeds were made by another version or with other settings; serving once indexed")
		return false
	}
	files := make(map[string]*render.File, len(sv.Files))
	for name, f := range sv.Files {
		files[name] = &render.File{Body: f.Body, Type: f.Type, ETag: f.ETag, ModTime: f.ModTime}
	}
	d.handler.Restore(render.Restore(d.site, files, sv.Updated, sv.Newest, sv.SiteSince, sv.Archive), sv.Published)
	d.savedSum = savedSum(sv)
	d.log.Info("serving the last run's feeds until the index is loaded", "files", len(files), "published", sv.Published)
	return true
}

// save keeps snap in the store for the next start, unless the store holds
// it already: one transaction, of the files that changed. While it cannot
// (a disk too full for the feeds' bytes, though not for the records),
// the feeds served follow the folder, but a restart would serve older
// ones until its index is loaded: /healthz names that as a problem, and
// the save of the snapshot served is tried again, as retry tries a
// rescan (after 5 s, then twice as long each time, up to 5 minutes), and
// at each render, until one succeeds, which one line says. The caller
// holds d.mu.
func (d *Daemon) save(snap *render.Snapshot, published int) {
	sv := state.Saved{Key: d.snapshotKey(), Updated: snap.Updated, Newest: snap.Newest, SiteSince: snap.SiteSince,
		Archive: snap.Archive, Published: published, Files: make(map[string]state.SavedFile, len(snap.Files))}
	for name, f := range snap.Files {
		sv.Files[name] = state.SavedFile{Body: f.Body, Type: f.Type, ETag: f.ETag, ModTime: f.ModTime}
	}
	sum := savedSum(sv)
	if sum == d.savedSum {
		return
	}
	if err := d.store.SaveSnapshot(sv); err != nil {
		d.savedSum = ""
		d.log.Warn("could not keep the feeds for the next start", "reason", err.Error())
		if d.unsaved.Load() == nil {
			p := fmt.Sprintf("the feeds cannot be kept in the state store for the next start since %s (%s): they are served as they follow the folder, but a restart would serve older ones until its index is loaded; seedfeed tries again",
				time.Now().UTC().Format(time.RFC3339), err.Error())
			d.unsaved.Store(&p)
		}
		d.later(&d.saves, func() { d.save(d.handler.Current(), d.handler.Published()) })
		return
	}
	d.savedSum = sum
	d.saves.reset()
	if d.unsaved.Load() != nil {
		d.log.Info("the feeds are kept for the next start again") // before /healthz says so
		d.unsaved.Store(nil)
	}
}

// savedSum fingerprints sv without its bodies: each file's ETag names
// its bytes.
func savedSum(sv state.Saved) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00%d\x00%d\x00%d", sv.Key, sv.Updated.UnixNano(), sv.Newest.UnixNano(), sv.SiteSince.UnixNano(), sv.Archive, sv.Published)
	names := make([]string, 0, len(sv.Files))
	for name := range sv.Files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		f := sv.Files[name]
		fmt.Fprintf(h, "\x00%s\x00%s\x00%s\x00%d", name, f.Type, f.ETag, f.ModTime.UnixNano())
	}
	return string(h.Sum(nil))
}

// The index's progress, for /healthz.
const (
	indexLoading int32 = iota
	indexScanning
	indexComplete
)

// indexState says how far the index is, in /healthz's words.
func (d *Daemon) indexState() string {
	return [...]string{httpd.IndexLoading, httpd.IndexScanning, httpd.IndexComplete}[d.indexPhase.Load()]
}

// load fills the index from the store and renders it: the feeds as the
// last run left them, less what came due since. Batches wait meanwhile.
func (d *Daemon) load(ctx context.Context) error {
	start := time.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.ix.Load(ctx); err != nil {
		return err
	}
	d.loaded = true
	d.render()
	d.indexPhase.CompareAndSwap(indexLoading, indexScanning)
	d.log.Debug("loaded the index from the store", "entries", d.ix.Len(), "took", since(start))
	return nil
}

// firstIndex brings the index in step with the folder, once the store's
// index is served (loaded already unless restored) and every folder is
// watched, so that no change is missed between the two. Only a store that
// cannot be read is an error; a folder that cannot be is retried.
func (d *Daemon) firstIndex(ctx context.Context, restored bool) error {
	if d.holdIndex != nil { // tests
		select {
		case <-d.holdIndex:
		case <-ctx.Done():
			return nil
		}
	}
	if restored {
		if err := d.load(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
	select {
	case <-d.watcher.Watching():
	case <-ctx.Done():
		return nil
	}
	start := time.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped {
		return nil
	}
	restarted := !d.store.Empty()
	err := d.ix.Rescan(ctx)
	if err == nil {
		d.metrics.Indexed("first", time.Since(start))
		// What changed while the daemon was stopped is told as a batch
		// is; a first index of an empty store publishes every file, as
		// "indexed" says.
		if t := d.ix.TakeTally(); restarted && !t.Empty() {
			d.log.Info(t.String(), t.Attrs()...)
		}
		d.render()
		d.ix.Settle()
		// The first index leaves its garbage behind at once: collect it now
		// and give the memory back, so serving starts small and steady.
		debug.FreeOSMemory()
		d.log.Info("indexed", "entries", d.ix.Len(), "read", d.ix.Reads(), "took", since(start))
		d.retry(false)
		d.markReady()
	} else if ctx.Err() == nil {
		d.log.Error("first index failed; will retry", "reason", err.Error())
		d.recordFailed(err)
	}
	return nil
}
