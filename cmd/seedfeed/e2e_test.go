package main

// These tests exec the seedfeed binary, for what only a real process shows:
// signals, exit codes and what reaches stderr. Everything else about the
// daemon is tested in-process, in feed/daemon.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds the seedfeed command once for every end-to-end test.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "seedfeed-bin")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "seedfeed")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// daemonProc is a running seedfeed serve.
type daemonProc struct {
	cmd  *exec.Cmd
	addr string
	logs *feedtest.SyncBuffer
	done chan error
}

// env is a seeds folder, a state file and a config file for a daemon.
type env struct {
	seeds, state, config string
}

func newEnv(t *testing.T, config string) env {
	t.Helper()
	return env{seeds: feedtest.SeedDir(t), state: filepath.Join(t.TempDir(), "state.db"), config: writeConfig(t, config)}
}

func (e env) args(extra ...string) []string {
	return append([]string{"serve", "-config", e.config, "-seeds", e.seeds, "-state", e.state,
		"-listen", "127.0.0.1:0", "-log-format", "json"}, extra...)
}

// start runs the daemon with args and waits until it has indexed the
// folder.
func start(t *testing.T, args ...string) *daemonProc {
	t.Helper()
	return launch(t, exec.Command(binary(t), args...))
}

// stop sends sig and checks that the daemon exits with 0 within 5 s.
func (p *daemonProc) stop(t *testing.T, sig os.Signal) {
	t.Helper()
	p.cmd.Process.Signal(sig)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("daemon exited with %v after %v\n%s", err, sig, p.logs.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("daemon still running 5s after %v", sig)
	}
}

func (p *daemonProc) url(path string) string { return "http://" + p.addr + path }

type (
	jsonItem = feedtest.JSONItem
	jsonDoc  = feedtest.JSONFeed
)

func getFeed(t *testing.T, p *daemonProc) jsonDoc {
	t.Helper()
	var doc jsonDoc
	feedtest.GetJSON(t, p.url("/feed.json"), &doc)
	return doc
}

// TestServeStopsOnSignal checks that SIGTERM, as systemd sends, and SIGINT,
// as a terminal sends, each make serve exit 0 within 5 s.
func TestServeStopsOnSignal(t *testing.T) {
	for _, tt := range []struct {
		name string
		sig  os.Signal
	}{
		{"SIGTERM", syscall.SIGTERM},
		{"SIGINT", syscall.SIGINT},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := start(t, newEnv(t, "").args()...)
			p.stop(t, tt.sig)
		})
	}
}

// TestServeReload rereads the config file on SIGHUP: a file with a mistake
// is refused and the old config kept; a good one takes effect at once.
func TestServeReload(t *testing.T) {
	e := newEnv(t, "title = \"One\"\n")
	p := start(t, e.args()...)
	if err := os.WriteFile(e.config, []byte("title = \"Two\"\nnot_a_key = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.cmd.Process.Signal(syscall.SIGHUP)
	feedtest.WaitFor(t, 5*time.Second, "the failed reload to be logged", func() bool {
		return strings.Contains(p.logs.String(), "config reload failed")
	})
	if title := getFeed(t, p).Title; title != "One" {
		t.Errorf("after a bad reload the title is %q; want the old config kept", title)
	}
	if err := os.WriteFile(e.config, []byte("title = \"Two\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.cmd.Process.Signal(syscall.SIGHUP)
	feedtest.WaitFor(t, 5*time.Second, "the new title", func() bool { return getFeed(t, p).Title == "Two" })
	p.stop(t, syscall.SIGTERM)
}

// TestServeStartupErrors checks that each way start-up can fail does so at
// once, with one clear line.
func TestServeStartupErrors(t *testing.T) {
	e := newEnv(t, "")
	p := start(t, e.args()...)
	run := func(args ...string) (string, time.Duration) {
		start := time.Now()
		cmd := exec.Command(binary(t), args...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("seedfeed %v succeeded; want it to fail", args)
		}
		return string(out), time.Since(start)
	}
	other := newEnv(t, "")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"busy port", []string{"serve", "-config", other.config, "-seeds", other.seeds, "-state", other.state, "-listen", p.addr}, "address already in use"},
		{"state held by another process", append(e.args()[:7], "-listen", "127.0.0.1:0"), "in use by another seedfeed process"},
		{"bad config", []string{"serve", "-config", writeConfig(t, "limit = -1\n"), "-seeds", other.seeds}, `key "limit"`},
		{"missing icon", []string{"serve", "-config", writeConfig(t, "icon = \"nope.png\"\n"), "-seeds", other.seeds}, `config.toml:1: key "icon": `},
		{"missing seeds folder", []string{"serve", "-config", other.config, "-seeds", filepath.Join(t.TempDir(), "nope"), "-state", other.state}, "seeds folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, took := run(tt.args...)
			if !strings.Contains(out, tt.want) {
				t.Errorf("output %q lacks %q", out, tt.want)
			}
			if lines := strings.Count(strings.TrimSpace(out), "\n") + 1; lines != 1 {
				t.Errorf("output has %d lines; want one: %q", lines, out)
			}
			if took > 5*time.Second {
				t.Errorf("took %v to fail; want a few seconds at most", took)
			}
		})
	}
	p.stop(t, syscall.SIGTERM)
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
