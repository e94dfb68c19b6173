//go:build !noasm

#include "textflag.h"

// func ConvTGatherRowAVX512(dst, col []float32, ys, xStart, xOff []int, ld, lanes int)
//
// For each output column ox: dst[ox·ld : ox·ld+lanes] = the sum over
// a in ys, b in xOff[xStart[ox]:xStart[ox+1]] of col[a+b : a+b+lanes],
// from −0, in that order; zeros when either list is empty (see
// ConvTGatherRowGo). One zmm accumulator under the lane mask K1.

#define DST  DI  // dst at column ox
#define COL  SI
#define YS   R8  // &ys[0]
#define YEND R9  // &ys[len(ys)]
#define XST  R10 // &xStart[ox]
#define OW   R11 // columns left
#define XOFF R12 // &xOff[0]
#define LD   R13 // ld, bytes
#define X0   AX  // &xOff[xStart[ox]]
#define X1   BX  // &xOff[xStart[ox+1]]
#define YP   CX  // ys iterator
#define PA   DX  // col + a
#define XP   R14 // xs iterator
#define B    R15 // b
#define ZERO Z0
#define NEG0 Z1
#define ACC  Z2

TEXT ·ConvTGatherRowAVX512(SB), NOSPLIT, $0-136
	MOVQ         dst_base+0(FP), DST
	MOVQ         col_base+24(FP), COL
	MOVQ         ys_base+48(FP), YS
	MOVQ         ys_len+56(FP), YEND
	LEAQ         (YS)(YEND*8), YEND
	MOVQ         xStart_base+72(FP), XST
	MOVQ         xStart_len+80(FP), OW
	DECQ         OW
	MOVQ         xOff_base+96(FP), XOFF
	MOVQ         ld+120(FP), LD
	SHLQ         $2, LD
	MOVQ         lanes+128(FP), CX
	MOVQ         $1, AX
	SHLQ         CX, AX
	DECQ         AX
	KMOVW        AX, K1
	MOVL         $0x80000000, AX
	VPBROADCASTD AX, NEG0
	VPXORD       ZERO, ZERO, ZERO
	TESTQ        OW, OW
	JLE          done

column:
	// This column's runs: xOff[xStart[ox]:xStart[ox+1]].
	MOVQ (XST), X0
	MOVQ 8(XST), X1
	ADDQ $8, XST
	LEAQ (XOFF)(X0*8), X0
	LEAQ (XOFF)(X1*8), X1
	CMPQ X0, X1
	JGE  empty
	CMPQ YS, YEND
	JGE  empty
	VMOVAPS NEG0, ACC
	MOVQ YS, YP

yrun:
	MOVQ (YP), PA
	LEAQ (COL)(PA*4), PA
	MOVQ X0, XP

xrun:
	// ACC += col[a+b : a+b+lanes].
	MOVQ      (XP), B
	VMOVUPS.Z (PA)(B*4), K1, Z3
	VADDPS    Z3, ACC, ACC
	ADDQ      $8, XP
	CMPQ      XP, X1
	JLT       xrun
	ADDQ      $8, YP
	CMPQ      YP, YEND
	JLT       yrun
	VMOVUPS   ACC, K1, (DST)
	JMP       next

empty:
	VMOVUPS ZERO, K1, (DST)

next:
	ADDQ LD, DST
	DECQ OW
	JNZ  column

done:
	VZEROUPPER
	RET
