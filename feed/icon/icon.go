// Package icon reads the site's pictures, its icon and its logo, from the
// bytes of the files config.toml names, and holds the built-in icon that
// stands in when none is set. It does no I/O: cmd/seedfeed/config reads
// the files, this package checks them and makes the feed.Image of each
// file seedfeed publishes, and render puts those into every snapshot.
//
// The icon is an ICO or a PNG of at most 256×256 pixels. It is published
// as favicon.ico, where browsers and readers look for it; a PNG is wrapped
// into an ICO there (an ICO may hold a PNG whole), and is published as
// icon.png too, for the formats that name one image. The logo is a PNG,
// GIF or JPEG, the types RSS <image> allows.
package icon

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/seedfeed/seedfeed/feed"
)

// MaxSize is the largest file taken as an icon or a logo: every reader
// fetches it, and it is held in memory for as long as seedfeed runs.
const MaxSize = 1 << 20

// MaxIconSide is the widest and tallest icon: an ICO's directory has one
// byte for each, where 0 means 256.
const MaxIconSide = 256

// MaxLogoSide is the widest and tallest logo. Readers show a logo at a
// few hundred pixels at most (RSS at 144 wide), and checking one means
// decoding it whole, which would take memory by its pixels, not its bytes.
const MaxLogoSide = 4096

var (
	//go:embed builtin/favicon.ico
	builtinICO []byte
	//go:embed builtin/icon.png
	builtinPNG []byte
)

// Builtin returns seedfeed's own icon, as favicon.ico (16 and 32 pixels)
// and icon.png (64 pixels, the least JSON Feed asks of a favicon).
func Builtin() (favicon, icon feed.Image) {
	return feed.Image{Path: feed.FaviconPath, Type: typeICO, Body: builtinICO},
		feed.Image{Path: feed.IconPath, Type: "image/png", Width: 64, Height: 64, Body: builtinPNG}
}

// typeICO is the Content-Type of an ICO that browsers and readers expect
// (the registered image/vnd.microsoft.icon is less widely known).
const typeICO = "image/x-icon"

// Icon checks data as the site's icon and returns what is published of
// it: favicon.ico always, and icon.png when data is a PNG (zero for an
// ICO). The error says, for a person, what is wrong with it.
func Icon(data []byte) (favicon, icon feed.Image, err error) {
	if err := sized(data); err != nil {
		return favicon, icon, err
	}
	switch kind := sniff(data); kind {
	case "ICO":
		if err := checkICO(data); err != nil {
			return favicon, icon, err
		}
		return feed.Image{Path: feed.FaviconPath, Type: typeICO, Body: data}, feed.Image{}, nil
	case "PNG":
		w, h, err := decode(data, png.DecodeConfig, png.Decode, MaxIconSide)
		if err != nil {
			return favicon, icon, err
		}
		return feed.Image{Path: feed.FaviconPath, Type: typeICO, Body: wrapPNG(data, w, h)},
			feed.Image{Path: feed.IconPath, Type: "image/png", Width: w, Height: h, Body: data}, nil
	case "":
		return favicon, icon, errors.New("is not an image: an icon must be a PNG or an ICO")
	default:
		return favicon, icon, fmt.Errorf("is %s image: an icon must be a PNG or an ICO, which favicon.ico can hold", article(kind))
	}
}

// Logo checks data as the site's logo and returns it as published.
func Logo(data []byte) (feed.Image, error) {
	if err := sized(data); err != nil {
		return feed.Image{}, err
	}
	var w, h int
	var err error
	kind := sniff(data)
	switch kind {
	case "PNG":
		w, h, err = decode(data, png.DecodeConfig, png.Decode, MaxLogoSide)
	case "GIF":
		w, h, err = decode(data, gif.DecodeConfig, gif.Decode, MaxLogoSide) // the first frame: a GIF of many could hold a great many pixels
	case "JPEG":
		w, h, err = decode(data, jpeg.DecodeConfig, jpeg.Decode, MaxLogoSide)
	case "":
		return feed.Image{}, errors.New("is not an image: a logo must be a PNG, GIF or JPEG, as RSS requires")
	default:
		return feed.Image{}, fmt.Errorf("is %s image: a logo must be a PNG, GIF or JPEG, as RSS requires", article(kind))
	}
	if err != nil {
		return feed.Image{}, err
	}
	typ := "image/" + map[string]string{"PNG": "png", "GIF": "gif", "JPEG": "jpeg"}[kind]
	return feed.Image{Path: feed.LogoPaths[typ], Type: typ, Width: w, Height: h, Body: data}, nil
}

// sized checks the size of a picture's file.
func sized(data []byte) error {
	switch {
	case len(data) == 0:
		return errors.New("is empty")
	case len(data) > MaxSize:
		return fmt.Errorf("is %.1f MiB, larger than the %d MiB a picture may be", float64(len(data))/(1<<20), MaxSize>>20)
	}
	return nil
}

// sniff names the format of a picture by its first bytes, or "".
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG"
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return "GIF"
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "JPEG"
	case bytes.HasPrefix(data, []byte("\x00\x00\x01\x00")):
		return "ICO"
	case bytes.HasPrefix(data, []byte("RIFF")) && len(data) >= 12 && string(data[8:12]) == "WEBP":
		return "WebP"
	case bytes.HasPrefix(data, []byte("BM")):
		return "BMP"
	}
	return ""
}

// article returns the name of a format with its indefinite article.
func article(kind string) string {
	if kind == "ICO" {
		return "an " + kind
	}
	return "a " + kind
}

// decode checks that data is a whole picture no larger than side pixels
// each way, and returns its size. Its header is read first, so that a
// small file claiming a huge picture is refused before it is decoded.
func decode(data []byte, config func(io.Reader) (image.Config, error), whole func(io.Reader) (image.Image, error), side int) (w, h int, err error) {
	c, err := config(bytes.NewReader(data))
	if err != nil {
		return 0, 0, fmt.Errorf("is not a readable image: %w", err)
	}
	if c.Width < 1 || c.Height < 1 || c.Width > side || c.Height > side {
		return 0, 0, fmt.Errorf("is %d×%d pixels; it may be at most %d×%d", c.Width, c.Height, side, side)
	}
	if _, err := whole(bytes.NewReader(data)); err != nil {
		return 0, 0, fmt.Errorf("is not a readable image: %w", err)
	}
	return c.Width, c.Height, nil
}

// checkICO checks an ICO's directory: every image it lists lies inside
// the file, and each is a PNG or a bitmap.
func checkICO(data []byte) error {
	le := binary.LittleEndian
	if len(data) < 6 {
		return errors.New("is not a readable ICO: it is cut short")
	}
	n := int(le.Uint16(data[4:]))
	if n == 0 || len(data) < 6+16*n {
		return errors.New("is not a readable ICO: its directory lists no image, or is cut short")
	}
	for i := range n {
		e := data[6+16*i:]
		size, off := int64(le.Uint32(e[8:])), int64(le.Uint32(e[12:]))
		if size < 8 || off < int64(6+16*n) || off+size > int64(len(data)) {
			return fmt.Errorf("is not a readable ICO: image %d of %d lies outside the file", i+1, n)
		}
		img := data[off : off+size]
		if !bytes.HasPrefix(img, []byte("\x89PNG\r\n\x1a\n")) && le.Uint32(img) != 40 {
			return fmt.Errorf("is not a readable ICO: image %d of %d is neither a PNG nor a bitmap", i+1, n)
		}
	}
	return nil
}

// wrapPNG returns an ICO that holds the PNG png of w×h pixels, whole: a
// directory of one entry, then the PNG (which every browser of the last
// decade reads from an ICO).
func wrapPNG(png []byte, w, h int) []byte {
	side := func(n int) byte { return byte(n % 256) } // 256 is written 0
	b := make([]byte, 0, 22+len(png))
	b = binary.LittleEndian.AppendUint16(b, 0) // reserved
	b = binary.LittleEndian.AppendUint16(b, 1) // an icon
	b = binary.LittleEndian.AppendUint16(b, 1) // one image
	b = append(b, side(w), side(h), 0, 0)      // no palette
	b = binary.LittleEndian.AppendUint16(b, 1) // colour planes
	b = binary.LittleEndian.AppendUint16(b, 32)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(png)))
	b = binary.LittleEndian.AppendUint32(b, 22)
	return append(b, png...)
}
