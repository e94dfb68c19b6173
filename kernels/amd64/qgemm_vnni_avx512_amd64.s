//go:build !noasm

#include "textflag.h"

// func QGemmTile8x32VNNI(k4 int, a []int8, b []uint8, c []int32, ldc, rows, cols int, rowAdd, colMul, colSum []int32)
//
// c[r·ldc + j] = rowAdd[r] + colMul[r]·colSum[j] + Σ_g Σ_i a[(g·8+r)·4+i]·b[(g·32+j)·4+i]
// for r < rows, j < cols, wrapping in int32 (see QGemmTile8x32Go).
// Accumulators: Z0..Z15, row r in Z(2r) (columns 0–15) and Z(2r+1)
// (columns 16–31); Z16, Z17 hold the 4-tap groups of the 32 columns.

#define A AX
#define B BX
#define K CX
#define C DI
#define LDC R8
#define ROWS R9
#define COLS R10
#define ROWADD R11
#define COLMUL R12
#define COLSUM R13

// INIT(r, lo, hi): row r starts at rowAdd[r] + colMul[r]·colSum.
#define INIT(r, lo, hi) \
	VPMULLD.BCST (r*4)(COLMUL), Z16, lo \
	VPMULLD.BCST (r*4)(COLMUL), Z17, hi \
	VPADDD.BCST  (r*4)(ROWADD), lo, lo  \
	VPADDD.BCST  (r*4)(ROWADD), hi, hi

// DOT(r, lo, hi): row r's 4 weights (broadcast) times the 32 columns.
#define DOT(r, lo, hi) \
	VPDPBUSD.BCST (r*4)(A), Z16, lo \
	VPDPBUSD.BCST (r*4)(A), Z17, hi

// STORE(r, lo, hi): row r under the column masks K1, K2; stop after the
// last row.
#define STORE(r, lo, hi) \
	VMOVDQU32 lo, K1, (C)   \
	VMOVDQU32 hi, K2, 64(C) \
	CMPQ      ROWS, $(r+1)  \
	JLE       done          \
	ADDQ      LDC, C

TEXT ·QGemmTile8x32VNNI(SB), NOSPLIT, $0-176
	MOVQ k4+0(FP), K
	MOVQ a_base+8(FP), A
	MOVQ b_base+32(FP), B
	MOVQ c_base+56(FP), C
	MOVQ ldc+80(FP), LDC
	SHLQ $2, LDC
	MOVQ rows+88(FP), ROWS
	MOVQ cols+96(FP), COLS
	MOVQ rowAdd_base+104(FP), ROWADD
	MOVQ colMul_base+128(FP), COLMUL
	MOVQ colSum_base+152(FP), COLSUM

	// Corrections.
	VMOVDQU32 (COLSUM), Z16
	VMOVDQU32 64(COLSUM), Z17
	INIT(0, Z0, Z1)
	INIT(1, Z2, Z3)
	INIT(2, Z4, Z5)
	INIT(3, Z6, Z7)
	INIT(4, Z8, Z9)
	INIT(5, Z10, Z11)
	INIT(6, Z12, Z13)
	INIT(7, Z14, Z15)

	TESTQ K, K
	JZ    store

loop:
	// One group of 4 taps: 32 columns × 8 rows.
	VMOVDQU32 (B), Z16
	VMOVDQU32 64(B), Z17
	DOT(0, Z0, Z1)
	DOT(1, Z2, Z3)
	DOT(2, Z4, Z5)
	DOT(3, Z6, Z7)
	DOT(4, Z8, Z9)
	DOT(5, Z10, Z11)
	DOT(6, Z12, Z13)
	DOT(7, Z14, Z15)
	ADDQ $32, A
	ADDQ $128, B
	DECQ K
	JNZ  loop

store:
	// K1 = the first min(cols, 16) columns, K2 = the next cols − 16.
	MOVL  $0xFFFF, DX
	BZHIL COLS, DX, SI
	KMOVW SI, K1
	MOVQ  COLS, SI
	SUBQ  $16, SI
	JAE   hi_mask
	XORQ  SI, SI

hi_mask:
	BZHIL SI, DX, SI
	KMOVW SI, K2
	TESTQ ROWS, ROWS
	JLE   done
	STORE(0, Z0, Z1)
	STORE(1, Z2, Z3)
	STORE(2, Z4, Z5)
	STORE(3, Z6, Z7)
	STORE(4, Z8, Z9)
	STORE(5, Z10, Z11)
	STORE(6, Z12, Z13)
	VMOVDQU32 Z14, K1, (C)
	VMOVDQU32 Z15, K2, 64(C)

done:
	VZEROUPPER
	RET
