//go:build !noasm

#include "textflag.h"
#include "sgemm6x64_avx512_amd64.h"

// EXPERIMENT (session 4): variants of Sgemm6x64GenAVX512, same math.

#define K     CX
#define PA    AX
#define PB    BX
#define RS    R10
#define RS3   R11
#define RS5   R12
#define CS    R13
#define LDB   R8
#define PC    DI
#define LDC   SI
#define BIAS  DX
#define NBIAS R8
#define TMP   R9
#define BT    R14
#define CT    R15

// FMA4B: the four B vectors times the broadcast A element at memory m.
#define FMA4B(m, c0, c1, c2, c3) \
	VFMADD231PS.BCST m, B0, c0; \
	VFMADD231PS.BCST m, B1, c1; \
	VFMADD231PS.BCST m, B2, c2; \
	VFMADD231PS.BCST m, B3, c3

#define STEP \
	VMOVUPS 0(PB), B0; \
	VMOVUPS 64(PB), B1; \
	VMOVUPS 128(PB), B2; \
	VMOVUPS 192(PB), B3; \
	FMA4B((PA), Z8, Z9, Z10, Z11); \
	FMA4B((PA)(RS*1), Z12, Z13, Z14, Z15); \
	FMA4B((PA)(RS*2), Z16, Z17, Z18, Z19); \
	FMA4B((PA)(RS3*1), Z20, Z21, Z22, Z23); \
	FMA4B((PA)(RS*4), Z24, Z25, Z26, Z27); \
	FMA4B((PA)(RS5*1), Z28, Z29, Z30, Z31); \
	ADDQ CS, PA; \
	ADDQ LDB, PB

TEXT ·Sgemm6x64GenBcstAVX512(SB), NOSPLIT, $0-168
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
	CLEAR6X64

	// Prefetch the six rows of the C tile while the k loop runs.
	MOVQ CT, PC
	PREFETCH6X64

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
	SCALE6X64

beta:
	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+124(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+124(FP), BETA
	MOVQ CT, PC
	BETA6X64

bias:
	// acc += bias down the rows, when a bias is given.
	MOVQ  bias_len+136(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
	BIAS6X64(BIAS)
	ADDQ  $256, BIAS

act:
	// ReLU when act == ActReLU (1).
	MOVQ act+152(FP), TMP
	CMPQ TMP, $1
	JNE  store
	RELU6X64

store:
	// Write the six rows of C.
	MOVQ CT, PC
	STORE6X64

	// Next tile: B strip bnext floats on, C 64 columns on.
	MOVQ bnext+80(FP), TMP
	LEAQ (BT)(TMP*4), BT
	ADDQ $256, CT
	DECQ tiles+160(FP)
	JNZ  nexttile
	VZEROUPPER
	RET
