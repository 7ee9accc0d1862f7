package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// launch starts cmd as a daemon and waits until it has indexed the folder.
// start is launch for the usual command.
func launch(t *testing.T, cmd *exec.Cmd) *daemonProc {
	t.Helper()
	p := &daemonProc{cmd: cmd, logs: &feedtest.SyncBuffer{}, done: make(chan error, 1)}
	if p.cmd.Stderr == nil {
		p.cmd.Stderr = p.logs
	}
	if p.cmd.Stdout == nil {
		p.cmd.Stdout = p.logs
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	feedtest.WaitFor(t, 10*time.Second, "the daemon to index", func() bool {
		for _, l := range strings.Split(p.logs.String(), "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(l), &rec) == nil && rec.Msg == "listening" {
				p.addr = rec.Addr
			}
		}
		return p.addr != "" && strings.Contains(p.logs.String(), `"msg":"indexed"`)
	})
	return p
}

// TestHangupDuringStartup sends SIGHUP while the daemon is starting, before
// it has read its config: it does not die of it (exit 129), and the reload
// asked for is applied once the daemon is ready. The config file is a FIFO,
// so the test knows when the daemon is reading it, and holds it there.
func TestHangupDuringStartup(t *testing.T) {
	e := newEnv(t, "")
	fifo := filepath.Join(t.TempDir(), "config.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	var done chan error
	// writer opens the FIFO for writing once the daemon opens it to read,
	// and fails the test if the daemon exits first.
	writer := func() *os.File {
		t.Helper()
		var f *os.File
		feedtest.WaitFor(t, 20*time.Second, "the daemon to read its config", func() bool {
			select {
			case err := <-done:
				t.Fatalf("the daemon exited: %v", err)
			default:
			}
			var err error
			f, err = os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0) // ENXIO while no reader
			return err == nil
		})
		return f
	}
	args := e.args()
	args[indexOf(args, "-config")+1] = fifo
	cmd := exec.Command(binary(t), args...)
	logs := &feedtest.SyncBuffer{}
	cmd.Stderr, cmd.Stdout = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done = make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	}()
	f := writer() // the daemon is reading its config: well into its start
	for range 3 {
		cmd.Process.Signal(syscall.SIGHUP)
	}
	f.WriteString("title = \"Before\"\n")
	f.Close()
	feedtest.WaitFor(t, 10*time.Second, "the daemon to be past its config", func() bool {
		select {
		case err := <-done:
			t.Fatalf("the daemon exited on SIGHUP during start-up: %v\n%s", err, logs)
		default:
		}
		return strings.Contains(logs.String(), `"msg":"listening"`)
	})
	f = writer() // the reload reads it again, once the daemon is ready
	f.WriteString("title = \"Reloaded\"\n")
	f.Close()
	feedtest.WaitFor(t, 20*time.Second, "the reload asked for during start-up", func() bool {
		select {
		case err := <-done:
			t.Fatalf("the daemon exited on SIGHUP during start-up: %v\n%s", err, logs)
		default:
		}
		return strings.Contains(logs.String(), "config reloaded")
	})
	if i, j := strings.Index(logs.String(), `"msg":"indexed"`), strings.Index(logs.String(), "config reloaded"); i < 0 || j < i {
		t.Errorf("the reload was applied before the daemon was ready\n%s", logs)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := <-done; err != nil {
		t.Fatalf("exit %v after SIGTERM; want 0", err)
	}
	if n := strings.Count(logs.String(), "config reloaded"); n != 1 {
		t.Errorf("%d reloads for three hang-ups during start-up; want them folded into one", n)
	}
}

// TestClosedLogPipe closes the read end of the daemon's stderr and stdout:
// the next log lines must not kill it with SIGPIPE, and it keeps serving.
func TestClosedLogPipe(t *testing.T) {
	e := newEnv(t, "")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary(t), e.args("-log-level", "debug")...)
	cmd.Stderr, cmd.Stdout = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	}()
	// Read the address, then close the pipe.
	var addr string
	dec := json.NewDecoder(r)
	for addr == "" {
		var rec struct{ Msg, Addr string }
		if err := dec.Decode(&rec); err != nil {
			t.Fatalf("reading the log: %v", err)
		}
		if rec.Msg == "listening" {
			addr = rec.Addr
		}
	}
	r.Close()
	p := &daemonProc{cmd: cmd, addr: addr}
	feedtest.WaitFor(t, 10*time.Second, "the first index", func() bool { return healthz(t, p) == 2 })
	// Each new file makes log lines, written into the closed pipe.
	for i, name := range []string{"one.txt", "two.txt", "three.txt"} {
		feedtest.Write(t, filepath.Join(e.seeds, name), "After the pipe closed "+name+"\n\nBody.\n")
		feedtest.WaitFor(t, 10*time.Second, name+" indexed", func() bool {
			select {
			case err := <-done:
				t.Fatalf("the daemon died with the log pipe closed: %v", err)
			default:
			}
			return healthz(t, p) == 3+i
		})
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := <-done; err != nil {
		t.Fatalf("exit %v after SIGTERM; want 0", err)
	}
}

// TestStateCheckCommand: seedfeed state check says ok of a sound store and
// exits 0; of a damaged one it exits 1 with one line naming the damage.
func TestStateCheckCommand(t *testing.T) {
	e := newEnv(t, "")
	p := start(t, e.args()...)
	p.stop(t, syscall.SIGTERM)
	out, err := exec.Command(binary(t), "state", "check", "-state", e.state).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok") {
		t.Errorf("state check of a sound store: %v, %q; want ok and exit 0", err, out)
	}
	fi, err := os.Stat(e.state)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(e.state, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(binary(t), "state", "check", "-state", e.state).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(string(out), "damaged") || strings.Count(strings.TrimSpace(string(out)), "\n") != 0 {
		t.Errorf("state check of a damaged store: %v, %q; want exit 1 and one line saying it is damaged", err, out)
	}
}
