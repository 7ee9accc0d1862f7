package watch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

const settle = 100 * time.Millisecond

// txtOnly is a Keep that, like the daemon's (source.Source.Wants), keeps
// text files and not the backups and temporary files editors leave.
func txtOnly(rel string) bool { return strings.HasSuffix(rel, ".txt") }

// start watches dir and returns the batches it hands on.
func start(t *testing.T, dir string, opts Options) (*Watcher, <-chan Batch) {
	t.Helper()
	return startWith(t, dir, opts, nil)
}

// startWith is start with look, when not nil, called on each batch by the
// watcher's handler before the batch is passed on: what look reads of a
// file is the file as it was when it was handed on.
func startWith(t *testing.T, dir string, opts Options, look func(Batch)) (*Watcher, <-chan Batch) {
	t.Helper()
	if opts.Debounce == 0 {
		opts.Debounce = settle
	}
	w, err := New(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan Batch, 1000)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- w.Run(ctx, func(b Batch) {
			if look != nil {
				look(b)
			}
			ch <- b
		})
	}()
	t.Cleanup(func() {
		cancel()
		w.Close()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := w.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
	return w, ch
}

// waitFor gathers batches until every wanted path has been handed on, and
// returns the batches.
func waitFor(t *testing.T, ch <-chan Batch, want ...string) []Batch {
	t.Helper()
	missing := map[string]bool{}
	for _, p := range want {
		missing[p] = true
	}
	var got []Batch
	deadline := time.After(10 * time.Second)
	for len(missing) > 0 {
		select {
		case b := <-ch:
			got = append(got, b)
			for _, p := range b.Paths {
				delete(missing, p)
			}
		case <-deadline:
			t.Fatalf("still waiting for %v after batches %+v", keys(missing), got)
		}
	}
	return got
}

// next returns the next batch, failing the test if none comes in time.
func next(t *testing.T, ch <-chan Batch) Batch {
	t.Helper()
	select {
	case b := <-ch:
		return b
	case <-time.After(10 * time.Second):
		t.Fatal("no batch after 10s")
		return Batch{}
	}
}

// quiet checks that nothing more is handed on for a while, and returns what
// was.
func quiet(ch <-chan Batch, d time.Duration) []Batch {
	var got []Batch
	timeout := time.After(d)
	for {
		select {
		case b := <-ch:
			got = append(got, b)
		case <-timeout:
			return got
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func paths(batches []Batch) []string {
	seen := map[string]bool{}
	for _, b := range batches {
		for _, p := range b.Paths {
			seen[p] = true
		}
	}
	return keys(seen)
}

// readAtHandOver returns a look for startWith that sends the text of the
// file at rel, as it is when a batch holding rel arrives.
func readAtHandOver(t *testing.T, dir, rel string) (func(Batch), <-chan string) {
	texts := make(chan string, 100)
	return func(b Batch) {
		if slices.Contains(b.Paths, rel) {
			text, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
			if err != nil {
				t.Errorf("%s handed on: %v", rel, err)
			}
			texts <- string(text)
		}
	}, texts
}

// handedOn returns what readAtHandOver's look has sent so far.
func handedOn(texts <-chan string) []string {
	var out []string
	for {
		select {
		case text := <-texts:
			out = append(out, text)
		default:
			return out
		}
	}
}

func lengths(texts []string) []int {
	var out []int
	for _, text := range texts {
		out = append(out, len(text))
	}
	return out
}

// logged is a slog.Handler that passes on the message of each record, so
// that a test can wait for the watcher to have seen something. A full
// channel drops messages rather than hold the watcher up.
type logged chan string

func (l logged) Enabled(context.Context, slog.Level) bool { return true }
func (l logged) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l logged) WithGroup(string) slog.Handler            { return l }

func (l logged) Handle(_ context.Context, r slog.Record) error {
	select {
	case l <- r.Message:
	default:
	}
	return nil
}

// waitFor waits until the watcher logs msg.
func (l logged) waitFor(t *testing.T, msg string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case m := <-l:
			if m == msg {
				return
			}
		case <-deadline:
			t.Fatalf("the watcher did not log %q in 10s", msg)
		}
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCopyOfLargeFile(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	src := filepath.Join(outside, "big.txt")
	big := bytes.Repeat([]byte("All work and no play makes a long article. "), 1<<20) // ~44 MB
	writeFile(t, src, string(big))
	look, texts := readAtHandOver(t, dir, "big.txt")
	_, ch := startWith(t, dir, Options{}, look)
	if out, err := exec.Command("cp", src, filepath.Join(dir, "big.txt")).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	waitFor(t, ch, "big.txt")
	quiet(ch, 3*settle)
	got := handedOn(texts)
	if len(got) != 1 || got[0] != string(big) {
		t.Errorf("big.txt handed on holding %v bytes; want once, holding all %d", lengths(got), len(big))
	}
}

func TestSlowWriterIsHandedOnOnceWhole(t *testing.T) {
	dir := t.TempDir()
	look, texts := readAtHandOver(t, dir, "slow.txt")
	_, ch := startWith(t, dir, Options{}, look)
	p := filepath.Join(dir, "slow.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("First half of the text. ")
	time.Sleep(settle / 3) // the writer pauses, for less than the debounce
	f.WriteString("Second half.")
	f.Close()
	waitFor(t, ch, "slow.txt")
	quiet(ch, 3*settle)
	const whole = "First half of the text. Second half."
	if got := handedOn(texts); len(got) != 1 || got[0] != whole {
		t.Errorf("slow.txt handed on holding %q; want once, holding %q", got, whole)
	}
}

// TestFileGrowingUnheardIsHandedOnWhole: a file can grow while no event
// reaches the watcher, as when cp copies it with one copy_file_range call,
// which sends its event only when it ends. Here the file grows through a
// hard link in another folder: inotify tells of a write only the folder
// of the name it was made through, so the watcher hears of the file once,
// when it is linked in. When the path's debounce runs out, the watcher
// must see that the file changed meanwhile and wait again, not hand on
// part of it.
func TestFileGrowingUnheardIsHandedOnWhole(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	const (
		debounce = 2 * settle
		chunk    = "Growing, and nothing said.\n"
		chunks   = 60 // one every debounce/20: for three debounces
	)
	other := filepath.Join(outside, "growing.txt")
	writeFile(t, other, chunk)
	look, texts := readAtHandOver(t, dir, "growing.txt")
	_, ch := startWith(t, dir, Options{Debounce: debounce}, look)
	f, err := os.OpenFile(other, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := os.Link(other, filepath.Join(dir, "growing.txt")); err != nil {
		t.Fatal(err)
	}
	// A file left alone for a whole debounce is rightly handed on, and then
	// the test proves nothing: longestQuiet bounds how long it was left,
	// from the start of one write to the end of the next.
	var longestQuiet time.Duration
	before := time.Now()
	for range chunks - 1 {
		time.Sleep(debounce / 20) // the pace of the writer
		began := time.Now()
		if _, err := f.WriteString(chunk); err != nil {
			t.Fatal(err)
		}
		longestQuiet = max(longestQuiet, time.Since(before))
		before = began
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, "growing.txt")
	quiet(ch, 2*debounce)
	got := handedOn(texts)
	if longestQuiet >= debounce {
		t.Skipf("the writer was held up: the file was left alone for up to %v, longer than the debounce", longestQuiet)
	}
	whole := strings.Repeat(chunk, chunks)
	if len(got) != 1 || got[0] != whole {
		t.Errorf("growing.txt handed on holding %v bytes; want once, holding all %d", lengths(got), len(whole))
	}
}

func TestMoveInAndOut(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(outside, "in.txt"), "moved in")
	writeFile(t, filepath.Join(dir, "out.txt"), "moved out")
	_, ch := start(t, dir, Options{})
	if err := os.Rename(filepath.Join(outside, "in.txt"), filepath.Join(dir, "in.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "out.txt"), filepath.Join(outside, "out.txt")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, "in.txt", "out.txt")
}

// TestModeChange: a file whose mode changes is handed on, to be read
// again: one that could not be read may be readable now.
func TestModeChange(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "locked.txt"), "x")
	_, ch := start(t, dir, Options{Keep: txtOnly})
	if err := os.Chmod(filepath.Join(dir, "locked.txt"), 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, "locked.txt")
}

func TestDelete(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "gone.txt"), "x")
	_, ch := start(t, dir, Options{})
	if err := os.Remove(filepath.Join(dir, "gone.txt")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, "gone.txt")
}

// TestEditorSaves replays how editors and sync tools save: to a temporary or
// backup name first, then a rename over the real one. Only the real name may
// be handed on.
func TestEditorSaves(t *testing.T) {
	tests := []struct {
		name string
		save func(t *testing.T, dir string)
	}{
		{"vim", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "4913"), "")
			os.Remove(filepath.Join(dir, "4913"))
			os.Rename(filepath.Join(dir, "note.txt"), filepath.Join(dir, "note.txt~"))
			writeFile(t, filepath.Join(dir, ".note.txt.swp"), "swap")
			writeFile(t, filepath.Join(dir, "note.txt"), "saved by vim")
			os.Remove(filepath.Join(dir, "note.txt~"))
		}},
		{"emacs", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "#note.txt#"), "autosave")
			os.Symlink("user@host.123", filepath.Join(dir, ".#note.txt"))
			writeFile(t, filepath.Join(dir, "note.txt~"), "backup")
			writeFile(t, filepath.Join(dir, "note.txt"), "saved by emacs")
			os.Remove(filepath.Join(dir, "#note.txt#"))
			os.Remove(filepath.Join(dir, ".#note.txt"))
		}},
		{"VS Code", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ".note.txt.tmp.12345"), "saved by code")
			os.Rename(filepath.Join(dir, ".note.txt.tmp.12345"), filepath.Join(dir, "note.txt"))
		}},
		{"rsync", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, ".note.txt.Ab12Cd"), "saved by rsync")
			os.Rename(filepath.Join(dir, ".note.txt.Ab12Cd"), filepath.Join(dir, "note.txt"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "note.txt"), "original")
			_, ch := start(t, dir, Options{Keep: txtOnly})
			tt.save(t, dir)
			got := append(waitFor(t, ch, "note.txt"), quiet(ch, 3*settle)...)
			if p := paths(got); len(p) != 1 {
				t.Errorf("handed on %v; want only note.txt", p)
			}
		})
	}
}

func TestNewSubfolderIsWatchedAndScanned(t *testing.T) {
	dir := t.TempDir()
	w, ch := start(t, dir, Options{})
	deep := filepath.Join(dir, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	// These land before the watcher can have added a watch for the folders.
	writeFile(t, filepath.Join(dir, "a", "first.txt"), "x")
	writeFile(t, filepath.Join(deep, "deep.txt"), "x")
	waitFor(t, ch, "a/first.txt", "a/b/c/deep.txt")
	// And a file written later, once the watch exists, is seen too.
	writeFile(t, filepath.Join(deep, "later.txt"), "x")
	waitFor(t, ch, "a/b/c/later.txt")
	_ = w
}

// TestHiddenPathsAndWhatKeepRejectsAreLeftOut: the watcher itself leaves
// out hidden paths, those with any part starting with a dot, whatever Keep
// says. Every other file is handed on unless Keep rejects it: backups and
// editors' leftovers are Keep's to reject (the daemon's is
// source.Source.Wants, tested in feed/source), not the watcher's.
func TestHiddenPathsAndWhatKeepRejectsAreLeftOut(t *testing.T) {
	// Hidden, in a folder there before the watcher starts, or created after,
	// or inside a new folder, which the watcher scans.
	hiddenFiles := []string{".hidden.txt", ".note.txt.swp", ".git/x.txt", ".cache/y.txt", "new/.z.txt", "new/.hidden/w.txt"}
	plain := []string{"#auto.txt#", "backup.txt~", "new/plain.txt", "notes.pdf", "plain.txt"}
	tests := []struct {
		name string
		keep func(rel string) bool
		want []string
	}{
		{"a nil Keep keeps all but hidden paths", nil, plain},
		{"a Keep of everything does not bring hidden paths back", func(string) bool { return true }, plain},
		{"what Keep rejects is left out", func(rel string) bool { return !strings.HasSuffix(rel, ".pdf") },
			[]string{"#auto.txt#", "backup.txt~", "new/plain.txt", "plain.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
			_, ch := start(t, dir, Options{Keep: tt.keep})
			for _, d := range []string{".cache", "new/.hidden"} {
				if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			// Hidden files first: by the time the last plain file is handed
			// on, any of them that was going to be would have been.
			for _, name := range append(hiddenFiles, plain...) {
				writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), "x")
			}
			got := append(waitFor(t, ch, tt.want...), quiet(ch, 3*settle)...)
			if p := paths(got); strings.Join(p, " ") != strings.Join(tt.want, " ") {
				t.Errorf("handed on %q; want %q", p, tt.want)
			}
		})
	}
}

func TestRootRemovedAndRecreated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "seeds")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "a.txt"), "x")
	logs := make(logged, 100)
	_, ch := start(t, dir, Options{Logger: slog.New(logs)})
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	// The watcher sees the folder gone before it comes back.
	logs.waitFor(t, "seeds folder is gone; waiting for it to come back")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(10 * time.Second)
	for rescanned := false; !rescanned; {
		select {
		case b := <-ch:
			rescanned = b.Rescan
		case <-deadline:
			t.Fatal("no rescan after the seeds folder came back")
		}
	}
	writeFile(t, filepath.Join(dir, "b.txt"), "x")
	waitFor(t, ch, "b.txt")
}

func TestForcedAndPeriodicRescan(t *testing.T) {
	t.Run("forced", func(t *testing.T) {
		w, ch := start(t, t.TempDir(), Options{})
		w.Rescan("test")
		if b := next(t, ch); !b.Rescan || b.RescanReason != "test" || len(b.Paths) > 0 {
			t.Errorf("got %+v; want a rescan for test", b)
		}
		if more := quiet(ch, 2*settle); len(more) > 0 {
			t.Errorf("then %+v; want nothing more", more)
		}
	})
	t.Run("event queue overflow", func(t *testing.T) {
		w, ch := start(t, t.TempDir(), Options{})
		w.onError(fmt.Errorf("inotify: %w", fsnotify.ErrEventOverflow))
		if b := next(t, ch); !b.Rescan || b.RescanReason != "event queue overflow" || len(b.Paths) > 0 {
			t.Errorf("got %+v; want a rescan for the overflow", b)
		}
		if more := quiet(ch, 2*settle); len(more) > 0 {
			t.Errorf("then %+v; want nothing more", more)
		}
	})
	t.Run("periodic", func(t *testing.T) {
		const every = 50 * time.Millisecond
		_, ch := start(t, t.TempDir(), Options{Rescan: every})
		began := time.Now()
		for range 3 {
			if b := next(t, ch); !b.Rescan || b.RescanReason != "periodic" {
				t.Fatalf("got %+v; want a periodic rescan", b)
			}
		}
		// Loose, for a loaded machine: three come in 150ms when all is well.
		if took := time.Since(began); took > 40*every {
			t.Errorf("three periodic rescans took %v; want one every %v", took, every)
		}
	})
	t.Run("off", func(t *testing.T) {
		_, ch := start(t, t.TempDir(), Options{})
		if got := quiet(ch, 300*time.Millisecond); len(got) > 0 {
			t.Errorf("got %+v; want nothing with the periodic rescan off", got)
		}
	})
}

// TestChangedPathsAreHandedOn: paths the consumer says changed, with no
// event, come in the next batch as a change, not a rescan.
func TestChangedPathsAreHandedOn(t *testing.T) {
	w, ch := start(t, t.TempDir(), Options{})
	w.Changed("b.txt", "a/c.txt")
	if b := next(t, ch); b.Rescan || !slices.Equal(b.Paths, []string{"a/c.txt", "b.txt"}) {
		t.Errorf("got %+v; want a/c.txt and b.txt, and no rescan", b)
	}
	if more := quiet(ch, 2*settle); len(more) > 0 {
		t.Errorf("then %+v; want nothing more", more)
	}
}

// TestBurstIsBatched: paths that settle while others are still settling
// are gathered, for up to half a debounce, into one batch, so a burst of
// files comes in about one batch per half debounce it lasts, however many
// files it holds, rather than one batch a file.
func TestBurstIsBatched(t *testing.T) {
	dir := t.TempDir()
	_, ch := start(t, dir, Options{})
	var want []string
	for i := range 2000 {
		want = append(want, fmt.Sprintf("burst/f%04d.txt", i))
	}
	if err := os.Mkdir(filepath.Join(dir, "burst"), 0o755); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	for _, name := range want {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), "x")
	}
	wrote := time.Since(began)
	got := waitFor(t, ch, want...)
	took := time.Since(began)
	// The bound scales with how long the burst took, which a loaded
	// machine stretches. The 20 over are for the end of the burst, and of
	// any pause in it, when no other path is settling and what is ready is
	// handed on at once, maybe in a few small batches.
	limit := int(took/(settle/2)) + 20
	if len(got) > limit {
		t.Errorf("2000 files written in %v came in %d batches over %v; want at most %d, one per %v and 20", wrote, len(got), took, limit, settle/2)
	}
	t.Logf("2000 files written in %v came in %d batches over %v (at most %d)", wrote, len(got), took, limit)
}

// TestWatchLimitIsExplained: a folder that cannot be watched because the
// inotify limit is reached is logged once, with the setting to raise, its
// value and how many watches the tree needs; it is listed by Unwatched and
// tried again.
func TestWatchLimitIsExplained(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	var mu sync.Mutex
	w, err := New(dir, Options{Logger: slog.New(slog.NewTextHandler(&lockedWriter{&mu, &buf}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	enospc := fmt.Errorf("add %s: %w", sub, syscall.ENOSPC)
	w.noteUnwatched(sub, enospc)
	w.noteUnwatched(sub, enospc) // again at a retry: no second line
	mu.Lock()
	logs := buf.String()
	mu.Unlock()
	if strings.Count(logs, "cannot watch folder") != 1 || !strings.Contains(logs, "fs.inotify.max_user_watches is ") ||
		!strings.Contains(logs, "needs at least 2") || !strings.Contains(logs, "path=sub") {
		t.Errorf("log = %s; want one line naming sub, fs.inotify.max_user_watches, its value and the 2 watches needed", logs)
	}
	if u := w.Unwatched(); len(u) != 1 || !strings.HasPrefix(u[0], "sub: ") {
		t.Errorf("Unwatched() = %q; want sub and its reason", u)
	}
	w.retryUnwatched() // sub can be watched after all
	if u := w.Unwatched(); len(u) != 0 {
		t.Errorf("Unwatched() after a retry that works = %q; want none", u)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
