//go:build linux

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/state"
)

// pageLatency times GET of n entry pages that no feed holds and no cache
// has yet: each is looked up, read from its file, extracted and rendered
// for the request. It returns those times and, for comparison, those of
// the same pages asked for again, from the cache.
func pageLatency(d *daemon, o options, n int) (cold, warm []time.Duration, err error) {
	r := rand.New(rand.NewPCG(3, 4))
	var urls []string
	for range n {
		i := r.IntN(o.files)
		rel := filepath.ToSlash(strings.TrimPrefix(corpusPath("", i), "/"))
		urls = append(urls, "http://"+d.addr+"/"+feed.PagePath(state.NameID(rel))) // no base_url: IDs of the path alone
	}
	return timeGets(urls)
}

// timeGets times a GET of each URL, then of each again: cold, then from
// the cache.
func timeGets(urls []string) (cold, warm []time.Duration, err error) {
	get := func(url string) (time.Duration, error) {
		start := time.Now()
		resp, err := http.Get(url)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return time.Since(start), err
	}
	for _, u := range urls {
		t, err := get(u)
		if err != nil {
			return nil, nil, err
		}
		cold = append(cold, t)
	}
	for _, u := range urls {
		t, err := get(u)
		if err != nil {
			return nil, nil, err
		}
		warm = append(warm, t)
	}
	return cold, warm, nil
}

// pageRows are the rows of entry and archive pages rendered on request.
func pageRows(d *daemon, o options) ([]row, error) {
	var rows []row
	add := func(what string, cold, warm []time.Duration) {
		p99 := percentile(cold, 0.99)
		rows = append(rows, row{what: fmt.Sprintf("uncached %s at %d entries, p50 / p99", what, o.files),
			measured: msf(percentile(cold, 0.5)) + " / " + msf(p99),
			baseline: "cached: " + msf(percentile(warm, 0.5)) + " / " + msf(percentile(warm, 0.99)),
			target:   "p99 <= 5 ms", ok: p99 <= 5*time.Millisecond})
	}
	cold, warm, err := pageLatency(d, o, o.samples*5)
	if err != nil {
		return nil, err
	}
	add("entry page", cold, warm)
	// As many as the entry pages: the p99 of 60 is their slowest.
	urls, err := archiveURLs(d, o.samples*5)
	if err != nil {
		return nil, err
	}
	if cold, warm, err = timeGets(urls); err != nil {
		return nil, err
	}
	add("archive page (Atom)", cold, warm)
	return rows, nil
}

// archiveURLs returns up to n archive pages of the Atom feed, spread over
// the archive, which the feed's prev-archive link says the size of.
func archiveURLs(d *daemon, n int) ([]string, error) {
	resp, err := http.Get("http://" + d.addr + "/feed.atom")
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	m := regexp.MustCompile(`archive/(\d+)\.atom" rel="prev-archive"`).FindSubmatch(b)
	if m == nil {
		return nil, errors.New("feed.atom links to no archive")
	}
	pages, _ := strconv.Atoi(string(m[1]))
	r := rand.New(rand.NewPCG(5, 6))
	seen := map[int]bool{}
	var urls []string
	for len(urls) < min(n, pages) {
		k := 1 + r.IntN(pages)
		if !seen[k] {
			seen[k] = true
			urls = append(urls, fmt.Sprintf("http://%s/archive/%d.atom", d.addr, k))
		}
	}
	return urls, nil
}

// bigFiles makes, once, a folder of n files of 3.9 MB: the largest that
// max_file_size lets in.
func bigFiles(root string, n int) (string, error) {
	dir := filepath.Join(root, fmt.Sprintf("big-%d", n))
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "Long report %d\n\n", i)
		for j := 0; b.Len() < 3_900_000; j++ {
			b.Write(article(5, i*10000+j))
			b.WriteString("\n\n")
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("big%02d.txt", i)), []byte(b.String()), 0o644); err != nil {
			return "", err
		}
	}
	return dir, os.WriteFile(done, nil, 0o644)
}

// benchBigFiles is the memory row of large files: the daemon indexes fifty
// 3.9 MB files, as many as a feed holds, then serves each feed and every
// entry page once. The smoke run takes five.
func benchBigFiles(o options) ([]row, error) {
	n := 50
	if o.quick {
		n = 5
	}
	dir, err := bigFiles(o.dir, n)
	if err != nil {
		return nil, err
	}
	st := filepath.Join(o.dir, "big.db")
	os.Remove(st)
	d, err := startDaemon(o, false, "-seeds", dir, "-state", st)
	if err != nil {
		return nil, err
	}
	defer d.stop()
	var doc struct {
		Items []struct {
			URL string `json:"url"`
		} `json:"items"`
	}
	urls := []string{"/feed.atom", "/feed.rss"}
	for i := range n {
		urls = append(urls, "/"+feed.PagePath(state.NameID(fmt.Sprintf("big%02d.txt", i))))
	}
	resp, err := http.Get("http://" + d.addr + "/feed.json")
	if err != nil {
		return nil, err
	}
	err = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if err != nil || len(doc.Items) != n {
		return nil, fmt.Errorf("big files: feed.json holds %d items (%v); want %d", len(doc.Items), err, n)
	}
	for _, u := range urls {
		resp, err := http.Get("http://" + d.addr + u)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("big files: GET %s: %s", u, resp.Status)
		}
	}
	rss := d.peakRSS()
	// Issue 11's bound: the files' size, not their count, makes this row.
	return []row{{what: fmt.Sprintf("peak RSS, serve, %d files of 3.9 MB, feeds and every page fetched", n), measured: mib(rss),
		target: "<= 200 MiB", ok: rss > 0 && rss <= 200<<20}}, nil
}

// categoryRow shows that a change renders again only the categories it
// touches: every category's Atom feed is asked for, a file lands in a
// folder with a dateline (two categories: the folder's and the place's),
// and every feed is asked for again. The daemon logs each category
// document it renders.
func categoryRow(d *daemon, probes string) (row, error) {
	resp, err := http.Get("http://" + d.addr + "/feeds.opml")
	if err != nil {
		return row{}, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return row{}, err
	}
	var urls []string
	for _, m := range regexp.MustCompile(`xmlUrl="([^"]+/category/[^"]+)"`).FindAllSubmatch(b, -1) {
		urls = append(urls, html.UnescapeString(string(m[1])))
	}
	if len(urls) < 2 {
		return row{}, fmt.Errorf("feeds.opml lists %d category feeds; want the corpus's folders and places", len(urls))
	}
	// At most 100 of them, the two the probe touches among them: the cache
	// of documents made on request holds 32 MiB, and a thousand feeds of a
	// million files (one per folder) would push each other out, so that
	// the second round would make them all again whatever the probe did.
	if len(urls) > 100 {
		var sample []string
		for i, u := range urls {
			if i < 98 || strings.Contains(u, "/category/london/") || strings.Contains(u, "/category/probes/") {
				sample = append(sample, u)
			}
		}
		urls = sample
	}
	getAll := func() error {
		for _, u := range urls {
			resp, err := http.Get(u)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s: %s", u, resp.Status)
			}
		}
		return nil
	}
	rendered := func() int { return strings.Count(d.logString(), "rendering a category document") }
	if err := getAll(); err != nil {
		return row{}, err
	}
	before := rendered()
	title := fmt.Sprintf("Category probe %d", time.Now().UnixNano())
	if err := os.WriteFile(filepath.Join(probes, "category-probe.txt"), []byte("LONDON – "+title+" was written. It lands in two categories.\n"), 0o644); err != nil {
		return row{}, err
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + d.addr + "/feed.json")
		if err != nil {
			return row{}, err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(b), title) {
			break
		}
		if time.Now().After(deadline) {
			return row{}, errors.New("the category probe never reached /feed.json")
		}
	}
	if err := getAll(); err != nil {
		return row{}, err
	}
	n := rendered() - before
	return row{what: "one new file: category feeds rendered again", measured: fmt.Sprintf("%d of %d asked for", n, len(urls)),
		baseline: "", target: "the 2 it touches", ok: n == 2}, nil
}
