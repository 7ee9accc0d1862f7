package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/seedfeed/seedfeed/feed/daemon"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs, "seeds `folder` to watch")
	fs.StringVar(&c.listen, "listen", "", "`address` to listen on, such as 127.0.0.1:8080 (overrides config)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "seedfeed serve: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	cfg, log, stopProfile, err := c.setup(fs, stderr)
	if err != nil {
		return err
	}
	defer stopProfile()
	d, err := daemon.New(cfg.Options(log))
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
	go func() { // exits when Run returns
		// A reload asked for during start-up waits in hup until the first
		// index is served, then applies once.
		select {
		case <-d.Ready():
		case <-runCtx.Done():
			return
		}
		for {
			select {
			case <-runCtx.Done():
				return
			case <-hup:
				cfg, err := c.load(fs)
				if err != nil {
					log.Error("config reload failed; keeping the old config", "reason", err.Error())
					continue
				}
				d.Reload(cfg.Options(log))
			}
		}
	}()
	return d.Run(runCtx)
}
