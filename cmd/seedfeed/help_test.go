package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestHelp: -h and help show every command with its own flags and an
// example; help CMD shows that command's alone; an unknown one is a
// usage error.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, &out, &out); err != nil {
			t.Fatalf("seedfeed %v: %v", args, err)
		}
		for _, c := range commands {
			if !strings.Contains(out.String(), "seedfeed "+c.synopsis+"\n") || !strings.Contains(out.String(), c.example) {
				t.Errorf("seedfeed %v lacks the usage or the example of %s", args, c.name)
			}
		}
		if strings.Count(out.String(), "  flags:\n") != len(commands)-2 {
			t.Errorf("seedfeed %v shows flags for %d commands; want every one but version and help", args, strings.Count(out.String(), "  flags:\n"))
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"help", "build"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"-out folder", "-base-url URL", "-future", "seed files to publish", "example:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help build lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "-listen") || strings.Contains(out.String(), "to watch") {
		t.Errorf("help build shows serve's flags:\n%s", out.String())
	}
	// Each command's -h is its help: usage, flags and example.
	for _, c := range commands[:len(commands)-2] {
		var h bytes.Buffer
		args := append(strings.Fields(c.name), "-h")
		if err := run(context.Background(), args, &h, &h); !errors.Is(err, flag.ErrHelp) {
			t.Errorf("seedfeed %v: %v; want flag.ErrHelp, for exit 0", args, err)
		}
		for _, want := range []string{"usage: seedfeed " + c.synopsis + "\n", "  flags:\n", "  -config file", "  example:\n    " + c.example} {
			if !strings.Contains(h.String(), want) {
				t.Errorf("seedfeed %v lacks %q:\n%s", args, want, h.String())
			}
		}
	}
	if err := run(context.Background(), []string{"help", "nope"}, &out, &out); !errors.Is(err, errUsage) {
		t.Errorf("help nope: %v; want a usage error", err)
	}
}
