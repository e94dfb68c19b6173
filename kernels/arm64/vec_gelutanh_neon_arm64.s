//go:build !noasm

#include "textflag.h"
#include "vec_neon_arm64.h"

// func vecGeluTanhNEON(dst, x []float32)
//
// dst[i] = x[i]·sigmoid(2·√(2/π)·(x[i] + 0.044715·x[i]³)) for i < len(x), len(x) a multiple of 4
// (VecGeluTanhNEON handles the tail), purego.GeluTanh's algorithm (GELUTANH4).

#define DST R0
#define SRC R1
#define N   R2

TEXT ·vecGeluTanhNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), DST
	MOVD x_base+24(FP), SRC
	MOVD x_len+32(FP), N
	LOADEXPCONSTS
	MOVD $·vecTrigConstsNEON+80(SB), R3
	VLD1 (R3), [V30.S4]
	MOVD $·vecTrigConstsNEON+112(SB), R3
	VLD1 (R3), [V31.S4]

loop8:
	// Two vectors (V0, V1) per iteration.
	CMP    $8, N
	BLT    loop4
	VLD1.P 32(SRC), [V0.S4, V1.S4]
	GELUTANH4(0, 2, 3, 4, 5, 6, 7, 8)
	GELUTANH4(1, 9, 10, 11, 12, 13, 14, 15)
	VST1.P [V0.S4, V1.S4], 32(DST)
	SUB    $8, N
	B      loop8

loop4:
	CBZ    N, done
	VLD1.P 16(SRC), [V0.S4]
	GELUTANH4(0, 2, 3, 4, 5, 6, 7, 8)
	VST1.P [V0.S4], 16(DST)

done:
	RET
