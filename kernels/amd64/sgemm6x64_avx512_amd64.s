//go:build !noasm

#include "textflag.h"
#include "sgemm6x64_avx512_amd64.h"

// func Sgemm6x64AVX512(k int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, act int)
//
// C[0:6, 0:64] = act(alpha * Apanel(6×k) · Bpanel(k×64) + beta*C + bias)
// with Apanel stored a[p*6+i] and Bpanel stored b[p*64+j] (see Sgemm6x64Go).
// The arithmetic is in sgemm6x64_avx512_amd64.h.

// General-purpose registers.
#define K     CX  // remaining steps of k
#define PA    AX  // packed A, advances 6 floats (24 bytes) per step
#define PB    BX  // packed B, advances 64 floats (256 bytes) per step
#define PC    DI  // current row of C
#define LDC   SI  // row stride of C in bytes
#define BIAS  DX  // bias pointer (valid when NBIAS != 0)
#define NBIAS R8  // len(bias)
#define TMP   R9

TEXT ·Sgemm6x64AVX512(SB), NOSPLIT, $0-128
	MOVQ k+0(FP), K
	MOVQ a_base+8(FP), PA
	MOVQ b_base+32(FP), PB
	MOVQ ldc+80(FP), LDC
	SHLQ $2, LDC
	CLEAR6X64

	// Prefetch the six rows of the C tile while the k loop runs.
	MOVQ c_base+56(FP), PC
	PREFETCH6X64

	// Four steps of k per iteration while at least four remain.
	CMPQ K, $4
	JLT  tail

loop4:
	STEP6X64(0(PB), 64(PB), 128(PB), 192(PB), 0(PA), 4(PA), 8(PA), 12(PA), 16(PA), 20(PA))
	STEP6X64(256(PB), 320(PB), 384(PB), 448(PB), 24(PA), 28(PA), 32(PA), 36(PA), 40(PA), 44(PA))
	STEP6X64(512(PB), 576(PB), 640(PB), 704(PB), 48(PA), 52(PA), 56(PA), 60(PA), 64(PA), 68(PA))
	STEP6X64(768(PB), 832(PB), 896(PB), 960(PB), 72(PA), 76(PA), 80(PA), 84(PA), 88(PA), 92(PA))
	ADDQ $96, PA
	ADDQ $1024, PB
	SUBQ $4, K
	CMPQ K, $4
	JGE  loop4

tail:
	// The remaining 0..3 steps one at a time.
	TESTQ K, K
	JZ    epilogue
	STEP6X64(0(PB), 64(PB), 128(PB), 192(PB), 0(PA), 4(PA), 8(PA), 12(PA), 16(PA), 20(PA))
	ADDQ $24, PA
	ADDQ $256, PB
	DECQ K
	JMP  tail

epilogue:
	// acc *= alpha, skipped when alpha is 1 (exact: 1*x == x).
	MOVL alpha+88(FP), TMP
	CMPL TMP, $0x3f800000
	JEQ  beta
	VBROADCASTSS alpha+88(FP), ALPHA
	SCALE6X64

beta:
	// acc += beta*C, skipped (C unread) when beta is ±0.
	MOVL beta+92(FP), TMP
	ANDL $0x7fffffff, TMP
	JZ   bias
	VBROADCASTSS beta+92(FP), BETA
	MOVQ c_base+56(FP), PC
	BETA6X64

bias:
	// acc += bias down the rows, when a bias is given.
	MOVQ  bias_len+104(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
	MOVQ  bias_base+96(FP), BIAS
	BIAS6X64(BIAS)

act:
	// ReLU when act == ActReLU (1).
	MOVQ act+120(FP), TMP
	CMPQ TMP, $1
	JNE  store
	RELU6X64

store:
	// Write the six rows of C.
	MOVQ c_base+56(FP), PC
	STORE6X64
	VZEROUPPER
	RET
