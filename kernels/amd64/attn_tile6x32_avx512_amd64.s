//go:build !noasm

#include "textflag.h"

// func Tile6x32StrideAVX512(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32)
//
// C[0:6, 0:32] = alpha * Apanel(6×k) · B(k×32), Apanel stored a[p*6+i],
// B read in place (b[p*ldb+j]), C only written (see Tile6x32StrideGo).
// The 6×2 tile of zmm accumulators keeps both FMA ports busy on products
// 32 columns wide (attention heads of 32), which the 6×64 tile would run
// half empty.

#define K   CX  // remaining steps of k
#define PA  AX  // packed A, advances 6 floats (24 bytes) per step
#define PB  BX  // B, advances one row (LDB bytes) per step
#define PC  DI  // current row of C
#define LDC SI  // row stride of C in bytes
#define LDB R10 // row stride of B in bytes

#define B0 Z0
#define B1 Z1
#define A0 Z4
#define A1 Z5
#define ALPHA Z6

// FMA2 adds broadcast A times the two B vectors into one accumulator row.
#define FMA2(A, c0, c1) \
	VFMADD231PS B0, A, c0; \
	VFMADD231PS B1, A, c1

// STEP is one step of k: B row at off(PB)(idx), A values at aoff(PA).
#define STEP(brow, aoff) \
	VMOVUPS      0(brow), B0; \
	VMOVUPS      64(brow), B1; \
	VBROADCASTSS (aoff+0)(PA), A0; \
	VBROADCASTSS (aoff+4)(PA), A1; \
	FMA2(A0, Z8, Z9); \
	VBROADCASTSS (aoff+8)(PA), A0; \
	FMA2(A1, Z10, Z11); \
	VBROADCASTSS (aoff+12)(PA), A1; \
	FMA2(A0, Z12, Z13); \
	VBROADCASTSS (aoff+16)(PA), A0; \
	FMA2(A1, Z14, Z15); \
	VBROADCASTSS (aoff+20)(PA), A1; \
	FMA2(A0, Z16, Z17); \
	FMA2(A1, Z18, Z19)

// STORE2 scales one row by alpha, writes it at PC and moves PC on a row.
#define STORE2(c0, c1) \
	VMULPS  ALPHA, c0, c0; \
	VMULPS  ALPHA, c1, c1; \
	VMOVUPS c0, 0(PC); \
	VMOVUPS c1, 64(PC); \
	ADDQ    LDC, PC

TEXT ·Tile6x32StrideAVX512(SB), NOSPLIT, $0-100
	MOVQ k+0(FP), K
	MOVQ a_base+8(FP), PA
	MOVQ b_base+32(FP), PB
	MOVQ ldb+56(FP), LDB
	SHLQ $2, LDB
	MOVQ c_base+64(FP), PC
	MOVQ ldc+88(FP), LDC
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

	CMPQ K, $2
	JLT  tail

loop2:
	STEP(PB, 0)
	LEAQ (PB)(LDB*1), R11
	STEP(R11, 24)
	ADDQ $48, PA
	LEAQ (PB)(LDB*2), PB
	SUBQ $2, K
	CMPQ K, $2
	JGE  loop2

tail:
	TESTQ K, K
	JZ    store
	STEP(PB, 0)

store:
	VBROADCASTSS alpha+96(FP), ALPHA
	STORE2(Z8, Z9)
	STORE2(Z10, Z11)
	STORE2(Z12, Z13)
	STORE2(Z14, Z15)
	STORE2(Z16, Z17)
	STORE2(Z18, Z19)
	VZEROUPPER
	RET
