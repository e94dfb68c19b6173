package gemv

import (
	"fmt"

	"github.com/nncc/nncc/kernels/isa"
)

// Data returns the packed floats (shared: never modify them), for storing
// a matrix packed at compile time in an artifact; FromData restores it.
func (p *Packed) Data() []float32 { return p.data }

// Layout names the packed layout of level l (the panel width it uses), for
// keys under which packed data is stored: two levels with the same layout
// name share packed data.
func Layout(l isa.Level) string {
	k := kernelFor(l)
	return fmt.Sprintf("%s/w%d", k.level, k.width)
}

// FromData wraps data packed by Pack(l, n, k, …) (as returned by Data)
// without copying it. It fails when the length does not fit the sizes.
func FromData(l isa.Level, n, k int, data []float32) (*Packed, error) {
	kern := kernelFor(l)
	w := kern.width
	if n < 0 || k < 0 || len(data) != (n+w-1)/w*w*k {
		return nil, fmt.Errorf("gemv: %d packed values do not fit n=%d k=%d at width %d", len(data), n, k, w)
	}
	return &Packed{kern: kern, n: n, k: k, data: data, ready: isa.Has(kern.level)}, nil
}
