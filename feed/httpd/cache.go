package httpd

import (
	"bytes"
	"container/list"
	"encoding/binary"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"

	"github.com/seedfeed/seedfeed/feed/render"
)

// A cold page is cached in the form that readers take: they ask for
// gzip, and a page compresses about eight times (a category's Atom feed of
// 50 entries is 210 KB, 27 KB gzipped). Its plain body is kept only when
// compression does not pay; a request without gzip, or the hub, gets it
// inflated again, for a fraction of what making it costs. At 100,000
// entries, the feeds of 100 categories held 34 MiB of the cache with both
// forms, and 3 with gzip only.

// pageCache is a bounded LRU of prepared cold pages, packed.
type pageCache struct {
	mu     sync.Mutex
	byName map[string]*list.Element // of *cached
	order  *list.List               // most recently used first
	bytes  int
}

func newPageCache() *pageCache {
	return &pageCache{byName: map[string]*list.Element{}, order: list.New()}
}

type cached struct {
	name, key string
	p         *prepared
	size      int
}

// get returns the page cached under name with key, packed (see pack), or
// nil.
func (c *pageCache) get(name, key string) *prepared {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byName[name]
	if !ok || el.Value.(*cached).key != key {
		return nil
	}
	c.order.MoveToFront(el)
	return el.Value.(*cached).p
}

// put caches p, packed, under name with key, unless it is too large.
func (c *pageCache) put(name, key string, p *prepared) {
	p = p.pack()
	size := cap(p.file.Body) + cap(p.gzip)
	if size > pageCacheMax {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byName[name]; ok {
		c.bytes -= el.Value.(*cached).size
		c.order.Remove(el)
	}
	c.byName[name] = c.order.PushFront(&cached{name: name, key: key, p: p, size: size})
	c.bytes += size
	for c.bytes > pageCacheBytes {
		last := c.order.Back()
		old := last.Value.(*cached)
		c.order.Remove(last)
		delete(c.byName, old.name)
		c.bytes -= old.size
	}
}

// pack returns p as the cache keeps it: its gzip form alone, in a slice
// of its own length, when it has one; else p itself.
func (p *prepared) pack() *prepared {
	if p.gzip == nil {
		return p
	}
	f := *p.file
	f.Body = nil
	return &prepared{file: &f, gzip: bytes.Clone(p.gzip), gzipETag: p.gzipETag, headers: p.headers}
}

// packed reports whether p lacks its plain body (see pack).
func (p *prepared) packed() bool { return p.file.Body == nil && p.gzip != nil }

// unpack returns p with its plain body, inflated from its gzip form when
// p is packed.
func (p *prepared) unpack() (*prepared, error) {
	if !p.packed() {
		return p, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(p.gzip))
	if err != nil {
		return nil, err
	}
	// The last four bytes say how long the plain body is (RFC 1952, ISIZE).
	body := make([]byte, binary.LittleEndian.Uint32(p.gzip[len(p.gzip)-4:]))
	if _, err := io.ReadFull(zr, body); err != nil {
		return nil, err
	}
	f := *p.file
	f.Body = body
	return &prepared{file: &f, gzip: p.gzip, gzipETag: p.gzipETag, headers: p.headers}, nil
}

// fileOf returns p's file with its plain body.
func fileOf(p *prepared) (*render.File, error) {
	p, err := p.unpack()
	if err != nil {
		return nil, err
	}
	return p.file, nil
}
