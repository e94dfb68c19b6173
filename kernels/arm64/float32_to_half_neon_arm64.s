//go:build !noasm

#include "textflag.h"
#include "half_neon_arm64.h"

// func Float32ToHalfNEON(dst []uint16, src []float32)
//
// dst[i] = binary16(src[i]), round to nearest even (FPCR's mode, which Go
// leaves at its default), for i < len(src), a multiple of 8 (see
// Float32ToHalfGo): FCVTN/FCVTN2, 32 values per step while 32 remain,
// then 8.

#define DST R0
#define SRC R1
#define N   R2

TEXT ·Float32ToHalfNEON(SB), NOSPLIT, $0-48
	MOVD dst_base+0(FP), DST
	MOVD src_base+24(FP), SRC
	MOVD src_len+32(FP), N

loop32:
	CMP    $32, N
	BLT    loop8
	VLD1.P 64(SRC), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(SRC), [V16.S4, V17.S4, V18.S4, V19.S4]
	FCVTN4H(4, 0)
	FCVTN2_8H(4, 1)
	FCVTN4H(5, 2)
	FCVTN2_8H(5, 3)
	FCVTN4H(6, 16)
	FCVTN2_8H(6, 17)
	FCVTN4H(7, 18)
	FCVTN2_8H(7, 19)
	VST1.P [V4.H8, V5.H8, V6.H8, V7.H8], 64(DST)
	SUB    $32, N
	B      loop32

loop8:
	CBZ    N, done
	VLD1.P 32(SRC), [V0.S4, V1.S4]
	FCVTN4H(4, 0)
	FCVTN2_8H(4, 1)
	VST1.P [V4.H8], 16(DST)
	SUB    $8, N
	B      loop8

done:
	RET
