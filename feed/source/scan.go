package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Found is a seed found by Scan. A scan of a large folder holds one for
// each of its files at once, so it takes 32 bytes (and its path): with a
// Stamp and a flag it took 56.
type Found struct {
	Path    string // slash-separated, inside the folder
	Size    int64  // of a symlink's target; -1 when Scan took no stamp: not asked to, or the stat failed (reading the file will say why)
	ModTime int64  // Unix nanoseconds, of a symlink's target
}

// noStamp is the Size of a Found without a stamp.
const noStamp = -1

// Stamp returns the size and modification time Scan found the file with,
// and false when it took none.
func (f Found) Stamp() (Stamp, bool) {
	if f.Size == noStamp {
		return Stamp{}, false
	}
	return Stamp{Size: f.Size, ModTime: time.Unix(0, f.ModTime).UTC()}, true
}

// Scan returns every seed below the folder in lexical order, with its size
// and modification time when withStamps is set. Folders are read in
// parallel, and so are the stats of a large folder's files, each relative to
// its open folder, which spares the kernel resolving each full path. Hidden
// folders are not entered, and symlinks to folders are not followed, so a
// link loop cannot trap the walk.
//
// A folder that cannot be listed (no permission, an I/O error, no file
// descriptor left) is no evidence that its files are gone: it is returned
// in unlisted, and the caller keeps what it knew of it. A folder that
// vanished during the scan is simply empty.
func (s Source) Scan(withStamps bool) (found Files, unlisted []Unlisted, err error) {
	if _, err := os.Stat(s.Dir); err != nil {
		return Files{}, nil, fmt.Errorf("source: list %s: %w", s.Dir, err)
	}
	sc := scanner{src: s, withStamps: withStamps}
	sc.ready = sync.NewCond(&sc.mu)
	sc.push(scanTask{rel: ""})
	var wg sync.WaitGroup
	for range parallelIO {
		wg.Add(1)
		go func() { // exits when no task is left
			defer wg.Done()
			for t, ok := sc.pop(); ok; t, ok = sc.pop() {
				sc.do(t)
			}
		}()
	}
	wg.Wait()
	slices.SortFunc(sc.unlisted, func(a, b Unlisted) int { return strings.Compare(a.Path, b.Path) })
	return files(sc.parts), sc.unlisted, nil
}

// Unlisted is a folder that Scan could not list.
type Unlisted struct {
	Path string // slash-separated, inside the seeds folder; "" is the folder itself
	Err  error
}

// Holds reports whether the file at rel lies in the folder u, at any depth.
func (u Unlisted) Holds(rel string) bool {
	return u.Path == "" || len(rel) > len(u.Path) && rel[len(u.Path)] == '/' && rel[:len(u.Path)] == u.Path
}

// scanner is one Scan at work: parallelIO workers share a queue of tasks,
// each the reading of one folder or the stats of a batch of its files.
type scanner struct {
	src        Source
	withStamps bool

	mu       sync.Mutex
	ready    *sync.Cond // signalled when a task is queued or the last one is done
	tasks    []scanTask
	pending  int       // tasks queued or at work
	parts    [][]Found // each in lexical order
	unlisted []Unlisted
}

type scanTask struct {
	rel string // the folder to read; or, for a batch to stat:

	dir   *os.File      // its folder, open
	batch []Found       // part of all
	all   []Found       // the folder's seeds
	left  *atomic.Int32 // batches of the folder not yet stat-ed
}

func (sc *scanner) push(t scanTask) {
	sc.mu.Lock()
	sc.tasks = append(sc.tasks, t)
	sc.pending++
	sc.mu.Unlock()
	sc.ready.Signal()
}

// pop waits for a task; it reports false once every task is done.
func (sc *scanner) pop() (scanTask, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for len(sc.tasks) == 0 {
		if sc.pending == 0 {
			return scanTask{}, false
		}
		sc.ready.Wait()
	}
	t := sc.tasks[len(sc.tasks)-1]
	sc.tasks = sc.tasks[:len(sc.tasks)-1]
	return t, true
}

func (sc *scanner) do(t scanTask) {
	if t.dir != nil {
		sc.stat(t)
	} else {
		sc.read(t.rel)
	}
	sc.mu.Lock()
	sc.pending--
	last := sc.pending == 0
	sc.mu.Unlock()
	if last {
		sc.ready.Broadcast()
	}
}

// statBatch is how many files of a folder one task stats.
const statBatch = 512

// read lists the folder rel, and queues a read of each subfolder and the
// stats of its seeds in batches. A folder that vanished is skipped; one
// that cannot be read, or fails midway, is noted as unlisted, with what it
// gave.
func (sc *scanner) read(rel string) {
	dir, err := os.Open(sc.src.path(rel))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			sc.fail(rel, err)
		}
		return
	}
	var found []Found
	var buf []byte
	err = eachEntry(dir, func(name []byte, isDir bool) {
		buf = buf[:0]
		if rel != "" {
			buf = append(append(buf, rel...), '/')
		}
		buf = append(buf, name...)
		switch {
		case isDir:
			if name[0] != '.' {
				sc.push(scanTask{rel: string(buf)})
			}
		case sc.src.wantsName(string(name)):
			found = append(found, Found{Path: string(buf), Size: noStamp})
		}
	})
	if err != nil {
		sc.fail(rel, err)
	}
	slices.SortFunc(found, byPath)
	if !sc.withStamps || len(found) == 0 {
		dir.Close()
		sc.add(found)
		return
	}
	// The folder stays open until its last batch is stat-ed.
	left := new(atomic.Int32)
	left.Store(int32((len(found) + statBatch - 1) / statBatch))
	for start := 0; start < len(found); start += statBatch {
		sc.push(scanTask{dir: dir, batch: found[start:min(start+statBatch, len(found))], all: found, left: left})
	}
}

func (sc *scanner) stat(t scanTask) {
	for i := range t.batch {
		if st, err := statAt(t.dir, path.Base(t.batch[i].Path)); err == nil {
			t.batch[i].Size, t.batch[i].ModTime = st.Size, st.ModTime.UnixNano()
		}
	}
	if t.left.Add(-1) == 0 {
		t.dir.Close()
		sc.add(t.all)
	}
}

func (sc *scanner) fail(rel string, err error) {
	sc.mu.Lock()
	sc.unlisted = append(sc.unlisted, Unlisted{Path: rel, Err: err})
	sc.mu.Unlock()
}

func (sc *scanner) add(found []Found) {
	if len(found) == 0 {
		return
	}
	sc.mu.Lock()
	sc.parts = append(sc.parts, found)
	sc.mu.Unlock()
}

func byPath(a, b Found) int { return strings.Compare(a.Path, b.Path) }

// parallelIO is how many workers Scan runs: they wait on the kernel more
// than on the CPU.
const parallelIO = 4
