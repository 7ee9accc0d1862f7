package main

import (
	"bytes"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSystemdNotify runs serve as systemd's Type=notify would, with a fake
// NOTIFY_SOCKET that the test reads: READY=1 once it serves, WATCHDOG=1
// while it runs, RELOADING=1 (with MONOTONIC_USEC) then READY=1 around a
// SIGHUP, STOPPING=1 on SIGTERM.
func TestSystemdNotify(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	got := make(chan string, 100)
	go func() { // exits when conn is closed
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			got <- string(buf[:n])
		}
	}()
	next := func(want string) string {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case msg := <-got:
				if strings.HasPrefix(msg, want) {
					return msg
				}
				if !strings.HasPrefix(msg, "WATCHDOG=1") {
					t.Fatalf("systemd was told %q while waiting for %q", msg, want)
				}
			case <-deadline:
				t.Fatalf("systemd was not told %q within 10 s", want)
			}
		}
	}
	e := newEnv(t, "")
	cmd := exec.Command(binary(t), e.args()...)
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+sock, "WATCHDOG_USEC=200000")
	p := launch(t, cmd)
	next("READY=1")
	next("WATCHDOG=1")
	p.cmd.Process.Signal(syscall.SIGHUP)
	if msg := next("RELOADING=1"); !strings.Contains(msg, "\nMONOTONIC_USEC=") {
		t.Errorf("RELOADING=1 without MONOTONIC_USEC: %q", msg)
	}
	next("READY=1")
	p.stop(t, syscall.SIGTERM)
	next("STOPPING=1")
}

// TestNotifyWarnsOnce: a NOTIFY_SOCKET that cannot be reached is logged
// once, not at every watchdog tick.
func TestNotifyWarnsOnce(t *testing.T) {
	var logs bytes.Buffer
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "nobody-listens"))
	n := newNotifier(slog.New(slog.NewTextHandler(&logs, nil)))
	for range 3 {
		n.send("WATCHDOG=1")
	}
	if c := strings.Count(logs.String(), "cannot notify systemd"); c != 1 {
		t.Errorf("%d warnings for 3 failed notifications; want 1:\n%s", c, logs.String())
	}
}
