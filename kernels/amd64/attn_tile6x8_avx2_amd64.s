//go:build !noasm

#include "textflag.h"

// func Tile6x8StrideAVX2(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32)
//
// C[0:6, 0:8] = alpha * Apanel(6×k) · B(k×8), Apanel stored a[p*6+i],
// B read in place (b[p*ldb+j]), C only written (see Tile6x8StrideGo).
// One ymm accumulator per row: attention's P·V on heads of at most 8,
// which the 6×16 tile would run at most half full.

#define K   CX  // remaining steps of k
#define PA  AX  // packed A, advances 6 floats (24 bytes) per step
#define PB  BX  // B, advances one row (LDB bytes) per step
#define PC  DI  // current row of C
#define LDC SI  // row stride of C in bytes
#define LDB R10 // row stride of B in bytes

#define B0 Y0
#define A0 Y4
#define A1 Y5
#define ALPHA Y6

// STEP is one step of k: the B row at brow, the A values at aoff(PA).
#define STEP(brow, aoff) \
	VMOVUPS      0(brow), B0; \
	VBROADCASTSS (aoff+0)(PA), A0; \
	VBROADCASTSS (aoff+4)(PA), A1; \
	VFMADD231PS  B0, A0, Y8; \
	VBROADCASTSS (aoff+8)(PA), A0; \
	VFMADD231PS  B0, A1, Y9; \
	VBROADCASTSS (aoff+12)(PA), A1; \
	VFMADD231PS  B0, A0, Y10; \
	VBROADCASTSS (aoff+16)(PA), A0; \
	VFMADD231PS  B0, A1, Y11; \
	VBROADCASTSS (aoff+20)(PA), A1; \
	VFMADD231PS  B0, A0, Y12; \
	VFMADD231PS  B0, A1, Y13

// STORE1 scales one row by alpha, writes it at PC and moves PC on a row.
#define STORE1(c0) \
	VMULPS  ALPHA, c0, c0; \
	VMOVUPS c0, 0(PC); \
	ADDQ    LDC, PC

TEXT ·Tile6x8StrideAVX2(SB), NOSPLIT, $0-100
	MOVQ k+0(FP), K
	MOVQ a_base+8(FP), PA
	MOVQ b_base+32(FP), PB
	MOVQ ldb+56(FP), LDB
	SHLQ $2, LDB
	MOVQ c_base+64(FP), PC
	MOVQ ldc+88(FP), LDC
	SHLQ $2, LDC

	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13

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
	STORE1(Y8)
	STORE1(Y9)
	STORE1(Y10)
	STORE1(Y11)
	STORE1(Y12)
	STORE1(Y13)
	VZEROUPPER
	RET
