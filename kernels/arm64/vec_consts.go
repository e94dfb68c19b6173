package arm64

import "github.com/nncc/nncc/kernels/vecmath/purego"

// vecConstsNEON is the constant table of the NEON vector math (see
// LOADEXPCONSTS in vec_neon_arm64.h, which broadcasts entry i into
// register V16+i): one 32-bit value per entry, from package purego.
var vecConstsNEON = [14]float32{
	purego.Log2E, purego.Magic, purego.Ln2Hi, purego.Ln2Lo,
	purego.ExpP5, purego.ExpP4, purego.ExpP3, purego.ExpP2, purego.ExpP1, purego.ExpP0,
	1, purego.ExpLo, purego.ExpHi,
	1.78e-43, // bit pattern 127: the int32 exponent bias (written as the float with those bits)
}
