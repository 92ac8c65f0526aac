//go:build race

package pinata_test

// raceEnabled: the race detector makes sync.Pool drop a quarter of what it is given.
const raceEnabled = true
