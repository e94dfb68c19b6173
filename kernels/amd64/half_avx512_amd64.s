//go:build !noasm

#include "textflag.h"

// func HalfToFloat32AVX512(dst []float32, src []uint16)
//
// dst[i] = float32(src[i]) for i < len(src), a multiple of 16 (see
// HalfToFloat32Go): VCVTPH2PS, four 16-lane vectors per step.
TEXT ·HalfToFloat32AVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX

h2f_loop64:
	CMPQ CX, $64
	JB   h2f_loop16
	VCVTPH2PS (SI), Z0
	VCVTPH2PS 32(SI), Z1
	VCVTPH2PS 64(SI), Z2
	VCVTPH2PS 96(SI), Z3
	VMOVUPS   Z0, (DI)
	VMOVUPS   Z1, 64(DI)
	VMOVUPS   Z2, 128(DI)
	VMOVUPS   Z3, 192(DI)
	ADDQ      $128, SI
	ADDQ      $256, DI
	SUBQ      $64, CX
	JMP       h2f_loop64

h2f_loop16:
	CMPQ CX, $16
	JB   h2f_done
	VCVTPH2PS (SI), Z0
	VMOVUPS   Z0, (DI)
	ADDQ      $32, SI
	ADDQ      $64, DI
	SUBQ      $16, CX
	JMP       h2f_loop16

h2f_done:
	VZEROUPPER
	RET

// func Float32ToHalfAVX512(dst []uint16, src []float32)
//
// dst[i] = binary16(src[i]), round to nearest even, for i < len(src), a
// multiple of 16 (see Float32ToHalfGo): VCVTPS2PH with rounding control
// 0 (nearest even, whatever MXCSR says), four 16-lane vectors per step.
TEXT ·Float32ToHalfAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX

f2h_loop64:
	CMPQ      CX, $64
	JB        f2h_loop16
	VMOVUPS   (SI), Z0
	VMOVUPS   64(SI), Z1
	VMOVUPS   128(SI), Z2
	VMOVUPS   192(SI), Z3
	VCVTPS2PH $0, Z0, (DI)
	VCVTPS2PH $0, Z1, 32(DI)
	VCVTPS2PH $0, Z2, 64(DI)
	VCVTPS2PH $0, Z3, 96(DI)
	ADDQ      $256, SI
	ADDQ      $128, DI
	SUBQ      $64, CX
	JMP       f2h_loop64

f2h_loop16:
	CMPQ      CX, $16
	JB        f2h_done
	VMOVUPS   (SI), Z0
	VCVTPS2PH $0, Z0, (DI)
	ADDQ      $64, SI
	ADDQ      $32, DI
	SUBQ      $16, CX
	JMP       f2h_loop16

f2h_done:
	VZEROUPPER
	RET
