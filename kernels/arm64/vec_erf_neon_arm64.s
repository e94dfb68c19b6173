//go:build !noasm

#include "textflag.h"
#include "vec_neon_arm64.h"

// func vecErfNEON(dst, x []float32)
//
// dst[i] = erf(x[i]) for i < len(x), len(x) a multiple of 4
// (VecErfNEON handles the tail), purego.Erf's algorithm (ERF4).

#define DST R0
#define SRC R1
#define N   R2

TEXT ·vecErfNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), DST
	MOVD x_base+24(FP), SRC
	MOVD x_len+32(FP), N
	LOADEXPCONSTS
	MOVD   $·vecTrigConstsNEON(SB), R3
	VLD1.P 64(R3), [V12.S4, V13.S4, V14.S4, V15.S4]
	VLD1   (R3), [V30.S4, V31.S4]
	SIGNMASK4(11)

loop4:
	// One vector per iteration (the body uses V0..V9, V11 the sign mask).
	CBZ    N, done
	VLD1.P 16(SRC), [V0.S4]
	ERF4(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11)
	VST1.P [V0.S4], 16(DST)
	SUB    $4, N
	B      loop4

done:
	RET
