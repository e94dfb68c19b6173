package isa

import "fmt"

// Current returns the level kernels use now.
func Current() Level { return Level(current.Load()) }

// Default returns the level chosen at start-up (best supported, or NNCC_ISA).
func Default() Level { return def }

// Best returns the highest level this CPU supports.
func Best() Level { return best }

// Has reports whether this CPU and build support level l.
func Has(l Level) bool { return l < numLevels && supported[l] }

// Supported lists every level this CPU supports, Generic first. Tests and
// benchmarks range over it to exercise each variant.
func Supported() []Level {
	var ls []Level
	for l := range numLevels {
		if supported[l] {
			ls = append(ls, l)
		}
	}
	return ls
}

// Select makes kernels use level l from now on. It fails when the CPU or
// the build (noasm) cannot run l.
func Select(l Level) error {
	if !Has(l) {
		return fmt.Errorf("isa: %v is not supported on this CPU or build", l)
	}
	current.Store(uint32(l))
	return nil
}

// Force selects l and returns a function that restores the previous level;
// it panics when l is unsupported (callers check Has or range Supported).
// Meant for tests and benchmarks: t.Cleanup(isa.Force(isa.AVX2)).
func Force(l Level) (restore func()) {
	prev := Current()
	if err := Select(l); err != nil {
		panic("BUG: " + err.Error())
	}
	return func() { current.Store(uint32(prev)) }
}
