//go:build !amd64

package winograd

import (
	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// out43For returns nil: this architecture has no assembly transforms yet.
func out43For(isa.Level) out43Func { return nil }

// in43For returns nils: this architecture has no assembly transforms yet.
func in43For(isa.Level) (in43RowsFunc, in43TilesFunc) { return nil, nil }

// nchwcFor returns the Go twins of the NCHWc16 transforms: this
// architecture has no assembly for them yet.
func nchwcFor(isa.Level) (inNCHWcFunc, outNCHWcFunc) {
	return amd64.WinoIn43NCHWcGo, amd64.WinoOut43NCHWcGo
}
