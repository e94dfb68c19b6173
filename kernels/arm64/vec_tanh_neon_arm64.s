//go:build !noasm

#include "textflag.h"
#include "vec_neon_arm64.h"

// func vecTanhNEON(dst, x []float32)
//
// dst[i] = tanh(x[i]) for i < len(x), len(x) a multiple of 4
// (VecTanhNEON handles the tail), purego.Tanh's algorithm (TANH4).

#define DST R0
#define SRC R1
#define N   R2

TEXT ·vecTanhNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), DST
	MOVD x_base+24(FP), SRC
	MOVD x_len+32(FP), N
	LOADEXPCONSTS
	MOVD $·vecTrigConstsNEON+96(SB), R3
	VLD1 (R3), [V30.S4, V31.S4]
	SIGNMASK4(15)

loop8:
	// Two vectors (V0, V1) per iteration.
	CMP    $8, N
	BLT    loop4
	VLD1.P 32(SRC), [V0.S4, V1.S4]
	TANH4(0, 2, 3, 4, 5, 6, 7, 15)
	TANH4(1, 8, 9, 10, 11, 12, 13, 15)
	VST1.P [V0.S4, V1.S4], 32(DST)
	SUB    $8, N
	B      loop8

loop4:
	CBZ    N, done
	VLD1.P 16(SRC), [V0.S4]
	TANH4(0, 2, 3, 4, 5, 6, 7, 15)
	VST1.P [V0.S4], 16(DST)

done:
	RET
