//go:build !noasm

#include "textflag.h"
#include "vec_neon_arm64.h"

// Constants of the float64 activations: 1/6, 1/2, 1; and float32 1.
DATA vecActConstNEON<>+0(SB)/8, $0.16666666666666666
DATA vecActConstNEON<>+8(SB)/8, $0.5
DATA vecActConstNEON<>+16(SB)/8, $1.0
DATA vecActConstNEON<>+24(SB)/4, $0x3f800000
GLOBL vecActConstNEON<>(SB), RODATA|NOPTR, $28

#define DST R0
#define SRC R1
#define N   R2

// LEAKY(x, m): x = x·(x < 0 ? alpha : 1) (V20 = alpha, V21 = 1), the
// factor selected by bits as in purego.LeakyRelu; the compare is false for
// NaN and -0. m is scratch.
#define LEAKY(x, m) \
	V_FCMLTZ(m, x); \
	V_BSL(m, 20, 21); \
	V_FMUL(x, x, m)

// func vecLeakyReluNEON(dst, x []float32, alpha float32)
//
// dst[i] = x[i]·(x[i] < 0 ? alpha : 1) for i < len(x), len(x) a multiple
// of 4 (VecLeakyReluNEON handles the tail), purego.LeakyRelu: a compare, a
// bit select and a multiply, no branch per value; 16 values per step in
// four q registers, then 4.
TEXT ·vecLeakyReluNEON(SB), NOSPLIT, $0-52
	MOVD  dst_base+0(FP), DST
	MOVD  x_base+24(FP), SRC
	MOVD  x_len+32(FP), N
	MOVD  $alpha+48(FP), R3
	VLD1R (R3), [V20.S4]
	MOVD  $vecActConstNEON<>+24(SB), R3
	VLD1R (R3), [V21.S4]

leaky16:
	CMP    $16, N
	BLT    leaky4
	VLD1.P 64(SRC), [V0.S4, V1.S4, V2.S4, V3.S4]
	LEAKY(0, 4)
	LEAKY(1, 5)
	LEAKY(2, 6)
	LEAKY(3, 7)
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(DST)
	SUB    $16, N
	B      leaky16

leaky4:
	CBZ    N, leakydone
	VLD1.P 16(SRC), [V0.S4]
	LEAKY(0, 4)
	VST1.P [V0.S4], 16(DST)
	SUB    $4, N
	B      leaky4

leakydone:
	RET

// CLAMP01(y, m): y = 0 where y < 0, 1 where y > 1 (V22 = 1.0 in .2D),
// else y (NaN and -0 pass through: both compares are false), by bits as
// purego's clamp01. m is scratch.
#define CLAMP01(y, m) \
	D_FCMLTZ(m, y); \
	V_BIC(y, y, m); \
	D_FCMGT(m, y, 22); \
	V_BIT(y, 22, m)

// HSIG(y, m): y = clamp01(alpha·y + beta) in float64, product and sum
// each rounded (V20 = alpha, V21 = beta).
#define HSIG(y, m) \
	D_FMUL(y, y, 20); \
	D_FADD(y, y, 21); \
	CLAMP01(y, m)

// HSWISH(f, y, m): y = f·clamp01(f·(1/6) + 1/2) in float64, each step
// rounded (V20 = 1/6, V21 = 1/2).
#define HSWISH(f, y, m) \
	D_FMUL(y, f, 20); \
	D_FADD(y, y, 21); \
	CLAMP01(y, m); \
	D_FMUL(y, f, y)

// func vecHardSigmoidNEON(dst, x []float32, alpha, beta float64)
//
// dst[i] = float32(clamp01(alpha·x[i] + beta)) in float64, product and sum
// each rounded (purego.HardSigmoid), len(x) a multiple of 4
// (VecHardSigmoidNEON handles the tail): 8 values per step widened to four
// q registers of doubles, then 4.
TEXT ·vecHardSigmoidNEON(SB), NOSPLIT, $0-64
	MOVD  dst_base+0(FP), DST
	MOVD  x_base+24(FP), SRC
	MOVD  x_len+32(FP), N
	MOVD  $alpha+48(FP), R3
	VLD1R (R3), [V20.D2]
	MOVD  $beta+56(FP), R3
	VLD1R (R3), [V21.D2]
	MOVD  $vecActConstNEON<>+16(SB), R3
	VLD1R (R3), [V22.D2]

hsig8:
	CMP    $8, N
	BLT    hsig4
	VLD1.P 32(SRC), [V0.S4, V1.S4]
	D_FCVTL(2, 0)
	D_FCVTL2(3, 0)
	D_FCVTL(4, 1)
	D_FCVTL2(5, 1)
	HSIG(2, 6)
	HSIG(3, 7)
	HSIG(4, 16)
	HSIG(5, 17)
	D_FCVTN(0, 2)
	D_FCVTN2(0, 3)
	D_FCVTN(1, 4)
	D_FCVTN2(1, 5)
	VST1.P [V0.S4, V1.S4], 32(DST)
	SUB    $8, N
	B      hsig8

hsig4:
	CBZ    N, hsigdone
	VLD1.P 16(SRC), [V0.S4]
	D_FCVTL(2, 0)
	D_FCVTL2(3, 0)
	HSIG(2, 6)
	HSIG(3, 7)
	D_FCVTN(0, 2)
	D_FCVTN2(0, 3)
	VST1.P [V0.S4], 16(DST)

hsigdone:
	RET

// func vecHardSwishNEON(dst, x []float32)
//
// dst[i] = float32(f·clamp01(f·(1/6) + 1/2)), f = float64(x[i]), each
// step rounded in float64 (purego.HardSwish), len(x) a multiple of 4
// (VecHardSwishNEON handles the tail): 8 values per step widened to four
// q registers of doubles, then 4.
TEXT ·vecHardSwishNEON(SB), NOSPLIT, $0-48
	MOVD  dst_base+0(FP), DST
	MOVD  x_base+24(FP), SRC
	MOVD  x_len+32(FP), N
	MOVD  $vecActConstNEON<>(SB), R3
	VLD1R.P 8(R3), [V20.D2]
	VLD1R.P 8(R3), [V21.D2]
	VLD1R (R3), [V22.D2]

hsw8:
	CMP    $8, N
	BLT    hsw4
	VLD1.P 32(SRC), [V0.S4, V1.S4]
	D_FCVTL(2, 0)
	D_FCVTL2(3, 0)
	D_FCVTL(4, 1)
	D_FCVTL2(5, 1)
	HSWISH(2, 6, 16)
	HSWISH(3, 7, 17)
	HSWISH(4, 18, 19)
	HSWISH(5, 23, 24)
	D_FCVTN(0, 6)
	D_FCVTN2(0, 7)
	D_FCVTN(1, 18)
	D_FCVTN2(1, 23)
	VST1.P [V0.S4, V1.S4], 32(DST)
	SUB    $8, N
	B      hsw8

hsw4:
	CBZ    N, hswdone
	VLD1.P 16(SRC), [V0.S4]
	D_FCVTL(2, 0)
	D_FCVTL2(3, 0)
	HSWISH(2, 6, 16)
	HSWISH(3, 7, 17)
	D_FCVTN(0, 6)
	D_FCVTN2(0, 7)
	VST1.P [V0.S4], 16(DST)

hswdone:
	RET
