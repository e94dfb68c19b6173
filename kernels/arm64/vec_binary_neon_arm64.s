//go:build !noasm

#include "textflag.h"
#include "vec_neon_arm64.h"

// func vecBinaryNEON(op, kind int, dst, a, b []float32)
//
// dst[i] = a[i or 0] op b[i or 0] for i < len(dst), len(dst) a multiple
// of 4 (VecBinaryNEON handles the tail), as purego.Binary: one loop per
// (op, kind) pair, chosen once at entry. V0 = a, V1 = b (the broadcast
// operand stays loaded), V2 the result, V3 a mask. Max and min follow
// purego.BinaryOp exactly: d = a > b ? a : b (a < b for min), then a where
// a is NaN (FMAX would differ on ±0 ties).

#define OP   R3 // operation code
#define KIND R4 // operand kind
#define DST  R0
#define PA   R1
#define PB   R2
#define N    R5

TEXT ·vecBinaryNEON(SB), NOSPLIT, $0-88
	MOVD op+0(FP), OP
	MOVD kind+8(FP), KIND
	MOVD dst_base+16(FP), DST
	MOVD dst_len+24(FP), N
	MOVD a_base+40(FP), PA
	MOVD b_base+64(FP), PB
	CBZ  N, done

	// Broadcast the scalar operand, then jump to the loop of (op, kind).
	CMP  $1, KIND
	BEQ  bcastb
	BGT  bcasta
	B    dispatch

bcastb:
	VLD1R (PB), [V1.S4]
	B     dispatch

bcasta:
	VLD1R (PA), [V0.S4]

dispatch:
	ADD  OP<<1, OP, R6
	ADD  KIND, R6, R6

	CMP  $0, R6
	BEQ  add_vv
	CMP  $1, R6
	BEQ  add_vs
	CMP  $2, R6
	BEQ  add_sv
	CMP  $3, R6
	BEQ  sub_vv
	CMP  $4, R6
	BEQ  sub_vs
	CMP  $5, R6
	BEQ  sub_sv
	CMP  $6, R6
	BEQ  mul_vv
	CMP  $7, R6
	BEQ  mul_vs
	CMP  $8, R6
	BEQ  mul_sv
	CMP  $9, R6
	BEQ  div_vv
	CMP  $10, R6
	BEQ  div_vs
	CMP  $11, R6
	BEQ  div_sv
	CMP  $12, R6
	BEQ  max_vv
	CMP  $13, R6
	BEQ  max_vs
	CMP  $14, R6
	BEQ  max_sv
	CMP  $15, R6
	BEQ  min_vv
	CMP  $16, R6
	BEQ  min_vs
	CMP  $17, R6
	BEQ  min_sv
	B    done

add_vv:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	VLD1.P 16(PB), [V1.S4]
	V_FADD(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      add_vv

add_vs:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	V_FADD(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      add_vs

add_sv:
	CBZ    N, done
	VLD1.P 16(PB), [V1.S4]
	V_FADD(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      add_sv

sub_vv:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	VLD1.P 16(PB), [V1.S4]
	V_FSUB(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      sub_vv

sub_vs:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	V_FSUB(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      sub_vs

sub_sv:
	CBZ    N, done
	VLD1.P 16(PB), [V1.S4]
	V_FSUB(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      sub_sv

mul_vv:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	VLD1.P 16(PB), [V1.S4]
	V_FMUL(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      mul_vv

mul_vs:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	V_FMUL(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      mul_vs

mul_sv:
	CBZ    N, done
	VLD1.P 16(PB), [V1.S4]
	V_FMUL(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      mul_sv

div_vv:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	VLD1.P 16(PB), [V1.S4]
	V_FDIV(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      div_vv

div_vs:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	V_FDIV(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      div_vs

div_sv:
	CBZ    N, done
	VLD1.P 16(PB), [V1.S4]
	V_FDIV(2, 0, 1)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      div_sv

max_vv:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	VLD1.P 16(PB), [V1.S4]
	V_FCMGT(3, 0, 1)
	V_MOV(2, 1)
	V_BIT(2, 0, 3)
	V_FCMEQ(3, 0, 0)
	V_BIF(2, 0, 3)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      max_vv

max_vs:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	V_FCMGT(3, 0, 1)
	V_MOV(2, 1)
	V_BIT(2, 0, 3)
	V_FCMEQ(3, 0, 0)
	V_BIF(2, 0, 3)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      max_vs

max_sv:
	CBZ    N, done
	VLD1.P 16(PB), [V1.S4]
	V_FCMGT(3, 0, 1)
	V_MOV(2, 1)
	V_BIT(2, 0, 3)
	V_FCMEQ(3, 0, 0)
	V_BIF(2, 0, 3)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      max_sv

min_vv:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	VLD1.P 16(PB), [V1.S4]
	V_FCMGT(3, 1, 0)
	V_MOV(2, 1)
	V_BIT(2, 0, 3)
	V_FCMEQ(3, 0, 0)
	V_BIF(2, 0, 3)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      min_vv

min_vs:
	CBZ    N, done
	VLD1.P 16(PA), [V0.S4]
	V_FCMGT(3, 1, 0)
	V_MOV(2, 1)
	V_BIT(2, 0, 3)
	V_FCMEQ(3, 0, 0)
	V_BIF(2, 0, 3)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      min_vs

min_sv:
	CBZ    N, done
	VLD1.P 16(PB), [V1.S4]
	V_FCMGT(3, 1, 0)
	V_MOV(2, 1)
	V_BIT(2, 0, 3)
	V_FCMEQ(3, 0, 0)
	V_BIF(2, 0, 3)
	VST1.P [V2.S4], 16(DST)
	SUB    $4, N
	B      min_sv

done:
	RET
