package main

import (
	"fmt"
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

// restartDaemon starts seedfeed on its state, listening at addr, and
// times it from the start of its process until /feed.atom first answers
// 200 (the last feed served), and until it logs that it has indexed the
// folder.
func restartDaemon(o options, addr string, args ...string) (d *daemon, served, indexed time.Duration, err error) {
	stop := make(chan struct{})
	first := make(chan time.Time, 1)
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
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					first <- time.Now()
					return
				}
			}
			time.Sleep(time.Millisecond)
		}
	}()
	d, err = startDaemon(o, true, append(args, "-listen", addr)...)
	indexed = time.Since(start)
	if err != nil {
		close(stop)
		return nil, 0, 0, err
	}
	select {
	case at := <-first:
		served = at.Sub(start)
	case <-time.After(10 * time.Second):
		close(stop)
		d.stop()
		return nil, 0, 0, fmt.Errorf("/feed.atom of the restarted daemon never answered 200\n%s", d.logString())
	}
	return d, served, indexed, nil
}
