package runtime

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
)

// TestScanAllocatesNothing: a Scan (opset 9 and later) carrying a state,
// slicing its scan input along axis 1 and stacking its scan output along
// axis 1 backwards, with a sequence length that is an input dimension,
// allocates nothing per Run (kernels.scanState), and its results stay
// right as the length changes.
func TestScanAllocatesNothing(t *testing.T) {
	d := newDynGraph("dynscan")
	s0 := d.input("s0", ir.TensorType(ir.Float32, 3))
	x := d.input("x", ir.Type{Kind: ir.KindTensor, DType: ir.Float32, RankKnown: true, Shape: ir.Shape{ir.Dim{Size: 3}, ir.Dim{Size: -1, Param: "T"}}})
	body := &ir.Graph{Name: "body"}
	s := &ir.Value{Name: "s", Type: ir.TensorType(ir.Float32, 3)}
	e := &ir.Value{Name: "e", Type: ir.TensorType(ir.Float32, 3)}
	body.Inputs = []*ir.Value{s, e}
	s2 := d.op(body, "Add", s, e)
	body.Outputs = []*ir.Value{s2, d.op(body, "Mul", s2, e)}
	ints := func(name string, v ...int64) *ir.Attr { return &ir.Attr{Name: name, Kind: ir.AttrInts, Ints: v} }
	outs := d.node(nil, "Scan", ir.Attrs{
		"body":                   graphAttr("body", body),
		"num_scan_inputs":        &ir.Attr{Name: "num_scan_inputs", Kind: ir.AttrInt, I: 1},
		"scan_input_axes":        ints("scan_input_axes", 1),
		"scan_output_axes":       ints("scan_output_axes", 1),
		"scan_output_directions": ints("scan_output_directions", 1),
	}, []*ir.Value{s0, x}, 2)
	d.g.Outputs = outs
	for _, threads := range []int{1, 2} {
		t.Run(fmt.Sprintf("threads=%d", threads), func(t *testing.T) {
			sess, err := NewSession(ir.Clone(d.g), Options{Threads: threads})
			require.NoError(t, err)
			defer sess.Close()
			init := ir.FromSlice([]float32{0.5, -1, 2}, 3)
			ctx := context.Background()
			input := func(steps int) *ir.Tensor {
				v := make([]float32, 3*steps)
				for i := range v {
					v[i] = float32(i%7) - 2.5
				}
				return ir.FromSlice(v, 3, int64(steps))
			}
			for _, steps := range []int{4, 1, 6, 4} {
				xs := input(steps)
				res := make([]*ir.Tensor, 2)
				require.NoError(t, sess.RunInto(ctx, []*ir.Tensor{init, xs}, res))
				require.Equal(t, []int64{3, int64(steps)}, res[1].Shape, "T=%d", steps)
				for r := range 3 {
					acc := init.F32()[r]
					for u := range steps {
						el := xs.F32()[r*steps+u]
						acc += el
						require.Equal(t, acc*el, res[1].F32()[r*steps+steps-1-u], "T=%d row %d step %d", steps, r, u)
					}
					require.Equal(t, acc, res[0].F32()[r], "T=%d final state %d", steps, r)
				}
			}
			in := []*ir.Tensor{init, input(5)}
			res := make([]*ir.Tensor, 2)
			requireZeroAllocs(t, "Scan", func() error { return sess.RunInto(ctx, in, res) })
		})
	}
}
