package feed_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/seedfeed/seedfeed"

// pkg is what go list says of one package, without its tests.
type pkg struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	Imports    []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		p.ImportPath = strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages; want the whole module", len(pkgs))
	}
	return pkgs
}

// TestLayering checks the rules of README's "Layout": which layer may use
// which package. Test files are not checked.
func TestLayering(t *testing.T) {
	for _, p := range listPackages(t) {
		in := func(prefixes ...string) bool {
			for _, pre := range prefixes {
				if p.ImportPath == pre || strings.HasPrefix(p.ImportPath, pre+"/") {
					return true
				}
			}
			return false
		}
		imports := func(path string) bool { return slices.Contains(p.Imports, path) }
		forbid := func(rule string, paths ...string) {
			for _, path := range paths {
				if imports(path) {
					t.Errorf("%s imports %s: %s", p.ImportPath, path, rule)
				}
			}
		}
		if !in("feed/httpd", "feed/websub", "cmd", "feed/feedtest") { // feedtest: the tests' client
			forbid("only the HTTP package, websub and cmd/ speak HTTP", "net/http")
		}
		// cmd/ imports syscall only for the signals it handles (STYLE.md, habit 1).
		if !in("feed/source", "cmd") {
			forbid("only feed/source makes system calls", "syscall", "golang.org/x/sys/unix")
		}
		if in("feed/extract") {
			forbid("extraction is pure", "os", "net/http", "io/ioutil")
		}
		if in("feed/render") {
			forbid("rendering does no file I/O", "os", "io/ioutil", "path/filepath")
		}
		if in("watch") {
			for _, imp := range p.Imports {
				if strings.HasPrefix(imp, module+"/feed") {
					t.Errorf("watch imports %s: watch knows nothing of feeds", imp)
				}
			}
		}
		if in("feed") {
			forbid("feed knows nothing of fsnotify", "github.com/fsnotify/fsnotify")
		}
		switch p.Name {
		case "util", "utils", "common", "types", "misc", "helpers":
			t.Errorf("package %s is named %q: name it for what it does", p.ImportPath, p.Name)
		}
	}
}

// TestFileSizes keeps cmd/seedfeed thin and every file under feed/ and
// watch/ small enough to read in one sitting.
func TestFileSizes(t *testing.T) {
	cmdLines := 0
	for _, p := range listPackages(t) {
		for _, f := range p.GoFiles {
			n := countLines(t, filepath.Join(p.Dir, f))
			if p.ImportPath == "cmd/seedfeed" {
				cmdLines += n
			}
			if (strings.HasPrefix(p.ImportPath, "feed") || p.ImportPath == "watch") && n > 500 {
				t.Errorf("%s/%s has %d lines; split it below 500", p.ImportPath, f, n)
			}
		}
	}
	if cmdLines == 0 || cmdLines >= 700 {
		t.Errorf("cmd/seedfeed has %d lines of non-test Go; want it thin, under 700", cmdLines)
	}
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
	}
	return n
}
