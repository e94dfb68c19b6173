//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"

// func VecLayerNormAVX512(dst, x, scale, bias []float32, eps float32)
//
// One LayerNorm row in one call (VecLayerNormGo; the order of the additions
// of the two sums differs):
//
//	mean = Σ x / n;  v = Σ (x - mean)² / n;  rs = float32(1/√float64(v + eps))
//	dst[i] = (x[i] - mean)·rs·scale[i] + bias[i], rounded after each operation
//
// len(x) = n ≥ 1 and len(dst), len(scale), len(bias) ≥ n are the caller's
// to check.

#define DST DI
#define SRC SI
#define SC  R8
#define BS  R9
#define N   DX  // n
#define I   R11 // elements left in the current pass
#define P   R12 // source pointer of the current pass
#define Q   R13 // dst pointer
#define R   BX  // scale pointer
#define T   R10 // bias pointer
#define MEAN Z28
#define RS   Z29

// TAILMASK sets K1 to the I (0 < I < 16) lanes of the last vector.
#define TAILMASK \
	MOVQ  I, CX; \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1

// HSUM folds the 16 lanes of Z16 into X4's low lane (Z5 scratch).
#define HSUM \
	VEXTRACTF64X4 $1, Z16, Y5; \
	VADDPS        Y5, Y16, Y4; \
	VEXTRACTF128  $1, Y4, X5; \
	VADDPS        X5, X4, X4; \
	VMOVHLPS      X4, X4, X5; \
	VADDPS        X5, X4, X4; \
	VMOVSHDUP     X4, X5; \
	VADDSS        X5, X4, X4

TEXT ·VecLayerNormAVX512(SB), NOSPLIT, $0-100
	MOVQ dst_base+0(FP), DST
	MOVQ x_base+24(FP), SRC
	MOVQ x_len+32(FP), N
	MOVQ scale_base+48(FP), SC
	MOVQ bias_base+72(FP), BS

	// n as float32 in X6.
	VCVTSI2SSQ N, X6, X6

	// Pass 1: Σ x in four accumulators.
	VXORPS Z16, Z16, Z16
	VXORPS Z17, Z17, Z17
	VXORPS Z18, Z18, Z18
	VXORPS Z19, Z19, Z19
	MOVQ   SRC, P
	MOVQ   N, I

sum64:
	CMPQ   I, $64
	JLT    sum16
	VADDPS 0(P), Z16, Z16
	VADDPS 64(P), Z17, Z17
	VADDPS 128(P), Z18, Z18
	VADDPS 192(P), Z19, Z19
	ADDQ   $256, P
	SUBQ   $64, I
	JMP    sum64

sum16:
	CMPQ   I, $16
	JLT    sumtail
	VADDPS 0(P), Z16, Z16
	ADDQ   $64, P
	SUBQ   $16, I
	JMP    sum16

sumtail:
	TESTQ     I, I
	JZ        sumfold
	TAILMASK
	VMOVUPS.Z 0(P), K1, Z0
	VADDPS    Z0, Z17, Z17

sumfold:
	VADDPS       Z17, Z16, Z16
	VADDPS       Z19, Z18, Z18
	VADDPS       Z18, Z16, Z16
	HSUM
	VDIVSS       X6, X4, X4
	VBROADCASTSS X4, MEAN

	// Pass 2: Σ (x - mean)².
	VXORPS Z16, Z16, Z16
	VXORPS Z17, Z17, Z17
	VXORPS Z18, Z18, Z18
	VXORPS Z19, Z19, Z19
	MOVQ   SRC, P
	MOVQ   N, I

sq64:
	CMPQ        I, $64
	JLT         sq16
	VSUBPS      0(P), MEAN, Z0
	VSUBPS      64(P), MEAN, Z1
	VSUBPS      128(P), MEAN, Z2
	VSUBPS      192(P), MEAN, Z3
	VFMADD231PS Z0, Z0, Z16
	VFMADD231PS Z1, Z1, Z17
	VFMADD231PS Z2, Z2, Z18
	VFMADD231PS Z3, Z3, Z19
	ADDQ        $256, P
	SUBQ        $64, I
	JMP         sq64

sq16:
	CMPQ        I, $16
	JLT         sqtail
	VSUBPS      0(P), MEAN, Z0
	VFMADD231PS Z0, Z0, Z16
	ADDQ        $64, P
	SUBQ        $16, I
	JMP         sq16

sqtail:
	TESTQ       I, I
	JZ          sqfold
	TAILMASK
	VMOVUPS.Z   0(P), K1, Z0
	VSUBPS.Z    MEAN, Z0, K1, Z0
	VFMADD231PS Z0, Z0, Z17

sqfold:
	VADDPS Z17, Z16, Z16
	VADDPS Z19, Z18, Z18
	VADDPS Z18, Z16, Z16
	HSUM
	VDIVSS X6, X4, X4

	// rs = float32(1 / sqrt(float64(v + eps))).
	VADDSS       eps+96(FP), X4, X4
	VCVTSS2SD    X4, X4, X4
	VSQRTSD      X4, X4, X4
	MOVQ         $0x3ff0000000000000, AX
	VMOVQ        AX, X5
	VDIVSD       X4, X5, X5
	VCVTSD2SS    X5, X5, X5
	VBROADCASTSS X5, RS

	// Pass 3: dst = (x - mean)·rs·scale + bias.
	MOVQ SRC, P
	MOVQ DST, Q
	MOVQ SC, R
	MOVQ BS, T
	MOVQ N, I

out32:
	CMPQ    I, $32
	JLT     out16
	VMOVUPS 0(P), Z0
	VMOVUPS 64(P), Z1
	VSUBPS  MEAN, Z0, Z0
	VSUBPS  MEAN, Z1, Z1
	VMULPS  RS, Z0, Z0
	VMULPS  RS, Z1, Z1
	VMULPS  0(R), Z0, Z0
	VMULPS  64(R), Z1, Z1
	VADDPS  0(T), Z0, Z0
	VADDPS  64(T), Z1, Z1
	VMOVUPS Z0, 0(Q)
	VMOVUPS Z1, 64(Q)
	ADDQ    $128, P
	ADDQ    $128, Q
	ADDQ    $128, R
	ADDQ    $128, T
	SUBQ    $32, I
	JMP     out32

out16:
	CMPQ    I, $16
	JLT     outtail
	VMOVUPS 0(P), Z0
	VSUBPS  MEAN, Z0, Z0
	VMULPS  RS, Z0, Z0
	VMULPS  0(R), Z0, Z0
	VADDPS  0(T), Z0, Z0
	VMOVUPS Z0, 0(Q)
	ADDQ    $64, P
	ADDQ    $64, Q
	ADDQ    $64, R
	ADDQ    $64, T
	SUBQ    $16, I

outtail:
	TESTQ     I, I
	JZ        done
	TAILMASK
	VMOVUPS.Z 0(P), K1, Z0
	VMOVUPS.Z 0(R), K1, Z1
	VMOVUPS.Z 0(T), K1, Z2
	VSUBPS    MEAN, Z0, Z0
	VMULPS    RS, Z0, Z0
	VMULPS    Z1, Z0, Z0
	VADDPS    Z2, Z0, Z0
	VMOVUPS   Z0, K1, 0(Q)

done:
	VZEROUPPER
	RET
