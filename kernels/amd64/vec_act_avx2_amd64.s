//go:build !noasm

#include "textflag.h"

// Constants of the float64 activations: 1/6, 1/2, 1 (broadcast).
DATA vecActConst2<>+0(SB)/8, $0.16666666666666666
DATA vecActConst2<>+8(SB)/8, $0.5
DATA vecActConst2<>+16(SB)/8, $1.0
GLOBL vecActConst2<>(SB), RODATA|NOPTR, $24

#define DST  DI  // output, advances with SRC
#define SRC  SI  // input
#define N    CX  // elements left
#define MASK Y12 // tail mask

// TAILMASK: MASK = vecMask8[8-N:], the lanes of the last 0..7 elements.
#define TAILMASK LEAQ ·vecMask8(SB), AX; MOVQ $8, BX; SUBQ N, BX; VMOVDQU (AX)(BX*4), MASK

// LEAKY(x, t, m): x = alpha·x where x < 0 (Y15 = alpha, Y14 = 0); the
// compare is false for NaN and -0, which keep their value.
#define LEAKY(x, t, m) VCMPPS $1, Y14, x, m; VMULPS Y15, x, t; VBLENDVPS m, t, x, x

// func VecLeakyReluAVX2(dst, x []float32, alpha float32)
//
// dst[i] = alpha·x[i] where x[i] < 0, else x[i] (purego.LeakyRelu): a
// compare, a multiply and a blend, no branch per value; 32 values per step
// in four ymm registers, then 8, the last len mod 8 under a lane mask.
// len(dst) ≥ len(x); dst may be x.
TEXT ·VecLeakyReluAVX2(SB), NOSPLIT, $0-52
	MOVQ         dst_base+0(FP), DST
	MOVQ         x_base+24(FP), SRC
	MOVQ         x_len+32(FP), N
	VBROADCASTSS alpha+48(FP), Y15
	VXORPS       Y14, Y14, Y14

leaky32:
	CMPQ    N, $32
	JLT     leaky8
	VMOVUPS (SRC), Y0
	VMOVUPS 32(SRC), Y1
	VMOVUPS 64(SRC), Y2
	VMOVUPS 96(SRC), Y3
	LEAKY(Y0, Y4, Y8)
	LEAKY(Y1, Y5, Y9)
	LEAKY(Y2, Y6, Y10)
	LEAKY(Y3, Y7, Y11)
	VMOVUPS Y0, (DST)
	VMOVUPS Y1, 32(DST)
	VMOVUPS Y2, 64(DST)
	VMOVUPS Y3, 96(DST)
	ADDQ    $128, SRC
	ADDQ    $128, DST
	SUBQ    $32, N
	JMP     leaky32

leaky8:
	CMPQ    N, $8
	JLT     leakytail
	VMOVUPS (SRC), Y0
	LEAKY(Y0, Y4, Y8)
	VMOVUPS Y0, (DST)
	ADDQ    $32, SRC
	ADDQ    $32, DST
	SUBQ    $8, N
	JMP     leaky8

leakytail:
	TESTQ      N, N
	JZ         leakydone
	TAILMASK
	VMASKMOVPS (SRC), MASK, Y0
	LEAKY(Y0, Y4, Y8)
	VMASKMOVPS Y0, MASK, (DST)

leakydone:
	VZEROUPPER
	RET

// CLAMP01(y) sets y = 0 where y < 0 and 1 where y > 1 (Y13 = 0, Y14 = 1);
// with y as the second source, NaN and -0 pass through.
#define CLAMP01(y) VMAXPD y, Y13, y; VMINPD y, Y14, y

// HSIG(y) sets y = clamp01(alpha·y + beta) (Y15 = alpha, Y11 = beta).
#define HSIG(y) VMULPD Y15, y, y; VADDPD Y11, y, y; CLAMP01(y)

// HSWISH(f, y) sets y = f·clamp01(f·(1/6) + 1/2) (Y15 = 1/6, Y11 = 1/2).
#define HSWISH(f, y) VMULPD Y15, f, y; VADDPD Y11, y, y; CLAMP01(y); VMULPD y, f, y

// WIDEN(y, x, lo, hi) widens the eight floats of y (x: its low half) to
// doubles in lo, hi.
#define WIDEN(y, x, lo, hi) VEXTRACTF128 $1, y, X10; VCVTPS2PD X10, hi; VCVTPS2PD x, lo

// NARROW(lo, hi, x) rounds the doubles lo, hi to eight floats in x.
#define NARROW(lo, hi, x) VCVTPD2PSY lo, X9; VCVTPD2PSY hi, X10; VINSERTF128 $1, X10, Y9, x

// func VecHardSigmoidAVX2(dst, x []float32, alpha, beta float64)
//
// dst[i] = float32(clamp01(alpha·x[i] + beta)) in float64, product and sum
// each rounded (purego.HardSigmoid): 16 values per step widened to four
// ymm of doubles, then the last len mod 16 eight at a time under a lane
// mask.
TEXT ·VecHardSigmoidAVX2(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DST
	MOVQ         x_base+24(FP), SRC
	MOVQ         x_len+32(FP), N
	VBROADCASTSD alpha+48(FP), Y15
	VBROADCASTSD beta+56(FP), Y11
	VXORPD       Y13, Y13, Y13
	VBROADCASTSD vecActConst2<>+16(SB), Y14

hsig16:
	CMPQ       N, $16
	JLT        hsigtail
	VCVTPS2PD  (SRC), Y0
	VCVTPS2PD  16(SRC), Y1
	VCVTPS2PD  32(SRC), Y2
	VCVTPS2PD  48(SRC), Y3
	HSIG(Y0)
	HSIG(Y1)
	HSIG(Y2)
	HSIG(Y3)
	VCVTPD2PSY Y0, X0
	VCVTPD2PSY Y1, X1
	VCVTPD2PSY Y2, X2
	VCVTPD2PSY Y3, X3
	VMOVUPS    X0, (DST)
	VMOVUPS    X1, 16(DST)
	VMOVUPS    X2, 32(DST)
	VMOVUPS    X3, 48(DST)
	ADDQ       $64, SRC
	ADDQ       $64, DST
	SUBQ       $16, N
	JMP        hsig16

hsigtail:
	TESTQ      N, N
	JZ         hsigdone
	CMPQ       N, $8
	JGE        hsigfull
	TAILMASK
	JMP        hsigload

hsigfull:
	VPCMPEQD   MASK, MASK, MASK

hsigload:
	VMASKMOVPS (SRC), MASK, Y0
	WIDEN(Y0, X0, Y1, Y2)
	HSIG(Y1)
	HSIG(Y2)
	NARROW(Y1, Y2, Y0)
	VMASKMOVPS Y0, MASK, (DST)
	ADDQ       $32, SRC
	ADDQ       $32, DST
	SUBQ       $8, N
	JG         hsigtail

hsigdone:
	VZEROUPPER
	RET

// func VecHardSwishAVX2(dst, x []float32)
//
// dst[i] = float32(f·clamp01(f·(1/6) + 1/2)), f = float64(x[i]), each
// step rounded in float64 (purego.HardSwish): 16 values per step widened
// to four ymm of doubles, then the last len mod 16 eight at a time under a
// lane mask.
TEXT ·VecHardSwishAVX2(SB), NOSPLIT, $0-48
	MOVQ         dst_base+0(FP), DST
	MOVQ         x_base+24(FP), SRC
	MOVQ         x_len+32(FP), N
	VBROADCASTSD vecActConst2<>+0(SB), Y15
	VBROADCASTSD vecActConst2<>+8(SB), Y11
	VXORPD       Y13, Y13, Y13
	VBROADCASTSD vecActConst2<>+16(SB), Y14

hsw16:
	CMPQ       N, $16
	JLT        hswtail
	VCVTPS2PD  (SRC), Y0
	VCVTPS2PD  16(SRC), Y1
	VCVTPS2PD  32(SRC), Y2
	VCVTPS2PD  48(SRC), Y3
	HSWISH(Y0, Y4)
	HSWISH(Y1, Y5)
	HSWISH(Y2, Y6)
	HSWISH(Y3, Y7)
	VCVTPD2PSY Y4, X4
	VCVTPD2PSY Y5, X5
	VCVTPD2PSY Y6, X6
	VCVTPD2PSY Y7, X7
	VMOVUPS    X4, (DST)
	VMOVUPS    X5, 16(DST)
	VMOVUPS    X6, 32(DST)
	VMOVUPS    X7, 48(DST)
	ADDQ       $64, SRC
	ADDQ       $64, DST
	SUBQ       $16, N
	JMP        hsw16

hswtail:
	TESTQ      N, N
	JZ         hswdone
	CMPQ       N, $8
	JGE        hswfull
	TAILMASK
	JMP        hswload

hswfull:
	VPCMPEQD   MASK, MASK, MASK

hswload:
	VMASKMOVPS (SRC), MASK, Y0
	WIDEN(Y0, X0, Y1, Y2)
	HSWISH(Y1, Y3)
	HSWISH(Y2, Y4)
	NARROW(Y3, Y4, Y0)
	VMASKMOVPS Y0, MASK, (DST)
	ADDQ       $32, SRC
	ADDQ       $32, DST
	SUBQ       $8, N
	JG         hswtail

hswdone:
	VZEROUPPER
	RET
