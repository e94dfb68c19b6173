//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"

// func VecMaxAVX2(x []float32) float32
//
// Returns max x[i], NaN when any x[i] is NaN, -Inf for an empty slice
// (purego.Max). VMAXPS does not propagate NaN reliably, so NANS collects
// the lanes that compared unordered.

#define SRC  SI // input
#define N    CX // elements left
#define MASK Y8 // tail mask
#define NANS Y9 // all-ones lanes where a NaN was seen
#define TMP  Y10

TEXT ·VecMaxAVX2(SB), NOSPLIT, $0-28
	MOVQ    x_base+0(FP), SRC
	MOVQ    x_len+8(FP), N
	VMOVUPS CV(K_NEGINF), Y4
	VMOVUPS Y4, Y5
	VMOVUPS Y4, Y6
	VMOVUPS Y4, Y7
	VXORPS  NANS, NANS, NANS

loop32:
	// Four accumulators: acc = acc > x ? acc : x; NANS |= (x is NaN).
	CMPQ    N, $32
	JLT     loop8
	VMOVUPS 0(SRC), Y0
	VMOVUPS 32(SRC), Y1
	VMOVUPS 64(SRC), Y2
	VMOVUPS 96(SRC), Y3
	VMAXPS  Y0, Y4, Y4
	VMAXPS  Y1, Y5, Y5
	VMAXPS  Y2, Y6, Y6
	VMAXPS  Y3, Y7, Y7
	VCMPPS  $3, Y0, Y0, TMP
	VORPS   TMP, NANS, NANS
	VCMPPS  $3, Y1, Y1, TMP
	VORPS   TMP, NANS, NANS
	VCMPPS  $3, Y2, Y2, TMP
	VORPS   TMP, NANS, NANS
	VCMPPS  $3, Y3, Y3, TMP
	VORPS   TMP, NANS, NANS
	ADDQ    $128, SRC
	SUBQ    $32, N
	JMP     loop32

loop8:
	CMPQ    N, $8
	JLT     tail
	VMOVUPS 0(SRC), Y0
	VMAXPS  Y0, Y4, Y4
	VCMPPS  $3, Y0, Y0, TMP
	VORPS   TMP, NANS, NANS
	ADDQ    $32, SRC
	SUBQ    $8, N
	JMP     loop8

tail:
	// The last 0..7 elements; lanes past the end become -Inf.
	TESTQ      N, N
	JZ         fold
	LEAQ       ·vecMask8(SB), AX
	MOVQ       $8, BX
	SUBQ       N, BX
	VMOVDQU    (AX)(BX*4), MASK
	VMASKMOVPS 0(SRC), MASK, Y0
	VMOVUPS    CV(K_NEGINF), TMP
	VBLENDVPS  MASK, Y0, TMP, Y0
	VMAXPS     Y0, Y5, Y5
	VCMPPS     $3, Y0, Y0, TMP
	VORPS      TMP, NANS, NANS

fold:
	// NaN seen: return NaN. Else fold the 32 lanes with max.
	VMOVMSKPS NANS, AX
	TESTL     AX, AX
	JNZ       nan
	VMAXPS    Y5, Y4, Y4
	VMAXPS    Y7, Y6, Y6
	VMAXPS    Y6, Y4, Y4
	VEXTRACTF128 $1, Y4, X1
	VMAXPS    X1, X4, X0
	VMOVHLPS  X0, X0, X1
	VMAXPS    X1, X0, X0
	VMOVSHDUP X0, X1
	VMAXSS    X1, X0, X0
	VMOVSS    X0, ret+24(FP)
	VZEROUPPER
	RET

nan:
	MOVL $0x7fc00000, AX
	MOVL AX, ret+24(FP)
	VZEROUPPER
	RET
