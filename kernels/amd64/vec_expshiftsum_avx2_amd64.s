//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"
#include "vec_math_avx2_amd64.h"

// func VecExpShiftSumAVX2(dst, x []float32, c float32) float32
//
// dst[i] = exp(x[i] - c) for i < len(x) and returns Σ dst[i]: the middle
// pass of softmax (purego.ExpShiftSum; the order of additions differs).
// len(dst) ≥ len(x); dst may be x.

#define DST  DI  // output
#define SRC  SI  // input
#define N    CX  // elements left
#define C    Y13 // c in every lane
#define MASK Y12 // tail mask

TEXT ·VecExpShiftSumAVX2(SB), NOSPLIT, $0-60
	MOVQ         dst_base+0(FP), DST
	MOVQ         x_base+24(FP), SRC
	MOVQ         x_len+32(FP), N
	VBROADCASTSS c+48(FP), C
	VMOVUPS      CV(K_EXPLO), YEXPLO
	VMOVUPS      CV(K_EXPHI), YEXPHI
	VXORPS       Y10, Y10, Y10
	VXORPS       Y11, Y11, Y11

loop16:
	// Two vectors per iteration, each into its own accumulator.
	CMPQ    N, $16
	JLT     loop8
	VMOVUPS 0(SRC), Y0
	VMOVUPS 32(SRC), Y4
	VSUBPS  C, Y0, Y0
	VSUBPS  C, Y4, Y4
	EXP256(Y0, Y1, Y2, Y3)
	EXP256(Y4, Y5, Y6, Y7)
	VMOVUPS Y0, 0(DST)
	VMOVUPS Y4, 32(DST)
	VADDPS  Y0, Y10, Y10
	VADDPS  Y4, Y11, Y11
	ADDQ    $64, SRC
	ADDQ    $64, DST
	SUBQ    $16, N
	JMP     loop16

loop8:
	CMPQ    N, $8
	JLT     tail
	VMOVUPS 0(SRC), Y0
	VSUBPS  C, Y0, Y0
	EXP256(Y0, Y1, Y2, Y3)
	VMOVUPS Y0, 0(DST)
	VADDPS  Y0, Y10, Y10
	ADDQ    $32, SRC
	ADDQ    $32, DST
	SUBQ    $8, N

tail:
	// The last 0..7 elements under the mask; only those lanes are added.
	TESTQ      N, N
	JZ         fold
	LEAQ       ·vecMask8(SB), AX
	MOVQ       $8, BX
	SUBQ       N, BX
	VMOVDQU    (AX)(BX*4), MASK
	VMASKMOVPS 0(SRC), MASK, Y0
	VSUBPS     C, Y0, Y0
	EXP256(Y0, Y1, Y2, Y3)
	VMASKMOVPS Y0, MASK, 0(DST)
	VANDPS     MASK, Y0, Y0
	VADDPS     Y0, Y11, Y11

fold:
	// Add the 16 partial sums in a tree.
	VADDPS       Y11, Y10, Y10
	VEXTRACTF128 $1, Y10, X1
	VADDPS       X1, X10, X0
	VMOVHLPS     X0, X0, X1
	VADDPS       X1, X0, X0
	VMOVSHDUP    X0, X1
	VADDSS       X1, X0, X0
	VMOVSS       X0, ret+56(FP)
	VZEROUPPER
	RET
