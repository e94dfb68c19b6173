//go:build !noasm

#include "textflag.h"

// func PackBTransSSE(kc int, b []float32, ldb, cols int, dst []float32, nr int)
//
// Packs a transposed B into an SGEMM B strip: dst[p*nr+j] = b[j*ldb+p] for
// j < cols (a multiple of 4), p < kc (see PackBTransGo). Four columns at a
// time: a 4×4 block (4 rows of b, 4 steps of k) is transposed in registers
// and stored as 4 runs of 4 floats, one per step. SSE only (amd64
// baseline).

#define KC    CX  // remaining steps of k in this group of columns
#define SRC   SI  // row j of b at step p
#define LDB   BX  // row stride of b in bytes
#define LDB3  R8  // 3*LDB
#define DST   DI  // dst at step p, column j
#define NRB   R9  // dst row stride (nr) in bytes
#define NRB3  R10 // 3*NRB
#define GROUPS R11 // remaining groups of four columns
#define SRC0  R12 // row j of b at step 0
#define DST0  R13 // dst at step 0, column j

TEXT ·PackBTransSSE(SB), NOSPLIT, $0-80
	MOVQ cols+40(FP), GROUPS
	SHRQ $2, GROUPS
	JZ   done
	MOVQ b_base+8(FP), SRC0
	MOVQ ldb+32(FP), LDB
	SHLQ $2, LDB
	LEAQ (LDB)(LDB*2), LDB3
	MOVQ dst_base+48(FP), DST0
	MOVQ nr+72(FP), NRB
	SHLQ $2, NRB
	LEAQ (NRB)(NRB*2), NRB3

group:
	MOVQ kc+0(FP), KC
	MOVQ SRC0, SRC
	MOVQ DST0, DST
	CMPQ KC, $4
	JLT  tail

loop4:
	MOVUPS (SRC), X0            // row j:   p..p+3
	MOVUPS (SRC)(LDB*1), X1     // row j+1
	MOVUPS (SRC)(LDB*2), X2     // row j+2
	MOVUPS (SRC)(LDB3*1), X3    // row j+3
	MOVAPS   X0, X4
	UNPCKLPS X1, X0             // X0 = j0p0 j1p0 j0p1 j1p1
	UNPCKHPS X1, X4             // X4 = j0p2 j1p2 j0p3 j1p3
	MOVAPS   X2, X5
	UNPCKLPS X3, X2             // X2 = j2p0 j3p0 j2p1 j3p1
	UNPCKHPS X3, X5             // X5 = j2p2 j3p2 j2p3 j3p3
	MOVAPS  X2, X6
	MOVHLPS X0, X6              // X6 = j0p1 j1p1 j2p1 j3p1
	MOVLHPS X2, X0              // X0 = j0p0 j1p0 j2p0 j3p0
	MOVAPS  X5, X7
	MOVHLPS X4, X7              // X7 = j0p3 j1p3 j2p3 j3p3
	MOVLHPS X5, X4              // X4 = j0p2 j1p2 j2p2 j3p2
	MOVUPS X0, (DST)            // step p
	MOVUPS X6, (DST)(NRB*1)     // step p+1
	MOVUPS X4, (DST)(NRB*2)     // step p+2
	MOVUPS X7, (DST)(NRB3*1)    // step p+3
	ADDQ $16, SRC
	LEAQ (DST)(NRB*4), DST
	SUBQ $4, KC
	CMPQ KC, $4
	JGE  loop4

tail:
	// The remaining 0..3 steps one at a time.
	TESTQ KC, KC
	JZ    next
	MOVSS (SRC), X0
	MOVSS X0, 0(DST)
	MOVSS (SRC)(LDB*1), X0
	MOVSS X0, 4(DST)
	MOVSS (SRC)(LDB*2), X0
	MOVSS X0, 8(DST)
	MOVSS (SRC)(LDB3*1), X0
	MOVSS X0, 12(DST)
	ADDQ  $4, SRC
	ADDQ  NRB, DST
	DECQ  KC
	JMP   tail

next:
	// The next four columns: four rows of b on, four floats of dst on.
	LEAQ (SRC0)(LDB*4), SRC0
	ADDQ $16, DST0
	DECQ GROUPS
	JNZ  group

done:
	RET
