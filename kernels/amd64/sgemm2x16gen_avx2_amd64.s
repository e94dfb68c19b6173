//go:build !noasm

#include "textflag.h"
#include "sgemm6x16_avx2_amd64.h"

// func Sgemm2x16GenAVX2(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)
//
// Sgemm6x16GenAVX2 for two rows of A and C (see Sgemm2x16GenGo): the
// kernel of a product's last, partial row panel when it has two rows
// (m mod 6 = 2), which otherwise runs the 6-row kernel on a zero-padded
// copy of the tile. The accumulators are the first 4 of the 6-row kernel
// (Y4..Y7), the per-row blocks those of sgemm6x16_avx2_amd64.h.

#define K     CX  // remaining steps of k
#define PA    AX  // A at row 0, step p
#define PB    BX  // B at step p
#define RS    R10 // A row stride in bytes
#define CS    R13 // A step stride in bytes
#define LDB   R8  // B row stride in bytes (k loop only)
#define PC    DI  // current row of C
#define LDC   SI  // row stride of C in bytes
#define BIAS  DX  // bias of the current tile (when len(bias) > 0)
#define NBIAS R8  // len(bias) (epilogue only)
#define TMP   R9
#define BT    R14 // B strip of the current tile
#define CT    R15 // C tile of the current tile

// STEP2X16 does one step of k for two rows: 4 FMAs, the broadcasts
// alternating between A0 and A1 as in STEP6X16.
#define STEP2X16(b0, b1, a0, a1) \
	VMOVUPS      b0, B0; \
	VMOVUPS      b1, B1; \
	VBROADCASTSS a0, A0; \
	VBROADCASTSS a1, A1; \
	FMA2(A0, Y4, Y5); \
	FMA2(A1, Y6, Y7)

// STEP advances A and B by one step of k after STEP2X16.
#define STEP \
	STEP2X16(0(PB), 32(PB), (PA), (PA)(RS*1)); \
	ADDQ CS, PA; \
	ADDQ LDB, PB

TEXT ·Sgemm2x16GenAVX2(SB), NOSPLIT, $0-168
	MOVQ rsa+32(FP), RS
	SHLQ $2, RS
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

	// Prefetch the two rows of the C tile while the k loop runs.
	MOVQ CT, PC
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

beta:
	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+124(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+124(FP), BETA
	MOVQ CT, PC
	BETA2(Y4, Y5)
	BETA2(Y6, Y7)

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

store:
	// Write the two rows of C.
	MOVQ CT, PC
	STORE2(Y4, Y5)
	STORE2(Y6, Y7)

	// Next tile: B strip bnext floats on, C 16 columns on.
	MOVQ bnext+80(FP), TMP
	LEAQ (BT)(TMP*4), BT
	ADDQ $64, CT
	DECQ tiles+160(FP)
	JNZ  nexttile
	VZEROUPPER
	RET
