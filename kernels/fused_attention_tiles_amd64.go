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
	// attnTilesAVX512 serves heads whose dv is a multiple of 32: P·V on
	// the 6×32 tile, which keeps both FMA ports busy where the 6×64 one
	// would run half empty on heads of 32.
	attnTilesAVX512 = &attnTileKernels{qk: attnTile6x64AVX512, qkNR: 64,
		pv: amd64.Tile6x32StrideAVX512, pvNR: 32, pack6: amd64.PackA6SSE}
	// attnTilesAVX512Narrow serves heads whose dv is a multiple of 16 only:
	// P·V on the AVX2 6×16 tile.
	attnTilesAVX512Narrow = &attnTileKernels{qk: attnTile6x64AVX512, qkNR: 64,
		pv: attnTile6x16AVX2, pvNR: 16, pack6: amd64.PackA6SSE}
	attnTilesAVX2 = &attnTileKernels{qk: attnTile6x16AVX2, qkNR: 16,
		pv: attnTile6x16AVX2, pvNR: 16, pack6: amd64.PackA6SSE}
)

// attnTileKernelsFor returns the tile-path micro-kernels of level for heads
// of value size dv, or nil when the level has none or dv fits no tile.
func attnTileKernelsFor(level isa.Level, dv int) *attnTileKernels {
	switch {
	case level == isa.AVX512 && dv%32 == 0:
		return attnTilesAVX512
	case level == isa.AVX512 && dv%16 == 0 && isa.Has(isa.AVX2):
		return attnTilesAVX512Narrow
	case level == isa.AVX2 && dv%16 == 0:
		return attnTilesAVX2
	}
	return nil
}

// softmaxRowFor returns the softmax of rows of n elements at level (the
// attention core's score rows, the Softmax op's short rows): the one-call
// AVX-512 row kernels up to 64 and up to 128 elements, else vec's three
// passes.
func softmaxRowFor(level isa.Level, n int, vec *vecmath.Routines) func(dst, x []float32) {
	switch {
	case level == isa.AVX512 && n <= 64:
		return amd64.VecSoftmax64AVX512
	case level == isa.AVX512 && n <= 128:
		return amd64.VecSoftmax128AVX512
	}
	return vec.Softmax
}
