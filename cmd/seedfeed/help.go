package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
)

// command is one of seedfeed's commands, as help shows it.
type command struct {
	name     string // as typed: "state check"
	synopsis string // the usage line, after "seedfeed "
	about    string
	example  string
}

var commands = []command{
	{"serve", "serve [flags]", "watch the seeds folder and serve its feeds over HTTP (the default command)",
		"seedfeed serve -config /etc/seedfeed/config.toml -listen 127.0.0.1:8080"},
	{"build", "build -out DIR [flags]", "write the feeds, pages, archives and categories into DIR once, for a static host",
		"seedfeed build -out public -base-url https://example.org/news/"},
	{"extract", "extract [flags] FILE...", "print what would be extracted from each file, one JSON object per file",
		"seedfeed extract seeds/2024-05-01-budget.txt"},
	{"state check", "state check [flags]", "verify the state store page by page; exit 1 on damage",
		"seedfeed state check -state /var/lib/seedfeed/state.db"},
	{"healthcheck", "healthcheck [flags] [URL]", "exit 0 when the daemon at URL (its base URL or its /healthz) says it is ok",
		"seedfeed healthcheck http://127.0.0.1:8080/"},
	{"version", "version", "print the version (also --version, -version)", "seedfeed --version"},
	{"help", "help [COMMAND]", "show this help, or one command's", "seedfeed help build"},
}

// runHelp prints help on every command, or on the one named.
func runHelp(args []string, stdout, stderr io.Writer) error {
	name := strings.Join(args, " ")
	if name == "" {
		fmt.Fprint(stdout, "seedfeed publishes a folder of text files as Atom, RSS and JSON feeds.\n\n")
		for _, c := range commands {
			writeHelp(stdout, c)
		}
		return nil
	}
	for _, c := range commands {
		if c.name == name {
			writeHelp(stdout, c)
			return nil
		}
	}
	fmt.Fprintf(stderr, "seedfeed help: no command %q\n%s", name, usage)
	return errUsage
}

// writeHelp prints a command's usage, what it does, its flags and an
// example. The flags are the command's own, as it prints them for -h, so
// help never says other than the command does.
func writeHelp(w io.Writer, c command) {
	fmt.Fprintf(w, "seedfeed %s\n    %s\n", c.synopsis, c.about)
	if c.name != "version" && c.name != "help" {
		var b bytes.Buffer
		run(context.Background(), append(strings.Fields(c.name), "-h"), &b, &b)
		flags := b.String()
		if i := strings.Index(flags, "\n  -"); i >= 0 {
			fmt.Fprint(w, "  flags:\n"+flags[i+1:])
		}
	}
	fmt.Fprintf(w, "  example:\n    %s\n\n", c.example)
}
