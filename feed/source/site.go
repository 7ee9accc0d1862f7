package source

import (
	"cmp"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Site is what the root of the seeds folder says of the site generator
// whose root it is, if any: a user may point seedfeed at a whole Jekyll,
// Hugo or Pelican site rather than at its posts (see Source.Site).
type Site struct {
	// Generator is "jekyll" (a Jekyll config at the root, and a _posts
	// folder below it), "hugo" (a Hugo config at the root, or a
	// config/_default folder, and its content folder), "pelican" (a
	// pelicanconf.py at the root, and its content folder), or "" for any
	// other folder.
	Generator string
	// Content is a Hugo or Pelican site's content folder,
	// slash-separated: the contentDir or the PATH its config names, else
	// "content".
	Content string
	// Config is the generator's config at the root, slash-separated (its
	// file, or Hugo's config/_default folder), even when Generator is ""
	// because the folder has no posts or content folder yet; "" when
	// there is none. Content is set with a Hugo or a Pelican config.
	Config string
}

// jekyllConfigs and hugoConfigs are the names of the generators' config
// files at a site's root. Hugo's config.toml is its name of before 0.110.
var (
	jekyllConfigs = []string{"_config.yml", "_config.yaml", "_config.toml"}
	hugoConfigs   = []string{"hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json"}
)

// hugoDefaults is the folder of Hugo's config split into files;
// pelicanConfig is Pelican's config (its publishconf.py reads it).
const (
	hugoDefaults  = "config/_default"
	pelicanConfig = "pelicanconf.py"
)

// SiteFile reports whether the file at rel, slash-separated, is one that
// Site reads or looks for: a generator's config at the root, or one in
// Hugo's config/_default folder. Its coming, going or change may change
// what the folder is.
func SiteFile(rel string) bool {
	if dir, base := path.Split(rel); dir == "" {
		return slices.Contains(jekyllConfigs, base) || slices.Contains(hugoConfigs, base) || base == pelicanConfig
	} else if dir == hugoDefaults+"/" {
		return slices.Contains(hugoConfigs, base)
	}
	return false
}

// Site finds out whether the folder is the root of a Jekyll, a Hugo or a
// Pelican site. It stats the few files that say so; for Jekyll it looks
// for a _posts folder, for Hugo it reads contentDir in its config, in the
// simple cases: a line `contentDir = "x"` at the top of a TOML file,
// `contentDir: x` in YAML, `"contentDir": "x"` in JSON; and for Pelican a
// line `PATH = "x"` in pelicanconf.py. Whatever it cannot see is taken
// for absent. A Hugo config whose content folder is missing gives way to
// a Pelican or a Jekyll site (config.toml is a common name).
func (s Source) Site() Site {
	var hugo Site
	if cfg := s.firstFile("", hugoConfigs); cfg != "" || s.isDir(hugoDefaults) {
		hugo.Config = cmp.Or(cfg, hugoDefaults)
		for _, cfg := range []string{cfg, s.firstFile(hugoDefaults, hugoConfigs)} {
			if hugo.Content == "" && cfg != "" {
				hugo.Content = contentDir(s.readSmall(cfg), path.Ext(cfg))
			}
		}
		hugo.Content = cmp.Or(hugo.Content, "content")
		if s.isDir(hugo.Content) {
			hugo.Generator = "hugo"
			return hugo
		}
	}
	if s.firstFile("", []string{pelicanConfig}) != "" {
		pelican := Site{Content: cmp.Or(pelicanPath(s.readSmall(pelicanConfig)), "content"), Config: pelicanConfig}
		if s.isDir(pelican.Content) {
			pelican.Generator = "pelican"
			return pelican
		}
		if hugo.Config == "" {
			hugo = pelican // its content is to come
		}
	}
	if jekyll := s.firstFile("", jekyllConfigs); jekyll != "" {
		if s.hasPosts() {
			return Site{Generator: "jekyll", Config: jekyll}
		}
		return Site{Config: jekyll}
	}
	return hugo // a Hugo or a Pelican config whose content is to come, or nothing
}

// pelicanPath returns the PATH, the content folder, that a pelicanconf.py
// sets with a string at its top level, as a clean path inside the root;
// "" when it sets none that way (os.path.join(...), say) or one outside
// the root.
func pelicanPath(config string) string {
	for line := range strings.Lines(config) {
		key, value, ok := strings.Cut(line, "=")
		if !ok || strings.TrimRight(key, " \t") != "PATH" {
			continue // another setting, an indented one, or PATH == x
		}
		value = strings.TrimSpace(value)
		if i := strings.Index(value, "#"); i >= 0 {
			value = strings.TrimSpace(value[:i])
		}
		if len(value) < 2 || value[0] != value[len(value)-1] || value[0] != '"' && value[0] != '\'' {
			return ""
		}
		return insideRoot(value[1 : len(value)-1])
	}
	return ""
}

// insideRoot returns dir, a folder a config names, as a clean path inside
// the root; "" when it lies outside.
func insideRoot(dir string) string {
	dir = path.Clean(dir)
	if dir == "." || dir == ".." || strings.HasPrefix(dir, "../") || path.IsAbs(dir) || filepath.IsAbs(dir) {
		return ""
	}
	return dir
}

// firstFile returns the first of names that is a file in the folder dir
// (slash-separated, "" the root), from the root; "" when none is.
func (s Source) firstFile(dir string, names []string) string {
	for _, n := range names {
		if fi, err := os.Stat(s.path(path.Join(dir, n))); err == nil && fi.Mode().IsRegular() {
			return path.Join(dir, n)
		}
	}
	return ""
}

func (s Source) isDir(rel string) bool {
	fi, err := os.Stat(s.path(rel))
	return err == nil && fi.IsDir()
}

// readSmall returns the first 64 KiB of the file at rel: a config's
// contentDir is at its top.
func (s Source) readSmall(rel string) string {
	f, err := os.Open(s.path(rel))
	if err != nil {
		return ""
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 64<<10))
	return string(b)
}

// hasPosts reports whether a _posts folder lies below the root that
// Jekyll would read: the walk, breadth first, enters no hidden folder,
// none whose name starts with "_" (_site, its output, among them), and
// neither vendor nor node_modules at the root, as Jekyll does not.
func (s Source) hasPosts() bool {
	queue := []string{""}
	for len(queue) > 0 {
		dir := queue[0]
		queue = queue[1:]
		entries, err := os.ReadDir(s.path(dir))
		if err != nil {
			continue
		}
		for _, e := range entries {
			name := e.Name()
			switch {
			case !e.IsDir(): // a symlink to a folder is not followed, as Scan does not
			case name == "_posts":
				return true
			case name[0] == '.' || name[0] == '_', dir == "" && (name == "vendor" || name == "node_modules"):
			default:
				queue = append(queue, path.Join(dir, name))
			}
		}
	}
	return false
}

// contentDir returns the contentDir that a Hugo config of extension ext
// sets at its top level, in the simple cases Site names, as a clean path
// inside the root; "" when it sets none, or one outside the root.
func contentDir(config, ext string) string {
	for line := range strings.Lines(config) {
		if ext == ".toml" && strings.HasPrefix(line, "[") {
			break // a table: the top level is over
		}
		var key, value string
		var ok bool
		switch ext {
		case ".toml":
			key, value, ok = strings.Cut(line, "=")
		case ".yaml":
			key, value, ok = strings.Cut(line, ":")
			if ok && (key != strings.TrimSpace(key) || strings.HasPrefix(key, "-")) {
				ok = false // indented: not the top level
			}
		case ".json":
			key, value, ok = strings.Cut(strings.TrimSpace(line), ":")
			value = strings.TrimSuffix(strings.TrimSpace(value), ",")
		}
		if !ok || !strings.EqualFold(strings.Trim(strings.TrimSpace(key), `"`), "contentDir") {
			continue
		}
		if i := strings.Index(value, " #"); i >= 0 && ext != ".json" {
			value = value[:i]
		}
		return insideRoot(strings.Trim(strings.TrimSpace(value), `"'`))
	}
	return ""
}
