package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// freeAddr returns a loopback address with a port free now: the serving
// rows' daemons listen there, the first and the one restarted on its
// state, so that their links are the same and the restarted one may serve
// the snapshot the first one kept.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// restartDaemon starts seedfeed on its state, pinned, listening at addr,
// and times it from the start of its process until /feed.atom first
// answers 200 (the last feed served), and until it logs that it has
// indexed the folder.
func restartDaemon(o options, addr string, args ...string) (d *daemon, served, indexed time.Duration, err error) {
	return timedStart(o, true, addr, func([]byte) bool { return true }, args...)
}

// firstStart starts seedfeed on an empty state, listening at addr, and
// times it from the start of its process until /feed.atom first holds an
// entry (the first feed published, as the index fills), and until it
// logs that it has indexed the folder.
func firstStart(o options, addr string, args ...string) (d *daemon, served, indexed time.Duration, err error) {
	return timedStart(o, false, addr, func(b []byte) bool { return bytes.Contains(b, []byte("<entry")) }, args...)
}

// timedStart starts seedfeed, listening at addr, and times it from the
// start of its process until /feed.atom first answers 200 with a body
// that served says is what is waited for, and until it logs that it has
// indexed the folder.
func timedStart(o options, pinned bool, addr string, served func(body []byte) bool, args ...string) (d *daemon, first, indexed time.Duration, err error) {
	stop := make(chan struct{})
	firstAt := make(chan time.Time, 1)
	start := time.Now()
	go func() { // exits at the first 200, or once the daemon is started
		client := &http.Client{Timeout: time.Second}
		for {
			select {
			case <-stop:
				return
			default:
			}
			if resp, err := client.Get("http://" + addr + "/feed.atom"); err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK && served(b) {
					firstAt <- time.Now()
					return
				}
			}
			time.Sleep(time.Millisecond)
		}
	}()
	d, err = startDaemon(o, pinned, append(args, "-listen", addr)...)
	indexed = time.Since(start)
	if err != nil {
		close(stop)
		return nil, 0, 0, err
	}
	select {
	case at := <-firstAt:
		first = at.Sub(start)
	case <-time.After(10 * time.Second):
		close(stop)
		d.stop()
		return nil, 0, 0, fmt.Errorf("/feed.atom never answered as waited for\n%s", d.logString())
	}
	return d, first, indexed, nil
}
