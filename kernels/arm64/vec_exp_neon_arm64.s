//go:build !noasm

#include "textflag.h"
#include "vec_neon_arm64.h"

// func vecExpNEON(dst, x []float32)
//
// dst[i] = exp(x[i]) for i < len(x), len(x) a multiple of 4 (VecExpNEON
// handles the tail), purego.Exp's algorithm (EXP4), 8 lanes per iteration.

#define DST R0
#define SRC R1
#define N   R2

TEXT ·vecExpNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), DST
	MOVD x_base+24(FP), SRC
	MOVD x_len+32(FP), N
	LOADEXPCONSTS

loop8:
	// Two vectors (V0, V4) per iteration.
	CMP    $8, N
	BLT    loop4
	VLD1.P 32(SRC), [V0.S4, V1.S4]
	EXP4(0, 2, 3, 5)
	EXP4(1, 6, 7, 8)
	VST1.P [V0.S4, V1.S4], 32(DST)
	SUB    $8, N
	B      loop8

loop4:
	CBZ    N, done
	VLD1.P 16(SRC), [V0.S4]
	EXP4(0, 2, 3, 5)
	VST1.P [V0.S4], 16(DST)

done:
	RET
