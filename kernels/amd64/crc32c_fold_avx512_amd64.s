//go:build !noasm

#include "textflag.h"

// func Crc32cFold2048AVX512(init uint32, p []byte, k *[2]uint64, out *[256]byte)
//
// Z0-Z3 hold the 16 lanes (256 bytes); Z16 holds k[0], k[1] in every
// 128-bit lane. Per block: lane = clmul(lo, k0) ^ clmul(hi, k1) ^ data.
TEXT ·Crc32cFold2048AVX512(SB), NOSPLIT, $0-48
	MOVL init+0(FP), AX
	MOVQ p_base+8(FP), SI
	MOVQ p_len+16(FP), CX
	MOVQ k+32(FP), DX
	MOVQ out+40(FP), DI

	VBROADCASTI32X4 (DX), Z16
	VMOVDQU64 (SI), Z0
	VMOVDQU64 64(SI), Z1
	VMOVDQU64 128(SI), Z2
	VMOVDQU64 192(SI), Z3
	VMOVD     AX, X4
	VPXORQ    Z4, Z0, Z0
	ADDQ      $256, SI
	SUBQ      $256, CX
	JLE       done

loop:
	VMOVDQU64  (SI), Z8
	VMOVDQU64  64(SI), Z9
	VMOVDQU64  128(SI), Z10
	VMOVDQU64  192(SI), Z11
	VPCLMULQDQ $0x00, Z16, Z0, Z4
	VPCLMULQDQ $0x11, Z16, Z0, Z0
	VPCLMULQDQ $0x00, Z16, Z1, Z5
	VPCLMULQDQ $0x11, Z16, Z1, Z1
	VPCLMULQDQ $0x00, Z16, Z2, Z6
	VPCLMULQDQ $0x11, Z16, Z2, Z2
	VPCLMULQDQ $0x00, Z16, Z3, Z7
	VPCLMULQDQ $0x11, Z16, Z3, Z3
	VPTERNLOGD $0x96, Z8, Z4, Z0
	VPTERNLOGD $0x96, Z9, Z5, Z1
	VPTERNLOGD $0x96, Z10, Z6, Z2
	VPTERNLOGD $0x96, Z11, Z7, Z3
	ADDQ       $256, SI
	SUBQ       $256, CX
	JG         loop

done:
	VMOVDQU64 Z0, (DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	VMOVDQU64 Z3, 192(DI)
	VZEROUPPER
	RET
