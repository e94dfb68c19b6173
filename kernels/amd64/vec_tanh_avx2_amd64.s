//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"
#include "vec_math_avx2_amd64.h"

// func VecTanhAVX2(dst, x []float32)
//
// dst[i] = tanh(x[i]) for i < len(x), the algorithm of purego.Tanh
// (TANH256 in vec_math_avx2_amd64.h). len(dst) ≥ len(x); dst may be x.

#define DST  DI  // output, advances with SRC
#define SRC  SI  // input
#define N    CX  // elements left
#define MASK Y12 // tail mask (Y0..Y11 are the body's, Y14/Y15 the clamps)

TEXT ·VecTanhAVX2(SB), NOSPLIT, $0-48
	MOVQ    dst_base+0(FP), DST
	MOVQ    x_base+24(FP), SRC
	MOVQ    x_len+32(FP), N
	VMOVUPS CV(K_EXPLO), YEXPLO
	VMOVUPS CV(K_EXPHI), YEXPHI

loop8:
	// One vector of 8 per iteration (the body needs up to 12 registers).
	CMPQ    N, $8
	JLT     tail
	VMOVUPS 0(SRC), Y0
	TANH256(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VMOVUPS Y0, 0(DST)
	ADDQ    $32, SRC
	ADDQ    $32, DST
	SUBQ    $8, N
	JMP     loop8

tail:
	// The last 0..7 elements under the mask vecMask8[8-N:] (masked-out
	// lanes load as 0, are computed and not stored).
	TESTQ      N, N
	JZ         done
	LEAQ       ·vecMask8(SB), AX
	MOVQ       $8, BX
	SUBQ       N, BX
	VMOVDQU    (AX)(BX*4), MASK
	VMASKMOVPS 0(SRC), MASK, Y0
	TANH256(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VMASKMOVPS Y0, MASK, 0(DST)

done:
	VZEROUPPER
	RET
