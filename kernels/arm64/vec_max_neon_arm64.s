//go:build !noasm

#include "textflag.h"
#include "vec_neon_arm64.h"

// func vecMaxNEON(x []float32) float32
//
// Returns max x[i] (NaN when any is NaN: FMAX propagates NaN), -Inf for an
// empty slice; len(x) a multiple of 4 (VecMaxNEON handles the tail). Four
// accumulators while 16 elements remain, then one vector at a time.

#define SRC R0
#define N   R1

TEXT ·vecMaxNEON(SB), NOSPLIT, $0-28
	MOVD x_base+0(FP), SRC
	MOVD x_len+8(FP), N
	// V4..V7 = -Inf.
	MOVW  $0xff800000, R2
	VDUP  R2, V4.S4
	VMOV  V4.B16, V5.B16
	VMOV  V4.B16, V6.B16
	VMOV  V4.B16, V7.B16

loop16:
	CMP    $16, N
	BLT    loop4
	VLD1.P 64(SRC), [V0.S4, V1.S4, V2.S4, V3.S4]
	V_FMAX(4, 4, 0)
	V_FMAX(5, 5, 1)
	V_FMAX(6, 6, 2)
	V_FMAX(7, 7, 3)
	SUB    $16, N
	B      loop16

loop4:
	CBZ    N, fold
	VLD1.P 16(SRC), [V0.S4]
	V_FMAX(4, 4, 0)
	SUB    $4, N
	B      loop4

fold:
	V_FMAX(4, 4, 5)
	V_FMAX(6, 6, 7)
	V_FMAX(4, 4, 6)
	V_FMAXP(4, 4, 4)
	V_FMAXP(4, 4, 4)
	FMOVS F4, ret+24(FP)
	RET
