package main

import (
	"context"
	"flag"
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
	if name == "state" {
		name = "state check" // its one subcommand
	}
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
	fmt.Fprintf(stderr, "seedfeed: help: no command %q\n%s", name, usage())
	return errUsage
}

// writeHelp prints a command's usage, what it does, its flags and an
// example. The flags are the command's own, as its -h prints them, so help
// never says other than the command does.
func writeHelp(w io.Writer, c command) {
	if c.name == "version" || c.name == "help" {
		commandUsage(w, c, nil)
	} else {
		run(context.Background(), append(strings.Fields(c.name), "-h"), w, w)
	}
	fmt.Fprintln(w)
}

// flagSet returns the flag set of the command named, whose -h prints the
// command's help.
func flagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		for _, c := range commands {
			if c.name == name {
				commandUsage(fs.Output(), c, fs)
			}
		}
	}
	return fs
}

// commandUsage prints a command's usage, what it does, the flags of fs
// and an example.
func commandUsage(w io.Writer, c command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: seedfeed %s\n    %s\n", c.synopsis, c.about)
	if fs != nil {
		fmt.Fprintln(w, "  flags:")
		fs.PrintDefaults()
	}
	fmt.Fprintf(w, "  example:\n    %s\n", c.example)
}

// usage lists the commands, a line each.
func usage() string {
	var b strings.Builder
	for _, c := range commands {
		fmt.Fprintf(&b, "  seedfeed %-26s %s\n", c.synopsis, c.about)
	}
	return "usage:\n" + b.String() + "Run \"seedfeed help\" for every command's flags and an example, \"seedfeed help build\" for one.\n"
}
