// Command seedfeed publishes a folder of text files as Atom, RSS and JSON
// feeds: as a daemon that watches the folder and serves the feeds over HTTP
// (serve, the default), or once into a folder for a static host (build).
//
// Usage:
//
//	seedfeed [serve] [-config FILE] [-seeds DIR] [-listen ADDR] [-state FILE] [-base-url URL]
//	seedfeed build -out DIR [-config FILE] [-seeds DIR] [-state FILE] [-base-url URL]
//	seedfeed extract FILE...
//	seedfeed healthcheck [URL]
//	seedfeed version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/seedfeed/seedfeed/cmd/seedfeed/config"
	"github.com/seedfeed/seedfeed/feed/daemon"
)

// version is set at link time with -ldflags "-X main.version=…"; otherwise
// it is read from the module's build information.
var version = ""

// Unless GOMEMLIMIT sets a limit, the collector's goal is the heap the last
// collection found live plus room for garbage, never under memoryFloor: a
// soft limit (daemon.FollowHeap), or for a build without GOGC, the
// collector's percentage (daemon.PaceHeap). A scan makes garbage in
// bursts; the goal has it reclaimed before the process grows, and never
// sits below the live heap, where the collector would run back to back.
// The daemon, which stays, may take one and a half times its live heap (at
// 1,000,000 files about 130 MB while it indexes). A build, which ends with
// its process, may take twice its live heap, but no more than memoryRoom
// over it, or half again past twice memoryRoom: its heap is as large while
// it writes the archives, records without pointers that a collection marks
// in about 10 ms, and room for as much again took a third of its peak.
const (
	memoryFloor  = 64 << 20
	memoryFactor = 2
	serveFactor  = 1.5
	memoryRoom   = 64 << 20
)

// hangups receives SIGHUP from main's first instruction on: by default the
// signal ends a process, and one sent while the daemon starts must not.
// serve reloads its config on it once ready; other commands ignore it.
var hangups chan os.Signal

func main() {
	hangups = make(chan os.Signal, 1)
	signal.Notify(hangups, syscall.SIGHUP)
	// A closed stdout or stderr pipe must not end the daemon at its next log
	// line (systemd counts death by SIGPIPE as a clean exit, and would not
	// restart it): the write fails instead, and the daemon goes on.
	signal.Ignore(syscall.SIGPIPE)
	cmd, _ := splitCommand(os.Args[1:])
	gogc, limit := os.Getenv("GOGC") != "", os.Getenv("GOMEMLIMIT") != ""
	switch { // each for the life of the process
	case cmd == "build" && !gogc && !limit:
		daemon.PaceHeap(memoryFloor, memoryFactor, memoryRoom)
	case cmd == "serve" && !limit:
		daemon.FollowHeap(memoryFloor, serveFactor, memoryRoom)
	case !limit:
		daemon.FollowHeap(memoryFloor, memoryFactor, memoryRoom)
	}
	if !gogc {
		tuneGC(cmd)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "seedfeed:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// run is the whole program, minus process exit. It returns errUsage after
// printing usage, and flag.ErrHelp after printing help.
// tuneGC sets how often the collector runs, for the command about to run.
//   - A build is one pass that ends with the process. Its collector is
//     paced by daemon.PaceHeap, unless GOMEMLIMIT is given: then it need
//     only keep the build under that limit. Collecting as usual would cost
//     a quarter of a rebuild.
//   - Most of a daemon's heap is its index, which lives as long as it does.
//     Collecting when the heap has tripled rather than doubled halves what
//     the collector takes from serving, for about 25 MiB more at 100,000
//     files.
func tuneGC(cmd string) {
	switch {
	case cmd == "build" && debug.SetMemoryLimit(-1) < math.MaxInt64:
		debug.SetGCPercent(-1)
	case cmd == "serve":
		debug.SetGCPercent(200)
	}
}

// splitCommand returns the command that args name, and the args it takes.
func splitCommand(args []string) (cmd string, rest []string) {
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		return args[0], args[1:]
	}
	return "serve", args
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "--version", "-version":
			args = []string{"version"}
		case "-h", "-help", "--help":
			args = []string{"help"}
		}
	}
	cmd, args := splitCommand(args)
	switch cmd {
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "build":
		return runBuild(ctx, args, stdout, stderr)
	case "extract":
		return runExtract(ctx, args, stdout, stderr)
	case "state":
		return runState(args, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, args, stdout, stderr)
	case "version":
		if len(args) > 0 {
			fmt.Fprintf(stderr, "seedfeed: version: unexpected argument %q\n", args[0])
			return errUsage
		}
		fmt.Fprintln(stdout, "seedfeed", versionString())
		return nil
	case "help":
		return runHelp(args, stdout, stderr)
	}
	fmt.Fprintf(stderr, "seedfeed: unknown command %q\n%s", cmd, usage())
	return errUsage
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// common holds the flags that serve and build share.
type common struct {
	config, seeds, state, baseURL, logFormat, logLevel string
	listen                                             string // serve only
	cpuProfile, memProfile                             string
}

// register adds the shared flags to fs; seeds says what the seeds folder
// is to this command.
func (c *common) register(fs *flag.FlagSet, seeds string) {
	fs.StringVar(&c.config, "config", "config.toml", "config `file`")
	fs.StringVar(&c.seeds, "seeds", "", seeds+" (overrides config)")
	fs.StringVar(&c.state, "state", "", "state store `file` (overrides config)")
	fs.StringVar(&c.baseURL, "base-url", "", "absolute base `URL` of every link in the feeds (overrides config)")
	fs.StringVar(&c.logFormat, "log-format", "text", "log `format`: text or json")
	fs.StringVar(&c.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile to `file` (pprof)")
	fs.StringVar(&c.memProfile, "memprofile", "", "write a heap profile to `file` at exit (pprof)")
}

// read reads the config file, which must exist if -config named it, and
// applies -state over it.
func (c *common) read(fs *flag.FlagSet) (config.Config, error) {
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	cfg, err := config.Load(c.config, explicit)
	if err == nil && c.state != "" {
		cfg.State = c.state
	}
	return cfg, err
}

// load reads the config file, applies the flags over it and checks it.
func (c *common) load(fs *flag.FlagSet) (config.Config, error) {
	cfg, err := c.read(fs)
	if err != nil {
		return cfg, err
	}
	if c.seeds != "" {
		cfg.Seeds = c.seeds
	}
	if c.baseURL != "" {
		cfg.BaseURL = c.baseURL
	}
	if c.listen != "" {
		cfg.Listen = c.listen
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// setup does what serve and build share once their flags are parsed: the
// logger, the config (file, then flags), and the profiles asked for. The
// returned stop writes the profiles out.
func (c *common) setup(fs *flag.FlagSet, stderr io.Writer) (config.Config, *slog.Logger, func(), error) {
	log, err := c.logger(stderr)
	if err != nil {
		return config.Config{}, nil, nil, err
	}
	cfg, err := c.load(fs)
	if err != nil {
		return config.Config{}, nil, nil, err
	}
	stop, err := daemon.Profile(c.cpuProfile, c.memProfile)
	if err != nil {
		return config.Config{}, nil, nil, err
	}
	return cfg, log, stop, nil
}

// logger returns the logger the flags ask for, writing to w.
func (c *common) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, fmt.Errorf("-log-level: %q is not debug, info, warn or error", c.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("-log-format: %q is not text or json", c.logFormat)
}

// parse parses a subcommand's flags, printing usage on a mistake.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// parseAll parses flags before, between and after the arguments, as in
// "extract a.txt -state s.db", and returns the arguments. After "--",
// everything is an argument.
func parseAll(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if len(left) == 0 || len(left) < len(args) && args[len(args)-len(left)-1] == "--" {
			return append(rest, left...), nil
		}
		rest, args = append(rest, left[0]), left[1:]
	}
}
