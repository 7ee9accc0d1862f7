//go:build linux

// Command seedfeed-bench measures seedfeed against its baselines on this
// machine, in one run, and prints a table of ratios. Every figure is taken
// next to its baseline, never compared with a number from another day:
//
//   - the floor: reading every file of the corpus with 2 parallel readers,
//     page cache warm; builds are ratios of it;
//   - inotify's own latency: how soon fsnotify reports a new file; the
//     change-to-feed latency is shown next to it;
//   - a minimal Go server that serves the same bytes from memory; seedfeed's
//     serving is a ratio of it, one core for each server and one for the
//     load generator (wrk when installed, else a Go load generator).
//
// It generates its own corpus of wire-style articles, deterministically,
// and keeps it for the next run.
//
// Usage:
//
//	go run ./cmd/seedfeed-bench [-files 100000] [-dir /tmp/seedfeed-bench] [-quick] [-only build|serve] [-seedfeed BIN]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/fsnotify/fsnotify"
)

func main() {
	helper()
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "seedfeed-bench:", err)
		os.Exit(1)
	}
}

// helper runs the hidden subcommands the bench starts itself as, pinned to
// a core of their own: the minimal server and the Go load generator. It
// exits when it ran one, and returns otherwise.
func helper() {
	if len(os.Args) < 2 {
		return
	}
	var err error
	switch os.Args[1] {
	case "baseline-server":
		err = baselineServer(os.Args[2:])
	case "load":
		err = loadCommand(os.Args[2:])
	default:
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "seedfeed-bench:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// options are the bench's flags.
type options struct {
	files     int
	dir       string
	quick     bool // shorter loads and fewer samples, for CI's smoke run
	samples   int
	burst     int
	loadTime  time.Duration
	rounds    int    // loads of each server per serving row
	seedfeed  string // path of the seedfeed binary
	config    string // an empty config.toml: every setting at its default
	useWrk    bool
	cpuPinned bool
	targets   targets
}

// targets are the bounds the rows are held to: issue 16's, which differ
// at 100,000 files and at 1,000,000, and issue 11's where 16 sets none.
type targets struct {
	cold, warm float64       // builds, as ratios to the floor
	rss        int64         // peak RSS of build and serve, mapped state pages included
	serving    float64       // each serving ratio at least
	latency    time.Duration // new file to the feed, p99
	burst      time.Duration // 10,000 files, all in the feed
}

func targetsFor(files int) targets {
	if files > 200000 {
		return targets{cold: 1.5, warm: 0.35, rss: 250 << 20, serving: 0.95, latency: 150 * time.Millisecond, burst: 1500 * time.Millisecond}
	}
	return targets{cold: 1.2, warm: 0.3, rss: 100 << 20, serving: 1.0, latency: 130 * time.Millisecond, burst: time.Second}
}

// rssRow is a row of peak RSS against the target.
func rssRow(what string, rss int64, t targets) row {
	return row{what: what, measured: mib(rss), target: "<= " + mib(t.rss), ok: rss > 0 && rss <= t.rss}
}

func (t targets) ratio(x float64) string { return "<= " + strconv.FormatFloat(x, 'f', -1, 64) + "x" }

// row is one line of the table.
type row struct {
	what, measured, baseline, ratio, target string
	ok                                      bool
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seedfeed-bench", flag.ContinueOnError)
	var o options
	fs.IntVar(&o.files, "files", 100000, "corpus size")
	fs.StringVar(&o.dir, "dir", filepath.Join(os.TempDir(), "seedfeed-bench"), "work `folder` (the corpus is kept there)")
	fs.BoolVar(&o.quick, "quick", false, "short loads and few samples: a smoke test, not a measurement")
	only := fs.String("only", "", "run only the `rows` of build, of serve, or of the hub")
	fs.StringVar(&o.seedfeed, "seedfeed", "", "measure this seedfeed `binary` instead of building one from this tree, to compare two versions side by side")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *only != "" && *only != "build" && *only != "serve" && *only != "hub" {
		return fmt.Errorf("-only %q: want build, serve or hub", *only)
	}
	o.samples, o.burst, o.loadTime, o.rounds = 60, 10000, 2*time.Second, 7
	if o.quick {
		o.samples, o.burst, o.loadTime, o.rounds = 10, 500, time.Second, 1
	}
	o.targets = targetsFor(o.files)
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return err
	}
	_, err := exec.LookPath("wrk")
	o.useWrk = err == nil
	_, err = exec.LookPath("taskset")
	o.cpuPinned = err == nil && runtime.NumCPU() >= 2

	fmt.Fprintf(out, "seedfeed-bench: %d files, %d CPUs, load generator %s\n", o.files, runtime.NumCPU(), map[bool]string{true: "wrk", false: "Go"}[o.useWrk])
	o.config = filepath.Join(o.dir, "config.toml")
	if err := os.WriteFile(o.config, nil, 0o644); err != nil {
		return err
	}
	if o.seedfeed == "" {
		o.seedfeed = filepath.Join(o.dir, "seedfeed")
		if b, err := exec.Command("go", "build", "-o", o.seedfeed, "github.com/seedfeed/seedfeed/cmd/seedfeed").CombinedOutput(); err != nil {
			return fmt.Errorf("build seedfeed: %v\n%s", err, b)
		}
	}
	corpus, err := corpusDir(o.dir, o.files, 1)
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	var rows []row
	if *only == "" || *only == "build" {
		build, err := benchBuild(o, corpus)
		if err != nil {
			return err
		}
		rows = append(rows, build...)
	}
	if *only == "" || *only == "serve" {
		serve, err := benchServe(ctx, o, corpus)
		if err != nil {
			return err
		}
		rows = append(rows, serve...)
	}
	if *only == "" || *only == "hub" {
		hub, err := benchHub(o)
		if err != nil {
			return err
		}
		rows = append(rows, hub...)
	}
	printTable(out, rows)
	fmt.Fprintf(out, "\nHugo on the same 100,000 files (measured once on this machine, not re-run here):\n"+
		"  RSS-only build 8.8 s and 2.2 GB peak; full-site build 27 s and 3.3 GB.\n")
	return nil
}

func printTable(out io.Writer, rows []row) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "what\tseedfeed\tbaseline\tratio\ttarget\tmet")
	for _, r := range rows {
		met := "yes"
		if !r.ok {
			met = "NO"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.what, r.measured, r.baseline, r.ratio, r.target, met)
	}
	tw.Flush()
}

// corpusFiles lists the files of the corpus.
func corpusFiles(corpus string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".txt") {
			files = append(files, p)
		}
		return err
	})
	return files, err
}

// floor reads every file of the corpus with 2 parallel readers and returns
// the fastest of three rounds, the first of which also warms the cache.
func floor(corpus string) (time.Duration, error) {
	files, err := corpusFiles(corpus)
	if err != nil {
		return 0, err
	}
	best := time.Duration(1 << 62)
	for range 3 {
		start := time.Now()
		var next atomic.Int64
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := int(next.Add(1)) - 1; i < len(files); i = int(next.Add(1)) - 1 {
					os.ReadFile(files[i])
				}
			}()
		}
		wg.Wait()
		best = min(best, time.Since(start))
	}
	return best, nil
}

// writeFloor writes a copy of every file of the corpus into a fresh
// folder under dir, with 2 parallel writers and no sync, and returns the
// time: what creating as many files costs this disk, before any work of
// seedfeed's. The cold build writes at least one page per file.
func writeFloor(corpus, dir string) (time.Duration, error) {
	files, err := corpusFiles(corpus)
	if err != nil {
		return 0, err
	}
	out := filepath.Join(dir, "write-floor")
	if err := os.RemoveAll(out); err != nil {
		return 0, err
	}
	defer os.RemoveAll(out)
	syscall.Sync() // the last run's writes are not this one's
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, 2)
	start := time.Now()
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(files); i = int(next.Add(1)) - 1 {
				b, err := os.ReadFile(files[i])
				if err == nil {
					name := filepath.Join(out, strings.TrimPrefix(files[i], corpus))
					if err = os.MkdirAll(filepath.Dir(name), 0o755); err == nil {
						err = os.WriteFile(name, b, 0o644)
					}
				}
				if err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start), errors.Join(errs...)
}

// timed runs seedfeed with args and returns its wall time and peak RSS.
func timed(bin string, args ...string) (time.Duration, int64, error) {
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("%s %v: %v\n%s", filepath.Base(bin), args, err, stderr.String())
	}
	return time.Since(start), cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// benchBuild measures cold builds, each into a new folder, and warm
// rebuilds of each. The folders are removed after every measurement, not
// before the next: on ext4 without a journal (this machine's), a file
// created within minutes of the removal of many costs a search past every
// inode freed since: a cold build of 100,000 files that took 24 s took
// 29 to 38 s right after the removal of the last one's 124,000 files.
func benchBuild(o options, corpus string) (rows []row, err error) {
	state := filepath.Join(o.dir, "build.db")
	var outs []string
	defer func() {
		for _, out := range outs {
			os.RemoveAll(out)
		}
	}()
	var cold, warm, firstWarm []time.Duration
	var peak int64
	var base time.Duration
	rounds := 3
	if o.files > 200000 {
		rounds = 1 // a cold build of a million files takes a quarter of an hour
	}
	for round := range rounds {
		f, err := floor(corpus)
		if err != nil {
			return nil, err
		}
		if base == 0 || f < base {
			base = f
		}
		os.Remove(state)
		out := filepath.Join(o.dir, "public-"+strconv.Itoa(round))
		os.RemoveAll(out) // left by a run cut short
		outs = append(outs, out)
		d, rss, err := timed(o.seedfeed, "build", "-config", o.config, "-seeds", corpus, "-state", state, "-out", out, "-base-url", "https://example.org/", "-log-level", "warn")
		if err != nil {
			return nil, err
		}
		cold, peak = append(cold, d), max(peak, rss)
		// The fastest of three rebuilds, as the floor is the fastest of
		// three reads: the cold build's writes have pushed the corpus's
		// inodes and the store out of the caches that the floor warmed,
		// and the first rebuild reads them from the disk again (by hand
		// at 1,000,000 files: 1.85 s, then 1.07 and 1.08 s, each checking
		// no page). The first is reported beside it.
		fastest := time.Duration(1 << 62)
		for i := range 3 {
			d, rss, err = timed(o.seedfeed, "build", "-config", o.config, "-seeds", corpus, "-state", state, "-out", out, "-base-url", "https://example.org/", "-log-level", "warn")
			if err != nil {
				return nil, err
			}
			if i == 0 {
				firstWarm = append(firstWarm, d)
			}
			fastest, peak = min(fastest, d), max(peak, rss)
		}
		warm = append(warm, fastest)
	}
	c, w := median(cold), median(warm)
	wf, err := writeFloor(corpus, o.dir)
	if err != nil {
		return nil, err
	}
	return []row{
		{what: "write floor: a copy of each file written, 2 writers", measured: ms(wf), baseline: ms(base) + " floor", ratio: ratio(wf, base), target: "(this disk)", ok: true},
		{what: "build, cold state, every entry and archive page written", measured: ms(c) + " (" + ratio(c, wf) + " the write floor)", baseline: ms(base) + " floor", ratio: ratio(c, base),
			target: o.targets.ratio(o.targets.cold), ok: float64(c) <= o.targets.cold*float64(base)},
		{what: "rebuild, warm state, nothing changed (fastest of 3 after each cold build)", measured: ms(w) + " (the first after the cold build " + ms(median(firstWarm)) + ")", baseline: ms(base) + " floor", ratio: ratio(w, base), target: o.targets.ratio(o.targets.warm),
			ok: float64(w) <= o.targets.warm*float64(base)},
		rssRow("peak RSS, build", peak, o.targets),
	}, nil
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 0, 64) + " ms" }

func msf(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64) + " ms" }

func mib(b int64) string { return strconv.FormatInt(b>>20, 10) + " MiB" }

func ratio(a, b time.Duration) string {
	return strconv.FormatFloat(float64(a)/float64(b), 'f', 2, 64) + "x"
}

// daemon is a running seedfeed serve.
type daemon struct {
	cmd  *exec.Cmd
	addr string
	logs *bytes.Buffer
	mu   sync.Mutex
}

func startDaemon(o options, pinned bool, args ...string) (*daemon, error) {
	bin, full := o.seedfeed, append([]string{"serve", "-listen", "127.0.0.1:0", "-log-format", "json", "-log-level", "debug", "-config", o.config}, args...)
	if pinned && o.cpuPinned {
		bin, full = "taskset", append([]string{"-c", "0", o.seedfeed}, full...)
	}
	d := &daemon{cmd: exec.Command(bin, full...), logs: &bytes.Buffer{}}
	if pinned {
		d.cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	}
	pr, pw := io.Pipe()
	d.cmd.Stderr = pw
	if err := d.cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan error, 1)
	go func() {
		dec := json.NewDecoder(pr)
		for {
			var rec map[string]any
			if err := dec.Decode(&rec); err != nil {
				select {
				case ready <- fmt.Errorf("seedfeed serve ended: %v\n%s", err, d.logString()):
				default:
				}
				return
			}
			d.mu.Lock()
			fmt.Fprintln(d.logs, rec)
			d.mu.Unlock()
			if rec["msg"] == "listening" {
				d.addr, _ = rec["addr"].(string)
			}
			if rec["msg"] == "indexed" {
				select {
				case ready <- nil:
				default:
				}
			}
		}
	}()
	select {
	case err := <-ready:
		if err != nil {
			return nil, err
		}
	case <-time.After(5 * time.Minute):
		d.stop()
		return nil, errors.New("seedfeed serve did not index in 5 minutes")
	}
	return d, nil
}

func (d *daemon) logString() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.logs.String()
}

func (d *daemon) stop() {
	d.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { d.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		d.cmd.Process.Kill()
	}
}

// peakRSS reads the daemon's peak resident set size from /proc.
func (d *daemon) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", d.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

type health struct {
	Entries int   `json:"entries"`
	Renders int64 `json:"renders"`
}

func (d *daemon) health() (health, error) {
	var h health
	resp, err := http.Get("http://" + d.addr + "/healthz")
	if err != nil {
		return h, err
	}
	defer resp.Body.Close()
	return h, json.NewDecoder(resp.Body).Decode(&h)
}

func benchServe(ctx context.Context, o options, corpus string) ([]row, error) {
	state := filepath.Join(o.dir, "serve.db")
	os.Remove(state)
	probes := filepath.Join(corpus, "probes")
	os.RemoveAll(probes)
	defer os.RemoveAll(probes)
	if err := os.Mkdir(probes, 0o755); err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	d, firstFeed, indexed, err := firstStart(o, addr, "-seeds", corpus, "-state", state)
	if err != nil {
		return nil, err
	}
	defer d.stop()
	rows := []row{{what: "first start, empty state: the first feed with entries / indexed, from the start of its process", measured: ms(firstFeed) + " / " + ms(indexed),
		target: "reported", ok: true}}

	// Latency: a new file until it is in /feed.json, next to inotify's own.
	inotify, err := inotifyLatency(probes, o.samples)
	if err != nil {
		return nil, err
	}
	lat, err := feedLatency(d, probes, o.samples)
	if err != nil {
		return nil, err
	}
	p99 := percentile(lat, 0.99)
	rows = append(rows, row{what: "new file to /feed.json, p50 / p99", measured: msf(percentile(lat, 0.5)) + " / " + msf(p99),
		baseline: fmt.Sprintf("inotify %.0f / %.0f µs", float64(percentile(inotify, 0.5))/1e3, float64(percentile(inotify, 0.99))/1e3),
		ratio:    "", target: "p99 <= " + ms(o.targets.latency), ok: p99 <= o.targets.latency})
	pages, err := pageRows(d, o)
	if err != nil {
		return nil, err
	}
	rows = append(rows, pages...)
	cats, err := categoryRow(d, probes)
	if err != nil {
		return nil, err
	}
	rows = append(rows, cats)

	// Burst: many files at once, until every one is counted. They are
	// written beside the folder first and moved in, as mv or a sync tool
	// would, so that the burst is as sharp as the machine allows and the
	// time is seedfeed's, not the disk's: writing 10,000 files here takes
	// from 0.8 s to 4 s, as the disk pleases.
	staging := filepath.Join(o.dir, "burst-staging")
	os.RemoveAll(staging)
	defer os.RemoveAll(staging)
	if err := os.Mkdir(staging, 0o755); err != nil {
		return nil, err
	}
	names := make([]string, o.burst)
	for i := range names {
		names[i] = fmt.Sprintf("b%05d.txt", i)
		if err := os.WriteFile(filepath.Join(staging, names[i]), article(2, i), 0o644); err != nil {
			return nil, err
		}
	}
	burstDir := filepath.Join(probes, "burst")
	if err := os.Mkdir(burstDir, 0o755); err != nil {
		return nil, err
	}
	time.Sleep(time.Second) // the new folder is watched and its event settled
	before, err := d.health()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	for _, name := range names {
		if err := os.Rename(filepath.Join(staging, name), filepath.Join(burstDir, name)); err != nil {
			return nil, err
		}
	}
	moved := time.Since(start)
	// Done when every file is counted and a render has followed, so the
	// feed shows them.
	var after health
	rendersAtCount := int64(-1)
	for {
		if after, err = d.health(); err != nil {
			return nil, err
		}
		if after.Entries >= before.Entries+o.burst && rendersAtCount < 0 {
			rendersAtCount = after.Renders
		}
		if rendersAtCount >= 0 && after.Renders > rendersAtCount || time.Since(start) > time.Minute {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(start)
	renders := after.Renders - before.Renders
	rows = append(rows, row{what: fmt.Sprintf("burst of %d files, all in the feed", o.burst), measured: ms(took),
		baseline: "moving them in: " + ms(moved), ratio: fmt.Sprintf("%d renders", renders),
		target: "<= " + ms(o.targets.burst) + ", a handful of renders", ok: took <= o.targets.burst && after.Entries >= before.Entries+o.burst && renders <= 10})
	rss := d.peakRSS()
	rows = append(rows, rssRow("peak RSS, serve, first index (with the rows above)", rss, o.targets))
	d.stop()

	serving, err := benchServing(ctx, o, corpus, state, addr)
	if err != nil {
		return nil, err
	}
	rows = append(rows, serving...)
	big, err := benchBigFiles(o)
	if err != nil {
		return nil, err
	}
	return append(rows, big...), nil
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// inotifyLatency is how long fsnotify takes to report a new file: the
// floor under any change-to-feed latency.
func inotifyLatency(dir string, n int) ([]time.Duration, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	defer w.Close()
	if err := w.Add(dir); err != nil {
		return nil, err
	}
	var out []time.Duration
	for i := range n {
		name := filepath.Join(dir, fmt.Sprintf(".inotify-%d", i))
		start := time.Now()
		if err := os.WriteFile(name, nil, 0o644); err != nil {
			return nil, err
		}
		for ev := range w.Events {
			if ev.Name == name && ev.Has(fsnotify.Create) {
				out = append(out, time.Since(start))
				break
			}
		}
		os.Remove(name)
	}
	return out, nil
}

// feedLatency writes n new files, one at a time, and times each until its
// title is in /feed.json.
func feedLatency(d *daemon, dir string, n int) ([]time.Duration, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	var out []time.Duration
	landed := time.Now() // the daemon may have rendered a moment ago, for the inotify probes
	for i := range n {
		// A feed that changes twice within a second is held back until the
		// next second, so that its Last-Modified moves forward: probes come
		// a second apart, as files do that do not arrive in a burst (the
		// burst row measures those).
		time.Sleep(time.Until(landed.Add(time.Second + 20*time.Millisecond)))
		title := fmt.Sprintf("Latency probe %d of the bench", i)
		start := time.Now()
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("probe-%03d.txt", i)), []byte(title+"\n\nA probe.\n"), 0o644); err != nil {
			return nil, err
		}
		for {
			resp, err := client.Get("http://" + d.addr + "/feed.json")
			if err != nil {
				return nil, err
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if bytes.Contains(b, []byte(title)) {
				out = append(out, time.Since(start))
				landed = time.Now()
				break
			}
			if time.Since(start) > 10*time.Second {
				return nil, fmt.Errorf("probe %d not in the feed after 10 s; feed starts %.300s\nlogs:\n%s", i, b, d.logString())
			}
			time.Sleep(500 * time.Microsecond)
		}
	}
	return out, nil
}

// benchServing loads seedfeed and the minimal server in turn, each pinned to
// core 0, with the load generator pinned to core 1.
func benchServing(ctx context.Context, o options, corpus, state, addr string) ([]row, error) {
	d, served, indexed, err := restartDaemon(o, addr, "-seeds", corpus, "-state", state)
	if err != nil {
		return nil, err
	}
	defer d.stop()
	rss := d.peakRSS()
	rows := []row{{what: "restarted on its state: the last feed served / indexed, from the start of its process", measured: ms(served) + " / " + ms(indexed),
		target: "<= 1 s to the feed", ok: served <= time.Second},
		rssRow("peak RSS, serve, restarted on its state", rss, o.targets)}
	time.Sleep(2 * time.Second) // let the daemon settle after its index, as a long-running one has
	// The minimal server serves the very bytes seedfeed serves, with the
	// very headers.
	plain, plainH, err := fetchHeaders("http://"+d.addr+"/feed.atom", "", "")
	if err != nil {
		return nil, err
	}
	gz, gzH, err := fetchHeaders("http://"+d.addr+"/feed.atom", "gzip", "")
	if err != nil {
		return nil, err
	}
	etag, gzTag := plainH.Get("ETag"), gzH.Get("ETag")
	_, notModH, err := fetchHeaders("http://"+d.addr+"/feed.atom", "", etag)
	if err != nil {
		return nil, err
	}
	files := filepath.Join(o.dir, "baseline")
	os.MkdirAll(files, 0o755)
	encoded := func(h http.Header) []byte {
		h = h.Clone()
		for _, k := range []string{"Date", "Content-Length"} { // net/http writes these itself
			h.Del(k)
		}
		b, _ := json.Marshal(h)
		return b
	}
	for name, b := range map[string][]byte{"plain": plain, "gzip": gz, "etag": []byte(etag), "gzetag": []byte(gzTag),
		"plain.headers": encoded(plainH), "gzip.headers": encoded(gzH), "304.headers": encoded(notModH)} {
		if err := os.WriteFile(filepath.Join(files, name), b, 0o644); err != nil {
			return nil, err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	baseAddr := ln.Addr().String()
	ln.Close()
	bin, args := self, []string{"baseline-server", baseAddr, files}
	if o.cpuPinned {
		bin, args = "taskset", append([]string{"-c", "0", self}, args...)
	}
	base := exec.Command(bin, args...)
	base.Env = append(os.Environ(), "GOMAXPROCS=1")
	if err := base.Start(); err != nil {
		return nil, err
	}
	defer func() { base.Process.Kill(); base.Wait() }()
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", baseAddr); err == nil {
			c.Close()
			break
		}
		if i > 500 {
			return nil, errors.New("baseline server did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// One short run each to warm both servers up, not counted.
	warm := o
	warm.loadTime = time.Second
	load(warm, "http://"+d.addr+"/feed.atom", "")
	load(warm, "http://"+baseAddr+"/feed.atom", "")
	// Loads on a shared machine vary by 15-20% from one run to the next,
	// and the machine drifts. So each server is driven o.rounds times, the
	// two taking turns; each round's two loads, run back to back, give one
	// ratio, and the ratio reported is the median of those.
	for _, mode := range []struct{ name, header string }{
		{"plain", ""}, {"gzip", "Accept-Encoding: gzip"}, {"304", "If-None-Match: " + etag},
	} {
		var ours, theirs []float64
		for range o.rounds {
			r, err := load(o, "http://"+d.addr+"/feed.atom", mode.header)
			if err != nil {
				return nil, err
			}
			ours = append(ours, r)
			if r, err = load(o, "http://"+baseAddr+"/feed.atom", mode.header); err != nil {
				return nil, err
			}
			theirs = append(theirs, r)
		}
		ratios := make([]float64, len(ours))
		for i := range ours {
			ratios[i] = ours[i] / theirs[i]
		}
		r := medianF(ratios)
		rows = append(rows, row{what: "serve /feed.atom, " + mode.name, measured: fmt.Sprintf("%.0f req/s", medianF(ours)),
			baseline: fmt.Sprintf("%.0f req/s minimal Go, same headers", medianF(theirs)),
			ratio:    fmt.Sprintf("%.2fx (%.2f-%.2f, %d pairs)", r, slices.Min(ratios), slices.Max(ratios), len(ratios)), target: ">= " + strconv.FormatFloat(o.targets.serving, 'f', -1, 64) + "x", ok: r >= o.targets.serving})
	}
	return rows, nil
}

func medianF(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// fetchHeaders GETs url as fetch does, with If-None-Match inm when not
// empty, and returns the body and the response's headers.
func fetchHeaders(url, encoding, inm string) ([]byte, http.Header, error) {
	req, _ := http.NewRequest("GET", url, nil)
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	if inm != "" {
		req.Header.Set("If-None-Match", inm)
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.Header, err
}

// load drives url for o.loadTime and returns requests per second: with wrk
// when installed, else with this program's own load generator, pinned to
// core 1.
func load(o options, url, header string) (float64, error) {
	conns := "32"
	secs := strconv.Itoa(int(o.loadTime.Seconds()))
	var bin string
	var args []string
	if o.useWrk {
		bin, args = "wrk", []string{"-t1", "-c" + conns, "-d" + secs + "s", url}
		if header != "" {
			args = append([]string{"-H", header}, args...)
		}
	} else {
		self, err := os.Executable()
		if err != nil {
			return 0, err
		}
		bin, args = self, []string{"load", url, header, conns, o.loadTime.String()}
	}
	if o.cpuPinned {
		bin, args = "taskset", append([]string{"-c", "1", bin}, args...)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	outb, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("load %s: %v\n%s", url, err, outb)
	}
	for _, line := range strings.Split(string(outb), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "Requests/sec:" {
			return strconv.ParseFloat(f[1], 64)
		}
		if strings.Contains(line, "Non-2xx or 3xx responses") || strings.Contains(line, "Socket errors") {
			return 0, fmt.Errorf("load %s: %s", url, line)
		}
	}
	return 0, fmt.Errorf("load %s: no Requests/sec in\n%s", url, outb)
}
