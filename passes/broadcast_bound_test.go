package passes

import (
	goruntime "runtime"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestBroadcastFoldBound runs the whole pass table on graphs whose fusions
// would expand a one-value constant to one value per channel, column or
// normalised element of a dimension (2^26) that no data bounds: weights
// with a zero dimension, inputs of a symbolic batch. Each pass must leave
// the constant unexpanded (the pattern stays unfused) instead of
// allocating gigabytes.
func TestBroadcastFoldBound(t *testing.T) {
	const big = 1 << 26
	emptyConv := func(b *gb) *ir.Value {
		x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(0), ir.D(1), ir.D(1)}))
		w := b.constant("w", ir.FromSlice([]float32{}, big, 0, 1, 1))
		return b.op("Conv", nil, 1, x, w)[0]
	}
	cases := map[string]func(b *gb) *ir.Value{
		"conv scale": func(b *gb) *ir.Value {
			return b.op("Mul", nil, 1, emptyConv(b), b.constant("s", scalarF(2)))[0]
		},
		"conv bias": func(b *gb) *ir.Value {
			a := b.op("Add", nil, 1, emptyConv(b), b.constant("c", scalarF(1)))[0]
			return b.op("Relu", nil, 1, a)[0]
		},
		"matmul add": func(b *gb) *ir.Value {
			x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(0)}))
			p := b.op("MatMul", nil, 1, x, b.constant("w", ir.FromSlice([]float32{}, 0, big)))[0]
			return b.op("Add", nil, 1, p, b.constant("c", scalarF(1)))[0]
		},
		"layernorm": func(b *gb) *ir.Value {
			x := b.input("x", ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("n"), ir.D(big)}))
			axes := ir.Attrs{"axes": intsAttr("axes", -1)}
			mu := b.op("ReduceMean", axes, 1, x)[0]
			d := b.op("Sub", nil, 1, x, mu)[0]
			sq := b.op("Pow", nil, 1, d, b.constant("two", scalarF(2)))[0]
			v := b.op("ReduceMean", axes, 1, sq)[0]
			ve := b.op("Add", nil, 1, v, b.constant("eps", scalarF(1e-5)))[0]
			sd := b.op("Sqrt", nil, 1, ve)[0]
			return b.op("Div", nil, 1, d, sd)[0]
		},
	}
	for name, build := range cases {
		b := newGB("bound")
		g := b.output(build(b))
		var before, after goruntime.MemStats
		goruntime.GC()
		goruntime.ReadMemStats(&before)
		err := Run(g, &Context{Level: isa.Current(), Verify: true})
		goruntime.ReadMemStats(&after)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
			t.Errorf("%s: the passes allocated %d MiB", name, got>>20)
		}
	}
}
