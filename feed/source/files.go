package source

import (
	"iter"
	"slices"
	"strings"
)

// Files is what Scan found: every seed, in lexical order of its path. It
// holds the folders' lists as Scan made them, one after the other, and
// does not join them into one: at 1,000,000 files the joined list and the
// lists it was made of took 32 MB each, at once, at the peak of a restart.
type Files struct {
	parts [][]Found // none empty; every path of one before every path of the next
	n     int
}

// FilesOf returns Files of the list found, which it puts in order.
func FilesOf(found []Found) Files {
	if len(found) == 0 {
		return Files{}
	}
	slices.SortFunc(found, byPath)
	return Files{parts: [][]Found{found}, n: len(found)}
}

// Len returns the number of files.
func (fs Files) Len() int { return fs.n }

// At returns the file at place i, in 0 <= i < Len.
func (fs Files) At(i int) Found {
	for _, p := range fs.parts {
		if i < len(p) {
			return p[i]
		}
		i -= len(p)
	}
	panic("source: Files.At out of range")
}

// Slice returns the files at places i to j, as a slice expression would.
// They share their Founds with fs.
func (fs Files) Slice(i, j int) Files {
	if i < 0 || j < i || j > fs.n {
		panic("source: Files.Slice out of range")
	}
	out := Files{n: j - i}
	for _, p := range fs.parts {
		if j <= 0 {
			break
		}
		if from, to := max(i, 0), min(j, len(p)); from < to {
			out.parts = append(out.parts, p[from:to])
		}
		i, j = i-len(p), j-len(p)
	}
	return out
}

// Find returns the file at path, if fs holds it.
func (fs Files) Find(path string) (Found, bool) {
	k, _ := slices.BinarySearchFunc(fs.parts, path, func(p []Found, path string) int { return strings.Compare(p[len(p)-1].Path, path) })
	if k == len(fs.parts) {
		return Found{}, false
	}
	p := fs.parts[k]
	if i, ok := slices.BinarySearchFunc(p, path, func(f Found, path string) int { return strings.Compare(f.Path, path) }); ok {
		return p[i], true
	}
	return Found{}, false
}

// All yields the files in order.
func (fs Files) All() iter.Seq[Found] {
	return func(yield func(Found) bool) {
		for _, p := range fs.parts {
			for _, f := range p {
				if !yield(f) {
					return
				}
			}
		}
	}
}

// Cursor returns a cursor at the first file.
func (fs Files) Cursor() Cursor { return Cursor{rest: fs.parts} }

// Cursor goes through Files in order, for a caller that walks them beside
// another list in the same order.
type Cursor struct {
	part []Found   // the current list, from the cursor on
	rest [][]Found // the lists after it
}

// Peek returns the file at the cursor, or false past the last.
func (c *Cursor) Peek() (Found, bool) {
	for len(c.part) == 0 {
		if len(c.rest) == 0 {
			return Found{}, false
		}
		c.part, c.rest = c.rest[0], c.rest[1:]
	}
	return c.part[0], true
}

// Skip moves the cursor to the next file; Peek must have returned one.
func (c *Cursor) Skip() { c.part = c.part[1:] }

// files makes Files of the lists of the folders, each in order, in any
// order. Lists that interleave, as those of the folders "a" and "a/b" do
// when "a" holds "a/a.txt" and "a/c.txt", are joined into one and put in
// order; others are kept as they are.
func files(lists [][]Found) Files {
	slices.SortFunc(lists, func(a, b []Found) int { return strings.Compare(a[0].Path, b[0].Path) })
	var fs Files
	for i := 0; i < len(lists); {
		j, last := i+1, lists[i][len(lists[i])-1].Path
		for ; j < len(lists) && lists[j][0].Path < last; j++ {
			last = max(last, lists[j][len(lists[j])-1].Path)
		}
		part := lists[i]
		if j > i+1 {
			part = slices.Concat(lists[i:j]...)
			slices.SortFunc(part, byPath)
		}
		fs.parts = append(fs.parts, part)
		fs.n += len(part)
		i = j
	}
	return fs
}
