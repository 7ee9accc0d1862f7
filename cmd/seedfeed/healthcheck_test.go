package main

import (
	"errors"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestHealthcheck: seedfeed healthcheck exits 0 for a running daemon, by
// its base URL or its /healthz, and 1 with one line naming the URL when
// nothing answers.
func TestHealthcheck(t *testing.T) {
	e := newEnv(t, "")
	p := start(t, e.args()...)
	defer p.stop(t, syscall.SIGTERM)
	for _, target := range []string{p.url("/"), p.url(""), p.url("/healthz")} {
		out, err := exec.Command(binary(t), "healthcheck", target).CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), "ok: 2 entries") {
			t.Errorf("healthcheck %s: %v, %q; want exit 0 and ok: 2 entries", target, err, out)
		}
	}
	// A port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String() + "/"
	ln.Close()
	out, err := exec.Command(binary(t), "healthcheck", dead).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || strings.Count(string(out), "\n") != 1 || !strings.Contains(string(out), dead+"healthz") {
		t.Errorf("healthcheck of a dead daemon: %v, %q; want exit 1 and one line naming %shealthz", err, out, dead)
	}
	if out, err := exec.Command(binary(t), "healthcheck", "ftp://x").CombinedOutput(); err == nil {
		t.Errorf("healthcheck ftp://x: exit 0, %q; want an error", out)
	}
}

// TestVersionFlags: --version and -version print the version, as the
// version command does.
func TestVersionFlags(t *testing.T) {
	want, err := exec.Command(binary(t), "version").Output()
	if err != nil || !strings.HasPrefix(string(want), "seedfeed ") {
		t.Fatalf("seedfeed version: %v, %q", err, want)
	}
	for _, flag := range []string{"--version", "-version"} {
		if out, err := exec.Command(binary(t), flag).Output(); err != nil || string(out) != string(want) {
			t.Errorf("seedfeed %s: %v, %q; want %q", flag, err, out, want)
		}
	}
}
