// Package config reads config.toml: defaults first, then the file, then
// the flags that cmd/seedfeed applies; Validate checks every value, and an
// error names the file, the line and the key.
package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"golang.org/x/text/language"

	"github.com/seedfeed/seedfeed/feed"
	"github.com/seedfeed/seedfeed/feed/daemon"
	"github.com/seedfeed/seedfeed/feed/extract"
	"github.com/seedfeed/seedfeed/feed/source"
)

// Config is config.toml. Defaults come first, then the file, then flags.
type Config struct {
	Title          string   `toml:"title"`
	Subtitle       string   `toml:"subtitle"`
	Author         string   `toml:"author"`
	AuthorEmail    string   `toml:"author_email"`
	Language       string   `toml:"language"`
	BaseURL        string   `toml:"base_url"`
	Limit          int      `toml:"limit"`
	Seeds          string   `toml:"seeds"`
	Include        []string `toml:"include"`
	MaxFileSize    ByteSize `toml:"max_file_size"`
	Encoding       string   `toml:"encoding"`
	FeedMaxBytes   ByteSize `toml:"feed_max_bytes"`
	State          string   `toml:"state"`
	Listen         string   `toml:"listen"`
	Debounce       Duration `toml:"debounce"`
	RescanInterval Duration `toml:"rescan_interval"`
	EmptyGrace     Duration `toml:"empty_grace"`
	CacheMaxAge    Duration `toml:"cache_max_age"`
	Hubs           []string `toml:"hubs"`
	Icon           string   `toml:"icon"`
	Logo           string   `toml:"logo"`
	// Where entries' categories come from, each with feeds of its own.
	CategoryFolders bool `toml:"category_folders"`
	CategoryTags    bool `toml:"category_tags"`
	CategoryPlaces  bool `toml:"category_places"`
	// Logs and metrics (see observe.go).
	AccessLog              bool     `toml:"access_log"`
	Metrics                bool     `toml:"metrics"`
	MetricsAllowedNetworks []string `toml:"metrics_allowed_networks"`
	MetricsListen          string   `toml:"metrics_listen"`
	// The embedded WebSub hub.
	Hub                bool     `toml:"hub"`
	HubAllowedNetworks []string `toml:"hub_allowed_networks"`

	file string // where the config came from, for error messages
	raw  []byte // its text, to find the line of a key

	// The pictures Icon and Logo name, read and checked by Validate.
	favicon, iconPNG, logo feed.Image
	metricsNets            []netip.Prefix // MetricsAllowedNetworks, parsed by Validate
	hubNets                []netip.Prefix // HubAllowedNetworks, parsed by Validate
}

// Default returns the configuration used when config.toml is silent.
func Default() Config {
	return Config{
		Title:           "seedfeed",
		Language:        "en",
		Limit:           50,
		Seeds:           "seeds",
		Include:         []string{"*.txt", "*.md", "*.markdown"},
		MaxFileSize:     4 << 20,
		FeedMaxBytes:    4 << 20,
		State:           ".seedfeed.db",
		Listen:          "127.0.0.1:8080",
		Debounce:        Duration(100 * time.Millisecond),
		RescanInterval:  Duration(5 * time.Minute),
		EmptyGrace:      Duration(time.Hour),
		CacheMaxAge:     Duration(5 * time.Minute),
		CategoryFolders: true,
		CategoryTags:    true,
		CategoryPlaces:  true,
	}
}

// Load reads the config file at file over the defaults. A missing file
// is an error only when the user named it (required). Relative paths in the
// file are taken relative to the file's folder.
func Load(file string, required bool) (Config, error) {
	cfg := Default()
	cfg.file = file
	raw, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return cfg, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, fmt.Errorf("config: %s does not exist", file)
	}
	if err != nil {
		return cfg, fmt.Errorf("config: %w", err)
	}
	cfg.raw = raw
	md, err := toml.Decode(string(raw), &cfg)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			key := ""
			if perr.LastKey != "" {
				key = fmt.Sprintf(" key %q:", perr.LastKey)
			}
			msg := perr.Message
			if strings.Contains(msg, "has already been defined") {
				msg = "is set twice"
			}
			return cfg, fmt.Errorf("config: %s:%d:%s %s", file, perr.Position.Line, key, msg)
		}
		// Type mismatches come as plain errors: "toml: line 2 (last key "limit"): …".
		if m := tomlTypeError.FindStringSubmatch(err.Error()); m != nil {
			return cfg, fmt.Errorf("config: %s:%s: %s", file, m[1], plainTypeError(m[2], m[3]))
		}
		return cfg, fmt.Errorf("config: %s: %w", file, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		key := undecoded[0].String()
		for _, k := range undecoded[1:] {
			if strings.HasPrefix(k.String(), key+".") {
				return cfg, cfg.keyError(key, "unknown table ["+key+"]")
			}
		}
		return cfg, cfg.keyError(key, "unknown key")
	}
	dir := filepath.Dir(file)
	for _, p := range []*string{&cfg.Seeds, &cfg.State, &cfg.Icon, &cfg.Logo} {
		if *p != "" && !filepath.IsAbs(*p) && !isURL(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	return cfg, nil
}

// isURL reports whether a path given in the file is a URL instead, which
// Validate refuses by name rather than as a file that is not there.
func isURL(p string) bool { return strings.Contains(p, "://") }

var tomlTypeError = regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)

// tomlTypes says what the types that BurntSushi/toml names are, in words.
var tomlTypes = map[string]string{
	"string": "a string", "integer": "a number", "int64": "a number", "float64": "a number", "float": "a number",
	"boolean": "true or false", "bool": "true or false", "slice": "a list", "[]any": "a list", "[]interface {}": "a list",
	"map[string]any": "a table", "map[string]interface {}": "a table", "struct": "a table", "time.Time": "a date",
}

var incompatible = regexp.MustCompile(`^incompatible types: TOML value has type (.+); destination has type (.+)$`)

// plainTypeError says a TOML type mismatch in words: "limit must be a
// number, got a string". Other messages stay as they are.
func plainTypeError(key, msg string) string {
	m := incompatible.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	got, want := tomlTypes[m[1]], tomlTypes[m[2]]
	if got == "" {
		got = m[1]
	}
	if want == "" {
		want = m[2]
	}
	return fmt.Sprintf("%s must be %s, got %s", key[strings.LastIndexByte(key, '.')+1:], want, got)
}

// keyError names the file, the key, its line where it can be found, and the
// problem.
func (c Config) keyError(key, problem string) error {
	if c.raw == nil {
		return fmt.Errorf("config: %s: %s", key, problem)
	}
	if line := findKey(c.raw, key); line > 0 {
		return fmt.Errorf("config: %s:%d: key %q: %s", c.file, line, key, problem)
	}
	return fmt.Errorf("config: %s: key %q: %s", c.file, key, problem)
}

// findKey returns the line on which key is set, or where its table opens
// ("[server]"), or 0.
func findKey(raw []byte, key string) int {
	name := key[strings.LastIndexByte(key, '.')+1:]
	re := regexp.MustCompile(`^\s*(?:"?` + regexp.QuoteMeta(name) + `"?\s*=|\[+\s*"?` + regexp.QuoteMeta(key) + `"?\s*\]+)`)
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for n := 1; sc.Scan(); n++ {
		if re.MatchString(sc.Text()) {
			return n
		}
	}
	return 0
}

// Validate checks every value and normalises the base URL.
func (c *Config) Validate() error {
	if strings.TrimSpace(c.Title) == "" {
		return c.keyError("title", "must not be empty")
	}
	if _, err := language.Parse(c.Language); err != nil {
		return c.keyError("language", fmt.Sprintf("%q is not a language tag such as \"en\" or \"pt-BR\"", c.Language))
	}
	if c.AuthorEmail != "" && !strings.Contains(c.AuthorEmail, "@") {
		return c.keyError("author_email", fmt.Sprintf("%q is not an e-mail address", c.AuthorEmail))
	}
	if c.Limit < 1 {
		return c.keyError("limit", fmt.Sprintf("must be at least 1, not %d", c.Limit))
	}
	if c.Seeds == "" {
		return c.keyError("seeds", "must name a folder")
	}
	if len(c.Include) == 0 {
		return c.keyError("include", "must list at least one pattern, such as \"*.txt\"")
	}
	for _, p := range c.Include {
		if _, err := path.Match(p, "x"); err != nil || strings.Contains(p, "/") {
			return c.keyError("include", fmt.Sprintf("%q is not a file-name pattern", p))
		}
	}
	if c.MaxFileSize < 1 {
		return c.keyError("max_file_size", "must be positive")
	}
	if c.FeedMaxBytes < 1 {
		return c.keyError("feed_max_bytes", "must be positive")
	}
	if c.Encoding != "" {
		if _, _, err := extract.LookupEncoding(c.Encoding); err != nil {
			return c.keyError("encoding", fmt.Sprintf("%q is not an encoding such as \"gbk\", \"shift_jis\" or \"windows-1251\"", c.Encoding))
		}
	}
	if c.State == "" {
		return c.keyError("state", "must name a file")
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return c.keyError("listen", fmt.Sprintf("%q is not host:port", c.Listen))
	}
	if c.BaseURL != "" {
		u, err := absoluteURL(c.BaseURL)
		if err != nil {
			return c.keyError("base_url", err.Error())
		}
		c.BaseURL = u
	}
	if c.Debounce < 0 || time.Duration(c.Debounce) > time.Minute {
		return c.keyError("debounce", "must be between 0s and 1m")
	}
	if c.RescanInterval < 0 {
		return c.keyError("rescan_interval", "must not be negative (0 turns it off)")
	}
	if c.EmptyGrace < 0 {
		return c.keyError("empty_grace", "must not be negative (0 removes the entries of an empty folder at once)")
	}
	if c.CacheMaxAge < 0 {
		return c.keyError("cache_max_age", "must not be negative")
	}
	for _, h := range c.Hubs {
		if _, err := absoluteURL(h); err != nil {
			return c.keyError("hubs", err.Error())
		}
	}
	if err := c.validateMetrics(); err != nil {
		return err
	}
	return c.readPictures()
}

// absoluteURL checks that s is an absolute http(s) URL and returns it with a
// trailing slash on its path.
func absoluteURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http or https URL", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q must not have a query or a fragment", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u.String(), nil
}

// Options returns what the daemon and the one-shot runs take, logging to
// log. The site's base URL stays empty unless set: the daemon then bases
// links on the address it binds, and build on the listen address.
func (c Config) Options(log *slog.Logger) daemon.Options {
	return daemon.Options{
		Site: feed.Site{
			Title:       c.Title,
			Subtitle:    c.Subtitle,
			Author:      c.Author,
			AuthorEmail: c.AuthorEmail,
			Language:    c.Language,
			BaseURL:     c.BaseURL,
			Limit:       c.Limit,
			FeedBytes:   int64(c.FeedMaxBytes),
			Hubs:        c.Hubs,
			Favicon:     c.favicon,
			Icon:        c.iconPNG,
			Logo:        c.logo,
		},
		Source:      source.Source{Dir: c.Seeds, Include: c.Include, MaxSize: int64(c.MaxFileSize)},
		State:       c.State,
		Listen:      c.Listen,
		Debounce:    time.Duration(c.Debounce),
		Rescan:      time.Duration(c.RescanInterval),
		CacheMaxAge: time.Duration(c.CacheMaxAge),
		EmptyGrace:  time.Duration(c.EmptyGrace),
		Logger:      log,
		Categories:  &feed.CategorySources{Folders: c.CategoryFolders, Tags: c.CategoryTags, Places: c.CategoryPlaces},
		AccessLog:   c.AccessLog,
		Metrics:     c.Metrics,
		// Validate parsed the networks; a config it has not seen (extract's)
		// does not serve.
		MetricsAllowed: c.metricsNets,
		MetricsListen:  c.MetricsListen,
		Hub:            c.hub(),
		Encoding:       c.Encoding,
	}
}

// ByteSize is a size in bytes, written as a number or as "4MiB", "512KB".
type ByteSize int64

var sizeUnits = map[string]int64{"": 1, "b": 1, "k": 1 << 10, "kb": 1000, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1000 * 1000, "mib": 1 << 20, "g": 1 << 30, "gb": 1000 * 1000 * 1000, "gib": 1 << 30}

var sizePattern = regexp.MustCompile(`^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$`)

// UnmarshalTOML reads an integer or a string with a unit.
func (b *ByteSize) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case int64:
		*b = ByteSize(v)
		return nil
	case string:
		m := sizePattern.FindStringSubmatch(v)
		if m == nil {
			return fmt.Errorf("%q is not a size such as \"4MiB\"", v)
		}
		unit, ok := sizeUnits[strings.ToLower(m[2])]
		if !ok {
			return fmt.Errorf("%q has an unknown unit %q", v, m[2])
		}
		n, _ := strconv.ParseFloat(m[1], 64)
		*b = ByteSize(n * float64(unit))
		return nil
	}
	return fmt.Errorf("%v is not a size", v)
}

// Duration is a time span written as "100ms", "5m".
type Duration time.Duration

// UnmarshalText reads a Go duration string.
func (d *Duration) UnmarshalText(text []byte) error {
	v, err := time.ParseDuration(string(text))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as \"100ms\" or \"5m\"", text)
	}
	*d = Duration(v)
	return nil
}
