//go:build race

package index

// raceOn is set under the race detector, whose sync.Pool drops a share of
// what is put in it: allocation counts there are not the program's.
const raceOn = true
