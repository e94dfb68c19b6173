//go:build !noasm

#include "textflag.h"
#include "sgemm6x64_avx512_amd64.h"

// func Sgemm6x64GenCopyAVX512(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int, src []float32, lds int, dst []float32, rows int)
//
// Sgemm6x64GenAVX512 that also copies rows rows of 64 floats from src
// (row stride lds) to dst (row stride 64), one row per four steps of k of
// the first tile (the rest after its k loop), and prefetches the rows rows
// that follow them in src (see Sgemm6x64GenCopyGo). The copies use the
// load and store slots the FMAs leave free, so that the driver packs the
// next column block's B strips while this block computes, and the
// prefetches bring the source rows of the next call into the caches.

// General-purpose registers.
#define K     CX  // remaining steps of k
#define PA    AX  // A at row 0, step p
#define PB    BX  // B at step p
#define RS    R10 // A row stride in bytes
#define RS3   R11 // 3*RS
#define RS5   R12 // 5*RS
#define CS    R13 // A step stride in bytes
#define LDB   R8  // B row stride in bytes (k loop only)
#define PC    DI  // current row of C (outside the k loop)
#define LDC   SI  // row stride of C in bytes (outside the k loop)
#define BIAS  DX  // bias of the current tile (epilogue only)
#define NBIAS R8  // len(bias) (epilogue only)
#define TMP   R9
#define BT    R14 // B strip of the current tile
#define CT    R15 // C tile of the current tile
#define SRC   DI  // next row to copy (k loop of the first tile)
#define PF    SI  // SRC + rows*lds: next row to prefetch (k loop)
#define DST   DX  // destination of the next row (k loop)
#define LDS   R9  // src row stride in bytes (k loop)

// STEP advances A and B by one step of k after STEP6X64.
#define STEP \
	STEP6X64(0(PB), 64(PB), 128(PB), 192(PB), (PA), (PA)(RS*1), (PA)(RS*2), (PA)(RS3*1), (PA)(RS*4), (PA)(RS5*1)); \
	ADDQ CS, PA; \
	ADDQ LDB, PB

// COPYROW copies the 64 floats at SRC to DST through Z6 and Z7 (ALPHA and
// BETA, free until the epilogue) and moves both to the next row.
#define COPYROW \
	VMOVUPS 0(SRC), Z6; \
	VMOVUPS 64(SRC), Z7; \
	VMOVUPS Z6, 0(DST); \
	VMOVUPS Z7, 64(DST); \
	VMOVUPS 128(SRC), Z6; \
	VMOVUPS 192(SRC), Z7; \
	VMOVUPS Z6, 128(DST); \
	VMOVUPS Z7, 192(DST); \
	ADDQ    LDS, SRC; \
	ADDQ    $256, DST

TEXT ·Sgemm6x64GenCopyAVX512(SB), NOSPLIT, $0-232
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

	// Rows to copy (rows+224(FP) counts down to 0, so later tiles copy
	// none).
	MOVQ  rows+224(FP), TMP
	TESTQ TMP, TMP
	JZ    loopchk
	MOVQ  src_base+168(FP), SRC
	MOVQ  lds+192(FP), LDS
	SHLQ  $2, LDS
	MOVQ  TMP, PF
	IMULQ LDS, PF
	ADDQ  SRC, PF
	MOVQ  dst_base+200(FP), DST

copy4:
	// One row copied and one prefetched per four steps of k.
	CMPQ K, $4
	JLT  copyrest
	COPYROW
	PREFETCHT0 0(PF)
	PREFETCHT0 64(PF)
	PREFETCHT0 128(PF)
	PREFETCHT0 192(PF)
	ADDQ LDS, PF
	STEP
	STEP
	STEP
	STEP
	SUBQ $4, K
	DECQ rows+224(FP)
	JNZ  copy4
	JMP  loopchk

copyrest:
	// Fewer than four steps left: copy the remaining rows now.
	COPYROW
	DECQ rows+224(FP)
	JNZ  copyrest

loopchk:
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
	MOVQ ldc+112(FP), LDC
	SHLQ $2, LDC

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
	// acc += bias down the rows, when a bias is given (the argument
	// slot moves on to the next tile's bias).
	MOVQ  bias_len+136(FP), NBIAS
	TESTQ NBIAS, NBIAS
	JZ    act
	MOVQ  bias_base+128(FP), BIAS
	BIAS6X64(BIAS)
	ADDQ  $256, bias_base+128(FP)

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
