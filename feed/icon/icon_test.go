package icon

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/seedfeed/seedfeed/feed"
)

// picture encodes a w×h picture with enc.
func picture(t *testing.T, w, h int, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black})
	img.SetColorIndex(0, 0, 1)
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(b *bytes.Buffer, img image.Image) error  { return png.Encode(b, img) }
func encGIF(b *bytes.Buffer, img image.Image) error  { return gif.Encode(b, img, nil) }
func encJPEG(b *bytes.Buffer, img image.Image) error { return jpeg.Encode(b, img, nil) }

// icoEntries reads an ICO's directory: each image's width byte and bytes.
func icoEntries(t *testing.T, ico []byte) (widths []int, images [][]byte) {
	t.Helper()
	le := binary.LittleEndian
	if len(ico) < 6 || le.Uint16(ico) != 0 || le.Uint16(ico[2:]) != 1 {
		t.Fatalf("not an ICO header: % x", ico[:min(6, len(ico))])
	}
	for i := range int(le.Uint16(ico[4:])) {
		e := ico[6+16*i:]
		size, off := le.Uint32(e[8:]), le.Uint32(e[12:])
		if int(off+size) > len(ico) {
			t.Fatalf("image %d lies outside the ICO", i)
		}
		widths = append(widths, int(e[0]))
		images = append(images, ico[off:off+size])
	}
	return widths, images
}

func TestBuiltin(t *testing.T) {
	favicon, icon := Builtin()
	if favicon.Path != "favicon.ico" || favicon.Type != "image/x-icon" || icon.Path != "icon.png" || icon.Type != "image/png" {
		t.Errorf("Builtin() = %s %s, %s %s; want favicon.ico image/x-icon, icon.png image/png", favicon.Path, favicon.Type, icon.Path, icon.Type)
	}
	if widths, _ := icoEntries(t, favicon.Body); len(widths) != 2 || widths[0] != 16 || widths[1] != 32 {
		t.Errorf("built-in favicon.ico holds sizes %v; want [16 32]", widths)
	}
	img, err := png.Decode(bytes.NewReader(icon.Body))
	if err != nil || img.Bounds().Dx() != 64 || img.Bounds().Dy() != 64 || icon.Width != 64 || icon.Height != 64 {
		t.Errorf("built-in icon.png: %v, %v, %d×%d; want a 64×64 PNG", err, img.Bounds(), icon.Width, icon.Height)
	}
	// The built-in files pass the checks a configured icon must pass.
	if _, _, err := Icon(favicon.Body); err != nil {
		t.Errorf("Icon(built-in favicon.ico): %v", err)
	}
	if _, _, err := Icon(icon.Body); err != nil {
		t.Errorf("Icon(built-in icon.png): %v", err)
	}
}

// TestIconPNG: a PNG icon is icon.png as it is, and favicon.ico holds it
// whole, with its size in the directory (256 written as 0).
func TestIconPNG(t *testing.T) {
	for _, side := range []int{48, 256} {
		data := picture(t, side, side, encPNG)
		favicon, icon, err := Icon(data)
		if err != nil {
			t.Fatalf("Icon(%d×%d PNG): %v", side, side, err)
		}
		if !bytes.Equal(icon.Body, data) || icon.Path != feed.IconPath || icon.Width != side || icon.Height != side {
			t.Errorf("icon = %s %d×%d; want the PNG itself at icon.png, %d×%d", icon.Path, icon.Width, icon.Height, side, side)
		}
		widths, images := icoEntries(t, favicon.Body)
		if len(images) != 1 || !bytes.Equal(images[0], data) || widths[0] != side%256 || favicon.Path != feed.FaviconPath || favicon.Type != "image/x-icon" {
			t.Errorf("favicon.ico of a %d px PNG holds widths %v; want the PNG whole, width byte %d", side, widths, side%256)
		}
	}
	// An ICO is favicon.ico as it is, with no icon.png.
	ico, _ := Builtin()
	favicon, icon, err := Icon(ico.Body)
	if err != nil || !bytes.Equal(favicon.Body, ico.Body) || !icon.IsZero() {
		t.Errorf("Icon(an ICO) = %d bytes, icon.png %d bytes, %v; want the ICO itself and no icon.png", len(favicon.Body), len(icon.Body), err)
	}
}

func TestLogo(t *testing.T) {
	for _, tt := range []struct {
		enc        func(*bytes.Buffer, image.Image) error
		path, typ  string
		wide, tall int
	}{
		{encPNG, "logo.png", "image/png", 288, 144},
		{encGIF, "logo.gif", "image/gif", 144, 72},
		{encJPEG, "logo.jpg", "image/jpeg", 600, 300},
	} {
		data := picture(t, tt.wide, tt.tall, tt.enc)
		logo, err := Logo(data)
		if err != nil {
			t.Errorf("Logo(%s): %v", tt.typ, err)
			continue
		}
		if logo.Path != tt.path || logo.Type != tt.typ || logo.Width != tt.wide || logo.Height != tt.tall || !bytes.Equal(logo.Body, data) {
			t.Errorf("Logo(%s) = %s %s %d×%d; want %s %s %d×%d", tt.typ, logo.Path, logo.Type, logo.Width, logo.Height, tt.path, tt.typ, tt.wide, tt.tall)
		}
	}
}

// TestRefused: what is not a usable picture is refused, with a reason.
func TestRefused(t *testing.T) {
	png16 := picture(t, 16, 16, encPNG)
	ico, _ := Builtin()
	// A PNG whose header claims 100,000×100,000 pixels: refused before
	// decoding, which would take 40 GB.
	huge := bytes.Clone(png16)
	binary.BigEndian.PutUint32(huge[16:], 100_000)
	binary.BigEndian.PutUint32(huge[20:], 100_000)
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29])) // IHDR's checksum
	// An ICO whose only image lies past its end.
	outside := bytes.Clone(ico.Body)
	binary.LittleEndian.PutUint32(outside[6+12:], uint32(len(outside)))
	for _, tt := range []struct {
		name string
		data []byte
		logo bool
		want string
	}{
		{"empty", nil, false, "is empty"},
		{"over a megabyte", append(bytes.Clone(png16), make([]byte, MaxSize)...), false, "larger than the 1 MiB"},
		{"text", []byte("not a picture at all"), false, "is not an image"},
		{"text as a logo", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), true, "is not an image"},
		{"JPEG icon", picture(t, 16, 16, encJPEG), false, "is a JPEG image: an icon must be a PNG or an ICO"},
		{"ICO logo", ico.Body, true, "is an ICO image: a logo must be a PNG, GIF or JPEG"},
		{"WebP logo", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), true, "is a WebP image"},
		{"icon over 256 pixels", picture(t, 257, 16, encPNG), false, "257×16 pixels; it may be at most 256×256"},
		{"logo claiming a huge size", huge, true, "100000×100000 pixels"},
		{"PNG cut short", png16[:len(png16)-20], false, "is not a readable image"},
		{"JPEG logo cut short", picture(t, 64, 64, encJPEG)[:200], true, "is not a readable image"},
		{"ICO with its image outside", outside, false, "image 1 of 2 lies outside the file"},
		{"ICO with no image", []byte("\x00\x00\x01\x00\x00\x00"), false, "lists no image"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.logo {
				_, err = Logo(tt.data)
			} else {
				_, _, err = Icon(tt.data)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v; want one saying %q", err, tt.want)
			}
		})
	}
}
