//go:build !noasm

#include "textflag.h"
#include "sgemm6x16_avx2_amd64.h"

// func Sgemm4x16GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)
//
// Sgemm6x16GenAVX2 for four rows of A and C (see Sgemm4x16GenGo): the
// kernel of a product's last, partial row panel when it has four rows
// (m mod 6 = 4), which otherwise runs the 6-row kernel on a zero-padded
// copy of the tile. The accumulators are the first 8 of the 6-row kernel
// (Y4..Y11), the per-row blocks those of sgemm6x16_avx2_amd64.h.

#define K     CX  // remaining steps of k
#define PA    AX  // A at row 0, step p
#define PB    BX  // B at step p
#define RS    R10 // A row stride in bytes
#define RS3   R11 // 3*RS
#define CS    R13 // A step stride in bytes
#define LDB   R8  // B row stride in bytes (k loop only)
#define PC    DI  // current row of C
#define LDC   SI  // row stride of C in bytes
#define BIAS  DX  // bias of the current tile (when len(bias) > 0)
#define NBIAS R8  // len(bias) (epilogue only)
#define TMP   R9
#define BT    R14 // B strip of the current tile
#define CT    R15 // C tile of the current tile

// STEP4X16 does one step of k for four rows: 8 FMAs, the broadcasts
// alternating between A0 and A1 as in STEP6X16.
#define STEP4X16(b0, b1, a0, a1, a2, a3) \
	VMOVUPS      b0, B0; \
	VMOVUPS      b1, B1; \
	VBROADCASTSS a0, A0; \
	VBROADCASTSS a1, A1; \
	FMA2(A0, Y4, Y5); \
	VBROADCASTSS a2, A0; \
	FMA2(A1, Y6, Y7); \
	VBROADCASTSS a3, A1; \
	FMA2(A0, Y8, Y9); \
	FMA2(A1, Y10, Y11)

// STEP advances A and B by one step of k after STEP4X16.
#define STEP \
	STEP4X16(0(PB), 32(PB), (PA), (PA)(RS*1), (PA)(RS*2), (PA)(RS3*1)); \
	ADDQ CS, PA; \
	ADDQ LDB, PB

TEXT ·Sgemm4x16GenAVX2(SB), NOSPLIT, $0-168
	MOVQ rsa+32(FP), RS
	SHLQ $2, RS
	LEAQ (RS)(RS*2), RS3
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
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	// Prefetch the four rows of the C tile while the k loop runs.
	MOVQ CT, PC
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
	// acc *= alpha, skipped when alpha is 1 (exact: 1*x == x).
	MOVL alpha+120(FP), TMP
	CMPL TMP, $0x3f800000
	JEQ  beta
	VBROADCASTSS alpha+120(FP), ALPHA
	VMULPS ALPHA, Y4, Y4
	VMULPS ALPHA, Y5, Y5
	VMULPS ALPHA, Y6, Y6
	VMULPS ALPHA, Y7, Y7
	VMULPS ALPHA, Y8, Y8
	VMULPS ALPHA, Y9, Y9
	VMULPS ALPHA, Y10, Y10
	VMULPS ALPHA, Y11, Y11

beta:
	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+124(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+124(FP), BETA
	MOVQ CT, PC
	BETA2(Y4, Y5)
	BETA2(Y6, Y7)
	BETA2(Y8, Y9)
	BETA2(Y10, Y11)

bias:
	// acc += bias down the rows, when a bias is given.
	MOVQ  bias_len+136(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
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
	ADDQ  $64, BIAS

act:
	// ReLU when act == ActReLU (1); zero is the first source so NaN
	// propagates.
	MOVQ act+152(FP), TMP
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

store:
	// Write the four rows of C.
	MOVQ CT, PC
	STORE2(Y4, Y5)
	STORE2(Y6, Y7)
	STORE2(Y8, Y9)
	STORE2(Y10, Y11)

	// Next tile: B strip bnext floats on, C 16 columns on.
	MOVQ bnext+80(FP), TMP
	LEAQ (BT)(TMP*4), BT
	ADDQ $64, CT
	DECQ tiles+160(FP)
	JNZ  nexttile
	VZEROUPPER
	RET
