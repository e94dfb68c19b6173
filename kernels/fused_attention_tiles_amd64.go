package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/vecmath"
)

// The tile kernels of the attention core, as attnTileFuncs (beta 0, no
// bias, no activation).
func attnTile6x64AVX512(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32) {
	amd64.Sgemm6x64StrideAVX512(k, a, b, ldb, c, ldc, alpha, 0, nil, amd64.ActNone)
}

func attnTile6x16AVX2(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32) {
	amd64.Sgemm6x16StrideAVX2(k, a, b, ldb, c, ldc, alpha, 0, nil, amd64.ActNone)
}

var (
	// The Q·Kᵀ tiles of each level, widest first, shared by its kernel
	// sets (which differ in their P·V tile only).
	attnQKAVX512   = []attnTileFunc{attnTile6x64AVX512, amd64.Tile6x32StrideAVX512, attnTile6x16AVX2}
	attnQKNRAVX512 = []int{64, 32, 16}
	attnQKAVX2     = []attnTileFunc{attnTile6x16AVX2}
	attnQKNRAVX2   = []int{16}

	// attnTilesAVX512 serves heads whose dv is a multiple of 32: P·V on
	// the 6×32 tile, which keeps both FMA ports busy where the 6×64 one
	// would run half empty on heads of 32. Key strips past the last
	// 64-wide one take the 6×32 and 6×16 tiles, so that S rows are padded
	// to 16, not 64.
	attnTilesAVX512 = &attnTileKernels{
		qk: attnQKAVX512, qkNR: attnQKNRAVX512,
		pv: amd64.Tile6x32StrideAVX512, pvNR: 32, pack6: amd64.PackA6SSE}
	// attnTilesAVX512Narrow serves heads whose dv is not a multiple of 16:
	// P·V on the AVX2 6×16 tile, dv padded to a multiple of 16. (Heads of
	// 16 or 48 run faster on the SGEMM path, whose packed 6×16 AVX2 P·V
	// this tile does not beat: transformer_t128_h4_d16's block 70-89 µs
	// there against 78-100 µs here, interleaved, TestAttnSmallHeadsAB.)
	attnTilesAVX512Narrow = &attnTileKernels{
		qk: attnQKAVX512, qkNR: attnQKNRAVX512,
		pv: attnTile6x16AVX2, pvNR: 16, pack6: amd64.PackA6SSE}
	// attnTilesAVX512Small serves heads of at most 8: P·V on the AVX2 6×8
	// tile, twice the useful lanes per FMA of the 6×16 one there.
	attnTilesAVX512Small = &attnTileKernels{
		qk: attnQKAVX512, qkNR: attnQKNRAVX512,
		pv: amd64.Tile6x8StrideAVX2, pvNR: 8, pack6: amd64.PackA6SSE}
	attnTilesAVX2 = &attnTileKernels{qk: attnQKAVX2, qkNR: attnQKNRAVX2,
		pv: attnTile6x16AVX2, pvNR: 16, pack6: amd64.PackA6SSE}
	attnTilesAVX2Small = &attnTileKernels{qk: attnQKAVX2, qkNR: attnQKNRAVX2,
		pv: amd64.Tile6x8StrideAVX2, pvNR: 8, pack6: amd64.PackA6SSE}
)

// attnTileKernelsFor returns the tile-path micro-kernels of level for heads
// of value size dv, or nil when the level has none or the SGEMM path
// serves dv better.
func attnTileKernelsFor(level isa.Level, dv int) *attnTileKernels {
	switch {
	case level == isa.AVX512 && !isa.Has(isa.AVX2):
		return nil // no 6×16 tile (a CPU reporting AVX-512 without AVX2)
	case level == isa.AVX512 && dv%32 == 0:
		return attnTilesAVX512
	case level == isa.AVX512 && dv <= 8:
		return attnTilesAVX512Small
	case level == isa.AVX512 && dv%16 != 0:
		return attnTilesAVX512Narrow
	case level == isa.AVX2 && dv <= 8:
		return attnTilesAVX2Small
	case level == isa.AVX2:
		return attnTilesAVX2
	}
	return nil
}

// softmaxRowFor returns the softmax of one row at level (the attention
// core's score rows, the Softmax op's contiguous rows): on AVX-512
// amd64.AttnSoftmaxAVX512 for any row length (it computes no exp for
// absent or masked lanes, whose underflow takes a microcode assist), else
// vec's three passes.
func softmaxRowFor(level isa.Level, vec *vecmath.Routines) func(dst, x []float32) {
	if level == isa.AVX512 {
		return attnSoftmaxAVX512
	}
	return vec.Softmax
}

// attnSoftmaxAVX512 is amd64.AttnSoftmaxAVX512 without an added row.
func attnSoftmaxAVX512(dst, x []float32) { amd64.AttnSoftmaxAVX512(dst, x, nil) }

// softmaxRowsFor returns the softmax of a strip of rows, each plus its
// row of an additive mask when one is given, in one call at level, or
// nil when the level has none (scoreRow then runs row by row).
func softmaxRowsFor(level isa.Level) func(dst []float32, ldd int, x []float32, ldx int, add []float32, ldadd int, n, rows int) {
	if level == isa.AVX512 {
		return amd64.AttnSoftmaxRowsAVX512
	}
	return nil
}

// softmaxAddRowFor returns the softmax of x + add in one call at level,
// or nil when the level has none (addMask then runs first).
func softmaxAddRowFor(level isa.Level) func(dst, x, add []float32) {
	if level == isa.AVX512 {
		return amd64.AttnSoftmaxAVX512
	}
	return nil
}
