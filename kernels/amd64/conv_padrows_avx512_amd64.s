//go:build !noasm

#include "textflag.h"

// func ConvPadRowsAVX512(dst, src []float32, rows, w, wq, left int)
//
// For r < rows: dst row r (wq values from r·wq) is zeroed, then src row r
// (w values from r·w) is copied into it from column left (see
// ConvPadRowsGo). Each row is 16 values per step, the last 0..15 under
// masks: K1 for the zeros, K2 for the copy (loads and stores).

#define DST   DI  // row r of dst
#define SRC   SI  // row r of src
#define ROWS  R9  // rows left
#define LDD   R10 // wq, bytes
#define LDS   R11 // w, bytes
#define LEFT  R12 // left, bytes
#define ZFULL R13 // whole steps of 16 zeros per row
#define CFULL DX  // whole steps of 16 copied values per row
#define D     AX
#define S     BX
#define CNT   R8
#define ZERO  Z0

TEXT ·ConvPadRowsAVX512(SB), NOSPLIT, $0-80
	MOVQ   dst_base+0(FP), DST
	MOVQ   src_base+24(FP), SRC
	MOVQ   rows+48(FP), ROWS
	MOVQ   w+56(FP), LDS
	MOVQ   wq+64(FP), LDD
	MOVQ   left+72(FP), LEFT
	SHLQ   $2, LEFT
	VPXORD ZERO, ZERO, ZERO
	TESTQ  ROWS, ROWS
	JLE    done

	// K1: the last wq mod 16 zeros; K2: the last w mod 16 values.
	MOVQ  LDD, CX
	ANDQ  $15, CX
	MOVQ  $1, D
	SHLQ  CX, D
	DECQ  D
	KMOVW D, K1
	MOVQ  LDS, CX
	ANDQ  $15, CX
	MOVQ  $1, D
	SHLQ  CX, D
	DECQ  D
	KMOVW D, K2
	MOVQ  LDD, ZFULL
	SHRQ  $4, ZFULL
	MOVQ  LDS, CFULL
	SHRQ  $4, CFULL
	SHLQ  $2, LDD
	SHLQ  $2, LDS

row:
	// Zero the row.
	MOVQ  DST, D
	MOVQ  ZFULL, CNT
	TESTQ CNT, CNT
	JZ    ztail

zstep:
	VMOVUPS ZERO, (D)
	ADDQ    $64, D
	DECQ    CNT
	JNZ     zstep

ztail:
	VMOVUPS ZERO, K1, (D)

	// Copy src's row from column left.
	LEAQ  (DST)(LEFT*1), D
	MOVQ  SRC, S
	MOVQ  CFULL, CNT
	TESTQ CNT, CNT
	JZ    ctail

cstep:
	VMOVUPS (S), Z1
	VMOVUPS Z1, (D)
	ADDQ    $64, S
	ADDQ    $64, D
	DECQ    CNT
	JNZ     cstep

ctail:
	VMOVUPS.Z (S), K2, Z1
	VMOVUPS   Z1, K2, (D)

	ADDQ LDD, DST
	ADDQ LDS, SRC
	DECQ ROWS
	JNZ  row

done:
	VZEROUPPER
	RET
