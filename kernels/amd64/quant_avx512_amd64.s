//go:build !noasm

#include "textflag.h"

// The quantization routines of DynamicQuantizeLinear, QuantizeLinear and
// DequantizeLinear on 16-lane registers; each one's math is its Go twin in
// quant_twins.go.

// func MinMaxZeroAVX512(x []float32) (lo, hi float32)
//
// lo = min(0, x...), hi = max(0, x...), NaNs skipped (MinMaxZeroGo);
// len(x) is a multiple of 16. Four accumulators of each, 64 values per
// step. Each VMINPS/VMAXPS takes the new values as its first source and
// the accumulator as its second, so a NaN (or an equal value, such as -0
// against +0) leaves the accumulator as it was.
#define LO0 Z0
#define LO1 Z1
#define LO2 Z2
#define LO3 Z3
#define HI0 Z4
#define HI1 Z5
#define HI2 Z6
#define HI3 Z7
TEXT ·MinMaxZeroAVX512(SB), NOSPLIT, $0-32
	MOVQ    x_base+0(FP), SI
	MOVQ    x_len+8(FP), CX
	VXORPS  LO0, LO0, LO0
	VMOVAPS LO0, LO1
	VMOVAPS LO0, LO2
	VMOVAPS LO0, LO3
	VMOVAPS LO0, HI0
	VMOVAPS LO0, HI1
	VMOVAPS LO0, HI2
	VMOVAPS LO0, HI3

mm_loop64:
	CMPQ    CX, $64
	JB      mm_loop16
	VMOVUPS (SI), Z8
	VMOVUPS 64(SI), Z9
	VMOVUPS 128(SI), Z10
	VMOVUPS 192(SI), Z11
	VMINPS  LO0, Z8, LO0
	VMINPS  LO1, Z9, LO1
	VMINPS  LO2, Z10, LO2
	VMINPS  LO3, Z11, LO3
	VMAXPS  HI0, Z8, HI0
	VMAXPS  HI1, Z9, HI1
	VMAXPS  HI2, Z10, HI2
	VMAXPS  HI3, Z11, HI3
	ADDQ    $256, SI
	SUBQ    $64, CX
	JMP     mm_loop64

mm_loop16:
	CMPQ    CX, $16
	JB      mm_reduce
	VMOVUPS (SI), Z8
	VMINPS  LO0, Z8, LO0
	VMAXPS  HI0, Z8, HI0
	ADDQ    $64, SI
	SUBQ    $16, CX
	JMP     mm_loop16

mm_reduce:
	// No accumulator holds a NaN or -0 here, so the order of the
	// reduction cannot change the result.
	VMINPS        LO1, LO0, LO0
	VMINPS        LO3, LO2, LO2
	VMINPS        LO2, LO0, LO0
	VMAXPS        HI1, HI0, HI0
	VMAXPS        HI3, HI2, HI2
	VMAXPS        HI2, HI0, HI0
	VEXTRACTF64X4 $1, LO0, Y8
	VMINPS        Y8, Y0, Y0
	VEXTRACTF64X4 $1, HI0, Y9
	VMAXPS        Y9, Y4, Y4
	VEXTRACTF128  $1, Y0, X8
	VMINPS        X8, X0, X0
	VEXTRACTF128  $1, Y4, X9
	VMAXPS        X9, X4, X4
	VPERMILPS     $0x4e, X0, X8
	VMINPS        X8, X0, X0
	VPERMILPS     $0x4e, X4, X9
	VMAXPS        X9, X4, X4
	VPERMILPS     $0xb1, X0, X8
	VMINPS        X8, X0, X0
	VPERMILPS     $0xb1, X4, X9
	VMAXPS        X9, X4, X4
	VMOVSS        X0, lo+24(FP)
	VMOVSS        X4, hi+28(FP)
	VZEROUPPER
	RET

#undef LO0
#undef LO1
#undef LO2
#undef LO3
#undef HI0
#undef HI1
#undef HI2
#undef HI3

// func QuantizeBytesAVX512(dst []uint8, src []float32, scale, lo, hi float32, zp int32)
//
// dst[i] = byte(roundEven(min(max(src[i]/scale, lo), hi)) + zp) for i <
// len(src), a multiple of 16 (QuantizeBytesGo). VMAXPS takes the quotient
// as its first source, so a NaN quotient becomes lo; VCVTPS2DQ rounds to
// nearest even by its embedded rounding; VPMOVDB keeps each int32's low
// byte. 64 values per step.
#define SCALE Z12
#define LOV Z13
#define HIV Z14
#define ZPV Z15
TEXT ·QuantizeBytesAVX512(SB), NOSPLIT, $0-64
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSS scale+48(FP), SCALE
	VBROADCASTSS lo+52(FP), LOV
	VBROADCASTSS hi+56(FP), HIV
	MOVL         zp+60(FP), AX
	VMOVD        AX, X15
	VPBROADCASTD X15, ZPV

q_loop64:
	CMPQ             CX, $64
	JB               q_loop16
	VMOVUPS          (SI), Z0
	VMOVUPS          64(SI), Z1
	VMOVUPS          128(SI), Z2
	VMOVUPS          192(SI), Z3
	VDIVPS           SCALE, Z0, Z0
	VDIVPS           SCALE, Z1, Z1
	VDIVPS           SCALE, Z2, Z2
	VDIVPS           SCALE, Z3, Z3
	VMAXPS           LOV, Z0, Z0
	VMAXPS           LOV, Z1, Z1
	VMAXPS           LOV, Z2, Z2
	VMAXPS           LOV, Z3, Z3
	VMINPS           HIV, Z0, Z0
	VMINPS           HIV, Z1, Z1
	VMINPS           HIV, Z2, Z2
	VMINPS           HIV, Z3, Z3
	VCVTPS2DQ.RN_SAE Z0, Z0
	VCVTPS2DQ.RN_SAE Z1, Z1
	VCVTPS2DQ.RN_SAE Z2, Z2
	VCVTPS2DQ.RN_SAE Z3, Z3
	VPADDD           ZPV, Z0, Z0
	VPADDD           ZPV, Z1, Z1
	VPADDD           ZPV, Z2, Z2
	VPADDD           ZPV, Z3, Z3
	VPMOVDB          Z0, (DI)
	VPMOVDB          Z1, 16(DI)
	VPMOVDB          Z2, 32(DI)
	VPMOVDB          Z3, 48(DI)
	ADDQ             $256, SI
	ADDQ             $64, DI
	SUBQ             $64, CX
	JMP              q_loop64

q_loop16:
	CMPQ             CX, $16
	JB               q_done
	VMOVUPS          (SI), Z0
	VDIVPS           SCALE, Z0, Z0
	VMAXPS           LOV, Z0, Z0
	VMINPS           HIV, Z0, Z0
	VCVTPS2DQ.RN_SAE Z0, Z0
	VPADDD           ZPV, Z0, Z0
	VPMOVDB          Z0, (DI)
	ADDQ             $64, SI
	ADDQ             $16, DI
	SUBQ             $16, CX
	JMP              q_loop16

q_done:
	VZEROUPPER
	RET

#undef SCALE
#undef LOV
#undef HIV
#undef ZPV

// func DequantizeU8AVX512(dst []float32, src []uint8, scale, zp float32)
//
// dst[i] = (float32(src[i]) - zp) * scale for i < len(src), a multiple of
// 16 (DequantizeU8Go): VPMOVZXBD, VCVTDQ2PS (exact), VSUBPS (exact),
// VMULPS. 64 values per step.
TEXT ·DequantizeU8AVX512(SB), NOSPLIT, $0-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSS scale+48(FP), Z12
	VBROADCASTSS zp+52(FP), Z13

du_loop64:
	CMPQ      CX, $64
	JB        du_loop16
	VPMOVZXBD (SI), Z0
	VPMOVZXBD 16(SI), Z1
	VPMOVZXBD 32(SI), Z2
	VPMOVZXBD 48(SI), Z3
	VCVTDQ2PS Z0, Z0
	VCVTDQ2PS Z1, Z1
	VCVTDQ2PS Z2, Z2
	VCVTDQ2PS Z3, Z3
	VSUBPS    Z13, Z0, Z0
	VSUBPS    Z13, Z1, Z1
	VSUBPS    Z13, Z2, Z2
	VSUBPS    Z13, Z3, Z3
	VMULPS    Z12, Z0, Z0
	VMULPS    Z12, Z1, Z1
	VMULPS    Z12, Z2, Z2
	VMULPS    Z12, Z3, Z3
	VMOVUPS   Z0, (DI)
	VMOVUPS   Z1, 64(DI)
	VMOVUPS   Z2, 128(DI)
	VMOVUPS   Z3, 192(DI)
	ADDQ      $64, SI
	ADDQ      $256, DI
	SUBQ      $64, CX
	JMP       du_loop64

du_loop16:
	CMPQ      CX, $16
	JB        du_done
	VPMOVZXBD (SI), Z0
	VCVTDQ2PS Z0, Z0
	VSUBPS    Z13, Z0, Z0
	VMULPS    Z12, Z0, Z0
	VMOVUPS   Z0, (DI)
	ADDQ      $16, SI
	ADDQ      $64, DI
	SUBQ      $16, CX
	JMP       du_loop16

du_done:
	VZEROUPPER
	RET

// func DequantizeS8AVX512(dst []float32, src []int8, scale, zp float32)
//
// DequantizeU8AVX512 for int8 elements (DequantizeS8Go): VPMOVSXBD.
TEXT ·DequantizeS8AVX512(SB), NOSPLIT, $0-56
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSS scale+48(FP), Z12
	VBROADCASTSS zp+52(FP), Z13

ds_loop64:
	CMPQ      CX, $64
	JB        ds_loop16
	VPMOVSXBD (SI), Z0
	VPMOVSXBD 16(SI), Z1
	VPMOVSXBD 32(SI), Z2
	VPMOVSXBD 48(SI), Z3
	VCVTDQ2PS Z0, Z0
	VCVTDQ2PS Z1, Z1
	VCVTDQ2PS Z2, Z2
	VCVTDQ2PS Z3, Z3
	VSUBPS    Z13, Z0, Z0
	VSUBPS    Z13, Z1, Z1
	VSUBPS    Z13, Z2, Z2
	VSUBPS    Z13, Z3, Z3
	VMULPS    Z12, Z0, Z0
	VMULPS    Z12, Z1, Z1
	VMULPS    Z12, Z2, Z2
	VMULPS    Z12, Z3, Z3
	VMOVUPS   Z0, (DI)
	VMOVUPS   Z1, 64(DI)
	VMOVUPS   Z2, 128(DI)
	VMOVUPS   Z3, 192(DI)
	ADDQ      $64, SI
	ADDQ      $256, DI
	SUBQ      $64, CX
	JMP       ds_loop64

ds_loop16:
	CMPQ      CX, $16
	JB        ds_done
	VPMOVSXBD (SI), Z0
	VCVTDQ2PS Z0, Z0
	VSUBPS    Z13, Z0, Z0
	VMULPS    Z12, Z0, Z0
	VMOVUPS   Z0, (DI)
	ADDQ      $16, SI
	ADDQ      $64, DI
	SUBQ      $16, CX
	JMP       ds_loop16

ds_done:
	VZEROUPPER
	RET

// func FakeQuantAVX512(dst, src []float32, scale, lo, hi float32)
//
// dst[i] = float32(roundEven(min(max(src[i]/scale, lo), hi))) * scale for
// i < len(src), a multiple of 16 (FakeQuantGo): VDIVPS; VMAXPS with the
// quotient first, so a NaN becomes lo; VMINPS; VCVTPS2DQ rounding to
// nearest even (embedded rounding); VCVTDQ2PS (so a zero is +0); VMULPS. 64 values per step.
TEXT ·FakeQuantAVX512(SB), NOSPLIT, $0-60
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSS scale+48(FP), Z12
	VBROADCASTSS lo+52(FP), Z13
	VBROADCASTSS hi+56(FP), Z14

fq_loop64:
	CMPQ CX, $64
	JB   fq_loop16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVUPS 128(SI), Z2
	VMOVUPS 192(SI), Z3
	VDIVPS Z12, Z0, Z0
	VDIVPS Z12, Z1, Z1
	VDIVPS Z12, Z2, Z2
	VDIVPS Z12, Z3, Z3
	VMAXPS Z13, Z0, Z0
	VMAXPS Z13, Z1, Z1
	VMAXPS Z13, Z2, Z2
	VMAXPS Z13, Z3, Z3
	VMINPS Z14, Z0, Z0
	VMINPS Z14, Z1, Z1
	VMINPS Z14, Z2, Z2
	VMINPS Z14, Z3, Z3
	VCVTPS2DQ.RN_SAE Z0, Z0
	VCVTPS2DQ.RN_SAE Z1, Z1
	VCVTPS2DQ.RN_SAE Z2, Z2
	VCVTPS2DQ.RN_SAE Z3, Z3
	VCVTDQ2PS Z0, Z0
	VCVTDQ2PS Z1, Z1
	VCVTDQ2PS Z2, Z2
	VCVTDQ2PS Z3, Z3
	VMULPS Z12, Z0, Z0
	VMULPS Z12, Z1, Z1
	VMULPS Z12, Z2, Z2
	VMULPS Z12, Z3, Z3
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	JMP  fq_loop64

fq_loop16:
	CMPQ CX, $16
	JB   fq_done
	VMOVUPS (SI), Z0
	VDIVPS Z12, Z0, Z0
	VMAXPS Z13, Z0, Z0
	VMINPS Z14, Z0, Z0
	VCVTPS2DQ.RN_SAE Z0, Z0
	VCVTDQ2PS Z0, Z0
	VMULPS Z12, Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  fq_loop16

fq_done:
	VZEROUPPER
	RET
