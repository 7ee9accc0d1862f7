package daemon

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestBuildAdvertisesHubs: build takes its site from the same builder as
// serve, so the hubs configured are in every feed it writes, and the links
// are based on the base URL.
func TestBuildAdvertisesHubs(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Site.Hubs = []string{"https://hub.example/"}
		o.Site.BaseURL = "https://news.example/"
		o.Now = feedtest.Fixed(feedtest.T0)
	})
	out := t.TempDir()
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		feed.Atom.Path: `<link href="https://hub.example/" rel="hub">`,
		feed.RSS.Path:  `<atom:link href="https://hub.example/" rel="hub">`,
		feed.JSON.Path: `"hubs":[{"type":"WebSub","url":"https://hub.example/"}]`,
	}
	for _, k := range feed.Feeds() {
		b, err := os.ReadFile(filepath.Join(out, k.Path))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want[k.Path]) {
			t.Errorf("%s lacks %s", k.Path, want[k.Path])
		}
		if !strings.Contains(string(b), "https://news.example/entry/") {
			t.Errorf("%s has no entry link on the base URL", k.Path)
		}
	}
}

// TestBuildRefusesMissingSeeds: build names a seeds folder that is not
// there in the same words as serve.
func TestBuildRefusesMissingSeeds(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Source.Dir = filepath.Join(t.TempDir(), "nope") })
	err := Build(context.Background(), e.opts, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "seeds folder") {
		t.Errorf("Build = %v; want the seeds folder named", err)
	}
	if _, err := New(e.opts); err == nil || !strings.Contains(err.Error(), "seeds folder") {
		t.Errorf("New = %v; want the seeds folder named", err)
	}
}
