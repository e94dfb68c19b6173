//go:build !noasm

#include "textflag.h"

// Constants of the float64 activations: 1/6, 1/2, 1 (broadcast).
DATA vecActConst<>+0(SB)/8, $0.16666666666666666
DATA vecActConst<>+8(SB)/8, $0.5
DATA vecActConst<>+16(SB)/8, $1.0
GLOBL vecActConst<>(SB), RODATA|NOPTR, $24

// func VecLeakyReluAVX512(dst, x []float32, alpha float32)
//
// dst[i] = alpha·x[i] where x[i] < 0, else x[i] (purego.LeakyRelu): a
// compare into a mask register and a merge-masked multiply, no branch per
// value; 64 values per step in four zmm registers, then 16, the last
// len mod 16 under a lane mask. len(dst) ≥ len(x); dst may be x.
TEXT ·VecLeakyReluAVX512(SB), NOSPLIT, $0-52
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         x_len+32(FP), CX
	VBROADCASTSS alpha+48(FP), Z16
	VPXORD       Z17, Z17, Z17

leaky64:
	CMPQ    CX, $64
	JLT     leaky16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVUPS 128(SI), Z2
	VMOVUPS 192(SI), Z3
	VCMPPS  $1, Z17, Z0, K1 // K1 = x < 0 (false for NaN and -0)
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
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $64, CX
	JMP     leaky64

leaky16:
	CMPQ    CX, $16
	JLT     leakytail
	VMOVUPS (SI), Z0
	VCMPPS  $1, Z17, Z0, K1
	VMULPS  Z16, Z0, K1, Z0
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     leaky16

leakytail:
	TESTQ   CX, CX
	JZ      leakydone
	MOVL    $1, AX
	SHLL    CX, AX
	DECL    AX
	KMOVW   AX, K5
	VMOVUPS (SI), K5, Z0
	VCMPPS  $1, Z17, Z0, K5, K1
	VMULPS  Z16, Z0, K1, Z0
	VMOVUPS Z0, K5, (DI)

leakydone:
	VZEROUPPER
	RET

// CLAMP01(y) sets y = 0 where y < 0 and 1 where y > 1 (Z18 = 0, Z19 = 1);
// with y as the second source, NaN and -0 pass through.
#define CLAMP01(y) VMAXPD y, Z18, y; VMINPD y, Z19, y

// func VecHardSigmoidAVX512(dst, x []float32, alpha, beta float64)
//
// dst[i] = float32(clamp01(alpha·x[i] + beta)) in float64, product and sum
// each rounded (purego.HardSigmoid): 32 values per step widened to four
// zmm of doubles, then 8 at a time, the last len mod 8 under a lane mask.
TEXT ·VecHardSigmoidAVX512(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         x_len+32(FP), CX
	VBROADCASTSD alpha+48(FP), Z16
	VBROADCASTSD beta+56(FP), Z17
	VXORPD       Z18, Z18, Z18
	VBROADCASTSD vecActConst<>+16(SB), Z19

hsig32:
	CMPQ      CX, $32
	JLT       hsig8
	VCVTPS2PD (SI), Z0
	VCVTPS2PD 32(SI), Z1
	VCVTPS2PD 64(SI), Z2
	VCVTPS2PD 96(SI), Z3
	VMULPD    Z16, Z0, Z0
	VMULPD    Z16, Z1, Z1
	VMULPD    Z16, Z2, Z2
	VMULPD    Z16, Z3, Z3
	VADDPD    Z17, Z0, Z0
	VADDPD    Z17, Z1, Z1
	VADDPD    Z17, Z2, Z2
	VADDPD    Z17, Z3, Z3
	CLAMP01(Z0)
	CLAMP01(Z1)
	CLAMP01(Z2)
	CLAMP01(Z3)
	VCVTPD2PS Z0, Y0
	VCVTPD2PS Z1, Y1
	VCVTPD2PS Z2, Y2
	VCVTPD2PS Z3, Y3
	VMOVUPS   Y0, (DI)
	VMOVUPS   Y1, 32(DI)
	VMOVUPS   Y2, 64(DI)
	VMOVUPS   Y3, 96(DI)
	ADDQ      $128, SI
	ADDQ      $128, DI
	SUBQ      $32, CX
	JMP       hsig32

hsig8:
	TESTQ     CX, CX
	JZ        hsigdone
	MOVL      $0xff, AX
	CMPQ      CX, $8
	JGE       hsigfull
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX

hsigfull:
	KMOVW     AX, K1
	VXORPS    Y0, Y0, Y0
	VMOVUPS   (SI), K1, Y0
	VCVTPS2PD Y0, Z0
	VMULPD    Z16, Z0, Z0
	VADDPD    Z17, Z0, Z0
	CLAMP01(Z0)
	VCVTPD2PS Z0, Y0
	VMOVUPS   Y0, K1, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JG        hsig8

hsigdone:
	VZEROUPPER
	RET

// HSWISH(f, y) sets y = f·clamp01(f·(1/6) + 1/2) (Z16 = 1/6, Z17 = 1/2).
#define HSWISH(f, y) VMULPD Z16, f, y; VADDPD Z17, y, y; CLAMP01(y); VMULPD y, f, y

// func VecHardSwishAVX512(dst, x []float32)
//
// dst[i] = float32(f·clamp01(f·(1/6) + 1/2)), f = float64(x[i]), each
// step rounded in float64 (purego.HardSwish): 32 values per step widened
// to four zmm of doubles, then 8 at a time, the last len mod 8 under a
// lane mask.
TEXT ·VecHardSwishAVX512(SB), NOSPLIT, $0-48
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         x_len+32(FP), CX
	VBROADCASTSD vecActConst<>+0(SB), Z16
	VBROADCASTSD vecActConst<>+8(SB), Z17
	VXORPD       Z18, Z18, Z18
	VBROADCASTSD vecActConst<>+16(SB), Z19

hsw32:
	CMPQ      CX, $32
	JLT       hsw8
	VCVTPS2PD (SI), Z0
	VCVTPS2PD 32(SI), Z1
	VCVTPS2PD 64(SI), Z2
	VCVTPS2PD 96(SI), Z3
	HSWISH(Z0, Z4)
	HSWISH(Z1, Z5)
	HSWISH(Z2, Z6)
	HSWISH(Z3, Z7)
	VCVTPD2PS Z4, Y4
	VCVTPD2PS Z5, Y5
	VCVTPD2PS Z6, Y6
	VCVTPD2PS Z7, Y7
	VMOVUPS   Y4, (DI)
	VMOVUPS   Y5, 32(DI)
	VMOVUPS   Y6, 64(DI)
	VMOVUPS   Y7, 96(DI)
	ADDQ      $128, SI
	ADDQ      $128, DI
	SUBQ      $32, CX
	JMP       hsw32

hsw8:
	TESTQ     CX, CX
	JZ        hswdone
	MOVL      $0xff, AX
	CMPQ      CX, $8
	JGE       hswfull
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX

hswfull:
	KMOVW     AX, K1
	VXORPS    Y0, Y0, Y0
	VMOVUPS   (SI), K1, Y0
	VCVTPS2PD Y0, Z0
	HSWISH(Z0, Z4)
	VCVTPD2PS Z4, Y4
	VMOVUPS   Y4, K1, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JG        hsw8

hswdone:
	VZEROUPPER
	RET
