//go:build !noasm

#include "textflag.h"

// func Sgemm6x64GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, bias []float32, act int)
//
// C[0:6, 0:64] = act(alpha * A(6×k) · B(k×64) + beta*C + bias) with
// A[i, p] = a[i*rsa + p*csa] and B[p, j] = b[p*ldb + j] (see
// Sgemm6x64GenGo). One body serves a packed A micro-panel (rsa 1, csa 6),
// a row-major A read in place (rsa lda, csa 1) or its transpose (rsa 1,
// csa lda), and a packed (ldb 64) or in-place B.

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

// Vector registers: four B vectors, two alternating A broadcasts, and the
// 6×4 accumulator tile: row r, column block q lives in Z(8+4r+q).
#define B0 Z0
#define B1 Z1
#define B2 Z2
#define B3 Z3
#define A0 Z4
#define A1 Z5
#define ALPHA Z6
#define BETA Z7

// FMA4 adds broadcast A times the four B vectors into one accumulator row.
#define FMA4(A, c0, c1, c2, c3) \
	VFMADD231PS B0, A, c0; \
	VFMADD231PS B1, A, c1; \
	VFMADD231PS B2, A, c2; \
	VFMADD231PS B3, A, c3

// STEP does one step of k at PA, PB and advances both.
#define STEP \
	VMOVUPS      0(PB), B0; \
	VMOVUPS      64(PB), B1; \
	VMOVUPS      128(PB), B2; \
	VMOVUPS      192(PB), B3; \
	VBROADCASTSS (PA), A0; \
	VBROADCASTSS (PA)(RS*1), A1; \
	FMA4(A0, Z8, Z9, Z10, Z11); \
	VBROADCASTSS (PA)(RS*2), A0; \
	FMA4(A1, Z12, Z13, Z14, Z15); \
	VBROADCASTSS (PA)(RS3*1), A1; \
	FMA4(A0, Z16, Z17, Z18, Z19); \
	VBROADCASTSS (PA)(RS*4), A0; \
	FMA4(A1, Z20, Z21, Z22, Z23); \
	VBROADCASTSS (PA)(RS5*1), A1; \
	FMA4(A0, Z24, Z25, Z26, Z27); \
	FMA4(A1, Z28, Z29, Z30, Z31); \
	ADDQ CS, PA; \
	ADDQ LDB, PB

// SCALE4 multiplies one accumulator row by alpha.
#define SCALE4(c0, c1, c2, c3) \
	VMULPS ALPHA, c0, c0; \
	VMULPS ALPHA, c1, c1; \
	VMULPS ALPHA, c2, c2; \
	VMULPS ALPHA, c3, c3

// BETA4 adds beta times the C row at PC, then moves PC to the next row.
#define BETA4(c0, c1, c2, c3) \
	VFMADD231PS 0(PC), BETA, c0; \
	VFMADD231PS 64(PC), BETA, c1; \
	VFMADD231PS 128(PC), BETA, c2; \
	VFMADD231PS 192(PC), BETA, c3; \
	ADDQ LDC, PC

// BIAS4 adds the bias vectors held in B0..B3.
#define BIAS4(c0, c1, c2, c3) \
	VADDPS B0, c0, c0; \
	VADDPS B1, c1, c1; \
	VADDPS B2, c2, c2; \
	VADDPS B3, c3, c3

// RELU4 clamps one row at zero; zero is the first source so NaN propagates.
#define RELU4(c0, c1, c2, c3) \
	VMAXPS c0, A0, c0; \
	VMAXPS c1, A0, c1; \
	VMAXPS c2, A0, c2; \
	VMAXPS c3, A0, c3

// STORE4 writes one row to C at PC and moves PC to the next row.
#define STORE4(c0, c1, c2, c3) \
	VMOVUPS c0, 0(PC); \
	VMOVUPS c1, 64(PC); \
	VMOVUPS c2, 128(PC); \
	VMOVUPS c3, 192(PC); \
	ADDQ LDC, PC

// PREFETCH_C starts loading one row of the C tile at PC and moves PC to
// the next row, so that the epilogue's loads and stores hit L1.
#define PREFETCH_C \
	PREFETCHT0 0(PC); \
	PREFETCHT0 64(PC); \
	PREFETCHT0 128(PC); \
	PREFETCHT0 192(PC); \
	PREFETCHT0 252(PC); \
	ADDQ LDC, PC

TEXT ·Sgemm6x64GenAVX512(SB), NOSPLIT, $0-152
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
	VPXORD Z20, Z20, Z20
	VPXORD Z21, Z21, Z21
	VPXORD Z22, Z22, Z22
	VPXORD Z23, Z23, Z23
	VPXORD Z24, Z24, Z24
	VPXORD Z25, Z25, Z25
	VPXORD Z26, Z26, Z26
	VPXORD Z27, Z27, Z27
	VPXORD Z28, Z28, Z28
	VPXORD Z29, Z29, Z29
	VPXORD Z30, Z30, Z30
	VPXORD Z31, Z31, Z31

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
	SCALE4(Z8, Z9, Z10, Z11)
	SCALE4(Z12, Z13, Z14, Z15)
	SCALE4(Z16, Z17, Z18, Z19)
	SCALE4(Z20, Z21, Z22, Z23)
	SCALE4(Z24, Z25, Z26, Z27)
	SCALE4(Z28, Z29, Z30, Z31)

beta:
	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+116(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+116(FP), BETA
	MOVQ c_base+80(FP), PC
	BETA4(Z8, Z9, Z10, Z11)
	BETA4(Z12, Z13, Z14, Z15)
	BETA4(Z16, Z17, Z18, Z19)
	BETA4(Z20, Z21, Z22, Z23)
	BETA4(Z24, Z25, Z26, Z27)
	BETA4(Z28, Z29, Z30, Z31)

bias:
	// acc += bias[0:64] broadcast down the rows, when a bias is given.
	MOVQ  bias_len+128(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
	MOVQ    bias_base+120(FP), BIAS
	VMOVUPS 0(BIAS), B0
	VMOVUPS 64(BIAS), B1
	VMOVUPS 128(BIAS), B2
	VMOVUPS 192(BIAS), B3
	BIAS4(Z8, Z9, Z10, Z11)
	BIAS4(Z12, Z13, Z14, Z15)
	BIAS4(Z16, Z17, Z18, Z19)
	BIAS4(Z20, Z21, Z22, Z23)
	BIAS4(Z24, Z25, Z26, Z27)
	BIAS4(Z28, Z29, Z30, Z31)

act:
	// ReLU when act == ActReLU (1).
	MOVQ act+144(FP), TMP
	CMPQ TMP, $1
	JNE  store
	VPXORD A0, A0, A0
	RELU4(Z8, Z9, Z10, Z11)
	RELU4(Z12, Z13, Z14, Z15)
	RELU4(Z16, Z17, Z18, Z19)
	RELU4(Z20, Z21, Z22, Z23)
	RELU4(Z24, Z25, Z26, Z27)
	RELU4(Z28, Z29, Z30, Z31)

store:
	// Write the six rows of C.
	MOVQ c_base+80(FP), PC
	STORE4(Z8, Z9, Z10, Z11)
	STORE4(Z12, Z13, Z14, Z15)
	STORE4(Z16, Z17, Z18, Z19)
	STORE4(Z20, Z21, Z22, Z23)
	STORE4(Z24, Z25, Z26, Z27)
	STORE4(Z28, Z29, Z30, Z31)
	VZEROUPPER
	RET
