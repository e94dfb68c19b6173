//go:build !noasm

#include "textflag.h"

// func ConvTPhase6x32AVX512(k int, a, x []float32, offs []int, c []float32, ldc int)
//
// For i < 6, j < 32:
//
//	c[i*ldc + j] = Σ_{p<k} a[6p+i] · x[offs[p] + j]
//
// (see ConvTPhase6x32Go): the half-width last tile of ConvTPhase6x64AVX512,
// for a row of q positions that ends 32 or fewer columns into a tile.

#define K    CX // remaining steps of k
#define PA   AX // packed A, advances 6 floats (24 bytes) per step
#define X    BX // x
#define OFF  DX // the current offset in offs
#define PC   DI // current row of C
#define LDC  SI // row stride of C in bytes
#define T0   R8
#define T1   R9

// Vector registers: two B vectors, two alternating A broadcasts, and the
// 6×2 accumulator tile: row r, column block q in Z(8+2r+q).
#define B0 Z0
#define B1 Z1
#define A0 Z4
#define A1 Z5

// FMA2 adds broadcast A times the two B vectors into one accumulator row.
#define FMA2(A, c0, c1) \
	VFMADD231PS B0, A, c0; \
	VFMADD231PS B1, A, c1

// STEP6X32 does one step of k: 32 floats of B's row at b0 and b1 (64
// bytes apart), the six A values a0..a5, 12 FMAs.
#define STEP6X32(b0, b1, a0, a1, a2, a3, a4, a5) \
	VMOVUPS      b0, B0; \
	VMOVUPS      b1, B1; \
	VBROADCASTSS a0, A0; \
	VBROADCASTSS a1, A1; \
	FMA2(A0, Z8, Z9); \
	VBROADCASTSS a2, A0; \
	FMA2(A1, Z10, Z11); \
	VBROADCASTSS a3, A1; \
	FMA2(A0, Z12, Z13); \
	VBROADCASTSS a4, A0; \
	FMA2(A1, Z14, Z15); \
	VBROADCASTSS a5, A1; \
	FMA2(A0, Z16, Z17); \
	FMA2(A1, Z18, Z19)

// STORE2 writes one accumulator row to C at PC and moves to the next row.
#define STORE2(c0, c1) \
	VMOVUPS c0, 0(PC); \
	VMOVUPS c1, 64(PC); \
	ADDQ    LDC, PC

TEXT ·ConvTPhase6x32AVX512(SB), NOSPLIT, $0-112
	MOVQ k+0(FP), K
	MOVQ a_base+8(FP), PA
	MOVQ x_base+32(FP), X
	MOVQ offs_base+56(FP), OFF
	MOVQ c_base+80(FP), PC
	MOVQ ldc+104(FP), LDC
	SHLQ $2, LDC
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19

	// Two steps of k per iteration while at least two remain.
	CMPQ K, $2
	JLT  tail

loop2:
	MOVQ 0(OFF), T0
	MOVQ 8(OFF), T1
	STEP6X32(0(X)(T0*4), 64(X)(T0*4), 0(PA), 4(PA), 8(PA), 12(PA), 16(PA), 20(PA))
	STEP6X32(0(X)(T1*4), 64(X)(T1*4), 24(PA), 28(PA), 32(PA), 36(PA), 40(PA), 44(PA))
	ADDQ $16, OFF
	ADDQ $48, PA
	SUBQ $2, K
	CMPQ K, $2
	JGE  loop2

tail:
	// The last step, if k is odd.
	TESTQ K, K
	JZ    store
	MOVQ  0(OFF), T0
	STEP6X32(0(X)(T0*4), 64(X)(T0*4), 0(PA), 4(PA), 8(PA), 12(PA), 16(PA), 20(PA))

store:
	// Write the six rows of the tile.
	STORE2(Z8, Z9)
	STORE2(Z10, Z11)
	STORE2(Z12, Z13)
	STORE2(Z14, Z15)
	STORE2(Z16, Z17)
	STORE2(Z18, Z19)
	VZEROUPPER
	RET
