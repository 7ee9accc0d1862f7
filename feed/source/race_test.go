//go:build race

package source

// raceEnabled reports a test binary built with the race detector, whose
// instrumentation allocates on its own: tests of what a call allocates
// do not hold then.
const raceEnabled = true
