package isa

import "fmt"

// Level is an instruction-set level a kernel variant is written for.
type Level uint8

// The levels, portable first.
const (
	Generic Level = iota // pure Go, every architecture
	AVX2                 // amd64 with AVX2 and FMA3
	AVX512               // amd64 with AVX-512 F, BW, VL (and AVX2+FMA)
	NEON                 // arm64 Advanced SIMD (always present on arm64)
	numLevels
)

var levelNames = [numLevels]string{
	Generic: "generic",
	AVX2:    "avx2",
	AVX512:  "avx512",
	NEON:    "neon",
}

// String returns the lower-case name used by NNCC_ISA and benchmark names.
func (l Level) String() string {
	if l < numLevels {
		return levelNames[l]
	}
	return fmt.Sprintf("Level(%d)", uint8(l))
}

// Parse returns the level named s (as printed by String).
func Parse(s string) (Level, error) {
	for l, name := range levelNames {
		if name == s {
			return Level(l), nil
		}
	}
	return Generic, fmt.Errorf("isa: unknown instruction set %q (want generic, avx2, avx512 or neon)", s)
}
