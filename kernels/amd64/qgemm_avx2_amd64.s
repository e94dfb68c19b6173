//go:build !noasm

#include "textflag.h"

// func QGemmTile8x32AVX2(k4 int, a []int8, b []uint8, c []int32, ldc, rows, cols int, rowAdd, colMul, colSum []int32)
//
// QGemmTile8x32Go with AVX2 (see its math). VPMADDWD on zero-extended
// activations and sign-extended weights is exact (each product below
// 2^15 in magnitude, the pair below 2^16); VPMADDUBSW, which saturates,
// is not used. The tile runs as eight passes over the taps, one per
// quarter of 8 columns and half of 4 rows, so that a pass's
// accumulators fit the sixteen registers: Y(2i) holds, for columns 0–3
// of the quarter and row i of the half, the sums of tap pairs (0,1) and
// (2,3) side by side; Y(2i+1) the same for columns 4–7. The pairs are
// added (VPHADDD, VPERMQ) at the end of the pass.

#define A AX
#define B BX
#define C DI
#define LDC R8
#define ROWS R9
#define COLS R10
#define ROWADD R11
#define COLMUL R12
#define COLSUM R13

// The store masks: 8 lanes on, then 8 off; a quarter of n < 8 columns
// loads its mask at offset (8 − n)·4.
DATA qMask<>+0(SB)/8, $-1
DATA qMask<>+8(SB)/8, $-1
DATA qMask<>+16(SB)/8, $-1
DATA qMask<>+24(SB)/8, $-1
DATA qMask<>+32(SB)/8, $0
DATA qMask<>+40(SB)/8, $0
DATA qMask<>+48(SB)/8, $0
DATA qMask<>+56(SB)/8, $0
GLOBL qMask<>(SB), RODATA|NOPTR, $64

// ROW(i, lo, hi): row i of the half times the quarter's 8 columns (Y8:
// columns 0–3, Y9: columns 4–7, 4 taps each as words).
#define ROW(i, lo, hi) \
	VPBROADCASTD (i*4)(SI), X10 \
	VPMOVSXBW    X10, Y10       \
	VPMADDWD     Y8, Y10, Y11   \
	VPADDD       Y11, lo, lo    \
	VPMADDWD     Y9, Y10, Y12   \
	VPADDD       Y12, hi, hi

// OUT(r, lo, hi, done): row r of the tile — pairs
// added, corrections added (Y13: the quarter's column sums), stored under
// the mask Y14 — unless the tile has no row r.
#define OUT(r, lo, hi, done) \
	CMPQ         ROWS, $(r)         \
	JLE          done               \
	VPHADDD      hi, lo, Y11        \
	VPERMQ       $0xD8, Y11, Y11    \
	VPBROADCASTD ((r)*4)(COLMUL), Y12 \
	VPMULLD      Y13, Y12, Y12      \
	VPADDD       Y12, Y11, Y11      \
	VPBROADCASTD ((r)*4)(ROWADD), Y12 \
	VPADDD       Y12, Y11, Y11      \
	VPMASKMOVD   Y11, Y14, (SI)     \
	ADDQ         LDC, SI

// PASS(h, q, next, loop, out, mask): rows 4h … 4h+3 by columns 8q …
// 8q+7; next is the label after it, loop, out and mask its own.
#define PASS(h, q, next, loop, out, mask) \
	CMPQ       ROWS, $(4*h)         \
	JLE        next                 \
	MOVQ       COLS, DX             \
	SUBQ       $(8*q), DX           \
	JLE        next                 \
	VPXOR      Y0, Y0, Y0           \
	VPXOR      Y1, Y1, Y1           \
	VPXOR      Y2, Y2, Y2           \
	VPXOR      Y3, Y3, Y3           \
	VPXOR      Y4, Y4, Y4           \
	VPXOR      Y5, Y5, Y5           \
	VPXOR      Y6, Y6, Y6           \
	VPXOR      Y7, Y7, Y7           \
	LEAQ       (h*16)(A), SI        \
	LEAQ       (q*32)(B), DX        \
	MOVQ       k4+0(FP), CX         \
	TESTQ      CX, CX               \
	JZ         out           \
loop:                        \
	VPMOVZXBW  (DX), Y8             \
	VPMOVZXBW  16(DX), Y9           \
	ROW(0, Y0, Y1)                  \
	ROW(1, Y2, Y3)                  \
	ROW(2, Y4, Y5)                  \
	ROW(3, Y6, Y7)                  \
	ADDQ       $32, SI              \
	ADDQ       $128, DX             \
	DECQ       CX                   \
	JNZ        loop          \
out:                         \
	MOVQ       COLS, DX             \
	SUBQ       $(8*q), DX           \
	CMPQ       DX, $8               \
	JLE        mask          \
	MOVQ       $8, DX               \
mask:                        \
	NEGQ       DX                   \
	LEAQ       qMask<>+32(SB), CX   \
	VMOVDQU    (CX)(DX*4), Y14      \
	VMOVDQU    (q*32)(COLSUM), Y13  \
	MOVQ       LDC, SI              \
	IMULQ      $(4*h), SI           \
	LEAQ       (q*32)(C)(SI*1), SI  \
	OUT(4*h, Y0, Y1, next)          \
	OUT(4*h+1, Y2, Y3, next)        \
	OUT(4*h+2, Y4, Y5, next)        \
	OUT(4*h+3, Y6, Y7, next)

TEXT ·QGemmTile8x32AVX2(SB), NOSPLIT, $0-176
	MOVQ a_base+8(FP), A
	MOVQ b_base+32(FP), B
	MOVQ c_base+56(FP), C
	MOVQ ldc+80(FP), LDC
	SHLQ $2, LDC
	MOVQ rows+88(FP), ROWS
	MOVQ cols+96(FP), COLS
	MOVQ rowAdd_base+104(FP), ROWADD
	MOVQ colMul_base+128(FP), COLMUL
	MOVQ colSum_base+152(FP), COLSUM

	PASS(0, 0, p00, l00, o00, m00)
p00:
	PASS(0, 1, p01, l01, o01, m01)
p01:
	PASS(0, 2, p02, l02, o02, m02)
p02:
	PASS(0, 3, p03, l03, o03, m03)
p03:
	PASS(1, 0, p10, l10, o10, m10)
p10:
	PASS(1, 1, p11, l11, o11, m11)
p11:
	PASS(1, 2, p12, l12, o12, m12)
p12:
	PASS(1, 3, p13, l13, o13, m13)
p13:
	VZEROUPPER
	RET
