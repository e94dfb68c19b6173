//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"
#include "vec_math_avx512_amd64.h"

// func VecExpShiftSumAVX512(dst, x []float32, c float32) float32
//
// dst[i] = exp(x[i] - c) for i < len(x) and returns Σ dst[i]: the middle
// pass of softmax (purego.ExpShiftSum; the order of additions differs).
// len(dst) ≥ len(x); dst may be x.

#define DST DI  // output
#define SRC SI  // input
#define N   CX  // elements left (also the tail shift count)
#define C   Z29 // c in every lane

TEXT ·VecExpShiftSumAVX512(SB), NOSPLIT, $0-60
	MOVQ         dst_base+0(FP), DST
	MOVQ         x_base+24(FP), SRC
	MOVQ         x_len+32(FP), N
	VBROADCASTSS c+48(FP), C
	VMOVUPS      CV(K_EXPLO), ZEXPLO
	VMOVUPS      CV(K_EXPHI), ZEXPHI
	VXORPS       Z16, Z16, Z16
	VXORPS       Z17, Z17, Z17

loop32:
	// Two vectors per iteration, each into its own accumulator.
	CMPQ    N, $32
	JLT     loop16
	VMOVUPS 0(SRC), Z0
	VMOVUPS 64(SRC), Z4
	VSUBPS  C, Z0, Z0
	VSUBPS  C, Z4, Z4
	EXP512(Z0, Z1, Z2, Z3)
	EXP512(Z4, Z5, Z6, Z7)
	VMOVUPS Z0, 0(DST)
	VMOVUPS Z4, 64(DST)
	VADDPS  Z0, Z16, Z16
	VADDPS  Z4, Z17, Z17
	ADDQ    $128, SRC
	ADDQ    $128, DST
	SUBQ    $32, N
	JMP     loop32

loop16:
	CMPQ    N, $16
	JLT     tail
	VMOVUPS 0(SRC), Z0
	VSUBPS  C, Z0, Z0
	EXP512(Z0, Z1, Z2, Z3)
	VMOVUPS Z0, 0(DST)
	VADDPS  Z0, Z16, Z16
	ADDQ    $64, SRC
	ADDQ    $64, DST
	SUBQ    $16, N

tail:
	// The last 0..15 elements under K3; only those lanes are added.
	TESTQ     N, N
	JZ        fold
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K3
	VMOVUPS.Z 0(SRC), K3, Z0
	VSUBPS    C, Z0, Z0
	EXP512(Z0, Z1, Z2, Z3)
	VMOVUPS   Z0, K3, 0(DST)
	VADDPS    Z0, Z17, K3, Z17

fold:
	// Add the 32 partial sums in a tree.
	VADDPS        Z17, Z16, Z16
	VEXTRACTF64X4 $1, Z16, Y1
	VADDPS        Y1, Y16, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPS        X1, X0, X0
	VMOVHLPS      X0, X0, X1
	VADDPS        X1, X0, X0
	VMOVSHDUP     X0, X1
	VADDSS        X1, X0, X0
	VMOVSS        X0, ret+56(FP)
	VZEROUPPER
	RET
