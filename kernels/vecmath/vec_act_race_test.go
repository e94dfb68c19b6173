//go:build race

package vecmath

// raceOn: sync.Pool drops items at random under the race detector.
const raceOn = true
