//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"

// func VecSumAVX2(x []float32) float32
//
// Returns Σ x[i] (purego.Sum; the order of additions differs).
// Four ymm accumulators (32 partial sums) while 32 elements remain, then
// one vector at a time, then a masked tail; the partial sums are added in
// a tree at the end.

#define SRC  SI // input
#define N    CX // elements left
#define MASK Y8 // tail mask

TEXT ·VecSumAVX2(SB), NOSPLIT, $0-28
	MOVQ x_base+0(FP), SRC
	MOVQ x_len+8(FP), N
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7


loop32:
	CMPQ    N, $32
	JLT     loop8
	VMOVUPS 0(SRC), Y0
	VMOVUPS 32(SRC), Y1
	VMOVUPS 64(SRC), Y2
	VMOVUPS 96(SRC), Y3
	VADDPS  Y0, Y4, Y4
	VADDPS  Y1, Y5, Y5
	VADDPS  Y2, Y6, Y6
	VADDPS  Y3, Y7, Y7
	ADDQ    $128, SRC
	SUBQ    $32, N
	JMP     loop32

loop8:
	CMPQ    N, $8
	JLT     tail
	VMOVUPS 0(SRC), Y0
	VADDPS  Y0, Y4, Y4
	ADDQ    $32, SRC
	SUBQ    $8, N
	JMP     loop8

tail:
	// The last 0..7 elements under the mask vecMask8[8-N:]; masked-out
	// lanes load as 0 and their terms are masked off before adding.
	TESTQ      N, N
	JZ         fold
	LEAQ       ·vecMask8(SB), AX
	MOVQ       $8, BX
	SUBQ       N, BX
	VMOVDQU    (AX)(BX*4), MASK
	VMASKMOVPS 0(SRC), MASK, Y0
	VADDPS  Y0, Y5, Y5

fold:
	VADDPS Y5, Y4, Y4
	VADDPS Y7, Y6, Y6
	VADDPS Y6, Y4, Y4
	// Fold the 8 lanes of Y4 into X0 (adds in a tree).
	VEXTRACTF128 $1, Y4, X1
	VADDPS       X1, X4, X0
	VMOVHLPS     X0, X0, X1
	VADDPS       X1, X0, X0
	VMOVSHDUP    X0, X1
	VADDSS       X1, X0, X0
	VMOVSS X0, ret+24(FP)
	VZEROUPPER
	RET
