package daemon

import (
	"log/slog"
	"path"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/httpd"
	"github.com/seedfeed/seedfeed/feed/index"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/static"
)

// media opens, for the handler, the file at name under feed.MediaDir: only
// a file of a media type that the text of a live entry references (as the
// index last read it), never a seed, and never through a symlink that
// leads out of the seeds folder.
func (d *Daemon) media(name string) (httpd.MediaFile, bool) {
	rel, ok := feed.MediaRel(name)
	if !ok || d.opts.Source.Wants(rel) {
		return httpd.MediaFile{}, false
	}
	f, st, err := d.opts.Source.OpenMedia(rel)
	if err != nil {
		d.log.Debug("cannot serve a file an entry references", "path", rel, "reason", err.Error())
		return httpd.MediaFile{}, false
	}
	if !d.ix.Referenced(rel) && (!d.lookedIn(rel) || !d.ix.Referenced(rel)) {
		f.Close()
		return httpd.MediaFile{}, false
	}
	return httpd.MediaFile{Body: f, Type: feed.MediaType(rel), Size: st.Size, ModTime: st.ModTime}, true
}

// lookFor bounds how many entries one request for a file may have read,
// to learn whether they reference it (see index.LookFor).
const lookFor = 32

// lookedIn has the index read the entries beside rel, once per folder in
// the daemon's life, and reports whether it did so now: a file no entry
// is known to reference is asked for, and exists.
func (d *Daemon) lookedIn(rel string) bool {
	dir := path.Dir(rel)
	d.lookedMu.Lock()
	done := d.looked[dir]
	if d.looked == nil {
		d.looked = map[string]bool{}
	}
	d.looked[dir] = true
	d.lookedMu.Unlock()
	if done {
		return false
	}
	d.ix.LookFor(rel, lookFor)
	return true
}

// copyMedia copies into out the files that published entries reference.
// The entries read in this run say what they reference now; an entry not
// read (its pages were up to date) references what the last run's
// manifest says it did, as its text has not changed since.
func copyMedia(out string, ix *index.Index, src source.Source, log *slog.Logger) error {
	old, err := static.ReadMedia(out)
	if err != nil {
		return err
	}
	if len(old) == 0 && !ix.AnyMedia() {
		return nil // nothing referenced, now or before: a folder of plain text costs nothing here
	}
	read := ix.MediaRefs()
	published := map[string]bool{}
	for p := range ix.Published() {
		published[p] = true
	}
	want := map[string][]string{}
	for entry, media := range read {
		if published[entry] {
			for _, rel := range media {
				want[rel] = append(want[rel], entry)
			}
		}
	}
	for rel, entries := range old {
		for _, entry := range entries {
			if !ix.WasRead(entry) && published[entry] {
				want[rel] = append(want[rel], entry)
			}
		}
	}
	return static.CopyMedia(out, src, want, old, log)
}
