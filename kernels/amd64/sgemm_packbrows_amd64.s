//go:build !noasm

#include "textflag.h"

// func PackBRowsAVX(kc int, b []float32, ldb int, dst []float32, nr, strips int)
//
// dst[s*kc*nr + p*nr + j] = b[p*ldb + s*nr + j] for s < strips, p < kc,
// j < nr, nr a multiple of 8 (see PackBRowsGo). Row p of B is read once,
// left to right, and its strips*nr floats are moved in 32-byte loads and
// stores (two at a time while 16 floats or more remain) into the strips'
// rows p. The rows of B are usually far apart (4 KB and more), which the
// hardware prefetchers follow poorly, so every row prefetches the row
// eight ahead (one line per 64 bytes).

#define KC   CX
#define SRC  SI  // row p of B
#define LDB  BX  // row stride in bytes
#define DST  DI  // row p of strip 0
#define NR   DX  // strip row length in bytes
#define J    R8  // byte offset in a strip row
#define PF   R9  // row p+8 of B
#define W    R10 // strips*NR: the bytes of a row of B read
#define S    R11 // source of the current strip's row
#define D    R12 // destination of the current strip's row
#define SSTR R13 // kc*NR: distance between strips
#define N    R14 // strips left in the row
#define LAST AX  // NR-32: last offset where two vectors fit

TEXT ·PackBRowsAVX(SB), NOSPLIT, $0-80
	MOVQ  kc+0(FP), KC
	MOVQ  b_base+8(FP), SRC
	MOVQ  ldb+32(FP), LDB
	SHLQ  $2, LDB
	MOVQ  dst_base+40(FP), DST
	MOVQ  nr+64(FP), NR
	SHLQ  $2, NR
	TESTQ KC, KC
	JLE   done
	TESTQ NR, NR
	JLE   done
	MOVQ  strips+72(FP), W
	TESTQ W, W
	JLE   done
	IMULQ NR, W
	MOVQ  KC, SSTR
	IMULQ NR, SSTR
	MOVQ  NR, LAST
	SUBQ  $32, LAST

row:
	// Prefetch row p+8 (never faults, even past the end of B).
	LEAQ (SRC)(LDB*8), PF
	XORQ J, J

pf:
	PREFETCHT0 (PF)(J*1)
	ADDQ       $64, J
	CMPQ       J, W
	JLT        pf

	MOVQ SRC, S
	MOVQ DST, D
	MOVQ strips+72(FP), N

strip:
	XORQ J, J

pair:
	CMPQ    J, LAST
	JGE     single
	VMOVUPS (S)(J*1), Y0
	VMOVUPS 32(S)(J*1), Y1
	VMOVUPS Y0, (D)(J*1)
	VMOVUPS Y1, 32(D)(J*1)
	ADDQ    $64, J
	JMP     pair

single:
	CMPQ    J, NR
	JGE     nextstrip
	VMOVUPS (S)(J*1), Y0
	VMOVUPS Y0, (D)(J*1)
	ADDQ    $32, J
	JMP     single

nextstrip:
	ADDQ NR, S
	ADDQ SSTR, D
	DECQ N
	JNZ  strip

	ADDQ LDB, SRC
	ADDQ NR, DST
	DECQ KC
	JNZ  row

done:
	VZEROUPPER
	RET
