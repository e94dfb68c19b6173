//go:build !noasm

#include "textflag.h"
#include "half_neon_arm64.h"

// func HalfToFloat32NEON(dst []float32, src []uint16)
//
// dst[i] = float32(src[i]) for i < len(src), a multiple of 8 (see
// HalfToFloat32Go): FCVTL/FCVTL2, 32 values per step while 32 remain,
// then 8.

#define DST R0
#define SRC R1
#define N   R2

TEXT ·HalfToFloat32NEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), DST
	MOVD src_base+24(FP), SRC
	MOVD src_len+32(FP), N

loop32:
	CMP    $32, N
	BLT    loop8
	VLD1.P 64(SRC), [V0.H8, V1.H8, V2.H8, V3.H8]
	FCVTL4S(4, 0)
	FCVTL2_4S(5, 0)
	FCVTL4S(6, 1)
	FCVTL2_4S(7, 1)
	FCVTL4S(16, 2)
	FCVTL2_4S(17, 2)
	FCVTL4S(18, 3)
	FCVTL2_4S(19, 3)
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], 64(DST)
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(DST)
	SUB    $32, N
	B      loop32

loop8:
	CBZ    N, done
	VLD1.P 16(SRC), [V0.H8]
	FCVTL4S(4, 0)
	FCVTL2_4S(5, 0)
	VST1.P [V4.S4, V5.S4], 32(DST)
	SUB    $8, N
	B      loop8

done:
	RET
