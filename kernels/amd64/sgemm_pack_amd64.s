//go:build !noasm

#include "textflag.h"

// func PackA6SSE(kc int, a []float32, lda int, dst []float32)
//
// Interleaves six rows of A into one micro-panel: dst[p*6+i] = a[i*lda+p]
// for i < 6, p < kc (see PackA6Go). Four columns per iteration: the 4×4
// block of rows 0-3 is transposed in registers, rows 4-5 are paired, and
// the 24 values are stored as one contiguous run. SSE only (amd64 baseline).

#define KC   CX
#define SRC  SI  // row 0 of A at the current column
#define LDA  BX  // row stride in bytes
#define LDA3 R8  // 3*LDA
#define LDA5 R9  // 5*LDA
#define DST  DI

TEXT ·PackA6SSE(SB), NOSPLIT, $0-64
	MOVQ kc+0(FP), KC
	MOVQ a_base+8(FP), SRC
	MOVQ lda+32(FP), LDA
	SHLQ $2, LDA
	LEAQ (LDA)(LDA*2), LDA3
	LEAQ (LDA)(LDA*4), LDA5
	MOVQ dst_base+40(FP), DST

	CMPQ KC, $4
	JLT  tail

loop4:
	MOVUPS (SRC), X0           // row 0: p..p+3
	MOVUPS (SRC)(LDA*1), X1    // row 1
	MOVUPS (SRC)(LDA*2), X2    // row 2
	MOVUPS (SRC)(LDA3*1), X3   // row 3
	MOVUPS (SRC)(LDA*4), X4    // row 4
	MOVUPS (SRC)(LDA5*1), X5   // row 5

	MOVAPS   X0, X6
	UNPCKLPS X1, X0            // X0 = r0p0 r1p0 r0p1 r1p1
	UNPCKHPS X1, X6            // X6 = r0p2 r1p2 r0p3 r1p3
	MOVAPS   X2, X7
	UNPCKLPS X3, X2            // X2 = r2p0 r3p0 r2p1 r3p1
	UNPCKHPS X3, X7            // X7 = r2p2 r3p2 r2p3 r3p3
	MOVAPS   X4, X8
	UNPCKLPS X5, X4            // X4 = r4p0 r5p0 r4p1 r5p1
	UNPCKHPS X5, X8            // X8 = r4p2 r5p2 r4p3 r5p3

	MOVAPS  X2, X9
	MOVHLPS X0, X9             // X9 = r0p1 r1p1 r2p1 r3p1
	MOVLHPS X2, X0             // X0 = r0p0 r1p0 r2p0 r3p0
	MOVAPS  X7, X10
	MOVHLPS X6, X10            // X10 = r0p3 r1p3 r2p3 r3p3
	MOVLHPS X7, X6             // X6 = r0p2 r1p2 r2p2 r3p2

	MOVUPS X0, 0(DST)          // column p
	MOVLPS X4, 16(DST)
	MOVUPS X9, 24(DST)         // column p+1
	MOVHPS X4, 40(DST)
	MOVUPS X6, 48(DST)         // column p+2
	MOVLPS X8, 64(DST)
	MOVUPS X10, 72(DST)        // column p+3
	MOVHPS X8, 88(DST)

	ADDQ $16, SRC
	ADDQ $96, DST
	SUBQ $4, KC
	CMPQ KC, $4
	JGE  loop4

tail:
	// The remaining 0..3 columns one at a time.
	TESTQ KC, KC
	JZ    done
	MOVSS (SRC), X0
	MOVSS X0, 0(DST)
	MOVSS (SRC)(LDA*1), X0
	MOVSS X0, 4(DST)
	MOVSS (SRC)(LDA*2), X0
	MOVSS X0, 8(DST)
	MOVSS (SRC)(LDA3*1), X0
	MOVSS X0, 12(DST)
	MOVSS (SRC)(LDA*4), X0
	MOVSS X0, 16(DST)
	MOVSS (SRC)(LDA5*1), X0
	MOVSS X0, 20(DST)
	ADDQ  $4, SRC
	ADDQ  $24, DST
	DECQ  KC
	JMP   tail

done:
	RET
