//go:build !noasm

#include "textflag.h"
#include "sgemm6x64_avx512_amd64.h"

// func Sgemm6x64W48GenAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)
//
// Sgemm6x64GenAVX512 for the first 48 columns only (three of its four
// vectors per row; see Sgemm6x64W48GenGo): the kernel of a product's last,
// partial column strip when it has at most 48 columns, which otherwise
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

// STEP does one step of k (18 FMAs, the broadcasts alternating between
// A0 and A1 as in STEP6X64) and advances A and B.
#define STEP \
	VMOVUPS      0(PB), B0; \
	VMOVUPS      64(PB), B1; \
	VMOVUPS      128(PB), B2; \
	VBROADCASTSS (PA), A0; \
	VBROADCASTSS (PA)(RS*1), A1; \
	VFMADD231PS B0, A0, Z8; \
	VFMADD231PS B1, A0, Z9; \
	VFMADD231PS B2, A0, Z10; \
	VBROADCASTSS (PA)(RS*2), A0; \
	VFMADD231PS B0, A1, Z12; \
	VFMADD231PS B1, A1, Z13; \
	VFMADD231PS B2, A1, Z14; \
	VBROADCASTSS (PA)(RS3*1), A1; \
	VFMADD231PS B0, A0, Z16; \
	VFMADD231PS B1, A0, Z17; \
	VFMADD231PS B2, A0, Z18; \
	VBROADCASTSS (PA)(RS*4), A0; \
	VFMADD231PS B0, A1, Z20; \
	VFMADD231PS B1, A1, Z21; \
	VFMADD231PS B2, A1, Z22; \
	VBROADCASTSS (PA)(RS5*1), A1; \
	VFMADD231PS B0, A0, Z24; \
	VFMADD231PS B1, A0, Z25; \
	VFMADD231PS B2, A0, Z26; \
	VFMADD231PS B0, A1, Z28; \
	VFMADD231PS B1, A1, Z29; \
	VFMADD231PS B2, A1, Z30; \
	ADDQ CS, PA; \
	ADDQ LDB, PB

TEXT ·Sgemm6x64W48GenAVX512(SB), NOSPLIT, $0-168
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
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z20, Z20, Z20
	VPXORD Z21, Z21, Z21
	VPXORD Z22, Z22, Z22
	VPXORD Z24, Z24, Z24
	VPXORD Z25, Z25, Z25
	VPXORD Z26, Z26, Z26
	VPXORD Z28, Z28, Z28
	VPXORD Z29, Z29, Z29
	VPXORD Z30, Z30, Z30

	// Prefetch the six rows of the C tile while the k loop runs.
	MOVQ CT, PC
	PREFETCHT0 (PC)
	PREFETCHT0 188(PC)
	ADDQ LDC, PC
	PREFETCHT0 (PC)
	PREFETCHT0 188(PC)
	ADDQ LDC, PC
	PREFETCHT0 (PC)
	PREFETCHT0 188(PC)
	ADDQ LDC, PC
	PREFETCHT0 (PC)
	PREFETCHT0 188(PC)
	ADDQ LDC, PC
	PREFETCHT0 (PC)
	PREFETCHT0 188(PC)
	ADDQ LDC, PC
	PREFETCHT0 (PC)
	PREFETCHT0 188(PC)
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
	VMULPS ALPHA, Z9, Z9
	VMULPS ALPHA, Z10, Z10
	VMULPS ALPHA, Z12, Z12
	VMULPS ALPHA, Z13, Z13
	VMULPS ALPHA, Z14, Z14
	VMULPS ALPHA, Z16, Z16
	VMULPS ALPHA, Z17, Z17
	VMULPS ALPHA, Z18, Z18
	VMULPS ALPHA, Z20, Z20
	VMULPS ALPHA, Z21, Z21
	VMULPS ALPHA, Z22, Z22
	VMULPS ALPHA, Z24, Z24
	VMULPS ALPHA, Z25, Z25
	VMULPS ALPHA, Z26, Z26
	VMULPS ALPHA, Z28, Z28
	VMULPS ALPHA, Z29, Z29
	VMULPS ALPHA, Z30, Z30

beta:
	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+124(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+124(FP), BETA
	MOVQ CT, PC
	VFMADD231PS 0(PC), BETA, Z8
	VFMADD231PS 64(PC), BETA, Z9
	VFMADD231PS 128(PC), BETA, Z10
	ADDQ LDC, PC
	VFMADD231PS 0(PC), BETA, Z12
	VFMADD231PS 64(PC), BETA, Z13
	VFMADD231PS 128(PC), BETA, Z14
	ADDQ LDC, PC
	VFMADD231PS 0(PC), BETA, Z16
	VFMADD231PS 64(PC), BETA, Z17
	VFMADD231PS 128(PC), BETA, Z18
	ADDQ LDC, PC
	VFMADD231PS 0(PC), BETA, Z20
	VFMADD231PS 64(PC), BETA, Z21
	VFMADD231PS 128(PC), BETA, Z22
	ADDQ LDC, PC
	VFMADD231PS 0(PC), BETA, Z24
	VFMADD231PS 64(PC), BETA, Z25
	VFMADD231PS 128(PC), BETA, Z26
	ADDQ LDC, PC
	VFMADD231PS 0(PC), BETA, Z28
	VFMADD231PS 64(PC), BETA, Z29
	VFMADD231PS 128(PC), BETA, Z30
	ADDQ LDC, PC

bias:
	// acc += bias down the rows, when a bias is given.
	MOVQ  bias_len+136(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
	VMOVUPS 0(BIAS), B0
	VMOVUPS 64(BIAS), B1
	VMOVUPS 128(BIAS), B2
	VADDPS B0, Z8, Z8
	VADDPS B1, Z9, Z9
	VADDPS B2, Z10, Z10
	VADDPS B0, Z12, Z12
	VADDPS B1, Z13, Z13
	VADDPS B2, Z14, Z14
	VADDPS B0, Z16, Z16
	VADDPS B1, Z17, Z17
	VADDPS B2, Z18, Z18
	VADDPS B0, Z20, Z20
	VADDPS B1, Z21, Z21
	VADDPS B2, Z22, Z22
	VADDPS B0, Z24, Z24
	VADDPS B1, Z25, Z25
	VADDPS B2, Z26, Z26
	VADDPS B0, Z28, Z28
	VADDPS B1, Z29, Z29
	VADDPS B2, Z30, Z30
	ADDQ  $192, BIAS

act:
	// ReLU when act == ActReLU (1); zero is the first source so NaN
	// propagates.
	MOVQ act+152(FP), TMP
	CMPQ TMP, $1
	JNE  store
	VPXORD A0, A0, A0
	VMAXPS Z8, A0, Z8
	VMAXPS Z9, A0, Z9
	VMAXPS Z10, A0, Z10
	VMAXPS Z12, A0, Z12
	VMAXPS Z13, A0, Z13
	VMAXPS Z14, A0, Z14
	VMAXPS Z16, A0, Z16
	VMAXPS Z17, A0, Z17
	VMAXPS Z18, A0, Z18
	VMAXPS Z20, A0, Z20
	VMAXPS Z21, A0, Z21
	VMAXPS Z22, A0, Z22
	VMAXPS Z24, A0, Z24
	VMAXPS Z25, A0, Z25
	VMAXPS Z26, A0, Z26
	VMAXPS Z28, A0, Z28
	VMAXPS Z29, A0, Z29
	VMAXPS Z30, A0, Z30

store:
	// Write the six rows of C.
	MOVQ CT, PC
	VMOVUPS Z8, 0(PC)
	VMOVUPS Z9, 64(PC)
	VMOVUPS Z10, 128(PC)
	ADDQ LDC, PC
	VMOVUPS Z12, 0(PC)
	VMOVUPS Z13, 64(PC)
	VMOVUPS Z14, 128(PC)
	ADDQ LDC, PC
	VMOVUPS Z16, 0(PC)
	VMOVUPS Z17, 64(PC)
	VMOVUPS Z18, 128(PC)
	ADDQ LDC, PC
	VMOVUPS Z20, 0(PC)
	VMOVUPS Z21, 64(PC)
	VMOVUPS Z22, 128(PC)
	ADDQ LDC, PC
	VMOVUPS Z24, 0(PC)
	VMOVUPS Z25, 64(PC)
	VMOVUPS Z26, 128(PC)
	ADDQ LDC, PC
	VMOVUPS Z28, 0(PC)
	VMOVUPS Z29, 64(PC)
	VMOVUPS Z30, 128(PC)
	ADDQ LDC, PC

	// Next tile: B strip bnext floats on, C 48 columns on.
	MOVQ bnext+80(FP), TMP
	LEAQ (BT)(TMP*4), BT
	ADDQ $192, CT
	DECQ tiles+160(FP)
	JNZ  nexttile
	VZEROUPPER
	RET
