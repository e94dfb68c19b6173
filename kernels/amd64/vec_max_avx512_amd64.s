//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"

// func VecMaxAVX512(x []float32) float32
//
// Returns max x[i], NaN when any x[i] is NaN, -Inf for an empty slice
// (purego.Max). VMAXPS does not propagate NaN reliably, so the NaN test
// is separate: K4 collects the lanes that compared unordered.

#define SRC SI // input
#define N   CX // elements left (also the tail shift count)

TEXT ·VecMaxAVX512(SB), NOSPLIT, $0-28
	MOVQ    x_base+0(FP), SRC
	MOVQ    x_len+8(FP), N
	VMOVUPS CV(K_NEGINF), Z16
	VMOVUPS Z16, Z17
	VMOVUPS Z16, Z18
	VMOVUPS Z16, Z19
	KXORW   K4, K4, K4

loop64:
	// Four accumulators: acc = acc > x ? acc : x; K4 |= (x is NaN).
	CMPQ    N, $64
	JLT     loop16
	VMOVUPS 0(SRC), Z0
	VMOVUPS 64(SRC), Z1
	VMOVUPS 128(SRC), Z2
	VMOVUPS 192(SRC), Z3
	VMAXPS  Z0, Z16, Z16
	VMAXPS  Z1, Z17, Z17
	VMAXPS  Z2, Z18, Z18
	VMAXPS  Z3, Z19, Z19
	VCMPPS  $3, Z0, Z0, K5
	KORW    K5, K4, K4
	VCMPPS  $3, Z1, Z1, K5
	KORW    K5, K4, K4
	VCMPPS  $3, Z2, Z2, K5
	KORW    K5, K4, K4
	VCMPPS  $3, Z3, Z3, K5
	KORW    K5, K4, K4
	ADDQ    $256, SRC
	SUBQ    $64, N
	JMP     loop64

loop16:
	CMPQ    N, $16
	JLT     tail
	VMOVUPS 0(SRC), Z0
	VMAXPS  Z0, Z16, Z16
	VCMPPS  $3, Z0, Z0, K5
	KORW    K5, K4, K4
	ADDQ    $64, SRC
	SUBQ    $16, N
	JMP     loop16

tail:
	// The last 0..15 elements merged into a vector of -Inf under K3.
	TESTQ   N, N
	JZ      fold
	MOVL    $1, AX
	SHLL    CX, AX
	DECL    AX
	KMOVW   AX, K3
	VMOVUPS CV(K_NEGINF), Z0
	VMOVUPS 0(SRC), K3, Z0
	VMAXPS  Z0, Z17, Z17
	VCMPPS  $3, Z0, Z0, K5
	KORW    K5, K4, K4

fold:
	// NaN seen: return NaN. Else fold the 64 lanes with max.
	KORTESTW K4, K4
	JNZ      nan
	VMAXPS   Z17, Z16, Z16
	VMAXPS   Z19, Z18, Z18
	VMAXPS   Z18, Z16, Z16
	VEXTRACTF64X4 $1, Z16, Y1
	VMAXPS   Y1, Y16, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS   X1, X0, X0
	VMOVHLPS X0, X0, X1
	VMAXPS   X1, X0, X0
	VMOVSHDUP X0, X1
	VMAXSS   X1, X0, X0
	VMOVSS   X0, ret+24(FP)
	VZEROUPPER
	RET

nan:
	MOVL $0x7fc00000, AX
	MOVL AX, ret+24(FP)
	VZEROUPPER
	RET
