package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestSystemdUnit runs systemd-analyze verify on README's unit, with
// ExecStart pointing at a seedfeed just built: systemd must take every
// line of it, without a warning.
func TestSystemdUnit(t *testing.T) {
	analyze := feedtest.NeedTool(t, "systemd-analyze")
	unit := feedtest.READMECode(t, "### As a systemd service", "ini")
	for _, want := range []string{"Type=notify\n", "WatchdogSec=", "ExecReload=", "ExecStart=/usr/local/bin/seedfeed serve"} {
		if !strings.Contains(unit, want) {
			t.Errorf("README's unit lacks %q", want)
		}
	}
	unit = strings.ReplaceAll(unit, "/usr/local/bin/seedfeed", binary(t))
	file := filepath.Join(t.TempDir(), "seedfeed.service")
	feedtest.Write(t, file, unit)
	out, err := exec.Command(analyze, "verify", "--man=no", file).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
