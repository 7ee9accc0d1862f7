package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/seedfeed/seedfeed/feed/daemon"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("serve", stderr)
	var c common
	c.register(fs, "seeds `folder` to watch")
	fs.StringVar(&c.listen, "listen", "", "`address` to listen on, such as 127.0.0.1:8080 (overrides config)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "seedfeed: serve: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	cfg, log, stopProfile, err := c.setup(fs, stderr)
	if err != nil {
		return err
	}
	defer stopProfile()
	opts := cfg.Options(log)
	opts.Version = versionString()
	d, err := daemon.New(opts)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer d.Close()
	hup := hangups
	if hup == nil { // run called without main, as tests do
		hup = make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	// systemd (Type=notify) hears READY=1 once the first index is served,
	// RELOADING=1 and READY=1 around each reload, WATCHDOG=1 while it
	// runs, if asked, and STOPPING=1 when it stops.
	notify := newNotifier(log)
	stopping := make(chan struct{})
	context.AfterFunc(runCtx, func() { // as shutdown begins, or Run fails
		notify.send("STOPPING=1")
		close(stopping)
	})
	go func() { // exits when Run returns
		// A reload asked for during start-up waits in hup until the first
		// index is served, then applies once.
		select {
		case <-d.Ready():
			notify.send("READY=1")
		case <-runCtx.Done():
			return
		}
		var watchdog <-chan time.Time
		if every := notify.watchdog(); every > 0 {
			tick := time.NewTicker(every)
			defer tick.Stop()
			watchdog = tick.C
		}
		for {
			select {
			case <-runCtx.Done():
				return
			case <-watchdog:
				notify.send("WATCHDOG=1")
			case <-hup:
				notify.reloading()
				if cfg, err := c.load(fs); err != nil {
					log.Error("config reload failed; keeping the old config", "reason", err.Error())
				} else {
					d.Reload(cfg.Options(log))
				}
				notify.send("READY=1")
			}
		}
	}()
	err = d.Run(runCtx)
	cancel()
	<-stopping
	return err
}
