//go:build !noasm

#include "textflag.h"
#include "vec_neon_arm64.h"

// func vecExpShiftSumNEON(dst, x []float32, c float32) float32
//
// dst[i] = exp(x[i] - c) for i < len(x) and returns Σ dst[i], len(x) a
// multiple of 4 (VecExpShiftSumNEON handles the tail): purego.ExpShiftSum
// with 4 partial sums (V10), added pairwise at the end.

#define DST R0
#define SRC R1
#define N   R2

TEXT ·vecExpShiftSumNEON(SB), NOSPLIT, $0-60
	MOVD    dst_base+0(FP), DST
	MOVD    x_base+24(FP), SRC
	MOVD    x_len+32(FP), N
	LOADEXPCONSTS
	FMOVS c+48(FP), F9
	VDUP  V9.S[0], V9.S4
	VEOR    V10.B16, V10.B16, V10.B16

loop4:
	CBZ    N, fold
	VLD1.P 16(SRC), [V0.S4]
	V_FSUB(0, 0, 9)
	EXP4(0, 2, 3, 5)
	VST1.P [V0.S4], 16(DST)
	V_FADD(10, 10, 0)
	SUB    $4, N
	B      loop4

fold:
	V_FADDP(10, 10, 10)
	V_FADDP(10, 10, 10)
	FMOVS  F10, ret+56(FP)
	RET
