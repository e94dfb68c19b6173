//go:build amd64

package winograd

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// in43For returns the assembly F(4×4, 3×3) input transform passes of
// level l (see amd64.WinoIn43RowsGo and amd64.WinoIn43TilesGo), or nils.
func in43For(l isa.Level) (in43RowsFunc, in43TilesFunc) {
	switch l {
	case isa.AVX512:
		return amd64.WinoIn43RowsAVX512, amd64.WinoIn43TilesAVX512
	case isa.AVX2:
		return amd64.WinoIn43RowsAVX2, amd64.WinoIn43TilesAVX2
	}
	return nil, nil
}

// out43For returns the assembly F(4×4, 3×3) output transform of level l
// (see amd64.WinoOut43Go), or nil when l has none.
func out43For(l isa.Level) out43Func {
	switch l {
	case isa.AVX512:
		return amd64.WinoOut43AVX512
	case isa.AVX2:
		return amd64.WinoOut43AVX2
	}
	return nil
}

// nchwcFor returns the F(4×4, 3×3) transforms of the NCHWc16 layout for
// level l: the AVX-512 assembly, or the Go twins on every other level.
func nchwcFor(l isa.Level) (inNCHWcFunc, outNCHWcFunc) {
	if l == isa.AVX512 {
		return amd64.WinoIn43NCHWcAVX512, amd64.WinoOut43NCHWcAVX512
	}
	return amd64.WinoIn43NCHWcGo, amd64.WinoOut43NCHWcGo
}
