//go:build !noasm

#include "textflag.h"
#include "sgemm6x64_avx512_amd64.h"

// func Sgemm2x64GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)
//
// Sgemm6x64GenAVX512 for two rows of A and C (see Sgemm2x64GenGo): the
// kernel of a product's last, partial row panel when it has two rows
// (m mod 6 = 2, as for every m = 2·4^j·16), which otherwise runs the
// 6-row kernel on a zero-padded copy of the tile. The accumulators are
// the first 8 of the 6-row kernel (Z8..Z15), the per-row epilogue blocks
// those of sgemm6x64_avx512_amd64.h.

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

// STEP2X64 does one step of k for two rows: 8 FMAs.
#define STEP2X64(b0, b1, b2, b3, a0, a1) \
	VMOVUPS      b0, B0; \
	VMOVUPS      b1, B1; \
	VMOVUPS      b2, B2; \
	VMOVUPS      b3, B3; \
	VBROADCASTSS a0, A0; \
	VBROADCASTSS a1, A1; \
	FMA4(A0, Z8, Z9, Z10, Z11); \
	FMA4(A1, Z12, Z13, Z14, Z15)

// STEP advances A and B by one step of k after STEP2X64.
#define STEP \
	STEP2X64(0(PB), 64(PB), 128(PB), 192(PB), (PA), (PA)(RS*1)); \
	ADDQ CS, PA; \
	ADDQ LDB, PB

TEXT ·Sgemm2x64GenAVX512(SB), NOSPLIT, $0-168
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
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15

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
	SCALE4(Z8, Z9, Z10, Z11)
	SCALE4(Z12, Z13, Z14, Z15)

beta:
	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+124(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+124(FP), BETA
	MOVQ CT, PC
	BETA4(Z8, Z9, Z10, Z11)
	BETA4(Z12, Z13, Z14, Z15)

bias:
	// acc += bias down the rows, when a bias is given.
	MOVQ  bias_len+136(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
	VMOVUPS 0(BIAS), B0
	VMOVUPS 64(BIAS), B1
	VMOVUPS 128(BIAS), B2
	VMOVUPS 192(BIAS), B3
	BIAS4(Z8, Z9, Z10, Z11)
	BIAS4(Z12, Z13, Z14, Z15)
	ADDQ  $256, BIAS

act:
	// ReLU when act == ActReLU (1).
	MOVQ act+152(FP), TMP
	CMPQ TMP, $1
	JNE  store
	VPXORD A0, A0, A0
	RELU4(Z8, Z9, Z10, Z11)
	RELU4(Z12, Z13, Z14, Z15)

store:
	// Write the two rows of C.
	MOVQ CT, PC
	STORE4(Z8, Z9, Z10, Z11)
	STORE4(Z12, Z13, Z14, Z15)

	// Next tile: B strip bnext floats on, C 64 columns on.
	MOVQ bnext+80(FP), TMP
	LEAQ (BT)(TMP*4), BT
	ADDQ $256, CT
	DECQ tiles+160(FP)
	JNZ  nexttile
	VZEROUPPER
	RET
