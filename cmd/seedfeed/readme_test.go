package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

// TestREADMEFlags: README's "Commands" section names every flag of every
// command, and no flag that no command has.
func TestREADMEFlags(t *testing.T) {
	section := []byte(feedtest.READMESection(t, "## Commands"))
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("`(?:[^`]* )?(-{1,2}[a-z][a-z-]*)").FindAllSubmatch(section, -1) {
		documented[strings.TrimLeft(string(m[1]), "-")] = true
	}
	for _, m := range regexp.MustCompile(`\[(-[a-z][a-z-]*)`).FindAllSubmatch(section, -1) {
		documented[strings.TrimLeft(string(m[1]), "-")] = true
	}
	real := map[string]bool{"h": true, "help": true, "version": true}
	for _, c := range commands {
		if c.name == "version" || c.name == "help" {
			continue
		}
		var out bytes.Buffer
		run(context.Background(), append(strings.Fields(c.name), "-h"), &out, &out)
		for _, m := range regexp.MustCompile(`(?m)^  -([a-z][a-z-]*)`).FindAllStringSubmatch(out.String(), -1) {
			real[m[1]] = true
			if !documented[m[1]] {
				t.Errorf("README's Commands section does not name -%s of %s", m[1], c.name)
			}
		}
	}
	for f := range documented {
		if !real[f] {
			t.Errorf("README's Commands section names -%s, which no command has", f)
		}
	}
}
