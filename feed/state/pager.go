package state

import (
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/seedfeed/seedfeed/feed/source/mapped"
)

// bbolt reads the store through a memory map, and every page read stays
// in the process's resident set until the kernel wants the memory back.
// At 1,000,000 entries the store is 221 MB, and a start reads all of it
// twice (the check at Open, then the index's load), a first index writes
// all of it: all of it counted in the daemon's peak. Long reads and large
// changes therefore let go of the map's pages as they go. The pages stay
// in the page cache, and a later read maps them again, for a minor fault
// each.

// dropEvery is how many bytes of the map a long read goes through between
// two drops of its pages.
const dropEvery = 8 << 20

// pager drops the pages of the store's map every dropEvery bytes that a
// read in tx has gone through.
type pager struct {
	tx   *bolt.Tx
	read int
}

// add counts n more bytes read, and drops the map's pages when they make
// dropEvery.
func (p *pager) add(n int) {
	if p.read += n; p.read >= dropEvery {
		p.drop()
	}
}

// done drops the map's pages at the end of a read that went through more
// than a few of them since the last drop.
func (p *pager) done() {
	if p.read >= dropEvery/8 {
		p.drop()
	}
}

// dropAfter lets go of the map's pages after a change of n files, when they
// are many: each read a leaf page of the store, 4 KiB, or wrote one.
func (s *Store) dropAfter(n int) {
	if n*4096 < dropEvery {
		return
	}
	s.view(func(tx *bolt.Tx) error {
		(&pager{tx: tx}).drop()
		return nil
	})
}

// lookupBytes is how much of the map a lookup by path is counted to make
// resident: the kernel maps the pages around a faulting one that are in
// the page cache with it (fault_around_bytes, 64 KiB by default), so one
// lookup of a cold leaf page brings in sixteen.
const lookupBytes = 64 << 10

// dropLooked counts n more records looked up by path, and lets go of the
// map's pages once lookups since the last drop may have made dropEvery
// bytes of it resident. Lookups come in no order of the store's (a
// build's archive pages, 50 records of a date at a time, are scattered
// over every leaf) and through many transactions, a few records each, so
// the count is the store's: at 1,000,000 entries a build's lookups kept
// about 100 MB of the map resident, a third of its peak. tx is the
// caller's, open.
func (s *Store) dropLooked(tx *bolt.Tx, n int) {
	if s.looked.Add(int64(n)*lookupBytes) < dropEvery {
		return
	}
	s.looked.Store(0)
	(&pager{tx: tx}).drop()
}

// drop lets go of every page of the map. The open transaction keeps bbolt
// from mapping the file anew meanwhile, elsewhere, so the range is the
// map's; and the map covers every page the transaction can read.
func (p *pager) drop() {
	p.read = 0
	// Advice: if the kernel declines it, the pages stay resident, which
	// costs memory, never data.
	_ = mapped.Drop(p.tx.DB().Info().Data, int(p.tx.Size()))
}

// checkDrop is how often the map's pages are let go of while bbolt's own
// consistency check reads them all, which it does with no hook between
// pages. The daemon checks its backup so after each clean start, just
// written and in the page cache, which the check maps faster than 1 GB/s:
// dropped every 20 ms, 121 MB of the backup's map of 221 MB were resident
// at once at 1,000,000 entries, more than the daemon's peak otherwise.
// (With a single P, the dropping waits for the check to be preempted,
// every 10 ms or so, and the pages pile up all the same.)
const checkDrop = time.Millisecond

// dropWhile drops the map's pages every checkDrop, and once more when the
// returned stop is called, which the caller does before tx ends.
func dropWhile(tx *bolt.Tx) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // exits when stop is called
		defer wg.Done()
		tick := time.NewTicker(checkDrop)
		defer tick.Stop()
		pg := pager{tx: tx}
		for {
			select {
			case <-done:
				pg.drop()
				return
			case <-tick.C:
				pg.drop()
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}
