package kernels

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

var (
	attnTilesAVX512 = &attnTileKernels{qk: amd64.Sgemm6x64StrideAVX512, qkNR: 64,
		pv: amd64.Sgemm6x64StrideAVX512, pvNR: 64, pack6: amd64.PackA6SSE, level: isa.AVX512, pvLvl: isa.AVX512}
	// attnTilesAVX512Narrow serves heads whose dv is a multiple of 16 but
	// not of 64: P·V on the AVX2 6×16 tile, which they fill exactly.
	attnTilesAVX512Narrow = &attnTileKernels{qk: amd64.Sgemm6x64StrideAVX512, qkNR: 64,
		pv: amd64.Sgemm6x16StrideAVX2, pvNR: 16, pack6: amd64.PackA6SSE, level: isa.AVX512, pvLvl: isa.AVX2}
	attnTilesAVX2 = &attnTileKernels{qk: amd64.Sgemm6x16StrideAVX2, qkNR: 16,
		pv: amd64.Sgemm6x16StrideAVX2, pvNR: 16, pack6: amd64.PackA6SSE, level: isa.AVX2, pvLvl: isa.AVX2}
)

// attnTileKernelsFor returns the tile-path micro-kernels of level for heads
// of value size dv, or nil when the level has none or dv fits no tile.
func attnTileKernelsFor(level isa.Level, dv int) *attnTileKernels {
	switch {
	case level == isa.AVX512 && dv%64 == 0:
		return attnTilesAVX512
	case level == isa.AVX512 && dv%16 == 0 && isa.Has(isa.AVX2):
		return attnTilesAVX512Narrow
	case level == isa.AVX2 && dv%16 == 0:
		return attnTilesAVX2
	}
	return nil
}
