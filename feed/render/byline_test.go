package render

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"testing"

	"github.com/mmcdole/gofeed"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestBylines: an entry names its own author in every format; one without
// names the configured author; with none configured it names none, and
// the title stands in only as Atom's feed author.
func TestBylines(t *testing.T) {
	entries := feedtest.Entries(t, 2)
	entries[0].Author = "Jane Doe"
	entries[1].Author = ""
	for _, tt := range []struct {
		name          string
		author, email string
		want          [2]string // each entry's author, as gofeed reads it
		feedAuthor    string    // Atom's
	}{
		{"configured author", "Ann Editor", "ann@example.org", [2]string{"Jane Doe", "Ann Editor"}, "Ann Editor"},
		{"none configured", "", "", [2]string{"Jane Doe", ""}, testSite.Title},
	} {
		t.Run(tt.name, func(t *testing.T) {
			site := testSite
			site.Author, site.AuthorEmail = tt.author, tt.email
			snap, err := Render(site, entries, t0)
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{feed.Atom.Path, feed.RSS.Path, feed.JSON.Path} {
				f, err := gofeed.NewParser().ParseString(string(snap.Files[name].Body))
				if err != nil {
					t.Fatalf("%s: gofeed: %v", name, err)
				}
				for i, it := range f.Items {
					got := ""
					if len(it.Authors) > 0 {
						got = it.Authors[0].Name
					}
					if got != tt.want[i] || len(it.Authors) > 1 {
						t.Errorf("%s item %d authors = %s; want %q", name, i, people(it.Authors), tt.want[i])
					}
				}
			}
			var atom struct {
				Author struct {
					Name  string `xml:"name"`
					Email string `xml:"email"`
				} `xml:"author"`
				Entries []struct {
					Authors []struct {
						Email string `xml:"email"`
					} `xml:"author"`
				} `xml:"entry"`
			}
			if err := xml.Unmarshal(snap.Files[feed.Atom.Path].Body, &atom); err != nil {
				t.Fatal(err)
			}
			if atom.Author.Name != tt.feedAuthor || atom.Author.Email != tt.email {
				t.Errorf("Atom feed author = %q <%s>; want %q <%s>", atom.Author.Name, atom.Author.Email, tt.feedAuthor, tt.email)
			}
			if tt.author != "" && (len(atom.Entries[1].Authors) != 1 || atom.Entries[1].Authors[0].Email != tt.email) {
				t.Errorf("Atom entry with the configured author: %+v; want its e-mail too", atom.Entries[1].Authors)
			}
			var jf struct {
				Items []struct {
					Authors []struct{ Name string } `json:"authors"`
				} `json:"items"`
			}
			if err := json.Unmarshal(snap.Files[feed.JSON.Path].Body, &jf); err != nil {
				t.Fatal(err)
			}
			if len(jf.Items[0].Authors) != 1 || jf.Items[0].Authors[0].Name != "Jane Doe" {
				t.Errorf("JSON Feed item authors = %+v; want [Jane Doe] (JSON Feed 1.1's authors)", jf.Items[0].Authors)
			}
		})
	}
}

func people(ps []*gofeed.Person) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return fmt.Sprintf("%q", out)
}
