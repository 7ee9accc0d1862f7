package daemon

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
	"github.com/seedfeed/seedfeed/feed/state"
)

// expiring is a Hugo post that stops being published at at.
func expiring(title string, at time.Time) string {
	return "---\ntitle: " + title + "\nexpiryDate: " + at.Format(time.RFC3339) + "\n---\nOn offer until then.\n"
}

// soon returns a whole second about two seconds ahead, as a front matter
// date gives it: time for a post to be indexed before it.
func soon() time.Time {
	return time.Now().Add(2 * time.Second).UTC().Truncate(time.Second).Add(time.Second)
}

// TestExpiredPostLeavesAtItsTime: a post whose expiryDate comes while the
// daemon runs leaves the feed at that moment, and its page answers 410
// Gone, with no change to its file and no rescan; the other entries stay.
func TestExpiredPostLeavesAtItsTime(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
	at := soon()
	feedtest.Write(t, filepath.Join(e.seeds, "offer.md"), expiring("An offer", at))
	feedtest.Write(t, filepath.Join(e.seeds, "post.md"), "# A post\n\nIt stays.\n")
	feedtest.WaitFor(t, 10*time.Second, "the offer and the post in the feed", func() bool {
		_, offer := byTitle(getFeed(t, p), "An offer")
		_, post := byTitle(getFeed(t, p), "A post")
		return offer && post || !time.Now().Before(at)
	})
	if !time.Now().Before(at) {
		t.Skipf("the machine was too slow to publish the offer before its expiry, %v", at)
	}
	page := p.url("/" + feed.PagePath(p.id("offer.md")))
	if status, _, _ := fetchPage(t, page); status != http.StatusOK && time.Now().Before(at) {
		t.Errorf("the offer's page answers %d before its expiry; want 200", status)
	}
	indexed := getHealth(t, p).Indexed

	feedtest.WaitFor(t, 10*time.Second, "the offer to leave the feed", func() bool {
		_, ok := byTitle(getFeed(t, p), "An offer")
		return !ok
	})
	if now := time.Now(); now.Before(at) {
		t.Errorf("the offer left the feed at %v, before its expiry %v", now, at)
	}
	if status, _, _ := fetchPage(t, page); status != http.StatusGone {
		t.Errorf("the offer's page answers %d after its expiry; want 410", status)
	}
	if _, ok := byTitle(getFeed(t, p), "A post"); !ok {
		t.Error("the post without an expiry left the feed too")
	}
	if h := getHealth(t, p); h.Indexed != indexed-1 {
		t.Errorf("/healthz: %d indexed after the expiry; want %d, one fewer", h.Indexed, indexed-1)
	}
	if strings.Contains(p.logs.String(), `"msg":"rescanning"`) {
		t.Errorf("the daemon rescanned; want the expiry alone to take the offer down:\n%s", p.logs)
	}
}

// TestExpiredWhileStopped: a post whose expiryDate passed while the daemon
// was stopped is out of the feed once the restarted daemon has indexed,
// and its page answers 410 Gone, though its file is as it was.
func TestExpiredWhileStopped(t *testing.T) {
	e := newEnv(t, nil)
	p := start(t, e)
	at := soon()
	offer := filepath.Join(e.seeds, "offer.md")
	feedtest.Write(t, offer, expiring("An offer", at))
	feedtest.WaitFor(t, 10*time.Second, "the offer in the feed", func() bool {
		_, ok := byTitle(getFeed(t, p), "An offer")
		return ok || !time.Now().Before(at)
	})
	page := "/" + feed.PagePath(p.id("offer.md"))
	p.stop(t)
	if !time.Now().Before(at) {
		t.Skipf("the machine was too slow to publish the offer and stop before its expiry, %v", at)
	}
	was, err := os.Stat(offer)
	if err != nil {
		t.Fatal(err)
	}
	feedtest.WaitFor(t, 10*time.Second, "the offer's expiry to pass", func() bool { return time.Now().After(at) })

	q := start(t, e)
	if _, ok := byTitle(getFeed(t, q), "An offer"); ok {
		t.Error("the offer is in the feed after a restart past its expiry")
	}
	if status, _, _ := fetchPage(t, q.url(page)); status != http.StatusGone {
		t.Errorf("the offer's page answers %d after a restart past its expiry; want 410", status)
	}
	if len(getFeed(t, q).Items) != 2 {
		t.Errorf("the feed holds %d entries; want the 2 samples", len(getFeed(t, q).Items))
	}
	if now, err := os.Stat(offer); err != nil || !now.ModTime().Equal(was.ModTime()) || now.Size() != was.Size() {
		t.Errorf("the offer's file changed (%v): the test must not touch it", err)
	}
}

// TestRebuildLeavesOutWhatExpired: a rebuild, which trusts the records of
// files that did not change, leaves out a post whose expiryDate passed
// since the last build, and its page goes, as a removed file's does.
func TestRebuildLeavesOutWhatExpired(t *testing.T) {
	now := feedtest.T0
	var logs feedtest.SyncBuffer
	e := newEnv(t, func(o *Options) {
		o.Site.BaseURL = "https://news.example/"
		o.Now = func() time.Time { return now }
		o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	feedtest.Write(t, filepath.Join(e.seeds, "offer.md"), expiring("An offer", feedtest.T0.Add(time.Hour)))
	out := t.TempDir()
	page := filepath.Join(out, feed.PagePath(e.id("offer.md")))
	built := func() (inFeed, hasPage bool) {
		t.Helper()
		if err := Build(context.Background(), e.opts, out); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, feed.JSON.Path))
		if err != nil {
			t.Fatal(err)
		}
		_, err = os.Stat(page)
		return bytes.Contains(b, []byte("An offer")), err == nil
	}
	if in, page := built(); !in || !page {
		t.Fatalf("before its expiry: the offer in the feed %v, its page written %v; want both", in, page)
	}
	now = feedtest.T0.Add(2 * time.Hour)
	if in, page := built(); in || page {
		t.Errorf("rebuilt past its expiry: the offer in the feed %v, its page there %v; want neither", in, page)
	}
	if want := `path=offer.md reason="expired on ` + feedtest.T0.Add(time.Hour).Format(time.RFC3339); !strings.Contains(logs.String(), want) {
		t.Errorf("no log line says %s:\n%s", want, logs.String())
	}
}

// TestStoreOfBeforeLearnsExpiries: a store whose files were judged by the
// rules of version 2, which noted no expiry, has its files read again
// once, so that a post it holds leaves at its expiryDate.
func TestStoreOfBeforeLearnsExpiries(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Now = feedtest.Fixed(feedtest.T0)
		o.Logger = slog.New(slog.DiscardHandler)
	})
	offer := filepath.Join(e.seeds, "offer.md")
	feedtest.Write(t, offer, expiring("An offer", feedtest.T0.Add(time.Hour)))
	out := t.TempDir()
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	// The store as version 2 left it: the offer recorded as its file is,
	// and no expiry noted.
	fi, err := os.Stat(offer)
	if err != nil {
		t.Fatal(err)
	}
	store, err := state.Open(e.state, false)
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := store.Lookup("offer.md")
	if err == nil {
		_, err = store.Apply(state.Change{Seen: []state.Observation{{Path: "offer.md", Hash: rec.Hash, Size: fi.Size(), ModTime: fi.ModTime()}}}, feedtest.T0)
	}
	if err == nil {
		err = store.SetRules(2)
	}
	if exp, _ := store.Expiries(); len(exp) != 0 {
		t.Fatalf("the store of before notes expiries %v; want none", exp)
	}
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := Build(context.Background(), e.opts, out); err != nil {
		t.Fatal(err)
	}
	store, err = state.Open(e.state, true)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if exp, err := store.Expiries(); err != nil || len(exp) != 1 || exp[0].Path != "offer.md" || !exp[0].At.Equal(feedtest.T0.Add(time.Hour)) {
		t.Errorf("after a run: Expiries() = %v, %v; want the offer's, at %v", exp, err, feedtest.T0.Add(time.Hour))
	}
}
