//go:build !noasm

#include "textflag.h"

// func NCHWcMaxPoolAVX512(dst, src []float32, n, stride int, taps []int)
//
// dst[p*16+l] = max over t of src[p*stride+taps[t]+l] for p < n, l < 16,
// NaN propagating (see NCHWcMaxPoolGo): the maximum runs in one zmm per
// pixel, and a mask register collects the lanes that met a NaN, which are
// set to NaN before the store.

#define PD   DI  // dst, advances 64 bytes per pixel
#define PS   SI  // src window base of the current pixel
#define N    CX  // pixels left
#define STR  DX  // window stride in bytes
#define TAPS R8  // &taps[0]
#define NT   R9  // len(taps)
#define PT   R10 // current tap
#define TC   R11 // taps left
#define OFF  R12 // current tap offset in bytes

TEXT ·NCHWcMaxPoolAVX512(SB), NOSPLIT, $0-88
	MOVQ dst_base+0(FP), PD
	MOVQ src_base+24(FP), PS
	MOVQ n+48(FP), N
	MOVQ stride+56(FP), STR
	SHLQ $2, STR
	MOVQ taps_base+64(FP), TAPS
	MOVQ taps_len+72(FP), NT
	TESTQ N, N
	JZ    done
	TESTQ NT, NT
	JZ    done
	// Z7 = all ones, a NaN.
	VPTERNLOGD $0xff, Z7, Z7, Z7

pixel:
	// First tap starts the maximum and the NaN mask.
	MOVQ    (TAPS), OFF
	VMOVUPS (PS)(OFF*4), Z0
	VCMPPS  $3, Z0, Z0, K2
	LEAQ    8(TAPS), PT
	MOVQ    NT, TC
	DECQ    TC
	JZ      store

tap:
	MOVQ    (PT), OFF
	VMOVUPS (PS)(OFF*4), Z1
	VCMPPS  $3, Z1, Z1, K1
	KORW    K1, K2, K2
	VMAXPS  Z1, Z0, Z0
	ADDQ    $8, PT
	DECQ    TC
	JNZ     tap

store:
	// Lanes that saw a NaN become NaN.
	VMOVAPS Z7, K2, Z0
	VMOVUPS Z0, (PD)
	ADDQ    $64, PD
	ADDQ    STR, PS
	DECQ    N
	JNZ     pixel

done:
	VZEROUPPER
	RET
