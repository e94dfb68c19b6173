package arm64

import (
	"math"

	"github.com/nncc/nncc/kernels/vecmath/purego"
)

// vecConstsNEON is the constant table of the NEON vector math: entry i is
// broadcast into register V16+i by LOADEXPCONSTS (vec_neon_arm64.h). The
// values come from package purego; the last is the int32 exponent bias.
var vecConstsNEON = func() (t [14]uint32) {
	for i, v := range []float32{
		purego.Log2E, purego.Magic, purego.Ln2Hi, purego.Ln2Lo,
		purego.ExpP5, purego.ExpP4, purego.ExpP3, purego.ExpP2, purego.ExpP1, purego.ExpP0,
		1, purego.ExpLo, purego.ExpHi,
	} {
		t[i] = math.Float32bits(v)
	}
	t[13] = 127
	return t
}()
