//go:build linux

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// baselineServer is the minimal Go server seedfeed is measured against: it
// serves fixed bytes from memory, the plain or the gzip form, and 304 for a
// matching If-None-Match, each with the very headers seedfeed sent for it
// (Last-Modified, Cache-Control, Vary, nosniff…), so that the two do the
// same work on the wire. Args: address, folder of the files.
func baselineServer(args []string) error {
	if len(args) != 2 {
		return errors.New("usage: baseline-server ADDR DIR")
	}
	read := func(name string) []byte {
		b, _ := os.ReadFile(filepath.Join(args[1], name))
		return b
	}
	headers := func(name string) http.Header {
		var h http.Header
		json.Unmarshal(read(name), &h)
		return h
	}
	plain, gz, etag, gzTag := read("plain"), read("gzip"), string(read("etag")), string(read("gzetag"))
	plainH, gzH, notModH := headers("plain.headers"), headers("gzip.headers"), headers("304.headers")
	h := func(w http.ResponseWriter, r *http.Request) {
		body, tag, sent := plain, etag, plainH
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			body, tag, sent = gz, gzTag, gzH
		}
		if r.Header.Get("If-None-Match") == tag {
			maps.Copy(w.Header(), notModH)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		maps.Copy(w.Header(), sent)
		w.Write(body)
	}
	return http.ListenAndServe(args[0], http.HandlerFunc(h))
}

// loadCommand is the Go load generator used when wrk is not installed.
// Args: URL, header ("Name: value" or ""), connections, duration. It prints
// "Requests/sec: N" as wrk does, and counts answers that are not 2xx or 3xx.
func loadCommand(args []string) error {
	if len(args) != 4 {
		return errors.New("usage: load URL HEADER CONNS DURATION")
	}
	var conns int
	fmt.Sscan(args[2], &conns)
	d, err := time.ParseDuration(args[3])
	if err != nil {
		return err
	}
	tr := &http.Transport{MaxIdleConnsPerHost: conns, DisableCompression: true}
	client := &http.Client{Transport: tr}
	var done, bad atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("GET", args[0], nil)
				if name, value, ok := strings.Cut(args[1], ": "); ok {
					req.Header.Set(name, value)
				}
				resp, err := client.Do(req)
				if err != nil {
					bad.Add(1)
					continue
				}
				buf := make([]byte, 32<<10)
				for {
					if _, err := resp.Body.Read(buf); err != nil {
						break
					}
				}
				resp.Body.Close()
				if resp.StatusCode >= 400 {
					bad.Add(1)
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := bad.Load(); n > 0 {
		fmt.Printf("Non-2xx or 3xx responses: %d\n", n)
	}
	fmt.Printf("Requests/sec: %.2f\n", float64(done.Load())/d.Seconds())
	return nil
}
