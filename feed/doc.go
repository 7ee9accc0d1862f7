// Package feed turns a folder of seed files into feeds: it keeps the index
// of entries, renders Atom, RSS, JSON Feed and HTML from it, serves the
// result over HTTP and writes it out for static hosting.
//
// Data flows one way:
//
//		Source (the folder) ──Scan/Read──▶ Index ──Entries(limit)──▶ Render ──▶ Snapshot ──▶ Handler / WriteDir
//		                                     │
//		                                 state.Store (IDs, dates)
//
//	  - Source lists the seeds (hidden, backup and partial files are never
//	    seeds) and reads them safely: never past the size limit, never
//	    blocking on a FIFO, following a symlink only inside the folder.
//	  - Index keeps, for every entry, only its path, ID and publication
//	    date, ordered newest first. Indexing a file reads it once and inspects it
//	    (extract.Inspect); the state store gives it a stable ID and its
//	    dates. Entries extracts the full text of the newest entries only.
//	  - Render makes one Snapshot per change: every file's bytes, ETag and
//	    modification time, reusing the pages of entries that did not change.
//	  - Handler compresses a snapshot's new files and builds their headers
//	    once, when it takes the snapshot, then serves it from an atomic
//	    pointer and never renders on a request; WriteDir writes a snapshot
//	    atomically.
//
// Subpackages: extract (bytes to title, summary and HTML, pure), state (the
// bbolt store), websub (the hub publisher).
package feed
