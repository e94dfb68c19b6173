//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"
#include "vec_math_avx512_amd64.h"

// func VecSoftmax64AVX512(dst, x []float32)
//
// dst[i] = exp(x[i] - m) / Σ_j exp(x[j] - m), m = max x, for a row of at
// most 64 elements held in four zmm registers (VecSoftmax64Go; the order of
// the additions of the sum differs). One call instead of the three passes
// of max, exp-shift-sum and scale: attention's score rows are this short.
// len(x) ≤ 64 and len(dst) ≥ len(x) are the caller's to check.

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

TEXT ·VecSoftmax64AVX512(SB), NOSPLIT, $0-48
	MOVQ  dst_base+0(FP), DST
	MOVQ  x_base+24(FP), SRC
	MOVQ  x_len+32(FP), N
	TESTQ N, N
	JZ    done
	LANEMASK(0, K1)
	LANEMASK(16, K2)
	LANEMASK(32, K3)
	LANEMASK(48, K4)
	VMOVUPS CV(K_EXPLO), ZEXPLO
	VMOVUPS CV(K_EXPHI), ZEXPHI

	// The row, -Inf in the lanes past its end.
	VMOVUPS CV(K_NEGINF), Z0
	VMOVUPS Z0, Z1
	VMOVUPS Z0, Z2
	VMOVUPS Z0, Z3
	VMOVUPS 0(SRC), K1, Z0
	VMOVUPS 64(SRC), K2, Z1
	VMOVUPS 128(SRC), K3, Z2
	VMOVUPS 192(SRC), K4, Z3

	// m in every lane of Z29. A NaN the max misses still makes its own
	// exp, hence the sum and every output, NaN.
	VMAXPS        Z1, Z0, Z4
	VMAXPS        Z3, Z2, Z5
	VMAXPS        Z5, Z4, Z4
	VEXTRACTF64X4 $1, Z4, Y5
	VMAXPS        Y5, Y4, Y4
	VEXTRACTF128  $1, Y4, X5
	VMAXPS        X5, X4, X4
	VPERMILPS     $0x4e, X4, X5
	VMAXPS        X5, X4, X4
	VPERMILPS     $0xb1, X4, X5
	VMAXPS        X5, X4, X4
	VBROADCASTSS  X4, Z29

	// e = exp(x - m), four independent chains.
	VSUBPS Z29, Z0, Z0
	VSUBPS Z29, Z1, Z1
	VSUBPS Z29, Z2, Z2
	VSUBPS Z29, Z3, Z3
	EXP512(Z0, Z4, Z5, Z6)
	EXP512(Z1, Z7, Z8, Z9)
	EXP512(Z2, Z10, Z11, Z12)
	EXP512(Z3, Z13, Z14, Z15)

	// s = Σ e over the row's lanes only.
	VXORPS        Z4, Z4, Z4
	VXORPS        Z5, Z5, Z5
	VADDPS        Z0, Z4, K1, Z4
	VADDPS        Z1, Z5, K2, Z5
	VADDPS        Z2, Z4, K3, Z4
	VADDPS        Z3, Z5, K4, Z5
	VADDPS        Z5, Z4, Z4
	VEXTRACTF64X4 $1, Z4, Y5
	VADDPS        Y5, Y4, Y4
	VEXTRACTF128  $1, Y4, X5
	VADDPS        X5, X4, X4
	VMOVHLPS      X4, X4, X5
	VADDPS        X5, X4, X4
	VMOVSHDUP     X4, X5
	VADDSS        X5, X4, X4

	// dst = e · (1/s).
	VMOVSS       CV(K_ONE), X5
	VDIVSS       X4, X5, X5
	VBROADCASTSS X5, Z5
	VMULPS       Z5, Z0, Z0
	VMULPS       Z5, Z1, Z1
	VMULPS       Z5, Z2, Z2
	VMULPS       Z5, Z3, Z3
	VMOVUPS      Z0, K1, 0(DST)
	VMOVUPS      Z1, K2, 64(DST)
	VMOVUPS      Z2, K3, 128(DST)
	VMOVUPS      Z3, K4, 192(DST)
	VZEROUPPER

done:
	RET
