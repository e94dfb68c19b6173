//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"
#include "vec_math_avx512_amd64.h"

// func AttnSoftmaxRowsAVX512(dst []float32, ldd int, x []float32, ldx int, add []float32, ldadd int, n, rows int)
//
// The softmax of rows rows of n elements (AttnSoftmaxRowsGo): row r of
// dst (at r·ldd) is the softmax of row r of x (at r·ldx), plus row r of
// add (at r·ldadd) when add is not empty. Each row runs in three passes:
// the maximum m (with add, x + add is stored to dst on the way and the
// next passes read dst); e = exp(x - m) stored to dst and summed; dst
// scaled by 1/Σe. Full vectors run two at a time; a row of n ≥ 16 whose
// length is not a multiple of 16 ends with the vector of its last 16
// elements, overlapping the one before (computed before the loop so that
// dst may be x, summed only in its new lanes, stored after the loop with
// the same values in the overlap), so that no masked load or store runs
// past the row: a masked store whose span reaches into the next page or
// into data read next costs tens of cycles on current x86 cores. Rows
// under 16 elements are one masked vector. A row computes ⌈n/16⌉ exps
// (one more when n > 16 is not a multiple of 16). One call for a strip of
// score rows saves a call per row and lets a row's passes overlap the
// previous row's reductions.
//
// Its exp is EXP512's polynomial, with these changes, all exact: lanes
// where t = x - m ≤ ExpLo, whose exp rounds to 0 there, are not computed
// (they run as 0 and the last operation zeroes them): an underflowing
// multiply costs a slow-path assist on current x86 cores, even in a lane a
// zeroing mask discards (about 3x the whole row's time when a third of a
// row is masked with -1e4 or is padding), and a masked score is exactly
// such a lane. No clamp at ExpHi: t ≤ 0 or t is NaN. p·2^n is one
// VSCALEFPS, rounded once as EXP512's p·2^(n>>1)·2^(n-n>>1), whose first
// product is exact. The operand lengths ((rows-1)·ld + n, add empty or
// as long) are the caller's to check; dst may be x (ldd = ldx), or
// disjoint from it.

#define DST DI
#define SRC SI
#define N   DX
#define I   AX
#define NF  BX // N rounded down to a multiple of 16
#define NX  R8 // I + 32
#define TL  CX // N mod 16
#define ZM  Z29 // m in every lane
#define ZS0 Z27 // partial sums
#define ZS1 Z28
#define ZT  Z26 // the last 16 elements' vector
#define ZI  Z25 // 1/Σe in every lane
#define ADD R11
#define ROWS R13 // rows left
#define XROW R14 // row r of x
#define ZA  Z24 // with add: the last 16 elements of x + add

// EXPZ: x = exp(x) for x ≤ 0 or NaN (EXP512's polynomial, p·2^n by
// VSCALEFPS) where x > ExpLo or x is NaN, 0 elsewhere; k is scratch.
#define EXPZ(x, n, t, k) \
	VCMPPS       $6, ZEXPLO, x, k; \
	VMOVAPS.Z    x, k, x; \
	VMOVUPS      CV(K_MAGIC), n; \
	VFMADD231PS  CV(K_LOG2E), x, n; \
	VSUBPS       CV(K_MAGIC), n, n; \
	VFNMADD231PS CV(K_LN2HI), n, x; \
	VFNMADD231PS CV(K_LN2LO), n, x; \
	VMOVUPS      CV(K_EXPP5), t; \
	VFMADD213PS  CV(K_EXPP4), x, t; \
	VFMADD213PS  CV(K_EXPP3), x, t; \
	VFMADD213PS  CV(K_EXPP2), x, t; \
	VFMADD213PS  CV(K_EXPP1), x, t; \
	VFMADD213PS  CV(K_EXPP0), x, t; \
	VFMADD213PS  CV(K_ONE), x, t; \
	VFMADD213PS  CV(K_ONE), x, t; \
	VSCALEFPS.Z  n, t, k, x

TEXT ·AttnSoftmaxRowsAVX512(SB), NOSPLIT, $0-112
	MOVQ  dst_base+0(FP), DST
	MOVQ  x_base+32(FP), XROW
	MOVQ  add_base+64(FP), ADD
	MOVQ  add_len+72(FP), R12
	MOVQ  n+96(FP), N
	MOVQ  rows+104(FP), ROWS
	TESTQ N, N
	JZ    done
	TESTQ ROWS, ROWS
	JLE   done
	VMOVUPS CV(K_EXPLO), ZEXPLO
	MOVQ  N, TL
	ANDQ  $15, TL
	MOVQ  N, NF
	ANDQ  $-16, NF

row:
	MOVQ  XROW, SRC
	CMPQ  N, $16
	JLT   short
	TESTQ R12, R12
	JNZ   addrow

	// Pass 1: m = max x. A NaN the max misses still makes its own exp,
	// hence the sum and every output, NaN.
	VMOVUPS (SRC), Z0
	VMOVUPS -64(SRC)(N*4), Z1
	MOVQ    $16, I

max2:
	LEAQ    32(I), NX
	CMPQ    NX, NF
	JGT     max1
	VMAXPS  (SRC)(I*4), Z0, Z0
	VMAXPS  64(SRC)(I*4), Z1, Z1
	MOVQ    NX, I
	JMP     max2

max1:
	CMPQ    I, NF
	JGE     maxr
	VMAXPS  (SRC)(I*4), Z0, Z0

	JMP     maxr

addrow:
	// Pass 1 with add: dst = x + add and m = max dst, the last 16
	// elements (the last vector overlapping the one before) summed first,
	// before dst = x is overwritten, and stored last; the next passes read
	// dst.
	VMOVUPS -64(SRC)(N*4), ZA
	VADDPS  -64(ADD)(N*4), ZA, ZA
	VMOVAPS ZA, Z0
	VMOVUPS CV(K_NEGINF), Z1
	XORQ    I, I

add1:
	CMPQ    I, NF
	JGE     addd
	VMOVUPS (SRC)(I*4), Z2
	VADDPS  (ADD)(I*4), Z2, Z2
	VMOVUPS Z2, (DST)(I*4)
	VMAXPS  Z2, Z1, Z1
	ADDQ    $16, I
	JMP     add1

addd:
	VMOVUPS ZA, -64(DST)(N*4)
	MOVQ    DST, SRC

maxr:
	VMAXPS        Z1, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VMAXPS        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VMAXPS        X1, X0, X0
	VPERMILPS     $0x4e, X0, X1
	VMAXPS        X1, X0, X0
	VPERMILPS     $0xb1, X0, X1
	VMAXPS        X1, X0, X0
	VBROADCASTSS  X0, ZM

	// Pass 2: dst = e = exp(x - m), Σe in ZS0 + ZS1. The last 16
	// elements first, summed in their lanes past NF only (K4).
	VXORPS ZS0, ZS0, ZS0
	VXORPS ZS1, ZS1, ZS1
	TESTQ  TL, TL
	JZ     exp0
	MOVL   $16, R9
	SUBL   TL, R9
	MOVL   $1, R10
	SHLXL  R9, R10, R10
	DECL   R10
	NOTL   R10
	KMOVW  R10, K4
	VMOVUPS -64(SRC)(N*4), ZT
	VSUBPS  ZM, ZT, ZT
	EXPZ(ZT, Z11, Z12, K5)
	VADDPS  ZT, ZS1, K4, ZS1

exp0:
	XORQ I, I

exp2:
	LEAQ    32(I), NX
	CMPQ    NX, NF
	JGT     exp1
	VMOVUPS (SRC)(I*4), Z0
	VMOVUPS 64(SRC)(I*4), Z1
	VSUBPS  ZM, Z0, Z0
	VSUBPS  ZM, Z1, Z1
	EXPZ(Z0, Z2, Z3, K2)
	EXPZ(Z1, Z5, Z6, K3)
	VADDPS  Z0, ZS0, ZS0
	VADDPS  Z1, ZS1, ZS1
	VMOVUPS Z0, (DST)(I*4)
	VMOVUPS Z1, 64(DST)(I*4)
	MOVQ    NX, I
	JMP     exp2

exp1:
	CMPQ    I, NF
	JGE     expt
	VMOVUPS (SRC)(I*4), Z0
	VSUBPS  ZM, Z0, Z0
	EXPZ(Z0, Z2, Z3, K2)
	VADDPS  Z0, ZS0, ZS0
	VMOVUPS Z0, (DST)(I*4)

expt:
	TESTQ   TL, TL
	JZ      sum
	VMOVUPS ZT, -64(DST)(N*4)

sum:
	VADDPS        ZS1, ZS0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPS        X1, X0, X0
	VMOVHLPS      X0, X0, X1
	VADDPS        X1, X0, X0
	VMOVSHDUP     X0, X1
	VADDSS        X1, X0, X0
	VMOVSS        CV(K_ONE), X1
	VDIVSS        X0, X1, X1
	VBROADCASTSS  X1, ZI

	// Pass 3: dst *= 1/Σe, the last 16 elements read before the loop
	// scales part of them and stored after it.
	TESTQ  TL, TL
	JZ     mul0
	VMULPS -64(DST)(N*4), ZI, ZT

mul0:
	XORQ I, I

mul2:
	LEAQ    32(I), NX
	CMPQ    NX, NF
	JGT     mul1
	VMULPS  (DST)(I*4), ZI, Z0
	VMULPS  64(DST)(I*4), ZI, Z1
	VMOVUPS Z0, (DST)(I*4)
	VMOVUPS Z1, 64(DST)(I*4)
	MOVQ    NX, I
	JMP     mul2

mul1:
	CMPQ    I, NF
	JGE     mult
	VMULPS  (DST)(I*4), ZI, Z0
	VMOVUPS Z0, (DST)(I*4)

mult:
	TESTQ   TL, TL
	JZ      next
	VMOVUPS ZT, -64(DST)(N*4)
	JMP     next

short:
	// 0 < n < 16: one vector under the lane mask K1, -Inf past the row
	// (x + add in the row's lanes with add).
	MOVL  $1, R9
	SHLXL TL, R9, R9
	DECL  R9
	KMOVW R9, K1
	VMOVUPS       CV(K_NEGINF), Z0
	VMOVUPS       (SRC), K1, Z0
	TESTQ         R12, R12
	JZ            shortm
	VMOVUPS.Z     (ADD), K1, Z1
	VADDPS        Z1, Z0, K1, Z0

shortm:
	VEXTRACTF64X4 $1, Z0, Y1
	VMAXPS        Y1, Y0, Y1
	VEXTRACTF128  $1, Y1, X2
	VMAXPS        X2, X1, X1
	VPERMILPS     $0x4e, X1, X2
	VMAXPS        X2, X1, X1
	VPERMILPS     $0xb1, X1, X2
	VMAXPS        X2, X1, X1
	VBROADCASTSS  X1, ZM
	VSUBPS        ZM, Z0, Z0
	EXPZ(Z0, Z2, Z3, K2)
	VMOVAPS.Z     Z0, K1, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS        Y1, Y0, Y1
	VEXTRACTF128  $1, Y1, X2
	VADDPS        X2, X1, X1
	VMOVHLPS      X1, X1, X2
	VADDPS        X2, X1, X1
	VMOVSHDUP     X1, X2
	VADDSS        X2, X1, X1
	VMOVSS        CV(K_ONE), X2
	VDIVSS        X1, X2, X2
	VBROADCASTSS  X2, ZI
	VMULPS        ZI, Z0, Z0
	VMOVUPS       Z0, K1, (DST)

next:
	// The next row.
	MOVQ ldd+24(FP), R9
	LEAQ (DST)(R9*4), DST
	MOVQ ldx+56(FP), R9
	LEAQ (XROW)(R9*4), XROW
	MOVQ ldadd+88(FP), R9
	LEAQ (ADD)(R9*4), ADD
	DECQ ROWS
	JNZ  row
	VZEROUPPER

done:
	RET
