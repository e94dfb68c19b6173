//go:build !noasm

#include "textflag.h"

// func NCHWcGatherAVX512(dst, src []float32, idx *[16]int32, lanes int)
//
// Pixel p of dst (16 lanes) = src[p+idx[l]] for l < lanes, zero above
// (see NCHWcGatherGo): one masked gather per pixel into a zeroed register.
TEXT ·NCHWcGatherAVX512(SB), NOSPLIT, $0-64
	MOVQ      lanes+56(FP), CX
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K2
	MOVQ      dst_base+0(FP), DI
	MOVQ      dst_len+8(FP), CX
	SHRQ      $4, CX
	MOVQ      src_base+24(FP), SI
	MOVQ      idx+48(FP), AX
	VMOVDQU32 (AX), Z16

gloop:
	TESTQ      CX, CX
	JZ         gdone
	KMOVW      K2, K1
	VPXORD     Z0, Z0, Z0
	VGATHERDPS (SI)(Z16*4), K1, Z0
	VMOVUPS    Z0, (DI)
	ADDQ       $4, SI
	ADDQ       $64, DI
	DECQ       CX
	JMP        gloop

gdone:
	VZEROUPPER
	RET
