//go:build !noasm

#include "textflag.h"

// func NCHWcResizeLinearRowAVX512(dst, r0, r1 []float32, ix []int32, wx []float32, wy0, wy1 float32)
//
// One output row of a bilinear resize in a 16-channel blocked layout (see
// NCHWcResizeLinearRowGo): per output pixel, the vertical blend of the two
// source rows at columns ix[2o] and ix[2o+1], then their horizontal blend,
// one zmm register of 16 channels per pixel.
TEXT ·NCHWcResizeLinearRowAVX512(SB), NOSPLIT, $0-128
	MOVQ         dst_base+0(FP), DI
	MOVQ         dst_len+8(FP), CX
	SHRQ         $4, CX
	MOVQ         r0_base+24(FP), SI
	MOVQ         r1_base+48(FP), DX
	MOVQ         ix_base+72(FP), BX
	MOVQ         wx_base+96(FP), R10
	VBROADCASTSS wy0+120(FP), Z16
	VBROADCASTSS wy1+124(FP), Z17

loop:
	TESTQ        CX, CX
	JZ           done
	MOVLQSX      (BX), R8
	MOVLQSX      4(BX), R9
	SHLQ         $6, R8
	SHLQ         $6, R9
	VMULPS       (SI)(R8*1), Z16, Z0
	VFMADD231PS  (DX)(R8*1), Z17, Z0
	VMULPS       (SI)(R9*1), Z16, Z1
	VFMADD231PS  (DX)(R9*1), Z17, Z1
	VBROADCASTSS (R10), Z2
	VBROADCASTSS 4(R10), Z3
	VMULPS       Z0, Z2, Z0
	VFMADD231PS  Z1, Z3, Z0
	VMOVUPS      Z0, (DI)
	ADDQ         $8, BX
	ADDQ         $8, R10
	ADDQ         $64, DI
	DECQ         CX
	JMP          loop

done:
	VZEROUPPER
	RET
