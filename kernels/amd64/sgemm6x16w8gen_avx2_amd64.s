//go:build !noasm

#include "textflag.h"
#include "sgemm6x16_avx2_amd64.h"

// func Sgemm6x16W8GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)
//
// Sgemm6x16GenAVX2 for the first 8 columns only (one of its two vectors
// per row; see Sgemm6x16W8GenGo): the kernel of a product's last, partial
// column strip when it has at most 8 columns, which otherwise runs all 16
// columns of the zero-padded strip. B is read with row stride ldb as usual
// (the packed strips stay 16 wide). The accumulators keep their places in
// the 6-row tile (row r in Y(4+2r)).

#define K     CX  // remaining steps of k
#define PA    AX  // A at row 0, step p
#define PB    BX  // B at step p
#define RS    R10 // A row stride in bytes
#define RS3   R11 // 3*RS
#define RS5   R12 // 5*RS
#define CS    R13 // A step stride in bytes
#define LDB   R8  // B row stride in bytes (k loop only)
#define PC    DI  // current row of C
#define LDC   SI  // row stride of C in bytes
#define BIAS  DX  // bias of the current tile (when len(bias) > 0)
#define NBIAS R8  // len(bias) (epilogue only)
#define TMP   R9
#define BT    R14 // B strip of the current tile
#define CT    R15 // C tile of the current tile

// STEP does one step of k (6 FMAs, the broadcasts alternating between
// A0 and A1 as in STEP6X16) and advances A and B.
#define STEP \
	VMOVUPS      (PB), B0; \
	VBROADCASTSS (PA), A0; \
	VBROADCASTSS (PA)(RS*1), A1; \
	VFMADD231PS B0, A0, Y4; \
	VBROADCASTSS (PA)(RS*2), A0; \
	VFMADD231PS B0, A1, Y6; \
	VBROADCASTSS (PA)(RS3*1), A1; \
	VFMADD231PS B0, A0, Y8; \
	VBROADCASTSS (PA)(RS*4), A0; \
	VFMADD231PS B0, A1, Y10; \
	VBROADCASTSS (PA)(RS5*1), A1; \
	VFMADD231PS B0, A0, Y12; \
	VFMADD231PS B0, A1, Y14; \
	ADDQ CS, PA; \
	ADDQ LDB, PB

TEXT ·Sgemm6x16W8GenAVX2(SB), NOSPLIT, $0-168
	MOVQ rsa+32(FP), RS
	SHLQ $2, RS
	LEAQ (RS)(RS*2), RS3
	LEAQ (RS)(RS*4), RS5
	MOVQ csa+40(FP), CS
	SHLQ $2, CS
	MOVQ ldc+112(FP), LDC
	SHLQ $2, LDC
	MOVQ b_base+48(FP), BT
	MOVQ c_base+88(FP), CT
	MOVQ bias_base+128(FP), BIAS

nexttile:
	MOVQ k+0(FP), K
	MOVQ a_base+8(FP), PA
	MOVQ BT, PB
	MOVQ ldb+72(FP), LDB
	SHLQ $2, LDB
	VXORPS Y4, Y4, Y4
	VXORPS Y6, Y6, Y6
	VXORPS Y8, Y8, Y8
	VXORPS Y10, Y10, Y10
	VXORPS Y12, Y12, Y12
	VXORPS Y14, Y14, Y14

	// Prefetch the six rows of the C tile while the k loop runs.
	MOVQ CT, PC
	PREFETCHT0 (PC)
	ADDQ LDC, PC
	PREFETCHT0 (PC)
	ADDQ LDC, PC
	PREFETCHT0 (PC)
	ADDQ LDC, PC
	PREFETCHT0 (PC)
	ADDQ LDC, PC
	PREFETCHT0 (PC)
	ADDQ LDC, PC
	PREFETCHT0 (PC)
	ADDQ LDC, PC

	// Four steps of k per iteration while at least four remain.
	CMPQ K, $4
	JLT  tail

loop4:
	STEP
	STEP
	STEP
	STEP
	SUBQ $4, K
	CMPQ K, $4
	JGE  loop4

tail:
	// The remaining 0..3 steps one at a time.
	TESTQ K, K
	JZ    epilogue
	STEP
	DECQ K
	JMP  tail

epilogue:
	// acc *= alpha, skipped when alpha is 1 (exact: 1*x == x).
	MOVL alpha+120(FP), TMP
	CMPL TMP, $0x3f800000
	JEQ  beta
	VBROADCASTSS alpha+120(FP), ALPHA
	VMULPS ALPHA, Y4, Y4
	VMULPS ALPHA, Y6, Y6
	VMULPS ALPHA, Y8, Y8
	VMULPS ALPHA, Y10, Y10
	VMULPS ALPHA, Y12, Y12
	VMULPS ALPHA, Y14, Y14

beta:
	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+124(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+124(FP), BETA
	MOVQ CT, PC
	VFMADD231PS (PC), BETA, Y4
	ADDQ LDC, PC
	VFMADD231PS (PC), BETA, Y6
	ADDQ LDC, PC
	VFMADD231PS (PC), BETA, Y8
	ADDQ LDC, PC
	VFMADD231PS (PC), BETA, Y10
	ADDQ LDC, PC
	VFMADD231PS (PC), BETA, Y12
	ADDQ LDC, PC
	VFMADD231PS (PC), BETA, Y14
	ADDQ LDC, PC

bias:
	// acc += bias down the rows, when a bias is given.
	MOVQ  bias_len+136(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
	VMOVUPS 0(BIAS), BIAS0
	VADDPS BIAS0, Y4, Y4
	VADDPS BIAS0, Y6, Y6
	VADDPS BIAS0, Y8, Y8
	VADDPS BIAS0, Y10, Y10
	VADDPS BIAS0, Y12, Y12
	VADDPS BIAS0, Y14, Y14
	ADDQ  $32, BIAS

act:
	// ReLU when act == ActReLU (1); zero is the first source so NaN
	// propagates.
	MOVQ act+152(FP), TMP
	CMPQ TMP, $1
	JNE  store
	VXORPS ZERO, ZERO, ZERO
	VMAXPS Y4, ZERO, Y4
	VMAXPS Y6, ZERO, Y6
	VMAXPS Y8, ZERO, Y8
	VMAXPS Y10, ZERO, Y10
	VMAXPS Y12, ZERO, Y12
	VMAXPS Y14, ZERO, Y14

store:
	// Write the six rows of C.
	MOVQ CT, PC
	VMOVUPS Y4, (PC)
	ADDQ LDC, PC
	VMOVUPS Y6, (PC)
	ADDQ LDC, PC
	VMOVUPS Y8, (PC)
	ADDQ LDC, PC
	VMOVUPS Y10, (PC)
	ADDQ LDC, PC
	VMOVUPS Y12, (PC)
	ADDQ LDC, PC
	VMOVUPS Y14, (PC)
	ADDQ LDC, PC

	// Next tile: B strip bnext floats on, C 8 columns on.
	MOVQ bnext+80(FP), TMP
	LEAQ (BT)(TMP*4), BT
	ADDQ $32, CT
	DECQ tiles+160(FP)
	JNZ  nexttile
	VZEROUPPER
	RET
