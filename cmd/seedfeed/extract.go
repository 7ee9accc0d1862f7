package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/state"
)

// extracted is one line of `seedfeed extract`.
type extracted struct {
	Path       string    `json:"path"`
	Title      string    `json:"title"`
	Summary    string    `json:"summary"`
	ID         string    `json:"id"`
	Published  time.Time `json:"published"`
	Updated    time.Time `json:"updated"`
	Author     string    `json:"author,omitempty"`
	Categories []string  `json:"categories,omitempty"`
	Draft      bool      `json:"draft,omitempty"`
	Known      bool      `json:"known"` // the state store already has this file
	Content    string    `json:"content_html"`
}

// runExtract prints, for each file, what seedfeed would put in the feeds.
// IDs and dates come from the state store when it knows the file and can be
// opened; otherwise they are what the file would get if it were seen now.
func runExtract(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configFile := fs.String("config", "config.toml", "config `file`")
	stateFile := fs.String("state", "", "state store `file` (overrides config)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: seedfeed extract [-config FILE] [-state FILE] FILE...")
		return errUsage
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	cfg, err := LoadConfig(*configFile, explicit)
	if err != nil {
		return err
	}
	if *stateFile != "" {
		cfg.State = *stateFile
	}
	var store *state.Store
	if s, err := state.Open(cfg.State, true); err == nil {
		store = s
		defer store.Close()
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	now := time.Now().UTC().Truncate(time.Second)
	for _, name := range fs.Args() {
		src := feed.Source{Dir: filepath.Dir(name), MaxSize: int64(cfg.MaxFileSize)}
		data, _, err := src.Read(filepath.Base(name))
		var doc extract.Doc
		if err == nil {
			doc, err = extract.Extract(name, data)
		}
		if err != nil {
			fmt.Fprintf(stderr, "seedfeed: skipping %s: %v\n", name, err)
			failed++
			continue
		}
		rel := seedPath(cfg.Seeds, name)
		rec := state.Record{ID: state.NameID(rel), Path: rel, FirstSeen: now, Updated: now}
		known := false
		if store != nil {
			if r, ok, err := store.Lookup(rel); err == nil && ok {
				rec, known = r, true
			}
		}
		rec.Date, rec.DocUpdated = doc.Date, doc.Updated
		e := feed.NewEntry(rec, doc)
		err = enc.Encode(extracted{
			Path: name, Title: e.Title, Summary: e.Summary, ID: e.ID, Published: e.Published,
			Updated: e.Updated, Author: e.Author, Categories: e.Categories, Draft: doc.Draft,
			Known: known, Content: e.Content,
		})
		if err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be extracted", failed, fs.NArg())
	}
	return nil
}

// seedPath returns name relative to the seeds folder, slash-separated, as
// the state store keys it; a file outside the folder keeps its base name.
func seedPath(seeds, name string) string {
	absSeeds, err1 := filepath.Abs(seeds)
	absName, err2 := filepath.Abs(name)
	if err := errors.Join(err1, err2); err == nil {
		if rel, err := filepath.Rel(absSeeds, absName); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(name)
}
