//go:build !noasm

#include "textflag.h"
#include "vec_neon_arm64.h"

// func vecSigmoidNEON(dst, x []float32)
//
// dst[i] = 1/(1+exp(-x[i])) for i < len(x), len(x) a multiple of 4
// (VecSigmoidNEON handles the tail), purego.Sigmoid's algorithm (SIGMOID4).

#define DST R0
#define SRC R1
#define N   R2

TEXT ·vecSigmoidNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), DST
	MOVD x_base+24(FP), SRC
	MOVD x_len+32(FP), N
	LOADEXPCONSTS

loop4:
	// One vector per iteration (the body uses V0..V5).
	CBZ    N, done
	VLD1.P 16(SRC), [V0.S4]
	SIGMOID4(0, 1, 2, 3, 4, 5)
	VST1.P [V0.S4], 16(DST)
	SUB    $4, N
	B      loop4

done:
	RET
