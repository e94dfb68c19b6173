package isa

import (
	"os"
	"runtime"
	"sync/atomic"

	"golang.org/x/sys/cpu"
)

// supported[l] reports whether this CPU (and this build) can run level l.
// It is filled once by init and never changes afterwards.
var supported [numLevels]bool

// best is the highest supported level; def the default after NNCC_ISA.
var best, def Level

// current is the level kernels use now (a Level stored as uint32).
var current atomic.Uint32

func init() {
	supported[Generic] = true
	if !noasm {
		switch runtime.GOARCH {
		case "amd64":
			supported[AVX2] = cpu.X86.HasAVX2 && cpu.X86.HasFMA
			supported[AVX512] = supported[AVX2] && cpu.X86.HasAVX512F &&
				cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
		case "arm64":
			supported[NEON] = cpu.ARM64.HasASIMD || runtime.GOARCH == "arm64"
		}
	}
	for l := range numLevels {
		if supported[l] && preference(l) > preference(best) {
			best = l
		}
	}
	def = best
	if s := os.Getenv("NNCC_ISA"); s != "" {
		if l, err := Parse(s); err == nil && supported[l] {
			def = l
		}
	}
	current.Store(uint32(def))
}

// preference orders levels by speed (NEON and AVX are never both supported).
func preference(l Level) int {
	switch l {
	case AVX2, NEON:
		return 1
	case AVX512:
		return 2
	}
	return 0
}
