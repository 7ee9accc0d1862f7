package daemon

import (
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// response is what a test keeps of an answer.
type response struct {
	code                int
	body, etag, lastMod string
}

func fetchAt(t *testing.T, url string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req) // asks for gzip, as readers do, and unzips
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return response{resp.StatusCode, string(b), resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")}
}

// restartEnv is an env whose links do not depend on the port, as with
// base_url set: a daemon started again serves the same bytes.
func restartEnv(t *testing.T, change func(*Options)) env {
	return newEnv(t, func(o *Options) {
		o.Site.BaseURL = "https://example.org/news/"
		if change != nil {
			change(o)
		}
	})
}

// TestRestartServesTheLastFeedBeforeItsIndex: a daemon started again on
// its store serves, before its index is loaded, the documents the stopped
// one served, byte for byte and with the same validators, so readers'
// stored ones get 304; /healthz says the index is loading, then complete;
// and a file written while it was stopped shows once the index is
// complete.
func TestRestartServesTheLastFeedBeforeItsIndex(t *testing.T) {
	e := restartEnv(t, nil)
	p := start(t, e)
	paths := []string{"/feed.atom", "/feed.rss", "/feed.json", "/", "/favicon.ico"}
	for _, it := range getFeed(t, p).Items {
		paths = append(paths, "/"+feed.PagePath(it.ID))
	}
	before := map[string]response{}
	for _, path := range paths {
		before[path] = fetchAt(t, p.url(path))
	}
	p.stop(t)
	feedtest.Write(t, filepath.Join(e.seeds, "later.txt"), "Written while it was stopped\n\nThe daemon was not running.\n")

	hold := make(chan struct{})
	q := startProc(t, e, hold)
	for _, path := range paths {
		was, got := before[path], fetchAt(t, q.url(path))
		if got.code != 200 || got.body != was.body || got.etag != was.etag || got.lastMod != was.lastMod {
			t.Errorf("GET %s before the index = %d, ETag %s, Last-Modified %s, %d bytes; want 200 and the %d bytes served before the stop, ETag %s, Last-Modified %s",
				path, got.code, got.etag, got.lastMod, len(got.body), len(was.body), was.etag, was.lastMod)
		}
		if got := fetchAt(t, q.url(path), "If-None-Match", was.etag); got.code != 304 {
			t.Errorf("GET %s with the ETag served before the stop = %d; want 304", path, got.code)
		}
		if got := fetchAt(t, q.url(path), "If-Modified-Since", was.lastMod); was.lastMod != "" && got.code != 304 {
			t.Errorf("GET %s with the Last-Modified served before the stop = %d; want 304", path, got.code)
		}
	}
	if h := getHealth(t, q); h.Index != "loading" || h.Renders != 0 || h.Status != "ok" {
		t.Errorf("/healthz before the index = %+v; want ok, index loading, no render", h)
	}
	select {
	case <-q.d.Ready():
		t.Fatal("Ready before the index was let go")
	default:
	}
	// A file written once the folder is watched, while the index is held:
	// its batch may come before the index is loaded.
	<-q.d.watcher.Watching()
	feedtest.Write(t, filepath.Join(e.seeds, "during.txt"), "Written while the index loaded\n\nThe daemon was starting.\n")
	feedtest.WaitFor(t, 5*time.Second, "the file's event", func() bool { return q.d.watcher.Stats().Events > 0 })

	close(hold)
	select {
	case <-q.d.Ready():
	case <-time.After(20 * time.Second):
		t.Fatalf("not ready 20 s after the index was let go\n%s", q.logs)
	}
	if h := getHealth(t, q); h.Index != "complete" || h.Entries != 4 {
		t.Errorf("/healthz once indexed = %+v; want index complete, 4 entries", h)
	}
	for _, title := range []string{"Written while it was stopped", "Written while the index loaded"} {
		feedtest.WaitFor(t, 5*time.Second, title, func() bool { _, ok := byTitle(getFeed(t, q), title); return ok })
	}
	if n := len(getFeed(t, q).Items); n != 4 {
		t.Errorf("%d items once indexed; want the 4 files, each once", n)
	}
	if !strings.Contains(q.logs.String(), `"msg":"published 1, updated 0, removed 0","files":["+later.txt"]`) &&
		!strings.Contains(q.logs.String(), `"msg":"published 2, updated 0, removed 0","files":["+during.txt","+later.txt"]`) {
		t.Errorf("no log line tells the file written while the daemon was stopped:\n%s", q.logs)
	}
	if got := fetchAt(t, q.url("/feed.atom"), "If-None-Match", before["/feed.atom"].etag); got.code != 200 {
		t.Errorf("GET /feed.atom with the old ETag once indexed = %d; want 200 with the new entry", got.code)
	}
}

// TestRestartKeepsValidatorsOfWhatDidNotChange: a restart with nothing
// changed in between ends, once indexed, with the very documents served
// before, ETag and Last-Modified alike: readers see no change.
func TestRestartKeepsValidatorsOfWhatDidNotChange(t *testing.T) {
	e := restartEnv(t, nil)
	p := start(t, e)
	was := fetchAt(t, p.url("/feed.atom"))
	p.stop(t)
	q := start(t, e)
	if got := fetchAt(t, q.url("/feed.atom")); got.etag != was.etag || got.lastMod != was.lastMod || got.body != was.body {
		t.Errorf("/feed.atom after a restart with no change: ETag %s, Last-Modified %s; want %s, %s as before", got.etag, got.lastMod, was.etag, was.lastMod)
	}
	if h := getHealth(t, q); h.Index != "complete" {
		t.Errorf("/healthz once ready = %+v; want the index complete", h)
	}
}

// TestRestartWithOtherSettingsRendersAnew: a snapshot kept by a run with
// other settings (here the title) is not served: the daemon answers from
// the store's index, with the new title, and /healthz says it is still
// comparing the folder.
func TestRestartWithOtherSettingsRendersAnew(t *testing.T) {
	e := restartEnv(t, nil)
	p := start(t, e)
	p.stop(t)
	e.opts.Site.Title = "Another title"
	hold := make(chan struct{})
	q := startProc(t, e, hold)
	defer close(hold)
	var doc jsonDoc
	feedtest.GetJSON(t, q.url("/feed.json"), &doc)
	if doc.Title != "Another title" || len(doc.Items) != 2 {
		t.Errorf("/feed.json after a change of title = %q with %d items; want the new title, the 2 entries of the store", doc.Title, len(doc.Items))
	}
	if h := getHealth(t, q); h.Index != "scanning" {
		t.Errorf("/healthz = %+v; want the index scanning", h)
	}
}

// TestRestartHoldsOlderPagesUntilTheIndex: the page of an entry that the
// restored snapshot does not hold, and an archive page, are not answered
// while the index is loading (not 404 for want of it), and are answered
// as before once it is there, a request that waited across it too.
func TestRestartHoldsOlderPagesUntilTheIndex(t *testing.T) {
	e := restartEnv(t, func(o *Options) { o.Site.Limit = 1 })
	p := start(t, e)
	paths := []string{"/" + feed.ArchivePath(feed.Atom, 1)}
	for id := range p.d.ix.IDs() {
		if _, ok := p.d.handler.Current().Files[feed.PagePath(id)]; !ok {
			paths = append(paths, "/"+feed.PagePath(id))
		}
	}
	if len(paths) != 2 {
		t.Fatalf("pages to ask for: %q; want an archive page and an entry's page the snapshot does not hold", paths)
	}
	before := map[string]response{}
	for _, path := range paths {
		if before[path] = fetchAt(t, p.url(path)); before[path].code != 200 {
			t.Fatalf("GET %s = %d; want 200", path, before[path].code)
		}
	}
	p.stop(t)
	hold := make(chan struct{})
	q := startProc(t, e, hold)
	for _, path := range paths {
		// A client that gives up soon: the daemon must not have answered.
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		req, _ := http.NewRequestWithContext(ctx, "GET", q.url(path), nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			t.Errorf("GET %s while the index loads = %d; want it held until the index is there", path, resp.StatusCode)
			resp.Body.Close()
		}
		cancel()
	}
	// A request written before the index may load, answered after it.
	type result struct {
		code int
		body string
		err  error
	}
	got, written := make(chan result, 1), make(chan struct{})
	go func() { // exits with its answer
		trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { close(written) }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", q.url(paths[1]), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{resp.StatusCode, string(b), err}
	}()
	<-written
	close(hold)
	if r := <-got; r.err != nil || r.code != 200 || r.body != before[paths[1]].body {
		t.Errorf("GET %s across the index's load = %d, %d bytes, %v; want 200 and the page served before", paths[1], r.code, len(r.body), r.err)
	}
	for _, path := range paths {
		if r := fetchAt(t, q.url(path)); r.code != 200 || r.body != before[path].body {
			t.Errorf("GET %s once indexed = %d, %d bytes; want 200 and the page served before", path, r.code, len(r.body))
		}
	}
}
