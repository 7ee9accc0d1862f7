package feed

import (
	"fmt"
	"strings"
	"time"
)

// Entry is one seed as the feeds show it.
type Entry struct {
	ID         string
	Path       string // slash-separated, inside the seeds folder
	Title      string
	Summary    string
	Content    string // HTML
	Author     string
	Categories []string
	Published  time.Time
	Updated    time.Time
}

// String describes an entry for logs.
func (e Entry) String() string { return fmt.Sprintf("%s %q", e.Path, e.Title) }

// Site is what the feeds say about themselves.
type Site struct {
	Title       string
	Subtitle    string
	Author      string // defaults to Title: Atom needs an author
	AuthorEmail string
	Language    string
	BaseURL     string   // absolute, ending in "/"
	Limit       int      // entries in each feed
	FeedBytes   int64    // the budget of full text in one feed document; 0: none
	Hubs        []string // WebSub hubs, announced with rel="hub"
}

// URL returns the absolute URL of the file at p, a path under the base URL.
func (s Site) URL(p string) string { return s.BaseURL + p }

// AuthorName is the feed's author: the one configured, else the title.
func (s Site) AuthorName() string {
	if s.Author != "" {
		return s.Author
	}
	return s.Title
}

// Description is the feed's subtitle, which RSS requires to be non-empty.
func (s Site) Description() string {
	if s.Subtitle != "" {
		return s.Subtitle
	}
	return s.Title
}

// PagePath returns the path of an entry's page under the base URL.
func PagePath(id string) string {
	return "entry/" + strings.TrimPrefix(id, "urn:uuid:") + ".html"
}
