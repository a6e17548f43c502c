//go:build !race

package runtime_test

// raceEnabled reports whether the tests run with the race detector, which
// changes what allocates.
const raceEnabled = false
