//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"
#include "vec_math_avx512_amd64.h"

// func VecExpAVX512(dst, x []float32)
//
// dst[i] = exp(x[i]) for i < len(x), the algorithm of purego.Exp
// (EXP512 in vec_math_avx512_amd64.h). len(dst) ≥ len(x); dst may be x.

#define DST DI // output, advances with SRC
#define SRC SI // input
#define N   CX // elements left (also the tail shift count)

TEXT ·VecExpAVX512(SB), NOSPLIT, $0-48
	MOVQ    dst_base+0(FP), DST
	MOVQ    x_base+24(FP), SRC
	MOVQ    x_len+32(FP), N
	VMOVUPS CV(K_EXPLO), ZEXPLO
	VMOVUPS CV(K_EXPHI), ZEXPHI

loop32:
	// Two independent vectors (Z0 and Z15 with their scratch) per iteration.
	CMPQ    N, $32
	JLT     loop16
	VMOVUPS 0(SRC), Z0
	VMOVUPS 64(SRC), Z15
	EXP512(Z0, Z1, Z2, Z3)
	EXP512(Z15, Z16, Z17, Z18)
	VMOVUPS Z0, 0(DST)
	VMOVUPS Z15, 64(DST)
	ADDQ    $128, SRC
	ADDQ    $128, DST
	SUBQ    $32, N
	JMP     loop32

loop16:
	// One vector.
	CMPQ    N, $16
	JLT     tail
	VMOVUPS 0(SRC), Z0
	EXP512(Z0, Z1, Z2, Z3)
	VMOVUPS Z0, 0(DST)
	ADDQ    $64, SRC
	ADDQ    $64, DST
	SUBQ    $16, N

tail:
	// The last 0..15 elements under the mask K3 = 2^N - 1 (zeroed lanes
	// are computed and dropped).
	TESTQ     N, N
	JZ        done
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K3
	VMOVUPS.Z 0(SRC), K3, Z0
	EXP512(Z0, Z1, Z2, Z3)
	VMOVUPS   Z0, K3, 0(DST)

done:
	VZEROUPPER
	RET
