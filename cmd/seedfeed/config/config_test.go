package config

import (
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/seedfeed/seedfeed/feed/feedtest"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // each must appear in the one-line error
	}{
		{"unknown key", "title = \"x\"\nlimt = 5\n", []string{":2:", `"limt"`, "unknown key"}},
		{"unknown table", "title = \"x\"\n[server]\nport = 1\n", []string{":2:", `"server"`, "unknown table [server]"}},
		{"key set twice", "title = \"x\"\ntitle = \"y\"\n", []string{":2:", `"title"`, "is set twice"}},
		{"wrong type", "title = \"x\"\nlimit = \"fifty\"\n", []string{":2:", "limit must be a number, got a string"}},
		{"wrong type, list", "hubs = \"https://hub.example/\"\n", []string{":1:", "hubs must be a list, got a string"}},
		{"wrong type, bool", "category_tags = 1\n", []string{":1:", "category_tags must be true or false, got a number"}},
		{"syntax error", "title = \n", []string{":1:"}},
		{"limit too small", "limit = 0\n", []string{":1:", `"limit"`, "at least 1"}},
		{"bad base URL", "\n\nbase_url = \"example.org/feed\"\n", []string{":3:", `"base_url"`, "absolute"}},
		{"bad language", "language = \"english!\"\n", []string{`"language"`, "language tag"}},
		{"bad size", "max_file_size = \"lots\"\n", []string{"max_file_size", "size"}},
		{"bad include pattern", "include = [\"[\"]\n", []string{`"include"`, "pattern"}},
		{"bad duration", "debounce = \"soon\"\n", []string{"debounce", "duration"}},
		{"bad listen", "listen = \"8080\"\n", []string{`"listen"`, "host:port"}},
		{"empty title", "title = \"\"\n", []string{`"title"`, "empty"}},
		{"bad metrics network", "metrics = true\nmetrics_allowed_networks = [\"10.0.0.0/33\"]\n", []string{":2:", `"metrics_allowed_networks"`, "10.0.0.0/33"}},
		{"metrics_listen without metrics", "metrics_listen = \"127.0.0.1:9100\"\n", []string{":1:", `"metrics_listen"`, "metrics = true"}},
		{"metrics_listen with networks", "metrics = true\nmetrics_listen = \"127.0.0.1:9100\"\nmetrics_allowed_networks = [\"10.0.0.0/8\"]\n", []string{":3:", `"metrics_allowed_networks"`, "metrics_listen"}},
		{"metrics_listen on listen", "metrics = true\nlisten = \"127.0.0.1:8080\"\nmetrics_listen = \"127.0.0.1:8080\"\n", []string{":3:", `"metrics_listen"`, "differ"}},
		{"unknown encoding", "title = \"x\"\nencoding = \"klingon\"\n", []string{":2:", `"encoding"`, `"klingon" is not an encoding`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.text)
			cfg, err := Load(path, true)
			if err == nil {
				err = cfg.Validate()
			}
			checkError(t, tt.text, err, append(tt.want, path))
		})
	}
}

func TestConfigDefaultsAndPaths(t *testing.T) {
	path := writeConfig(t, "title = \"News\"\nmax_file_size = \"1MiB\"\nseeds = \"in\"\nbase_url = \"https://example.org/news\"\n")
	cfg, err := Load(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	if cfg.Title != "News" || cfg.Limit != 50 || cfg.MaxFileSize != 1<<20 || time.Duration(cfg.Debounce) != 100*time.Millisecond {
		t.Errorf("cfg = %+v; want the file's title and size over the defaults", cfg)
	}
	if cfg.Seeds != filepath.Join(dir, "in") || cfg.State != filepath.Join(dir, ".seedfeed.db") {
		t.Errorf("seeds, state = %q, %q; want them relative to the config's folder", cfg.Seeds, cfg.State)
	}
	if cfg.BaseURL != "https://example.org/news/" {
		t.Errorf("base_url = %q; want a trailing slash added", cfg.BaseURL)
	}
	if _, err := Load(filepath.Join(dir, "missing.toml"), true); err == nil {
		t.Error("a named config file that is missing was accepted")
	}
	if _, err := Load(filepath.Join(dir, "missing.toml"), false); err != nil {
		t.Errorf("the default config file may be missing; got %v", err)
	}
}

// TestShippedConfig keeps config.toml honest: it must load, and every value
// in it must be the default.
func TestShippedConfig(t *testing.T) {
	cfg, err := Load(filepath.Join("..", "..", "..", "config.toml"), true)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	def := Default()
	if filepath.Base(cfg.Seeds) != "seeds" || filepath.Base(cfg.State) != ".seedfeed.db" {
		t.Errorf("seeds, state = %q, %q; want the defaults", cfg.Seeds, cfg.State)
	}
	// Every other field must be the default, as the file says.
	cfg.raw, cfg.file = nil, ""
	def.Seeds, def.State = cfg.Seeds, cfg.State // made absolute by the loader
	if len(cfg.Hubs) == 0 && len(def.Hubs) == 0 {
		cfg.Hubs, def.Hubs = nil, nil // hubs = [] is no hub
	}
	if !reflect.DeepEqual(cfg, def) {
		t.Errorf("config.toml = %+v\nwant the defaults %+v", cfg, def)
	}
}

// TestMetricsConfig: the metrics settings reach the daemon's options, a
// bare address as a network of one.
func TestMetricsConfig(t *testing.T) {
	cfg, err := Load(writeConfig(t, "metrics = true\naccess_log = true\nmetrics_allowed_networks = [\"10.1.0.0/16\", \"192.0.2.9\"]\n"), true)
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		t.Fatal(err)
	}
	o := cfg.Options(nil)
	want := []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("192.0.2.9/32")}
	if !o.Metrics || !o.AccessLog || !reflect.DeepEqual(o.MetricsAllowed, want) || o.MetricsListen != "" {
		t.Errorf("options: metrics %v, access log %v, allowed %v, listen %q; want true, true, %v, \"\"", o.Metrics, o.AccessLog, o.MetricsAllowed, o.MetricsListen, want)
	}
}

// TestREADMEKeys: README's Configuration table lists every key of
// config.toml, and only those.
func TestREADMEKeys(t *testing.T) {
	section := []byte(feedtest.READMESection(t, "## Configuration"))
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|").FindAllSubmatch(section, -1) {
		documented[string(m[1])] = true
	}
	keys := map[string]bool{}
	ct := reflect.TypeOf(Config{})
	for i := range ct.NumField() {
		if key := ct.Field(i).Tag.Get("toml"); key != "" {
			keys[key] = true
			if !documented[key] {
				t.Errorf("README's Configuration table lacks %s", key)
			}
		}
	}
	for key := range documented {
		if !keys[key] {
			t.Errorf("README's Configuration table lists %s, which config.toml does not take", key)
		}
	}
}

// checkError fails unless the config text was refused with a one-line
// error that holds each of want.
func checkError(t *testing.T, text string, err error, want []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("config %q was accepted", text)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("error spans lines: %q", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q lacks %q", msg, w)
		}
	}
}
