//go:build !noasm

#include "textflag.h"

// func NCHWcDwAVX512(a *NCHWcDwArgs)
//
// NR rows × NP pixels of one 16-channel block of an NCHWc depthwise
// convolution; the math is NCHWcDwGo. Each pixel is one zmm accumulator
// started at the bias; per tap the loop loads the tap's weight vector once
// and adds it times the tap's input vector of 8, 4 or 1 consecutive pixels
// (8 independent accumulators hide the multiply-add latency). The result
// is clamped to [Lo, Hi] with the NaN-propagating operand order and stored.
//
// NCHWcDwArgs byte offsets: X 0, W 24, Y 48, Bias 72, XOff 96 (len 104),
// WOff 120, NP 144, NR 152, PS 160, RS 168, YRS 176, Lo 184, Hi 188.
// Locals: 0(SP) rows left, 8(SP) the row's input base, 16(SP) its output.

#define PXO  SI  // &XOff[0]
#define PWO  DI  // &WOff[0]
#define NT   R8  // taps
#define XB   R9  // input base of the current pixel group
#define PS   R10 // pixel stride in bytes
#define PS3  R11 // 3*PS
#define PW   R12 // &W[0]
#define PY   R13 // output of the current pixel group
#define TI   R14 // tap index
#define T    BX  // tap address
#define U    DX  // tap weight offset

TEXT ·NCHWcDwAVX512(SB), NOSPLIT, $24-8
	MOVQ  a+0(FP), AX
	MOVQ  152(AX), BX
	TESTQ BX, BX
	JZ    done
	MOVQ  144(AX), CX
	TESTQ CX, CX
	JZ    done
	MOVQ  BX, 0(SP)
	MOVQ  0(AX), BX
	MOVQ  BX, 8(SP)
	MOVQ  48(AX), BX
	MOVQ  BX, 16(SP)
	MOVQ  72(AX), BX
	VMOVUPS (BX), Z16
	VBROADCASTSS 184(AX), Z17
	VBROADCASTSS 188(AX), Z18
	MOVQ  96(AX), PXO
	MOVQ  104(AX), NT
	MOVQ  120(AX), PWO
	MOVQ  24(AX), PW
	MOVQ  160(AX), PS
	SHLQ  $2, PS
	LEAQ  (PS)(PS*2), PS3

row:
	MOVQ 8(SP), XB
	MOVQ 16(SP), PY
	MOVQ 144(AX), CX

p8:
	CMPQ CX, $8
	JLT  p4
	VMOVAPS Z16, Z0
	VMOVAPS Z16, Z1
	VMOVAPS Z16, Z2
	VMOVAPS Z16, Z3
	VMOVAPS Z16, Z4
	VMOVAPS Z16, Z5
	VMOVAPS Z16, Z6
	VMOVAPS Z16, Z7
	XORQ  TI, TI
	TESTQ NT, NT
	JZ    p8c
p8t:
	MOVQ    (PXO)(TI*8), T
	MOVQ    (PWO)(TI*8), U
	VMOVUPS (PW)(U*4), Z8
	LEAQ    (XB)(T*4), T
	VFMADD231PS (T), Z8, Z0
	VFMADD231PS (T)(PS*1), Z8, Z1
	VFMADD231PS (T)(PS*2), Z8, Z2
	VFMADD231PS (T)(PS3*1), Z8, Z3
	LEAQ    (T)(PS*4), T
	VFMADD231PS (T), Z8, Z4
	VFMADD231PS (T)(PS*1), Z8, Z5
	VFMADD231PS (T)(PS*2), Z8, Z6
	VFMADD231PS (T)(PS3*1), Z8, Z7
	INCQ    TI
	CMPQ    TI, NT
	JLT     p8t
p8c:
	VMAXPS  Z0, Z17, Z0
	VMINPS  Z0, Z18, Z0
	VMOVUPS Z0, 0(PY)
	VMAXPS  Z1, Z17, Z1
	VMINPS  Z1, Z18, Z1
	VMOVUPS Z1, 64(PY)
	VMAXPS  Z2, Z17, Z2
	VMINPS  Z2, Z18, Z2
	VMOVUPS Z2, 128(PY)
	VMAXPS  Z3, Z17, Z3
	VMINPS  Z3, Z18, Z3
	VMOVUPS Z3, 192(PY)
	VMAXPS  Z4, Z17, Z4
	VMINPS  Z4, Z18, Z4
	VMOVUPS Z4, 256(PY)
	VMAXPS  Z5, Z17, Z5
	VMINPS  Z5, Z18, Z5
	VMOVUPS Z5, 320(PY)
	VMAXPS  Z6, Z17, Z6
	VMINPS  Z6, Z18, Z6
	VMOVUPS Z6, 384(PY)
	VMAXPS  Z7, Z17, Z7
	VMINPS  Z7, Z18, Z7
	VMOVUPS Z7, 448(PY)
	LEAQ (XB)(PS*8), XB
	ADDQ $512, PY
	SUBQ $8, CX
	JMP  p8

p4:
	CMPQ CX, $4
	JLT  p1
	VMOVAPS Z16, Z0
	VMOVAPS Z16, Z1
	VMOVAPS Z16, Z2
	VMOVAPS Z16, Z3
	XORQ  TI, TI
	TESTQ NT, NT
	JZ    p4c
p4t:
	MOVQ    (PXO)(TI*8), T
	MOVQ    (PWO)(TI*8), U
	VMOVUPS (PW)(U*4), Z8
	LEAQ    (XB)(T*4), T
	VFMADD231PS (T), Z8, Z0
	VFMADD231PS (T)(PS*1), Z8, Z1
	VFMADD231PS (T)(PS*2), Z8, Z2
	VFMADD231PS (T)(PS3*1), Z8, Z3
	INCQ    TI
	CMPQ    TI, NT
	JLT     p4t
p4c:
	VMAXPS  Z0, Z17, Z0
	VMINPS  Z0, Z18, Z0
	VMOVUPS Z0, 0(PY)
	VMAXPS  Z1, Z17, Z1
	VMINPS  Z1, Z18, Z1
	VMOVUPS Z1, 64(PY)
	VMAXPS  Z2, Z17, Z2
	VMINPS  Z2, Z18, Z2
	VMOVUPS Z2, 128(PY)
	VMAXPS  Z3, Z17, Z3
	VMINPS  Z3, Z18, Z3
	VMOVUPS Z3, 192(PY)
	LEAQ (XB)(PS*4), XB
	ADDQ $256, PY
	SUBQ $4, CX
	JMP  p4

p1:
	TESTQ CX, CX
	JZ    rowend
	VMOVAPS Z16, Z0
	XORQ  TI, TI
	TESTQ NT, NT
	JZ    p1c
p1t:
	MOVQ    (PXO)(TI*8), T
	MOVQ    (PWO)(TI*8), U
	VMOVUPS (PW)(U*4), Z8
	LEAQ    (XB)(T*4), T
	VFMADD231PS (T), Z8, Z0
	INCQ    TI
	CMPQ    TI, NT
	JLT     p1t
p1c:
	VMAXPS  Z0, Z17, Z0
	VMINPS  Z0, Z18, Z0
	VMOVUPS Z0, 0(PY)
	ADDQ PS, XB
	ADDQ $64, PY
	DECQ CX
	JMP  p1

rowend:
	MOVQ 168(AX), BX
	SHLQ $2, BX
	ADDQ BX, 8(SP)
	MOVQ 176(AX), BX
	SHLQ $2, BX
	ADDQ BX, 16(SP)
	DECQ 0(SP)
	JNZ  row

done:
	VZEROUPPER
	RET
