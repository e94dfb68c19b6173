//go:build !noasm

#include "textflag.h"

// func HalfToFloat32AVX2(dst []float32, src []uint16)
//
// dst[i] = float32(src[i]) for i < len(src), a multiple of 8 (see
// HalfToFloat32Go): F16C VCVTPH2PS, four 8-lane vectors per step.
TEXT ·HalfToFloat32AVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX

h2f_loop32:
	CMPQ      CX, $32
	JB        h2f_loop8
	VCVTPH2PS (SI), Y0
	VCVTPH2PS 16(SI), Y1
	VCVTPH2PS 32(SI), Y2
	VCVTPH2PS 48(SI), Y3
	VMOVUPS   Y0, (DI)
	VMOVUPS   Y1, 32(DI)
	VMOVUPS   Y2, 64(DI)
	VMOVUPS   Y3, 96(DI)
	ADDQ      $64, SI
	ADDQ      $128, DI
	SUBQ      $32, CX
	JMP       h2f_loop32

h2f_loop8:
	CMPQ      CX, $8
	JB        h2f_done
	VCVTPH2PS (SI), Y0
	VMOVUPS   Y0, (DI)
	ADDQ      $16, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JMP       h2f_loop8

h2f_done:
	VZEROUPPER
	RET

// func Float32ToHalfAVX2(dst []uint16, src []float32)
//
// dst[i] = binary16(src[i]), round to nearest even, for i < len(src), a
// multiple of 8 (see Float32ToHalfGo): F16C VCVTPS2PH with rounding
// control 0, four 8-lane vectors per step.
TEXT ·Float32ToHalfAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX

f2h_loop32:
	CMPQ      CX, $32
	JB        f2h_loop8
	VMOVUPS   (SI), Y0
	VMOVUPS   32(SI), Y1
	VMOVUPS   64(SI), Y2
	VMOVUPS   96(SI), Y3
	VCVTPS2PH $0, Y0, (DI)
	VCVTPS2PH $0, Y1, 16(DI)
	VCVTPS2PH $0, Y2, 32(DI)
	VCVTPS2PH $0, Y3, 48(DI)
	ADDQ      $128, SI
	ADDQ      $64, DI
	SUBQ      $32, CX
	JMP       f2h_loop32

f2h_loop8:
	CMPQ      CX, $8
	JB        f2h_done
	VMOVUPS   (SI), Y0
	VCVTPS2PH $0, Y0, (DI)
	ADDQ      $32, SI
	ADDQ      $16, DI
	SUBQ      $8, CX
	JMP       f2h_loop8

f2h_done:
	VZEROUPPER
	RET
