//go:build !noasm

#include "textflag.h"

DATA nchwcHswConst<>+0(SB)/8, $0.16666666666666666
DATA nchwcHswConst<>+8(SB)/8, $0.5
DATA nchwcHswConst<>+16(SB)/8, $1.0
GLOBL nchwcHswConst<>(SB), RODATA|NOPTR, $24

// func NCHWcHardSwishAVX512(x []float32)
//
// x[i] = x·min(max(x·(1/6) + 1/2, 0), 1) in place, in float64 like
// NCHWcHardSwishGo: eight values per step widened to one zmm of doubles,
// the last len mod 8 under a lane mask; no branch per value.
TEXT ·NCHWcHardSwishAVX512(SB), NOSPLIT, $0-24
	MOVQ         x_base+0(FP), DI
	MOVQ         x_len+8(FP), CX
	VBROADCASTSD nchwcHswConst<>+0(SB), Z16
	VBROADCASTSD nchwcHswConst<>+8(SB), Z17
	VBROADCASTSD nchwcHswConst<>+16(SB), Z19
	VXORPD       Z18, Z18, Z18

loop16:
	CMPQ      CX, $16
	JLT       loop8
	VCVTPS2PD (DI), Z0
	VCVTPS2PD 32(DI), Z1
	VMULPD    Z16, Z0, Z2
	VMULPD    Z16, Z1, Z3
	VADDPD    Z17, Z2, Z2
	VADDPD    Z17, Z3, Z3
	VMAXPD    Z2, Z18, Z2
	VMAXPD    Z3, Z18, Z3
	VMINPD    Z2, Z19, Z2
	VMINPD    Z3, Z19, Z3
	VMULPD    Z2, Z0, Z2
	VMULPD    Z3, Z1, Z3
	VCVTPD2PS Z2, Y2
	VCVTPD2PS Z3, Y3
	VMOVUPS   Y2, (DI)
	VMOVUPS   Y3, 32(DI)
	ADDQ      $64, DI
	SUBQ      $16, CX
	JMP       loop16

loop8:
	TESTQ     CX, CX
	JZ        done
	MOVL      $0xff, AX
	CMPQ      CX, $8
	JGE       full
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX

full:
	KMOVW     AX, K1
	VXORPS    Y0, Y0, Y0
	VMOVUPS   (DI), K1, Y0
	VCVTPS2PD Y0, Z0
	VMULPD    Z16, Z0, Z2
	VADDPD    Z17, Z2, Z2
	VMAXPD    Z2, Z18, Z2
	VMINPD    Z2, Z19, Z2
	VMULPD    Z2, Z0, Z2
	VCVTPD2PS Z2, Y2
	VMOVUPS   Y2, K1, (DI)
	ADDQ      $32, DI
	SUBQ      $8, CX
	JG        loop8

done:
	VZEROUPPER
	RET
