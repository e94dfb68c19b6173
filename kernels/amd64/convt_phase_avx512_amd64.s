//go:build !noasm

#include "textflag.h"
#include "sgemm6x64_avx512_amd64.h"

// func ConvTPhase6x64AVX512(k, tiles int, a, x []float32, offs []int, c []float32, ldc int)
//
// For t < tiles, i < 6, j < 64:
//
//	c[i*ldc + 64t + j] = Σ_{p<k} a[6p+i] · x[offs[p] + 64t + j]
//
// (see ConvTPhase6x64Go): a 6×64 SGEMM tile whose right operand's rows are
// runs of x at the offsets offs, read in place (ConvTranspose's sub-pixel
// form: the rows are shifted views of a zero-padded input). The arithmetic
// is sgemm6x64_avx512_amd64.h's.

// General-purpose registers.
#define K     CX  // remaining steps of k
#define PA    AX  // packed A, advances 6 floats (24 bytes) per step
#define XT    BX  // x at the current tile (64 floats per tile)
#define OFF   DX  // the current offset in offs
#define PC    DI  // current row of C
#define LDC   SI  // row stride of C in bytes
#define T0    R8  // offsets of the steps
#define T1    R9
#define TILES R10 // remaining tiles
#define CT    R11 // C at the current tile

TEXT ·ConvTPhase6x64AVX512(SB), NOSPLIT, $0-120
	MOVQ tiles+8(FP), TILES
	MOVQ x_base+40(FP), XT
	MOVQ c_base+88(FP), CT
	MOVQ ldc+112(FP), LDC
	SHLQ $2, LDC
	TESTQ TILES, TILES
	JZ    done

tile:
	MOVQ k+0(FP), K
	MOVQ a_base+16(FP), PA
	MOVQ offs_base+64(FP), OFF
	CLEAR6X64

	// Two steps of k per iteration while at least two remain.
	CMPQ K, $2
	JLT  tail

loop2:
	MOVQ 0(OFF), T0
	MOVQ 8(OFF), T1
	STEP6X64(0(XT)(T0*4), 64(XT)(T0*4), 128(XT)(T0*4), 192(XT)(T0*4), 0(PA), 4(PA), 8(PA), 12(PA), 16(PA), 20(PA))
	STEP6X64(0(XT)(T1*4), 64(XT)(T1*4), 128(XT)(T1*4), 192(XT)(T1*4), 24(PA), 28(PA), 32(PA), 36(PA), 40(PA), 44(PA))
	ADDQ $16, OFF
	ADDQ $48, PA
	SUBQ $2, K
	CMPQ K, $2
	JGE  loop2

tail:
	// The last step, if k is odd.
	TESTQ K, K
	JZ    store
	MOVQ  0(OFF), T0
	STEP6X64(0(XT)(T0*4), 64(XT)(T0*4), 128(XT)(T0*4), 192(XT)(T0*4), 0(PA), 4(PA), 8(PA), 12(PA), 16(PA), 20(PA))

store:
	// Write the six rows of this tile of C, then move to the next tile.
	MOVQ CT, PC
	STORE6X64
	ADDQ $256, XT
	ADDQ $256, CT
	DECQ TILES
	JNZ  tile

done:
	VZEROUPPER
	RET
