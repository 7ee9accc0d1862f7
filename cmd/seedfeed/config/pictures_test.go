package config

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func encode(t *testing.T, jpg bool, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, w, h))
	var err error
	if jpg {
		err = jpeg.Encode(&b, img, nil)
	} else {
		err = png.Encode(&b, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// load writes config.toml with text and each of files beside it, then
// loads and checks it.
func load(t *testing.T, text string, files map[string][]byte) (Config, string, error) {
	t.Helper()
	path := writeConfig(t, text)
	for name, data := range files {
		p := filepath.Join(filepath.Dir(path), name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := Load(path, true)
	if err == nil {
		err = cfg.Validate()
	}
	return cfg, path, err
}

// TestPictures: icon and logo are files relative to the config file, read
// at start-up and handed to the feeds.
func TestPictures(t *testing.T) {
	icon, logo := encode(t, false, 32, 32), encode(t, true, 288, 144)
	cfg, path, err := load(t, "title = \"T\"\nicon = \"pics/icon.png\"\nlogo = \"logo.jpg\"\n", map[string][]byte{"pics/icon.png": icon, "logo.jpg": logo})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(filepath.Dir(path), "pics", "icon.png"); cfg.Icon != want {
		t.Errorf("icon = %q; want it relative to the config's folder, %q", cfg.Icon, want)
	}
	site := cfg.Options(nil).Site
	if !bytes.Equal(site.Icon.Body, icon) || site.Icon.Path != "icon.png" || site.Favicon.Path != "favicon.ico" || !bytes.HasSuffix(site.Favicon.Body, icon) {
		t.Errorf("site icon %s (%d bytes), favicon %s (%d bytes); want the PNG, and favicon.ico holding it", site.Icon.Path, len(site.Icon.Body), site.Favicon.Path, len(site.Favicon.Body))
	}
	if !bytes.Equal(site.Logo.Body, logo) || site.Logo.Path != "logo.jpg" || site.Logo.Type != "image/jpeg" {
		t.Errorf("site logo %s %s (%d bytes); want logo.jpg image/jpeg, the file", site.Logo.Path, site.Logo.Type, len(site.Logo.Body))
	}
	// With neither set, the site has none: render falls back to the
	// built-in icon.
	cfg, _, err = load(t, "title = \"T\"\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if site := cfg.Options(nil).Site; len(site.Images()) != 0 {
		t.Errorf("with no icon or logo set, the site has %d pictures; want none", len(site.Images()))
	}
}

// TestPictureErrors: a picture that cannot be published stops start-up
// with one line naming the file, the line, the key and the problem.
func TestPictureErrors(t *testing.T) {
	tests := []struct {
		name, text string
		files      map[string][]byte
		want       []string
	}{
		{"missing", "title = \"T\"\nicon = \"missing.png\"\n", nil, []string{":2:", `key "icon"`, "missing.png cannot be read: no such file or directory"}},
		{"under a file", "logo = \"x.png/logo.png\"\n", map[string][]byte{"x.png": {1}}, []string{":1:", `key "logo"`, "cannot be read: not a directory"}},
		{"a URL", "logo = \"https://example.org/logo.png\"\n", nil, []string{`key "logo"`, `"https://example.org/logo.png" is a URL`}},
		{"a folder", "icon = \"pics\"\n", map[string][]byte{"pics/a.png": {1}}, []string{`key "icon"`, "pics is a folder"}},
		{"not an image", "icon = \"notes.txt\"\n", map[string][]byte{"notes.txt": []byte("hello")}, []string{`key "icon"`, "notes.txt is not an image"}},
		{"too large", "logo = \"big.png\"\n", map[string][]byte{"big.png": make([]byte, 3<<20)}, []string{`key "logo"`, "big.png is 3.0 MiB, larger than the 1 MiB"}},
		{"a JPEG icon", "icon = \"i.jpg\"\n", map[string][]byte{"i.jpg": encode(t, true, 16, 16)}, []string{`key "icon"`, "i.jpg is a JPEG image: an icon must be a PNG or an ICO"}},
		{"an icon too large", "icon = \"i.png\"\n", map[string][]byte{"i.png": encode(t, false, 512, 512)}, []string{`key "icon"`, "512×512 pixels"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path, err := load(t, tt.text, tt.files)
			checkError(t, tt.text, err, append(tt.want, path))
		})
	}
}

// TestPictureNotRegular: a FIFO named as the icon is refused at once: its
// read would block start-up until something wrote to it.
func TestPictureNotRegular(t *testing.T) {
	path := writeConfig(t, "icon = \"fifo\"\n")
	if err := syscall.Mkfifo(filepath.Join(filepath.Dir(path), "fifo"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	cfg, err := Load(path, true)
	if err == nil {
		err = cfg.Validate()
	}
	if err == nil || !strings.Contains(err.Error(), "fifo is not a regular file") || !strings.Contains(err.Error(), `key "icon"`) {
		t.Errorf("error = %v; want one saying the icon is not a regular file", err)
	}
}

// TestPictureUnreadable: a file without read permission. (Run by a user
// other than root: root reads every file.)
func TestPictureUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	path := writeConfig(t, "icon = \"i.png\"\n")
	p := filepath.Join(filepath.Dir(path), "i.png")
	if err := os.WriteFile(p, encode(t, false, 16, 16), 0o000); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, true)
	if err == nil {
		err = cfg.Validate()
	}
	if err == nil || !strings.Contains(err.Error(), "i.png cannot be read: permission denied") {
		t.Errorf("error = %v; want one saying the icon cannot be read", err)
	}
}
