//go:build !noasm

#include "textflag.h"

// func PackBRowsPfAVX(kc int, b []float32, ldb int, dst []float32, nr, dist int)
//
// dst[p*nr+j] = b[p*ldb+j] for p < kc, j < nr, nr a multiple of 8 (see
// PackBRowsGo). Each row is moved in 32-byte loads and stores (two at a
// time while 16 floats or more remain); the rows of B are usually far
// apart (4 KB and more), which the hardware prefetchers follow poorly, so
// every row prefetches the row eight ahead (one line per 64 bytes).

#define KC   CX
#define SRC  SI  // row p of B
#define LDB  BX  // row stride in bytes
#define DST  DI  // row p of dst
#define NR   DX  // row length in bytes
#define J    R8  // byte offset in the row
#define PF   R9  // row p+8 of B

TEXT ·PackBRowsPfAVX(SB), NOSPLIT, $0-80
	MOVQ kc+0(FP), KC
	MOVQ b_base+8(FP), SRC
	MOVQ ldb+32(FP), LDB
	SHLQ $2, LDB
	MOVQ dst_base+40(FP), DST
	MOVQ nr+64(FP), NR
	SHLQ $2, NR
	MOVQ dist+72(FP), R10
	IMULQ LDB, R10
	TESTQ KC, KC
	JLE  done
	TESTQ NR, NR
	JLE  done

row:
	// Prefetch row p+8 (never faults, even past the end of B).
	LEAQ (SRC)(R10*1), PF
	XORQ J, J

pf:
	PREFETCHT0 (PF)(J*1)
	ADDQ       $64, J
	CMPQ       J, NR
	JLT        pf

	XORQ J, J
	MOVQ NR, AX
	SUBQ $32, AX // last offset where two vectors fit

pair:
	CMPQ    J, AX
	JGE     single
	VMOVUPS (SRC)(J*1), Y0
	VMOVUPS 32(SRC)(J*1), Y1
	VMOVUPS Y0, (DST)(J*1)
	VMOVUPS Y1, 32(DST)(J*1)
	ADDQ    $64, J
	JMP     pair

single:
	CMPQ    J, NR
	JGE     next
	VMOVUPS (SRC)(J*1), Y0
	VMOVUPS Y0, (DST)(J*1)
	ADDQ    $32, J
	JMP     single

next:
	ADDQ LDB, SRC
	ADDQ NR, DST
	DECQ KC
	JNZ  row

done:
	VZEROUPPER
	RET
