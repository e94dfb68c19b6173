//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"

// func VecSumSqDiffAVX512(x []float32, c float32) float32
//
// Returns Σ (x[i]-c)² (purego.SumSqDiff; the order of additions differs).
// Four zmm accumulators (64 partial sums) while 64 elements remain, then
// one vector at a time, then a masked tail; the partial sums are added in
// a tree at the end.

#define SRC SI // input
#define N   CX // elements left (also the tail shift count)

TEXT ·VecSumSqDiffAVX512(SB), NOSPLIT, $0-36
	MOVQ x_base+0(FP), SRC
	MOVQ x_len+8(FP), N
	VXORPS Z16, Z16, Z16
	VXORPS Z17, Z17, Z17
	VXORPS Z18, Z18, Z18
	VXORPS Z19, Z19, Z19
	// Z29 = c in every lane.
	VBROADCASTSS c+24(FP), Z29

loop64:
	CMPQ    N, $64
	JLT     loop16
	VMOVUPS 0(SRC), Z0
	VMOVUPS 64(SRC), Z1
	VMOVUPS 128(SRC), Z2
	VMOVUPS 192(SRC), Z3
	VSUBPS  Z29, Z0, Z0
	VFMADD231PS Z0, Z0, Z16
	VSUBPS  Z29, Z1, Z1
	VFMADD231PS Z1, Z1, Z17
	VSUBPS  Z29, Z2, Z2
	VFMADD231PS Z2, Z2, Z18
	VSUBPS  Z29, Z3, Z3
	VFMADD231PS Z3, Z3, Z19
	ADDQ    $256, SRC
	SUBQ    $64, N
	JMP     loop64

loop16:
	CMPQ    N, $16
	JLT     tail
	VMOVUPS 0(SRC), Z0
	VSUBPS  Z29, Z0, Z0
	VFMADD231PS Z0, Z0, Z16
	ADDQ    $64, SRC
	SUBQ    $16, N
	JMP     loop16

tail:
	// The last 0..15 elements, loaded under a mask with zeros elsewhere
	// (the masked add keeps the zero lanes out of the sum).
	TESTQ     N, N
	JZ        fold
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K3
	VMOVUPS.Z 0(SRC), K3, Z0
	VSUBPS  Z29, Z0, Z0
	VFMADD231PS Z0, Z0, K3, Z17

fold:
	VADDPS Z17, Z16, Z16
	VADDPS Z19, Z18, Z18
	VADDPS Z18, Z16, Z16
	// Fold the 16 lanes of Z16 into X0 (adds in a tree).
	VEXTRACTF64X4 $1, Z16, Y1
	VADDPS        Y1, Y16, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPS        X1, X0, X0
	VMOVHLPS      X0, X0, X1
	VADDPS        X1, X0, X0
	VMOVSHDUP     X0, X1
	VADDSS        X1, X0, X0
	VMOVSS X0, ret+32(FP)
	VZEROUPPER
	RET
