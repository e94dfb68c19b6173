//go:build !noasm

#include "textflag.h"

// func NCHWcLeakyAVX512(x []float32, alpha float32)
//
// x[i] = alpha·x[i] where x[i] < 0, in place (see NCHWcLeakyGo): a
// compare into a mask register and a merge-masked multiply, no branch per
// value; 64 values per step in four zmm registers, then 16 at a time, the
// last len mod 16 under a lane mask.
TEXT ·NCHWcLeakyAVX512(SB), NOSPLIT, $0-28
	MOVQ         x_base+0(FP), DI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSS alpha+24(FP), Z16
	VPXORD       Z17, Z17, Z17

loop64:
	CMPQ    CX, $64
	JLT     loop16
	VMOVUPS (DI), Z0
	VMOVUPS 64(DI), Z1
	VMOVUPS 128(DI), Z2
	VMOVUPS 192(DI), Z3
	VCMPPS  $1, Z17, Z0, K1
	VCMPPS  $1, Z17, Z1, K2
	VCMPPS  $1, Z17, Z2, K3
	VCMPPS  $1, Z17, Z3, K4
	VMULPS  Z16, Z0, K1, Z0
	VMULPS  Z16, Z1, K2, Z1
	VMULPS  Z16, Z2, K3, Z2
	VMULPS  Z16, Z3, K4, Z3
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	ADDQ    $256, DI
	SUBQ    $64, CX
	JMP     loop64

loop16:
	CMPQ    CX, $16
	JLT     tail
	VMOVUPS (DI), Z0
	VCMPPS  $1, Z17, Z0, K1
	VMULPS  Z16, Z0, K1, Z0
	VMOVUPS Z0, (DI)
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     loop16

tail:
	TESTQ   CX, CX
	JZ      done
	MOVL    $1, AX
	SHLL    CX, AX
	DECL    AX
	KMOVW   AX, K5
	VMOVUPS (DI), K5, Z0
	VCMPPS  $1, Z17, Z0, K5, K1
	VMULPS  Z16, Z0, K1, Z0
	VMOVUPS Z0, K5, (DI)

done:
	VZEROUPPER
	RET
