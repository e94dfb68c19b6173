//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"
#include "vec_math_avx512_amd64.h"

// func VecSoftmax128AVX512(dst, x []float32)
//
// VecSoftmax64AVX512 for rows of 65 to 128 elements (VecSoftmax128Go):
// the row in eight zmm registers, the first four always full, the last
// four masked by K1-K4. 64 < len(x) ≤ 128 and len(dst) ≥ len(x) are the
// caller's to check.

#define DST DI
#define SRC SI
#define N   DX

// LANEMASK sets mask register k to the lanes of x[off:off+16] that exist:
// (1 << clamp(n-off, 0, 16)) - 1.
#define LANEMASK(off, k) \
	MOVQ    N, CX; \
	SUBQ    $off, CX; \
	XORL    BX, BX; \
	CMPQ    CX, $0; \
	CMOVQLT BX, CX; \
	MOVQ    $16, BX; \
	CMPQ    CX, $16; \
	CMOVQGT BX, CX; \
	MOVL    $1, AX; \
	SHLL    CX, AX; \
	DECL    AX; \
	KMOVW   AX, k

TEXT ·VecSoftmax128AVX512(SB), NOSPLIT, $0-48
	MOVQ  dst_base+0(FP), DST
	MOVQ  x_base+24(FP), SRC
	MOVQ  x_len+32(FP), N
	LANEMASK(64, K1)
	LANEMASK(80, K2)
	LANEMASK(96, K3)
	LANEMASK(112, K4)
	VMOVUPS CV(K_EXPLO), ZEXPLO
	VMOVUPS CV(K_EXPHI), ZEXPHI

	// The row, -Inf in the lanes past its end.
	VMOVUPS 0(SRC), Z0
	VMOVUPS 64(SRC), Z1
	VMOVUPS 128(SRC), Z2
	VMOVUPS 192(SRC), Z3
	VMOVUPS CV(K_NEGINF), Z4
	VMOVUPS Z4, Z5
	VMOVUPS Z4, Z6
	VMOVUPS Z4, Z7
	VMOVUPS 256(SRC), K1, Z4
	VMOVUPS 320(SRC), K2, Z5
	VMOVUPS 384(SRC), K3, Z6
	VMOVUPS 448(SRC), K4, Z7

	// m in every lane of Z29. A NaN the max misses still makes its own
	// exp, hence the sum and every output, NaN.
	VMAXPS        Z1, Z0, Z8
	VMAXPS        Z3, Z2, Z9
	VMAXPS        Z5, Z4, Z10
	VMAXPS        Z7, Z6, Z11
	VMAXPS        Z9, Z8, Z8
	VMAXPS        Z11, Z10, Z10
	VMAXPS        Z10, Z8, Z8
	VEXTRACTF64X4 $1, Z8, Y9
	VMAXPS        Y9, Y8, Y8
	VEXTRACTF128  $1, Y8, X9
	VMAXPS        X9, X8, X8
	VPERMILPS     $0x4e, X8, X9
	VMAXPS        X9, X8, X8
	VPERMILPS     $0xb1, X8, X9
	VMAXPS        X9, X8, X8
	VBROADCASTSS  X8, Z29

	// e = exp(x - m), four independent chains at a time.
	VSUBPS Z29, Z0, Z0
	VSUBPS Z29, Z1, Z1
	VSUBPS Z29, Z2, Z2
	VSUBPS Z29, Z3, Z3
	VSUBPS Z29, Z4, Z4
	VSUBPS Z29, Z5, Z5
	VSUBPS Z29, Z6, Z6
	VSUBPS Z29, Z7, Z7
	EXP512(Z0, Z8, Z9, Z10)
	EXP512(Z1, Z11, Z12, Z13)
	EXP512(Z2, Z14, Z15, Z16)
	EXP512(Z3, Z17, Z18, Z19)
	EXP512(Z4, Z8, Z9, Z10)
	EXP512(Z5, Z11, Z12, Z13)
	EXP512(Z6, Z14, Z15, Z16)
	EXP512(Z7, Z17, Z18, Z19)

	// s = Σ e over the row's lanes only.
	VADDPS        Z1, Z0, Z8
	VADDPS        Z3, Z2, Z9
	VADDPS        Z4, Z8, K1, Z8
	VADDPS        Z5, Z9, K2, Z9
	VADDPS        Z6, Z8, K3, Z8
	VADDPS        Z7, Z9, K4, Z9
	VADDPS        Z9, Z8, Z8
	VEXTRACTF64X4 $1, Z8, Y9
	VADDPS        Y9, Y8, Y8
	VEXTRACTF128  $1, Y8, X9
	VADDPS        X9, X8, X8
	VMOVHLPS      X8, X8, X9
	VADDPS        X9, X8, X8
	VMOVSHDUP     X8, X9
	VADDSS        X9, X8, X8

	// dst = e · (1/s).
	VMOVSS       CV(K_ONE), X9
	VDIVSS       X8, X9, X9
	VBROADCASTSS X9, Z9
	VMULPS       Z9, Z0, Z0
	VMULPS       Z9, Z1, Z1
	VMULPS       Z9, Z2, Z2
	VMULPS       Z9, Z3, Z3
	VMULPS       Z9, Z4, Z4
	VMULPS       Z9, Z5, Z5
	VMULPS       Z9, Z6, Z6
	VMULPS       Z9, Z7, Z7
	VMOVUPS      Z0, 0(DST)
	VMOVUPS      Z1, 64(DST)
	VMOVUPS      Z2, 128(DST)
	VMOVUPS      Z3, 192(DST)
	VMOVUPS      Z4, K1, 256(DST)
	VMOVUPS      Z5, K2, 320(DST)
	VMOVUPS      Z6, K3, 384(DST)
	VMOVUPS      Z7, K4, 448(DST)
	VZEROUPPER
	RET
