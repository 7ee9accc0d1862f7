// Package feedtest holds what the tests of several feed packages share:
// a fixed clock, a site to render, and helpers for files and outside tools.
package feedtest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/state"
)

// T0 is the fixed clock of every test that renders.
var T0 = time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)

// Site is the site the tests render.
var Site = feed.Site{
	Title:    "Seed news",
	Subtitle: "Wire copy from the seeds folder",
	Language: "en",
	BaseURL:  "https://example.org/news/",
	Limit:    50,
}

// Fixed returns a clock that always says t.
func Fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

// Write writes text to path, making its folders.
func Write(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// WriteAt is Write, then sets the file's modification time to mt.
func WriteAt(t testing.TB, path, text string, mt time.Time) {
	t.Helper()
	Write(t, path, text)
	if err := os.Chtimes(path, mt, mt); err != nil {
		t.Fatal(err)
	}
}

// NeedTool returns the path of an outside program. Without it the test is
// skipped, except under CI, where every tool must be there.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required under CI=true but not installed", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

// Seeds is the path of the sample seeds folder from a package two levels
// below the module root, such as feed/render.
const Seeds = "../../seeds"

// WellFormed reads every token of an XML document.
func WellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Entries returns n entries made from the sample seeds' text, newest
// first, each with its own ID, published a minute apart before T0.
func Entries(t testing.TB, n int) []feed.Entry {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(Seeds, "*.txt"))
	var docs []extract.Doc
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := extract.Extract(f, data)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		t.Fatalf("no seeds in %s", Seeds)
	}
	out := make([]feed.Entry, n)
	for i := range out {
		doc := docs[i%len(docs)]
		path := fmt.Sprintf("entry%d.txt", i)
		out[i] = feed.Entry{
			ID: state.NameID(path), Path: path, Title: doc.Title, Summary: doc.Summary, Content: doc.Content,
			Author: doc.Author, Categories: feed.AllCategorySources.Categories(path, doc.Tags, doc.Place),
			Published: T0.Add(-time.Duration(i) * time.Minute), Updated: T0,
		}
	}
	return out
}

// Records returns every live record of store, in path order.
func Records(t testing.TB, store *state.Store) []state.Record {
	t.Helper()
	var paths []string
	err := store.Briefs("", "", func(p []byte, _ state.Brief) bool {
		paths = append(paths, string(p))
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := store.LookupAll(paths)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// SeedDir copies the sample seeds into a fresh folder and returns it.
func SeedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "seeds")
	files, _ := filepath.Glob(filepath.Join(SeedsFrom(t), "*"))
	if len(files) != 2 {
		t.Fatalf("found %d sample seeds; want 2", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		Write(t, filepath.Join(dir, filepath.Base(f)), string(b))
	}
	return dir
}

// SeedsFrom returns the sample seeds folder, found from the test's working
// directory, which is its package's folder.
func SeedsFrom(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"seeds", "../seeds", "../../seeds", "../../../seeds"} {
		if _, err := os.Stat(filepath.Join(p, "..", "go.mod")); err == nil {
			return p
		}
	}
	t.Fatal("no seeds folder beside go.mod above the test's folder")
	return ""
}

// SyncBuffer is a bytes.Buffer that a logger may write while a test reads.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// WaitFor polls cond until it holds, and fails the test after timeout.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// JSONItem is what tests read of a JSON Feed item.
type JSONItem struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Published string `json:"date_published"`
	Modified  string `json:"date_modified"`
	Content   string `json:"content_html"`
}

// JSONFeed is what tests read of a JSON Feed.
type JSONFeed struct {
	Title string     `json:"title"`
	Items []JSONItem `json:"items"`
}

// ByTitle returns the item with the title, if there is one.
func (f JSONFeed) ByTitle(title string) (JSONItem, bool) {
	for _, it := range f.Items {
		if it.Title == title {
			return it, true
		}
	}
	return JSONItem{}, false
}

// Health is what /healthz says.
type Health struct {
	Status    string   `json:"status"`
	Entries   int      `json:"entries"`
	Indexed   int      `json:"indexed"`
	Published int      `json:"published"`
	Renders   int64    `json:"renders"`
	Index     string   `json:"index"` // loading, scanning or complete
	Problems  []string `json:"problems"`
	Hub       *struct {
		Subscriptions int   `json:"subscriptions"`
		Pending       int   `json:"pending"`
		Delivered     int64 `json:"delivered"`
		Failed        int64 `json:"failed"`
	} `json:"hub"`
}

// GetJSON fetches url and decodes its JSON into v.
func GetJSON(t testing.TB, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// READMESection returns the text of README.md under heading, given with
// its level ("## Commands", "### Behind nginx or a CDN"), up to the next
// heading of that level or a higher one: what the tests hold README's
// promises to. README.md is found from the test's folder up.
func READMESection(t testing.TB, heading string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	var readme []byte
	for {
		if readme, err = os.ReadFile(filepath.Join(dir, "README.md")); err == nil {
			break
		}
		if up := filepath.Dir(dir); up != dir {
			dir = up
			continue
		}
		t.Fatal("no README.md above the test's folder")
	}
	level := strings.IndexByte(heading, ' ') // 2 for "## "
	var section []string
	in, fenced := false, false
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
		}
		if !fenced && strings.HasPrefix(line, "#") {
			if n := strings.IndexByte(line, ' '); n > 0 && n <= level && strings.Trim(line[:n], "#") == "" {
				if in {
					break // the next heading of its level or higher
				}
				in = line == heading
				continue
			}
		}
		if in {
			section = append(section, line)
		}
	}
	if !in {
		t.Fatalf("README.md has no %q", heading)
	}
	return strings.Join(section, "\n")
}

// READMECode returns the first block fenced as lang ("nginx", "ini") in
// README.md under heading (see READMESection).
func READMECode(t testing.TB, heading, lang string) string {
	t.Helper()
	_, block, ok := strings.Cut(READMESection(t, heading), "```"+lang+"\n")
	if ok {
		block, _, ok = strings.Cut(block, "```")
	}
	if !ok {
		t.Fatalf("README.md has no %s block under %q", lang, heading)
	}
	return block
}
