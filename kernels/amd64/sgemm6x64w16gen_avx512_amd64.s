//go:build !noasm

#include "textflag.h"
#include "sgemm6x64_avx512_amd64.h"

// func Sgemm6x64W16GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)
//
// Sgemm6x64GenAVX512 for the first 16 columns only (one of its four
// vectors per row; see Sgemm6x64W16GenGo): the kernel of a product's last,
// partial column strip when it has at most 16 columns, which otherwise
// runs all 64 columns of the zero-padded strip. B is read with row stride
// ldb as usual (the packed strips stay 64 wide). The accumulators keep
// their places in the 6-row tile (row r, vector q in Z(8+4r+q)).

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
// A0 and A1 as in STEP6X64) and advances A and B.
#define STEP \
	VMOVUPS      0(PB), B0; \
	VBROADCASTSS (PA), A0; \
	VBROADCASTSS (PA)(RS*1), A1; \
	VFMADD231PS B0, A0, Z8; \
	VBROADCASTSS (PA)(RS*2), A0; \
	VFMADD231PS B0, A1, Z12; \
	VBROADCASTSS (PA)(RS3*1), A1; \
	VFMADD231PS B0, A0, Z16; \
	VBROADCASTSS (PA)(RS*4), A0; \
	VFMADD231PS B0, A1, Z20; \
	VBROADCASTSS (PA)(RS5*1), A1; \
	VFMADD231PS B0, A0, Z24; \
	VFMADD231PS B0, A1, Z28; \
	ADDQ CS, PA; \
	ADDQ LDB, PB

TEXT ·Sgemm6x64W16GenAVX512(SB), NOSPLIT, $0-168
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
	VPXORD Z8, Z8, Z8
	VPXORD Z12, Z12, Z12
	VPXORD Z16, Z16, Z16
	VPXORD Z20, Z20, Z20
	VPXORD Z24, Z24, Z24
	VPXORD Z28, Z28, Z28

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
	VMULPS ALPHA, Z8, Z8
	VMULPS ALPHA, Z12, Z12
	VMULPS ALPHA, Z16, Z16
	VMULPS ALPHA, Z20, Z20
	VMULPS ALPHA, Z24, Z24
	VMULPS ALPHA, Z28, Z28

beta:
	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+124(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+124(FP), BETA
	MOVQ CT, PC
	VFMADD231PS 0(PC), BETA, Z8
	ADDQ LDC, PC
	VFMADD231PS 0(PC), BETA, Z12
	ADDQ LDC, PC
	VFMADD231PS 0(PC), BETA, Z16
	ADDQ LDC, PC
	VFMADD231PS 0(PC), BETA, Z20
	ADDQ LDC, PC
	VFMADD231PS 0(PC), BETA, Z24
	ADDQ LDC, PC
	VFMADD231PS 0(PC), BETA, Z28
	ADDQ LDC, PC

bias:
	// acc += bias down the rows, when a bias is given.
	MOVQ  bias_len+136(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
	VMOVUPS 0(BIAS), B0
	VADDPS B0, Z8, Z8
	VADDPS B0, Z12, Z12
	VADDPS B0, Z16, Z16
	VADDPS B0, Z20, Z20
	VADDPS B0, Z24, Z24
	VADDPS B0, Z28, Z28
	ADDQ  $64, BIAS

act:
	// ReLU when act == ActReLU (1); zero is the first source so NaN
	// propagates.
	MOVQ act+152(FP), TMP
	CMPQ TMP, $1
	JNE  store
	VPXORD A0, A0, A0
	VMAXPS Z8, A0, Z8
	VMAXPS Z12, A0, Z12
	VMAXPS Z16, A0, Z16
	VMAXPS Z20, A0, Z20
	VMAXPS Z24, A0, Z24
	VMAXPS Z28, A0, Z28

store:
	// Write the six rows of C.
	MOVQ CT, PC
	VMOVUPS Z8, 0(PC)
	ADDQ LDC, PC
	VMOVUPS Z12, 0(PC)
	ADDQ LDC, PC
	VMOVUPS Z16, 0(PC)
	ADDQ LDC, PC
	VMOVUPS Z20, 0(PC)
	ADDQ LDC, PC
	VMOVUPS Z24, 0(PC)
	ADDQ LDC, PC
	VMOVUPS Z28, 0(PC)
	ADDQ LDC, PC

	// Next tile: B strip bnext floats on, C 16 columns on.
	MOVQ bnext+80(FP), TMP
	LEAQ (BT)(TMP*4), BT
	ADDQ $64, CT
	DECQ tiles+160(FP)
	JNZ  nexttile
	VZEROUPPER
	RET
