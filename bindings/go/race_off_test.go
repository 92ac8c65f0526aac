//go:build !race

package pinata_test

const raceEnabled = false
