//go:build !noasm

#include "textflag.h"
#include "sgemm6x64_avx512_amd64.h"

// func Sgemm6x64GenPfAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int)
//
// For each of tiles ≥ 1 tiles t, C[0:6, 64t:64t+64] = act(alpha * A(6×k) ·
// B_t(k×64) + beta*C + bias[64t:]) with A[i, p] = a[i*rsa + p*csa] and
// B_t[p, j] = b[t*bnext + p*ldb + j] (see Sgemm6x64GenGo). One body serves
// a packed A micro-panel (rsa 1, csa 6), a row-major A read in place
// (rsa lda, csa 1) or its transpose (rsa 1, csa lda), and packed
// (ldb 64, bnext 64k) or in-place (ldb, bnext 64) B strips; running
// several tiles per call saves the call and setup per tile. The
// arithmetic is in sgemm6x64_avx512_amd64.h.

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
#define BIAS  DX  // bias of the current tile (when len(bias) > 0)
#define NBIAS R8  // len(bias) (epilogue only)
#define TMP   R9
#define BT    R14 // B strip of the current tile
#define CT    R15 // C tile of the current tile

// STEP advances A and B by one step of k after STEP6X64.
#define STEP \
	STEP6X64(0(PB), 64(PB), 128(PB), 192(PB), (PA), (PA)(RS*1), (PA)(RS*2), (PA)(RS3*1), (PA)(RS*4), (PA)(RS5*1)); \
	ADDQ CS, PA; \
	ADDQ LDB, PB

TEXT ·Sgemm6x64GenPfAVX512(SB), NOSPLIT, $0-168
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
	// Prefetch the next row tile's A (rows 6..11) at this step, so that
	// the next call finds its panel in L2 instead of starting six streams
	// from L3.
	LEAQ       (PA)(RS*2), PC
	LEAQ       (PC)(RS*4), PC
	PREFETCHT0 (PC)
	PREFETCHT0 (PC)(RS*1)
	PREFETCHT0 (PC)(RS*2)
	PREFETCHT0 (PC)(RS3*1)
	PREFETCHT0 (PC)(RS*4)
	PREFETCHT0 (PC)(RS5*1)
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
