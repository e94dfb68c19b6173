//go:build !noasm

#include "textflag.h"

// func Sgemm6x16StrideAVX2(k int, a, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int)
//
// C[0:6, 0:16] = act(alpha * Apanel(6×k) · B(k×16) + beta*C + bias)
// with Apanel stored a[p*6+i] and B read in place, b[p*ldb+j] (see
// Sgemm6x16StrideGo). Sgemm6x16AVX2 with a row stride for B.

// General-purpose registers.
#define K     CX  // remaining steps of k
#define PA    AX  // packed A, advances 6 floats (24 bytes) per step
#define PB    BX  // B, advances one row (LDB bytes) per step
#define PC    DI  // current row of C
#define LDC   SI  // row stride of C in bytes
#define BIAS  DX  // bias pointer
#define NBIAS R8  // len(bias)
#define TMP   R9
#define LDB   R10 // row stride of B in bytes
#define LDB3  R11 // three rows of B in bytes

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

// STEP does one step of k at byte offsets oa (A) and B addresses ob0, ob1.
#define STEP(oa0, oa1, oa2, oa3, oa4, oa5, ob0, ob1) \
	VMOVUPS      ob0, B0; \
	VMOVUPS      ob1, B1; \
	VBROADCASTSS oa0(PA), A0; \
	VBROADCASTSS oa1(PA), A1; \
	FMA2(A0, Y4, Y5); \
	VBROADCASTSS oa2(PA), A0; \
	FMA2(A1, Y6, Y7); \
	VBROADCASTSS oa3(PA), A1; \
	FMA2(A0, Y8, Y9); \
	VBROADCASTSS oa4(PA), A0; \
	FMA2(A1, Y10, Y11); \
	VBROADCASTSS oa5(PA), A1; \
	FMA2(A0, Y12, Y13); \
	FMA2(A1, Y14, Y15)

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

// PREFETCH_C starts loading one row of the C tile at PC (read when beta
// != 0, written at the end) and moves PC to the next row: the loads of
// the epilogue then hit L1 instead of waiting on L3.
#define PREFETCH_C \
	PREFETCHT0 (PC); \
	PREFETCHT0 60(PC); \
	ADDQ LDC, PC

TEXT ·Sgemm6x16StrideAVX2(SB), NOSPLIT, $0-136
	MOVQ k+0(FP), K
	MOVQ a_base+8(FP), PA
	MOVQ b_base+32(FP), PB
	MOVQ ldc+88(FP), LDC
	SHLQ $2, LDC
	MOVQ ldb+56(FP), LDB
	SHLQ $2, LDB
	LEAQ (LDB)(LDB*2), LDB3

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
	MOVQ c_base+64(FP), PC
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
	STEP(0, 4, 8, 12, 16, 20, 0(PB), 32(PB))
	STEP(24, 28, 32, 36, 40, 44, 0(PB)(LDB*1), 32(PB)(LDB*1))
	STEP(48, 52, 56, 60, 64, 68, 0(PB)(LDB*2), 32(PB)(LDB*2))
	STEP(72, 76, 80, 84, 88, 92, 0(PB)(LDB3*1), 32(PB)(LDB3*1))
	ADDQ $96, PA
	LEAQ (PB)(LDB*4), PB
	SUBQ $4, K
	CMPQ K, $4
	JGE  loop4

tail:
	// The remaining 0..3 steps one at a time.
	TESTQ K, K
	JZ    epilogue
	STEP(0, 4, 8, 12, 16, 20, 0(PB), 32(PB))
	ADDQ $24, PA
	ADDQ LDB, PB
	DECQ K
	JMP  tail

epilogue:
	// acc *= alpha.
	VBROADCASTSS alpha+96(FP), ALPHA
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

	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+100(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+100(FP), BETA
	MOVQ c_base+64(FP), PC
	BETA2(Y4, Y5)
	BETA2(Y6, Y7)
	BETA2(Y8, Y9)
	BETA2(Y10, Y11)
	BETA2(Y12, Y13)
	BETA2(Y14, Y15)

bias:
	// acc += bias[0:16] on every row, when a bias is given.
	MOVQ  bias_len+112(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
	MOVQ    bias_base+104(FP), BIAS
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
	MOVQ act+128(FP), TMP
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
	MOVQ c_base+64(FP), PC
	STORE2(Y4, Y5)
	STORE2(Y6, Y7)
	STORE2(Y8, Y9)
	STORE2(Y10, Y11)
	STORE2(Y12, Y13)
	STORE2(Y14, Y15)
	VZEROUPPER
	RET
