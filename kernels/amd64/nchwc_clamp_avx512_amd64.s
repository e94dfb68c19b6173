//go:build !noasm

#include "textflag.h"

// func NCHWcClampAVX512(x []float32, lo, hi float32)
//
// x[i] = min(max(x[i], lo), hi) in place, NaN propagating (see
// NCHWcClampGo): 64 values per step in four zmm registers, then 16 at a
// time, the last len mod 16 under a lane mask.
TEXT ·NCHWcClampAVX512(SB), NOSPLIT, $0-32
	MOVQ         x_base+0(FP), DI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSS lo+24(FP), Z16
	VBROADCASTSS hi+28(FP), Z17

loop64:
	CMPQ    CX, $64
	JLT     loop16
	VMOVUPS (DI), Z0
	VMOVUPS 64(DI), Z1
	VMOVUPS 128(DI), Z2
	VMOVUPS 192(DI), Z3
	VMAXPS  Z0, Z16, Z0
	VMAXPS  Z1, Z16, Z1
	VMAXPS  Z2, Z16, Z2
	VMAXPS  Z3, Z16, Z3
	VMINPS  Z0, Z17, Z0
	VMINPS  Z1, Z17, Z1
	VMINPS  Z2, Z17, Z2
	VMINPS  Z3, Z17, Z3
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
	VMAXPS  Z0, Z16, Z0
	VMINPS  Z0, Z17, Z0
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
	KMOVW   AX, K1
	VMOVUPS (DI), K1, Z0
	VMAXPS  Z0, Z16, Z0
	VMINPS  Z0, Z17, Z0
	VMOVUPS Z0, K1, (DI)

done:
	VZEROUPPER
	RET
