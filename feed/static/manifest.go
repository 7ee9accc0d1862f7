package static

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"iter"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/seedfeed/seedfeed/feed/source"
)

// table is what a Writer knows of each file it may touch: those of the
// last run's manifest and those of this run. A file is known by a 64-bit
// digest of its path, and a key by its first 64 bits, so that a million
// files cost 25 bytes each, not a map entry and a string; the paths
// themselves are read again from the manifest on disk, or from the names
// the run gave, when they are needed.
//
// Two paths with the same digest (about one chance in 10^7 in a run of a
// million files, and never the same two in the next run: the seed is
// new each time) would be taken for one. If one is new and the other the
// last run's, the manifest keeps the old path with the new one's key: the
// old page stays, the new one is left out of the manifest, and the next
// run stops at it as a file in the way until it is moved; nor is a file
// of the user's at the new path seen in the way, so that it may be
// overwritten. At those odds, that is accepted.
type table struct {
	seed  maphash.Seed
	names []uint64 // the paths' digests, sorted
	old   []uint64 // the key the last run's manifest gives each (0: none, or not trusted); nil when there was none
	now   []uint64 // the key this run wrote each with (0: none)
	flags []uint8
}

const (
	inOld   uint8 = 1 << iota // in the last run's manifest
	inNow                     // a file of this run
	there                     // in the folder as the run starts
	emitted                   // its line is written, in the manifest being written
)

func (t *table) digest(name string) uint64 { return maphash.String(t.seed, name) }

// find returns the row of name, if it has one.
func (t *table) find(name string) (int, bool) {
	return slices.BinarySearch(t.names, t.digest(name))
}

// newTable reads the manifest in dir, if there is one, and adds to what
// it lists the names of this run. It returns the folders that hold them,
// each once.
func newTable(dir string, names iter.Seq[string]) (t *table, folders map[string]bool, err error) {
	t = &table{seed: maphash.MakeSeed()}
	folders = map[string]bool{}
	if err := t.readOld(dir, folders); err != nil {
		return nil, nil, err
	}
	// The names the manifest lacks; in a first run, every one, counted
	// first so that a million of them take one array, not the garbage of
	// a growing one.
	var added []uint64
	if len(t.names) == 0 {
		n := 0
		for range names {
			n++
		}
		added = make([]uint64, 0, n)
	}
	for name := range names {
		folders[path.Dir(name)] = true
		d := t.digest(name)
		if i, ok := slices.BinarySearch(t.names, d); ok {
			t.flags[i] |= inNow
			continue
		}
		added = append(added, d)
	}
	slices.Sort(added)
	added = slices.Compact(added)
	switch {
	case len(t.names) == 0:
		t.names, t.flags = added, make([]uint8, len(added))
		for i := range t.flags {
			t.flags[i] = inNow
		}
	case len(added) > 0:
		t.merge(added)
	}
	t.now = make([]uint64, len(t.names))
	return t, folders, nil
}

// readOld reads the manifest in dir into t, if there is one: its files
// are inOld.
func (t *table) readOld(dir string, folders map[string]bool) error {
	n, err := countLines(dir)
	if err != nil || n == 0 {
		return err
	}
	type row struct{ name, key uint64 }
	rows := make([]row, 0, n)
	if err := eachLine(dir, func(name, key string) error {
		rows = append(rows, row{t.digest(name), parseKey(key)})
		folders[path.Dir(name)] = true
		return nil
	}); err != nil {
		return err
	}
	// The last line of a path counts, as it did when the manifest was a map.
	slices.SortStableFunc(rows, func(a, b row) int { return cmp.Compare(a.name, b.name) })
	uniq := rows[:0]
	for _, r := range rows {
		if len(uniq) > 0 && uniq[len(uniq)-1].name == r.name {
			uniq[len(uniq)-1] = r
			continue
		}
		uniq = append(uniq, r)
	}
	if len(uniq) == 0 {
		return nil // an empty manifest, or one of no line seedfeed reads: as none
	}
	t.names, t.old, t.flags = make([]uint64, len(uniq)), make([]uint64, len(uniq)), make([]uint8, len(uniq))
	for i, r := range uniq {
		t.names[i], t.old[i], t.flags[i] = r.name, r.key, inOld
	}
	return nil
}

// oldKey is the key the last run's manifest gives row i; 0 when there was
// no manifest, as in a first run, which holds no array of keys.
func (t *table) oldKey(i int) uint64 {
	if t.old == nil {
		return 0
	}
	return t.old[i]
}

// merge adds the digests added, sorted and none known, as files of this
// run only.
func (t *table) merge(added []uint64) {
	n := len(t.names) + len(added)
	names, old, flags := make([]uint64, 0, n), make([]uint64, 0, n), make([]uint8, 0, n)
	i := 0
	for _, d := range added {
		for ; i < len(t.names) && t.names[i] < d; i++ {
			names, old, flags = append(names, t.names[i]), append(old, t.old[i]), append(flags, t.flags[i])
		}
		names, old, flags = append(names, d), append(old, 0), append(flags, inNow)
	}
	names, old, flags = append(names, t.names[i:]...), append(old, t.old[i:]...), append(flags, t.flags[i:]...)
	t.names, t.old, t.flags = names, old, flags
}

// list notes which of the files known are in dir now, listing each of
// folders once, a little at a time: a listing per folder costs far less
// than a lookup per file, and the folder of a million entry pages is
// never held whole.
func (t *table) list(dir string, folders map[string]bool) error {
	for folder := range folders {
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(folder)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("output folder: %w", err)
		}
		for {
			list, err := f.Readdirnames(1024)
			for _, n := range list {
				if folder != "." {
					n = folder + "/" + n
				}
				if i, ok := t.find(n); ok {
					t.flags[i] |= there
				}
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				f.Close()
				return fmt.Errorf("output folder: %w", err)
			}
		}
		f.Close()
	}
	return nil
}

// changed reports whether the manifest of this run differs from the last
// run's: a file more or less, or a key.
func (t *table) changed() bool {
	for i, f := range t.flags {
		if f&(inOld|inNow) != inOld|inNow || t.oldKey(i) != t.now[i] {
			return true
		}
	}
	return false
}

// countLines returns how many lines the manifest in dir has, about: 0
// when there is none.
func countLines(dir string) (int, error) {
	f, err := os.Open(filepath.Join(dir, Manifest))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("output folder: %w", err)
	}
	defer f.Close()
	n := 0
	buf := make([]byte, 64<<10)
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err == io.EOF {
			return n + 1, nil // and a last line without its end
		}
		if err != nil {
			return 0, fmt.Errorf("output folder: %s: %w", Manifest, err)
		}
	}
}

// eachLine calls fn with the path and key of each line of the manifest in
// dir, none when there is no manifest. A line without a key (an older
// manifest, or a file being written) has the empty key, which never
// matches.
func eachLine(dir string, fn func(name, key string) error) error {
	f, err := os.Open(filepath.Join(dir, Manifest))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for {
		line, err := r.ReadString('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			line = line[:len(line)-1]
		}
		name, key, _ := strings.Cut(line, "\t")
		// Only paths that seedfeed could have written: never one that
		// leads out of the folder, whatever the file says.
		if name != "" && filepath.IsLocal(filepath.FromSlash(name)) {
			if err := fn(name, key); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("output folder: %s: %w", Manifest, err)
		}
	}
}

// manifestWriter writes a manifest, a line at a time, to a temporary file
// that commit renames into place.
type manifestWriter struct {
	f   *os.File
	b   *bufio.Writer
	buf []byte
	err error
}

func newManifestWriter(dir string) (*manifestWriter, error) {
	f, err := createTemp(filepath.Join(dir, tmpDir), filepath.Join(dir, Manifest))
	if err != nil {
		return nil, err
	}
	return &manifestWriter{f: f, b: bufio.NewWriterSize(f, 64<<10)}, nil
}

// line writes a line: the path, and the key unless it is 0.
func (m *manifestWriter) line(name string, key uint64) {
	m.buf = append(m.buf[:0], name...)
	if key != 0 {
		m.buf = append(m.buf, '\t')
		m.buf = appendKey(m.buf, key)
	}
	m.buf = append(m.buf, '\n')
	if _, err := m.b.Write(m.buf); err != nil && m.err == nil {
		m.err = err
	}
}

// commit renames the manifest into place; abort forgets it.
func (m *manifestWriter) commit(dir string) error {
	err := m.err
	if err == nil {
		err = m.b.Flush()
	}
	return commitTemp(m.f, filepath.Join(dir, Manifest), err)
}

func (m *manifestWriter) abort() {
	m.f.Close()
	os.Remove(m.f.Name())
}

// parseKey returns the first 64 bits of a key, which is hexadecimal (see
// Group.Key); 0 for none. A manifest of an older seedfeed, which wrote
// 128 bits, is read as if this one had written it.
func parseKey(s string) uint64 {
	if len(s) < 16 {
		return 0
	}
	k, err := strconv.ParseUint(s[:16], 16, 64)
	if err != nil {
		return 0
	}
	return k
}

func appendKey(b []byte, k uint64) []byte {
	const digits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, digits[k>>uint(shift)&0xf])
	}
	return b
}

// Abort ends a run cut short, after Groups has returned: it writes the
// manifest with the key of each file written so far, and the last run's
// key of each other file, which stays as it was; then it syncs. No
// temporary file is left, so the next run trusts the keys and renders
// only what this one did not write. The feeds are not written: readers
// see the last run's, whose pages are all there still.
func (w *Writer) Abort() error {
	if err := w.writeManifest(true); err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(w.dir, tmpDir)); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if err := source.SyncFS(w.dir); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	return nil
}

// writeManifest goes through the manifest in the folder, which lists
// every file of the last run and of this one, and writes the manifest of
// this run in its place. The files of the last run only are removed, or,
// when keep is set (a run cut short), kept with the keys they had.
func (w *Writer) writeManifest(keep bool) error {
	t := w.t
	m, err := newManifestWriter(w.dir)
	if err != nil {
		return err
	}
	err = eachLine(w.dir, func(name, _ string) error {
		i, ok := t.find(name)
		switch {
		case !ok || t.flags[i]&emitted != 0:
		case keep && t.now[i] == 0: // not written in this run: as it was
			t.flags[i] |= emitted
			m.line(name, t.oldKey(i))
		case t.flags[i]&inNow != 0:
			t.flags[i] |= emitted
			m.line(name, t.now[i])
		case t.flags[i]&inOld != 0:
			if err := os.Remove(filepath.Join(w.dir, filepath.FromSlash(name))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("output folder: remove stale file: %w", err)
			}
		}
		return nil
	})
	for i := range t.flags {
		t.flags[i] &^= emitted // for the next walk, if there is one
	}
	if err != nil {
		m.abort()
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(w.extra)) {
		m.line(name, w.extra[name])
	}
	return m.commit(w.dir)
}
