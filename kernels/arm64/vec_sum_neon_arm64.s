//go:build !noasm

#include "textflag.h"
#include "vec_neon_arm64.h"

// func vecSumNEON(x []float32) float32
//
// Returns Σ x[i], len(x) a multiple of 4 (VecSumNEON handles the tail):
// eight accumulators V4..V11 (32 partial sums) while 32 elements remain,
// then one vector at a time into V4; the sums are added in a tree.

#define SRC R0
#define N   R1

TEXT ·vecSumNEON(SB), NOSPLIT, $0-28
	MOVD x_base+0(FP), SRC
	MOVD x_len+8(FP), N
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16

loop32:
	CMP    $32, N
	BLT    loop4
	VLD1.P 64(SRC), [V0.S4, V1.S4, V2.S4, V3.S4]
	V_FADD(4, 4, 0)
	V_FADD(5, 5, 1)
	V_FADD(6, 6, 2)
	V_FADD(7, 7, 3)
	VLD1.P 64(SRC), [V0.S4, V1.S4, V2.S4, V3.S4]
	V_FADD(8, 8, 0)
	V_FADD(9, 9, 1)
	V_FADD(10, 10, 2)
	V_FADD(11, 11, 3)
	SUB    $32, N
	B      loop32

loop4:
	CBZ    N, fold
	VLD1.P 16(SRC), [V0.S4]
	V_FADD(4, 4, 0)
	SUB    $4, N
	B      loop4

fold:
	V_FADD(4, 4, 5)
	V_FADD(6, 6, 7)
	V_FADD(8, 8, 9)
	V_FADD(10, 10, 11)
	V_FADD(4, 4, 6)
	V_FADD(8, 8, 10)
	V_FADD(4, 4, 8)
	V_FADDP(4, 4, 4)
	V_FADDP(4, 4, 4)
	FMOVS F4, ret+24(FP)
	RET
