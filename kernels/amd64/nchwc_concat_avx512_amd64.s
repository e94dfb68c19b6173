//go:build !noasm

#include "textflag.h"

// func NCHWcLaneCopyAVX512(dst, src []float32, lo, hi, shift int)
//
// For every 16-lane pixel p of src, lanes [lo, hi) go to lanes
// [lo+shift, hi+shift) of pixel p of dst (see NCHWcLaneCopyGo): one load
// and one store under the lane mask [lo, hi) at dst shifted by shift
// lanes; masked-off lanes are neither read nor written, four pixels per
// step.
TEXT ·NCHWcLaneCopyAVX512(SB), NOSPLIT, $0-72
	MOVQ  dst_base+0(FP), DI
	MOVQ  src_base+24(FP), SI
	MOVQ  shift+64(FP), AX
	SHLQ  $2, AX
	ADDQ  AX, DI
	MOVQ  hi+56(FP), CX
	MOVL  $1, AX
	SHLL  CX, AX
	DECL  AX
	MOVQ  lo+48(FP), CX
	MOVL  $1, BX
	SHLL  CX, BX
	DECL  BX
	XORL  BX, AX
	KMOVW AX, K1
	MOVQ  src_len+32(FP), CX
	SHRQ  $4, CX

loop4:
	CMPQ    CX, $4
	JLT     loop1
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVUPS 128(SI), Z2
	VMOVUPS 192(SI), Z3
	VMOVUPS Z0, K1, (DI)
	VMOVUPS Z1, K1, 64(DI)
	VMOVUPS Z2, K1, 128(DI)
	VMOVUPS Z3, K1, 192(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $4, CX
	JMP     loop4

loop1:
	TESTQ   CX, CX
	JZ      done
	VMOVUPS (SI), Z0
	VMOVUPS Z0, K1, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JMP     loop1

done:
	VZEROUPPER
	RET
