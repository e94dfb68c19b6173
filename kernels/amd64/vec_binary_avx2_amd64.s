//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"

// func VecBinaryAVX2(op, kind int, dst, a, b []float32)
//
// dst[i] = a[i or 0] op b[i or 0] for i < len(dst) (purego.Binary): op is
// OpAdd, OpSub, OpMul, OpDiv, OpMax or OpMin; kind KindVV (both vectors),
// KindVS (b[0] broadcast) or KindSV (a[0] broadcast). One loop per
// (op, kind) pair, chosen once at entry. The max and min loops end with
// the NaN rule of purego.BinaryOp: where a is NaN the result is a (VMAXPS
// and VMINPS return their second source, b, when either is NaN); the
// arithmetic ops propagate NaN by themselves.
//
// Registers: Y0 = a, Y1 = b (the broadcast operand stays loaded), Y2 the
// result.

#define OP   R8 // operation code
#define KIND R9 // operand kind
#define DST  DI // output
#define PA   SI // a (vector kinds advance it)
#define PB   DX // b (vector kinds advance it)
#define N    CX // elements left (also the tail shift count)

#define MASK Y12 // tail mask

// FIX: where a (Y0) is NaN, the result Y2 is a.
#define FIX VCMPPS $3, Y0, Y0, Y3; VBLENDVPS Y3, Y0, Y2, Y2

// TAILMASK: MASK = vecMask8[8-N:], the lanes of the last 0..7 elements.
#define TAILMASK LEAQ ·vecMask8(SB), AX; MOVQ $8, BX; SUBQ N, BX; VMOVDQU (AX)(BX*4), MASK

TEXT ·VecBinaryAVX2(SB), NOSPLIT, $0-88
	MOVQ op+0(FP), OP
	MOVQ kind+8(FP), KIND
	MOVQ dst_base+16(FP), DST
	MOVQ dst_len+24(FP), N
	MOVQ a_base+40(FP), PA
	MOVQ b_base+64(FP), PB
	TESTQ N, N
	JZ    done

	// Broadcast the scalar operand, then jump to the loop of (op, kind).
	CMPQ KIND, $1
	JEQ  bcastb
	JGT  bcasta
	JMP  dispatch

bcastb:
	VBROADCASTSS (PB), Y1
	JMP          dispatch

bcasta:
	VBROADCASTSS (PA), Y0

dispatch:
	MOVQ OP, AX
	IMULQ $3, AX
	ADDQ KIND, AX

	CMPQ AX, $0
	JEQ  add_vv
	CMPQ AX, $1
	JEQ  add_vs
	CMPQ AX, $2
	JEQ  add_sv
	CMPQ AX, $3
	JEQ  sub_vv
	CMPQ AX, $4
	JEQ  sub_vs
	CMPQ AX, $5
	JEQ  sub_sv
	CMPQ AX, $6
	JEQ  mul_vv
	CMPQ AX, $7
	JEQ  mul_vs
	CMPQ AX, $8
	JEQ  mul_sv
	CMPQ AX, $9
	JEQ  div_vv
	CMPQ AX, $10
	JEQ  div_vs
	CMPQ AX, $11
	JEQ  div_sv
	CMPQ AX, $12
	JEQ  max_vv
	CMPQ AX, $13
	JEQ  max_vs
	CMPQ AX, $14
	JEQ  max_sv
	CMPQ AX, $15
	JEQ  min_vv
	CMPQ AX, $16
	JEQ  min_vs
	CMPQ AX, $17
	JEQ  min_sv
	JMP  done

add_vv:
	// dst = a[i] add b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  add_vv_tail
	VMOVUPS (PA), Y0
	VMOVUPS (PB), Y1
	VADDPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	ADDQ $32, PB
	SUBQ $8, N
	JMP  add_vv

add_vv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VMASKMOVPS (PB), MASK, Y1
	VADDPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

add_vs:
	// dst = a[i] add b[0], 8 lanes at a time.
	CMPQ N, $8
	JLT  add_vs_tail
	VMOVUPS (PA), Y0
	VADDPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	SUBQ $8, N
	JMP  add_vs

add_vs_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VADDPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

add_sv:
	// dst = a[0] add b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  add_sv_tail
	VMOVUPS (PB), Y1
	VADDPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PB
	SUBQ $8, N
	JMP  add_sv

add_sv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PB), MASK, Y1
	VADDPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

sub_vv:
	// dst = a[i] sub b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  sub_vv_tail
	VMOVUPS (PA), Y0
	VMOVUPS (PB), Y1
	VSUBPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	ADDQ $32, PB
	SUBQ $8, N
	JMP  sub_vv

sub_vv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VMASKMOVPS (PB), MASK, Y1
	VSUBPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

sub_vs:
	// dst = a[i] sub b[0], 8 lanes at a time.
	CMPQ N, $8
	JLT  sub_vs_tail
	VMOVUPS (PA), Y0
	VSUBPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	SUBQ $8, N
	JMP  sub_vs

sub_vs_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VSUBPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

sub_sv:
	// dst = a[0] sub b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  sub_sv_tail
	VMOVUPS (PB), Y1
	VSUBPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PB
	SUBQ $8, N
	JMP  sub_sv

sub_sv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PB), MASK, Y1
	VSUBPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

mul_vv:
	// dst = a[i] mul b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  mul_vv_tail
	VMOVUPS (PA), Y0
	VMOVUPS (PB), Y1
	VMULPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	ADDQ $32, PB
	SUBQ $8, N
	JMP  mul_vv

mul_vv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VMASKMOVPS (PB), MASK, Y1
	VMULPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

mul_vs:
	// dst = a[i] mul b[0], 8 lanes at a time.
	CMPQ N, $8
	JLT  mul_vs_tail
	VMOVUPS (PA), Y0
	VMULPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	SUBQ $8, N
	JMP  mul_vs

mul_vs_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VMULPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

mul_sv:
	// dst = a[0] mul b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  mul_sv_tail
	VMOVUPS (PB), Y1
	VMULPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PB
	SUBQ $8, N
	JMP  mul_sv

mul_sv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PB), MASK, Y1
	VMULPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

div_vv:
	// dst = a[i] div b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  div_vv_tail
	VMOVUPS (PA), Y0
	VMOVUPS (PB), Y1
	VDIVPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	ADDQ $32, PB
	SUBQ $8, N
	JMP  div_vv

div_vv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VMASKMOVPS (PB), MASK, Y1
	VDIVPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

div_vs:
	// dst = a[i] div b[0], 8 lanes at a time.
	CMPQ N, $8
	JLT  div_vs_tail
	VMOVUPS (PA), Y0
	VDIVPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	SUBQ $8, N
	JMP  div_vs

div_vs_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VDIVPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

div_sv:
	// dst = a[0] div b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  div_sv_tail
	VMOVUPS (PB), Y1
	VDIVPS Y1, Y0, Y2
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PB
	SUBQ $8, N
	JMP  div_sv

div_sv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PB), MASK, Y1
	VDIVPS Y1, Y0, Y2
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

max_vv:
	// dst = a[i] max b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  max_vv_tail
	VMOVUPS (PA), Y0
	VMOVUPS (PB), Y1
	VMAXPS Y1, Y0, Y2
	FIX
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	ADDQ $32, PB
	SUBQ $8, N
	JMP  max_vv

max_vv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VMASKMOVPS (PB), MASK, Y1
	VMAXPS Y1, Y0, Y2
	FIX
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

max_vs:
	// dst = a[i] max b[0], 8 lanes at a time.
	CMPQ N, $8
	JLT  max_vs_tail
	VMOVUPS (PA), Y0
	VMAXPS Y1, Y0, Y2
	FIX
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	SUBQ $8, N
	JMP  max_vs

max_vs_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VMAXPS Y1, Y0, Y2
	FIX
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

max_sv:
	// dst = a[0] max b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  max_sv_tail
	VMOVUPS (PB), Y1
	VMAXPS Y1, Y0, Y2
	FIX
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PB
	SUBQ $8, N
	JMP  max_sv

max_sv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PB), MASK, Y1
	VMAXPS Y1, Y0, Y2
	FIX
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

min_vv:
	// dst = a[i] min b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  min_vv_tail
	VMOVUPS (PA), Y0
	VMOVUPS (PB), Y1
	VMINPS Y1, Y0, Y2
	FIX
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	ADDQ $32, PB
	SUBQ $8, N
	JMP  min_vv

min_vv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VMASKMOVPS (PB), MASK, Y1
	VMINPS Y1, Y0, Y2
	FIX
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

min_vs:
	// dst = a[i] min b[0], 8 lanes at a time.
	CMPQ N, $8
	JLT  min_vs_tail
	VMOVUPS (PA), Y0
	VMINPS Y1, Y0, Y2
	FIX
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PA
	SUBQ $8, N
	JMP  min_vs

min_vs_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PA), MASK, Y0
	VMINPS Y1, Y0, Y2
	FIX
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

min_sv:
	// dst = a[0] min b[i], 8 lanes at a time.
	CMPQ N, $8
	JLT  min_sv_tail
	VMOVUPS (PB), Y1
	VMINPS Y1, Y0, Y2
	FIX
	VMOVUPS Y2, (DST)
	ADDQ $32, DST
	ADDQ $32, PB
	SUBQ $8, N
	JMP  min_sv

min_sv_tail:
	TESTQ N, N
	JZ    done
	TAILMASK
	VMASKMOVPS (PB), MASK, Y1
	VMINPS Y1, Y0, Y2
	FIX
	VMASKMOVPS Y2, MASK, (DST)
	JMP  done

done:
	VZEROUPPER
	RET
