package daemon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/index"
	"github.com/seedfeed/seedfeed/feed/source"
	"github.com/seedfeed/seedfeed/feed/state"
)

// extracted is one line of seedfeed extract.
type extracted struct {
	Path       string    `json:"path"`
	Title      string    `json:"title"`
	Summary    string    `json:"summary"`
	ID         string    `json:"id"`
	Published  time.Time `json:"published"`
	Updated    time.Time `json:"updated"`
	Author     string    `json:"author,omitempty"`
	Categories []string  `json:"categories,omitempty"`
	Lang       string    `json:"lang,omitempty"`
	Draft      bool      `json:"draft,omitempty"`
	Skipped    string    `json:"skipped,omitempty"` // why the daemon does not publish it: a draft, no post, expired
	Known      bool      `json:"known"`             // the state store already has this file
	Content    string    `json:"content_html"`
}

// Extract writes to w, for each of files, what seedfeed would put in the
// feeds, as one JSON object a line: seedfeed extract. IDs and dates come
// from the state store when it knows the file and can be opened; otherwise
// they are what the file would get if it were seen now. A file that cannot
// be read or extracted is named on stderr, and counts in the error.
func Extract(opts Options, files []string, w, stderr io.Writer) error {
	store, err := state.Open(opts.State, true)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(stderr, "seedfeed: extract: state store %s does not exist: IDs and dates are those of new files\n", opts.State)
	case errors.Is(err, state.ErrLocked):
		return fmt.Errorf("extract: %w: stop it to see the IDs and dates it gave, or pass -state another store", err)
	case err != nil:
		return fmt.Errorf("extract: %w", err)
	default:
		defer store.Close()
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	failed := 0
	now := time.Now().UTC().Truncate(time.Second)
	site := index.SiteOf(opts.Source.Site()) // a file of a site generator's root is a post only in its posts' folder
	for _, name := range files {
		src := source.Source{Dir: filepath.Dir(name), MaxSize: opts.Source.MaxSize}
		data, stamp, err := src.Read(filepath.Base(name))
		seed, inside := seedPath(opts.Source.Dir, name) // what the daemon calls it: its dates come from that path, not the one given
		var doc extract.Doc
		if err == nil {
			reader := extract.Options{Encoding: opts.Encoding}
			if inside {
				reader.Site = site
			}
			doc, err = reader.Extract(seed, data)
		}
		if err != nil {
			fmt.Fprintf(stderr, "seedfeed: extract: skipping %s: %s\n", name, feed.Reason(err))
			failed++
			continue
		}
		if !inside {
			fmt.Fprintf(stderr, "seedfeed: extract: %s is outside the seeds folder %s: its ID and dates are those of %s in it (give -seeds or -config)\n", name, opts.Source.Dir, seed)
		}
		if doc.Encoding != "" {
			fmt.Fprintf(stderr, "seedfeed: extract: %s: not valid UTF-8, read as %s\n", name, doc.Encoding)
		}
		if doc.DateNote != "" {
			fmt.Fprintf(stderr, "seedfeed: extract: %s: ignoring a date the file gives: %s\n", name, doc.DateNote)
		}
		e, known, err := index.Preview(store, opts.Site.BaseURL, seed, doc, stamp.ModTime, now)
		if err != nil {
			return err
		}
		err = enc.Encode(extracted{
			Path: name, Title: e.Title, Summary: e.Summary, ID: e.ID, Published: e.Published,
			Updated: e.Updated, Author: e.Author, Categories: e.Categories, Lang: e.Lang, Draft: doc.Draft,
			Skipped: index.Withheld(doc.Facts, now), Known: known, Content: e.Content,
		})
		if err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be extracted", failed, len(files))
	}
	return nil
}

// seedPath returns name relative to the seeds folder, slash-separated, as
// the state store keys it, and true; a file outside the folder keeps its
// base name, and false.
func seedPath(seeds, name string) (string, bool) {
	absSeeds, err1 := filepath.Abs(seeds)
	absName, err2 := filepath.Abs(name)
	if err := errors.Join(err1, err2); err == nil {
		if rel, err := filepath.Rel(absSeeds, absName); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel), true
		}
	}
	return filepath.Base(name), false
}
