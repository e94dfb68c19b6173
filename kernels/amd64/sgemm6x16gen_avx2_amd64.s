//go:build !noasm

#include "textflag.h"

// func Sgemm6x16GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int)
//
// C[0:6, 0:16] = act(alpha * A(6×k) · B(k×16) + beta*C + bias) with
// A[i, p] = a[i*rsa + p*csa] and B[p, j] = b[p*ldb + j] (see
// Sgemm6x16GenGo): a packed A micro-panel (rsa 1, csa 6), a row-major A
// read in place (rsa lda, csa 1) or its transpose (rsa 1, csa lda), and a
// packed (ldb 16) or in-place B.

// General-purpose registers.
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
#define BIAS  DX  // bias pointer
#define NBIAS R8  // len(bias) (epilogue only)
#define TMP   R9

// Vector registers: two B vectors, two alternating A broadcasts, and the
// 6×2 accumulator tile: row r, column block q lives in Y(4+2r+q). After
// the k loop the B and A registers are reused for alpha, beta, bias, zero.
#define B0 Y0
#define B1 Y1
#define A0 Y2
#define A1 Y3
#define ALPHA Y0
#define BETA Y1
#define BIAS0 Y2
#define BIAS1 Y3
#define ZERO Y0

// FMA2 adds broadcast A times the two B vectors into one accumulator row.
#define FMA2(A, c0, c1) \
	VFMADD231PS B0, A, c0; \
	VFMADD231PS B1, A, c1

// STEP does one step of k at PA, PB and advances both.
#define STEP \
	VMOVUPS      0(PB), B0; \
	VMOVUPS      32(PB), B1; \
	VBROADCASTSS (PA), A0; \
	VBROADCASTSS (PA)(RS*1), A1; \
	FMA2(A0, Y4, Y5); \
	VBROADCASTSS (PA)(RS*2), A0; \
	FMA2(A1, Y6, Y7); \
	VBROADCASTSS (PA)(RS3*1), A1; \
	FMA2(A0, Y8, Y9); \
	VBROADCASTSS (PA)(RS*4), A0; \
	FMA2(A1, Y10, Y11); \
	VBROADCASTSS (PA)(RS5*1), A1; \
	FMA2(A0, Y12, Y13); \
	FMA2(A1, Y14, Y15); \
	ADDQ CS, PA; \
	ADDQ LDB, PB

// BETA2 adds beta times the C row at PC, then moves PC to the next row.
#define BETA2(c0, c1) \
	VFMADD231PS 0(PC), BETA, c0; \
	VFMADD231PS 32(PC), BETA, c1; \
	ADDQ LDC, PC

// STORE2 writes one row to C at PC and moves PC to the next row.
#define STORE2(c0, c1) \
	VMOVUPS c0, 0(PC); \
	VMOVUPS c1, 32(PC); \
	ADDQ LDC, PC

// PREFETCH_C starts loading one row of the C tile at PC and moves PC to
// the next row, so that the epilogue's loads and stores hit L1.
#define PREFETCH_C \
	PREFETCHT0 (PC); \
	PREFETCHT0 60(PC); \
	ADDQ LDC, PC

TEXT ·Sgemm6x16GenAVX2(SB), NOSPLIT, $0-152
	MOVQ k+0(FP), K
	MOVQ a_base+8(FP), PA
	MOVQ rsa+32(FP), RS
	SHLQ $2, RS
	LEAQ (RS)(RS*2), RS3
	LEAQ (RS)(RS*4), RS5
	MOVQ csa+40(FP), CS
	SHLQ $2, CS
	MOVQ b_base+48(FP), PB
	MOVQ ldb+72(FP), LDB
	SHLQ $2, LDB
	MOVQ ldc+104(FP), LDC
	SHLQ $2, LDC

	// Clear the accumulators.
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15

	// Prefetch the six rows of the C tile while the k loop runs.
	MOVQ c_base+80(FP), PC
	PREFETCH_C
	PREFETCH_C
	PREFETCH_C
	PREFETCH_C
	PREFETCH_C
	PREFETCH_C

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
	// acc *= alpha, skipped when alpha is 1.
	MOVL alpha+112(FP), TMP
	CMPL TMP, $0x3f800000
	JEQ  beta
	VBROADCASTSS alpha+112(FP), ALPHA
	VMULPS ALPHA, Y4, Y4
	VMULPS ALPHA, Y5, Y5
	VMULPS ALPHA, Y6, Y6
	VMULPS ALPHA, Y7, Y7
	VMULPS ALPHA, Y8, Y8
	VMULPS ALPHA, Y9, Y9
	VMULPS ALPHA, Y10, Y10
	VMULPS ALPHA, Y11, Y11
	VMULPS ALPHA, Y12, Y12
	VMULPS ALPHA, Y13, Y13
	VMULPS ALPHA, Y14, Y14
	VMULPS ALPHA, Y15, Y15

beta:
	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+116(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+116(FP), BETA
	MOVQ c_base+80(FP), PC
	BETA2(Y4, Y5)
	BETA2(Y6, Y7)
	BETA2(Y8, Y9)
	BETA2(Y10, Y11)
	BETA2(Y12, Y13)
	BETA2(Y14, Y15)

bias:
	// acc += bias[0:16] on every row, when a bias is given.
	MOVQ  bias_len+128(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
	MOVQ    bias_base+120(FP), BIAS
	VMOVUPS 0(BIAS), BIAS0
	VMOVUPS 32(BIAS), BIAS1
	VADDPS  BIAS0, Y4, Y4
	VADDPS  BIAS1, Y5, Y5
	VADDPS  BIAS0, Y6, Y6
	VADDPS  BIAS1, Y7, Y7
	VADDPS  BIAS0, Y8, Y8
	VADDPS  BIAS1, Y9, Y9
	VADDPS  BIAS0, Y10, Y10
	VADDPS  BIAS1, Y11, Y11
	VADDPS  BIAS0, Y12, Y12
	VADDPS  BIAS1, Y13, Y13
	VADDPS  BIAS0, Y14, Y14
	VADDPS  BIAS1, Y15, Y15

act:
	// ReLU when act == ActReLU (1); zero is the first source so NaN propagates.
	MOVQ act+144(FP), TMP
	CMPQ TMP, $1
	JNE  store
	VXORPS ZERO, ZERO, ZERO
	VMAXPS Y4, ZERO, Y4
	VMAXPS Y5, ZERO, Y5
	VMAXPS Y6, ZERO, Y6
	VMAXPS Y7, ZERO, Y7
	VMAXPS Y8, ZERO, Y8
	VMAXPS Y9, ZERO, Y9
	VMAXPS Y10, ZERO, Y10
	VMAXPS Y11, ZERO, Y11
	VMAXPS Y12, ZERO, Y12
	VMAXPS Y13, ZERO, Y13
	VMAXPS Y14, ZERO, Y14
	VMAXPS Y15, ZERO, Y15

store:
	// Write the six rows of C.
	MOVQ c_base+80(FP), PC
	STORE2(Y4, Y5)
	STORE2(Y6, Y7)
	STORE2(Y8, Y9)
	STORE2(Y10, Y11)
	STORE2(Y12, Y13)
	STORE2(Y14, Y15)
	VZEROUPPER
	RET
