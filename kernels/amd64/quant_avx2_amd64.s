//go:build !noasm

#include "textflag.h"

// The quantization routines of DynamicQuantizeLinear, QuantizeLinear and
// DequantizeLinear on 8-lane registers; each one's math is its Go twin in
// quant_twins.go.

// quantPackOrder undoes the lane interleave of VPACKUSDW/VPACKUSWB over
// four 8-lane vectors: the packed dwords come out as A0 B0 C0 D0 A1 B1 C1
// D1 (each a run of four bytes) and are permuted to A0 A1 B0 B1 C0 C1 D0 D1.
DATA quantPackOrder<>+0(SB)/4, $0
DATA quantPackOrder<>+4(SB)/4, $4
DATA quantPackOrder<>+8(SB)/4, $1
DATA quantPackOrder<>+12(SB)/4, $5
DATA quantPackOrder<>+16(SB)/4, $2
DATA quantPackOrder<>+20(SB)/4, $6
DATA quantPackOrder<>+24(SB)/4, $3
DATA quantPackOrder<>+28(SB)/4, $7
GLOBL quantPackOrder<>(SB), RODATA|NOPTR, $32

// func MinMaxZeroAVX2(x []float32) (lo, hi float32)
//
// lo = min(0, x...), hi = max(0, x...), NaNs skipped (MinMaxZeroGo);
// len(x) is a multiple of 8. Four accumulators of each, 32 values per
// step; the new values are each VMINPS/VMAXPS's first source, so a NaN
// (or -0 against +0) leaves the accumulator unchanged.
TEXT ·MinMaxZeroAVX2(SB), NOSPLIT, $0-32
	MOVQ    x_base+0(FP), SI
	MOVQ    x_len+8(FP), CX
	VXORPS  Y0, Y0, Y0
	VMOVAPS Y0, Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y0, Y3
	VMOVAPS Y0, Y4
	VMOVAPS Y0, Y5
	VMOVAPS Y0, Y6
	VMOVAPS Y0, Y7

mm_loop32:
	CMPQ    CX, $32
	JB      mm_loop8
	VMOVUPS (SI), Y8
	VMOVUPS 32(SI), Y9
	VMOVUPS 64(SI), Y10
	VMOVUPS 96(SI), Y11
	VMINPS  Y0, Y8, Y0
	VMINPS  Y1, Y9, Y1
	VMINPS  Y2, Y10, Y2
	VMINPS  Y3, Y11, Y3
	VMAXPS  Y4, Y8, Y4
	VMAXPS  Y5, Y9, Y5
	VMAXPS  Y6, Y10, Y6
	VMAXPS  Y7, Y11, Y7
	ADDQ    $128, SI
	SUBQ    $32, CX
	JMP     mm_loop32

mm_loop8:
	CMPQ    CX, $8
	JB      mm_reduce
	VMOVUPS (SI), Y8
	VMINPS  Y0, Y8, Y0
	VMAXPS  Y4, Y8, Y4
	ADDQ    $32, SI
	SUBQ    $8, CX
	JMP     mm_loop8

mm_reduce:
	// No accumulator holds a NaN or -0 here: the order does not matter.
	VMINPS       Y1, Y0, Y0
	VMINPS       Y3, Y2, Y2
	VMINPS       Y2, Y0, Y0
	VMAXPS       Y5, Y4, Y4
	VMAXPS       Y7, Y6, Y6
	VMAXPS       Y6, Y4, Y4
	VEXTRACTF128 $1, Y0, X8
	VMINPS       X8, X0, X0
	VEXTRACTF128 $1, Y4, X9
	VMAXPS       X9, X4, X4
	VPERMILPS    $0x4e, X0, X8
	VMINPS       X8, X0, X0
	VPERMILPS    $0x4e, X4, X9
	VMAXPS       X9, X4, X4
	VPERMILPS    $0xb1, X0, X8
	VMINPS       X8, X0, X0
	VPERMILPS    $0xb1, X4, X9
	VMAXPS       X9, X4, X4
	VMOVSS       X0, lo+24(FP)
	VMOVSS       X4, hi+28(FP)
	VZEROUPPER
	RET

// func QuantizeBytesAVX2(dst []uint8, src []float32, scale, lo, hi float32, zp int32)
//
// dst[i] = byte(roundEven(min(max(src[i]/scale, lo), hi)) + zp) for i <
// len(src), a multiple of 8 (QuantizeBytesGo). VMAXPS takes the quotient
// as its first source, so a NaN becomes lo; VCVTPS2DQ rounds by MXCSR
// (Go keeps round to nearest even). Each int32 is masked to its low byte,
// so the unsigned-saturating packs VPACKUSDW and VPACKUSWB keep it
// unchanged; 32 values per step, lanes reordered by quantPackOrder.
#define SCALE Y12
#define LOV Y13
#define HIV Y14
#define ZPV Y15
#define BYTEMASK Y11
#define ORDER Y10
TEXT ·QuantizeBytesAVX2(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSS scale+48(FP), SCALE
	VBROADCASTSS lo+52(FP), LOV
	VBROADCASTSS hi+56(FP), HIV
	MOVL         zp+60(FP), AX
	VMOVD        AX, X15
	VPBROADCASTD X15, ZPV
	MOVL         $0xff, AX
	MOVQ         AX, X11
	VPBROADCASTD X11, BYTEMASK
	VMOVDQU      quantPackOrder<>(SB), ORDER

q_loop32:
	CMPQ      CX, $32
	JB        q_loop8
	VMOVUPS   (SI), Y0
	VMOVUPS   32(SI), Y1
	VMOVUPS   64(SI), Y2
	VMOVUPS   96(SI), Y3
	VDIVPS    SCALE, Y0, Y0
	VDIVPS    SCALE, Y1, Y1
	VDIVPS    SCALE, Y2, Y2
	VDIVPS    SCALE, Y3, Y3
	VMAXPS    LOV, Y0, Y0
	VMAXPS    LOV, Y1, Y1
	VMAXPS    LOV, Y2, Y2
	VMAXPS    LOV, Y3, Y3
	VMINPS    HIV, Y0, Y0
	VMINPS    HIV, Y1, Y1
	VMINPS    HIV, Y2, Y2
	VMINPS    HIV, Y3, Y3
	VCVTPS2DQ Y0, Y0
	VCVTPS2DQ Y1, Y1
	VCVTPS2DQ Y2, Y2
	VCVTPS2DQ Y3, Y3
	VPADDD    ZPV, Y0, Y0
	VPADDD    ZPV, Y1, Y1
	VPADDD    ZPV, Y2, Y2
	VPADDD    ZPV, Y3, Y3
	VPAND     BYTEMASK, Y0, Y0
	VPAND     BYTEMASK, Y1, Y1
	VPAND     BYTEMASK, Y2, Y2
	VPAND     BYTEMASK, Y3, Y3
	VPACKUSDW Y1, Y0, Y0
	VPACKUSDW Y3, Y2, Y2
	VPACKUSWB Y2, Y0, Y0
	VPERMD    Y0, ORDER, Y0
	VMOVDQU   Y0, (DI)
	ADDQ      $128, SI
	ADDQ      $32, DI
	SUBQ      $32, CX
	JMP       q_loop32

q_loop8:
	CMPQ         CX, $8
	JB           q_done
	VMOVUPS      (SI), Y0
	VDIVPS       SCALE, Y0, Y0
	VMAXPS       LOV, Y0, Y0
	VMINPS       HIV, Y0, Y0
	VCVTPS2DQ    Y0, Y0
	VPADDD       ZPV, Y0, Y0
	VPAND        BYTEMASK, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPACKUSDW    X1, X0, X0
	VPACKUSWB    X0, X0, X0
	VMOVQ        X0, (DI)
	ADDQ         $32, SI
	ADDQ         $8, DI
	SUBQ         $8, CX
	JMP          q_loop8

q_done:
	VZEROUPPER
	RET

#undef SCALE
#undef LOV
#undef HIV
#undef ZPV
#undef BYTEMASK
#undef ORDER

// func DequantizeU8AVX2(dst []float32, src []uint8, scale, zp float32)
//
// dst[i] = (float32(src[i]) - zp) * scale for i < len(src), a multiple of
// 8 (DequantizeU8Go): VPMOVZXBD, VCVTDQ2PS, VSUBPS, VMULPS; 32 values per
// step.
TEXT ·DequantizeU8AVX2(SB), NOSPLIT, $0-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSS scale+48(FP), Y12
	VBROADCASTSS zp+52(FP), Y13

du_loop32:
	CMPQ      CX, $32
	JB        du_loop8
	VPMOVZXBD (SI), Y0
	VPMOVZXBD 8(SI), Y1
	VPMOVZXBD 16(SI), Y2
	VPMOVZXBD 24(SI), Y3
	VCVTDQ2PS Y0, Y0
	VCVTDQ2PS Y1, Y1
	VCVTDQ2PS Y2, Y2
	VCVTDQ2PS Y3, Y3
	VSUBPS    Y13, Y0, Y0
	VSUBPS    Y13, Y1, Y1
	VSUBPS    Y13, Y2, Y2
	VSUBPS    Y13, Y3, Y3
	VMULPS    Y12, Y0, Y0
	VMULPS    Y12, Y1, Y1
	VMULPS    Y12, Y2, Y2
	VMULPS    Y12, Y3, Y3
	VMOVUPS   Y0, (DI)
	VMOVUPS   Y1, 32(DI)
	VMOVUPS   Y2, 64(DI)
	VMOVUPS   Y3, 96(DI)
	ADDQ      $32, SI
	ADDQ      $128, DI
	SUBQ      $32, CX
	JMP       du_loop32

du_loop8:
	CMPQ      CX, $8
	JB        du_done
	VPMOVZXBD (SI), Y0
	VCVTDQ2PS Y0, Y0
	VSUBPS    Y13, Y0, Y0
	VMULPS    Y12, Y0, Y0
	VMOVUPS   Y0, (DI)
	ADDQ      $8, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JMP       du_loop8

du_done:
	VZEROUPPER
	RET

// func DequantizeS8AVX2(dst []float32, src []int8, scale, zp float32)
//
// DequantizeU8AVX2 for int8 elements (DequantizeS8Go): VPMOVSXBD.
TEXT ·DequantizeS8AVX2(SB), NOSPLIT, $0-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSS scale+48(FP), Y12
	VBROADCASTSS zp+52(FP), Y13

ds_loop32:
	CMPQ      CX, $32
	JB        ds_loop8
	VPMOVSXBD (SI), Y0
	VPMOVSXBD 8(SI), Y1
	VPMOVSXBD 16(SI), Y2
	VPMOVSXBD 24(SI), Y3
	VCVTDQ2PS Y0, Y0
	VCVTDQ2PS Y1, Y1
	VCVTDQ2PS Y2, Y2
	VCVTDQ2PS Y3, Y3
	VSUBPS    Y13, Y0, Y0
	VSUBPS    Y13, Y1, Y1
	VSUBPS    Y13, Y2, Y2
	VSUBPS    Y13, Y3, Y3
	VMULPS    Y12, Y0, Y0
	VMULPS    Y12, Y1, Y1
	VMULPS    Y12, Y2, Y2
	VMULPS    Y12, Y3, Y3
	VMOVUPS   Y0, (DI)
	VMOVUPS   Y1, 32(DI)
	VMOVUPS   Y2, 64(DI)
	VMOVUPS   Y3, 96(DI)
	ADDQ      $32, SI
	ADDQ      $128, DI
	SUBQ      $32, CX
	JMP       ds_loop32

ds_loop8:
	CMPQ      CX, $8
	JB        ds_done
	VPMOVSXBD (SI), Y0
	VCVTDQ2PS Y0, Y0
	VSUBPS    Y13, Y0, Y0
	VMULPS    Y12, Y0, Y0
	VMOVUPS   Y0, (DI)
	ADDQ      $8, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JMP       ds_loop8

ds_done:
	VZEROUPPER
	RET

// func FakeQuantAVX2(dst, src []float32, scale, lo, hi float32)
//
// dst[i] = float32(roundEven(min(max(src[i]/scale, lo), hi))) * scale for
// i < len(src), a multiple of 8 (FakeQuantGo): VDIVPS; VMAXPS with the
// quotient first, so a NaN becomes lo; VMINPS; VCVTPS2DQ rounding to
// nearest even (MXCSR, which Go keeps so); VCVTDQ2PS (so a zero is +0); VMULPS. 32 values per step.
TEXT ·FakeQuantAVX2(SB), NOSPLIT, $0-60
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSS scale+48(FP), Y12
	VBROADCASTSS lo+52(FP), Y13
	VBROADCASTSS hi+56(FP), Y14

fq_loop32:
	CMPQ CX, $32
	JB   fq_loop8
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VDIVPS Y12, Y0, Y0
	VDIVPS Y12, Y1, Y1
	VDIVPS Y12, Y2, Y2
	VDIVPS Y12, Y3, Y3
	VMAXPS Y13, Y0, Y0
	VMAXPS Y13, Y1, Y1
	VMAXPS Y13, Y2, Y2
	VMAXPS Y13, Y3, Y3
	VMINPS Y14, Y0, Y0
	VMINPS Y14, Y1, Y1
	VMINPS Y14, Y2, Y2
	VMINPS Y14, Y3, Y3
	VCVTPS2DQ Y0, Y0
	VCVTPS2DQ Y1, Y1
	VCVTPS2DQ Y2, Y2
	VCVTPS2DQ Y3, Y3
	VCVTDQ2PS Y0, Y0
	VCVTDQ2PS Y1, Y1
	VCVTDQ2PS Y2, Y2
	VCVTDQ2PS Y3, Y3
	VMULPS Y12, Y0, Y0
	VMULPS Y12, Y1, Y1
	VMULPS Y12, Y2, Y2
	VMULPS Y12, Y3, Y3
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  fq_loop32

fq_loop8:
	CMPQ CX, $8
	JB   fq_done
	VMOVUPS (SI), Y0
	VDIVPS Y12, Y0, Y0
	VMAXPS Y13, Y0, Y0
	VMINPS Y14, Y0, Y0
	VCVTPS2DQ Y0, Y0
	VCVTDQ2PS Y0, Y0
	VMULPS Y12, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  fq_loop8

fq_done:
	VZEROUPPER
	RET
