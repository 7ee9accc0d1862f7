package extract

import (
	"regexp"
	"strings"
)

// Hugo's figure, youtube and vimeo shortcodes show something of their
// own, not text: untemplate makes them Markdown that goldmark renders
// safely (an image, a link), between two figMarks, and figures finishes
// the rendered HTML, making an image and its caption a <figure>. Between
// the marks is no prose: plainText leaves it out, so no caption and no
// video is a summary.
const figMark = "\uFFFE" // a noncharacter, which Clean keeps out of every seed

// figure reads the source and the text of Hugo's figure shortcode, and
// video its youtube and vimeo ones.
var (
	figure     = regexp.MustCompile(`^\{\{[<%]\s*figure\b`)
	figureAttr = regexp.MustCompile(`\b(src|alt|caption|title|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))`)
	video      = regexp.MustCompile(`^\{\{[<%]\s*(youtube|vimeo)\s+(?:"([\w-]{1,64})"|([\w-]{1,64}))?`)
)

// attrsOf returns the named attributes of a shortcode.
func attrsOf(tag string) map[string]string {
	attrs := map[string]string{}
	for _, m := range figureAttr.FindAllStringSubmatch(tag, -1) {
		attrs[m[1]] = first(m[2], m[3], m[4])
	}
	return attrs
}

// linkText makes s fit between a Markdown link's or image's brackets, on
// one line.
var linkText = strings.NewReplacer("[", "", "]", "", "\n", " ", "\r", " ", figMark, "")

// figureImage makes Hugo's {{< figure src="x.png" alt="A" caption="C" >}}
// a Markdown image and its caption between figMarks, so that the picture
// is shown, and given to the entry (see references).
func figureImage(tag string) string {
	attrs := attrsOf(tag)
	src := attrs["src"]
	if src == "" || strings.ContainsAny(src, " <>()\n") {
		return ""
	}
	alt := linkText.Replace(first(attrs["alt"], attrs["caption"], attrs["title"]))
	caption := linkText.Replace(first(attrs["caption"], attrs["title"]))
	return "![" + alt + "](" + src + ")" + figMark + caption + figMark
}

// videoLink makes Hugo's {{< youtube ID >}} and {{< vimeo ID >}} (or
// id="ID") a link to the video, between figMarks.
func videoLink(tag string) string {
	m := video.FindStringSubmatch(tag)
	attrs := attrsOf(tag)
	id := attrs["id"]
	if id == "" && !strings.HasPrefix(tag[len(m[0]):], "=") {
		id = first(m[2], m[3]) // {{< youtube ID >}}
	}
	if id == "" || strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
		return ""
	}
	url := "https://www.youtube.com/watch?v=" + id
	if m[1] == "vimeo" {
		url = "https://vimeo.com/" + id
	}
	return figMark + "[" + first(linkText.Replace(attrs["title"]), url) + "](" + url + ")" + figMark
}

// renderedFigure is an image and its caption between figMarks, alone in
// a paragraph.
var renderedFigure = regexp.MustCompile(`<p>(<img [^>]*>)` + figMark + `(.*?)` + figMark + `</p>`)

// figures finishes the HTML of a post that has figures or videos: an
// image with its caption alone in a paragraph is a figure, and the marks
// go.
func figures(html string) string {
	if !strings.Contains(html, figMark) {
		return html
	}
	html = renderedFigure.ReplaceAllStringFunc(html, func(p string) string {
		m := renderedFigure.FindStringSubmatch(p)
		if m[2] == "" {
			return "<figure>" + m[1] + "</figure>"
		}
		return "<figure>" + m[1] + "<figcaption>" + m[2] + "</figcaption></figure>"
	})
	return strings.ReplaceAll(html, figMark, "")
}

// withoutFigures returns plain text less what lies between figMarks.
func withoutFigures(s string) string {
	for {
		i := strings.Index(s, figMark)
		if i < 0 {
			return s
		}
		j := strings.Index(s[i+len(figMark):], figMark)
		if j < 0 {
			return s[:i] + s[i+len(figMark):]
		}
		s = s[:i] + " " + s[i+len(figMark)+j+len(figMark):]
	}
}
