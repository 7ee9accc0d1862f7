package render

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
)

// TestJSONItemsHaveContent: JSON Feed 1.1 wants content_html or
// content_text in every item; a post of front matter alone, one trimmed by
// the byte budget and one with nothing to say still carry one, in the
// subscription feed, an archive page and a category's feed.
func TestJSONItemsHaveContent(t *testing.T) {
	at := func(i int) time.Time { return t0.Add(-time.Duration(i) * time.Hour) }
	entries := []feed.Entry{
		{ID: "urn:uuid:1", Path: "summary-only.md", Title: "Summary only", Summary: "Said in the front matter.", Published: at(0), Updated: at(0)},
		{ID: "urn:uuid:2", Path: "title-only.md", Title: "Title only", Published: at(1), Updated: at(1)},
		{ID: "urn:uuid:3", Path: "trimmed.md", Title: "Trimmed", Summary: "Its summary.", Trimmed: true, Published: at(2), Updated: at(2)},
		{ID: "urn:uuid:4", Path: "nothing.md", Published: at(3), Updated: at(3)},
		{ID: "urn:uuid:5", Path: "post.md", Title: "A post", Content: "<p>Its text.</p>", Published: at(4), Updated: at(4)},
	}
	docs := map[string]func() (*File, error){
		"subscription feed": func() (*File, error) {
			s, err := Render(testSite, entries, t0)
			if err != nil {
				return nil, err
			}
			return s.Files[feed.JSON.Path], nil
		},
		"archive page": func() (*File, error) {
			return Archive(testSite, feed.JSON, entries, feed.Place{Page: 1, Pages: 1}, t0)
		},
		"category feed": func() (*File, error) {
			return Document(testSite, feed.JSON, entries, feed.Place{Dir: "category/news/"}, t0, t0)
		},
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			f, err := doc()
			if err != nil {
				t.Fatal(err)
			}
			var d struct {
				Items []map[string]any `json:"items"`
			}
			if err := json.Unmarshal(f.Body, &d); err != nil {
				t.Fatal(err)
			}
			if len(d.Items) != len(entries) {
				t.Fatalf("%d items; want %d", len(d.Items), len(entries))
			}
			for _, it := range d.Items {
				_, html := it["content_html"]
				_, text := it["content_text"]
				if !html && !text {
					t.Errorf("item %v has neither content_html nor content_text", it["id"])
				}
			}
		})
	}
}
