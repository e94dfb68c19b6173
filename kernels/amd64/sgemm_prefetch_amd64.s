//go:build !noasm

#include "textflag.h"

// func PrefetchRows(b []float32, ld, rows, cols int)
//
// Prefetches (PREFETCHT0) the cache lines of rows rows of cols floats of
// b, row stride ld floats: every 64 bytes of a row and its last float
// (see PrefetchRowsGo). Prefetches never fault and change no value.

#define SRC  SI // row r of b
#define LD   BX // row stride in bytes
#define ROWS CX
#define W    DX // row length in bytes
#define J    R8 // byte offset in the row

TEXT ·PrefetchRows(SB), NOSPLIT, $0-48
	MOVQ  b_base+0(FP), SRC
	MOVQ  ld+24(FP), LD
	SHLQ  $2, LD
	MOVQ  rows+32(FP), ROWS
	MOVQ  cols+40(FP), W
	SHLQ  $2, W
	TESTQ ROWS, ROWS
	JLE   done
	TESTQ W, W
	JLE   done

row:
	XORQ J, J

line:
	PREFETCHT0 (SRC)(J*1)
	ADDQ       $64, J
	CMPQ       J, W
	JLT        line
	PREFETCHT0 -4(SRC)(W*1) // the last float's line (rows need not be aligned)
	ADDQ       LD, SRC
	DECQ       ROWS
	JNZ        row

done:
	RET
