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

// vecTrigConstsNEON holds the constants of tanh, erf and the GELUs, four
// to a register (read by lane with V_DUP, V_FMULE, V_FMLAE); the routines
// load the rows they need:
//
//	row 0 (V12)  ErfP0  ErfP1   ErfP2       ErfP3
//	row 1 (V13)  ErfP4  ErfcT0  2           1/2
//	row 2 (V14)  ErfcQ0 ErfcQ1  ErfcQ2      ErfcQ3
//	row 3 (V15)  ErfcQ4 ErfcQ5  ErfcQ6      ErfcQ7
//	row 4 (V30)  ErfcQ8 ErfcQ9  InvSqrt2    ErfClamp
//	row 5        GeluClamp -GeluClamp GeluK0 GeluK1
//	row 6        TanhP0 TanhP1  TanhP2      TanhP3
//	row 7        TanhP4 TanhSmall 2         -MaxF32
//
// Erf and GeluErf hold rows 0-5 in V12-V15, V30, V31; Tanh rows 6-7 in
// V30, V31; GeluTanh rows 5 and 7 in V30, V31.
var vecTrigConstsNEON = func() (t [32]uint32) {
	for i, v := range []float32{
		purego.ErfP0, purego.ErfP1, purego.ErfP2, purego.ErfP3,
		purego.ErfP4, purego.ErfcT0, 2, 0.5,
		purego.ErfcQ0, purego.ErfcQ1, purego.ErfcQ2, purego.ErfcQ3,
		purego.ErfcQ4, purego.ErfcQ5, purego.ErfcQ6, purego.ErfcQ7,
		purego.ErfcQ8, purego.ErfcQ9, purego.InvSqrt2, purego.ErfClamp,
		purego.GeluClamp, -purego.GeluClamp, purego.GeluK0, purego.GeluK1,
		purego.TanhP0, purego.TanhP1, purego.TanhP2, purego.TanhP3,
		purego.TanhP4, purego.TanhSmall, 2, -purego.MaxF32,
	} {
		t[i] = math.Float32bits(v)
	}
	return t
}()
