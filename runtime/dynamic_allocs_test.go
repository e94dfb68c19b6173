package runtime

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
)

// Dynamic values (shapes known only at run time) keep their storage in
// the frame between Runs (kernels.KeptOutput, Loop's kernels.loopState),
// so models whose shapes cannot all be planned still allocate nothing per
// Run once their input shapes repeat. Each test checks the results
// against values computed here, across Runs whose dynamic shapes change,
// and then counts allocations per Run with internal/allocstest.PerRun.

// dynGraph helps build small test graphs by hand.
type dynGraph struct {
	g *ir.Graph
	n int
}

func newDynGraph(name string) *dynGraph {
	return &dynGraph{g: &ir.Graph{Name: name, Opsets: map[string]int64{"": 17}}}
}

func (d *dynGraph) input(name string, t ir.Type) *ir.Value {
	v := &ir.Value{Name: name, Type: t}
	d.g.Inputs = append(d.g.Inputs, v)
	return v
}

// node adds op to sg (d.g when nil) with one output per name in outs (one
// output when outs is empty).
func (d *dynGraph) node(sg *ir.Graph, op string, attrs ir.Attrs, ins []*ir.Value, nout int) []*ir.Value {
	if sg == nil {
		sg = d.g
	}
	if attrs == nil {
		attrs = ir.Attrs{}
	}
	d.n++
	var outs []*ir.Value
	for i := range max(nout, 1) {
		outs = append(outs, &ir.Value{Name: fmt.Sprintf("%s_%s%d_%d", sg.Name, op, d.n, i)})
	}
	sg.AddNode(&ir.Node{Name: fmt.Sprintf("%s_n%d", sg.Name, d.n), Op: op, Opset: 17, Inputs: ins, Outputs: outs, Attrs: attrs})
	return outs
}

func (d *dynGraph) op(sg *ir.Graph, op string, ins ...*ir.Value) *ir.Value {
	return d.node(sg, op, nil, ins, 1)[0]
}

func (d *dynGraph) constant(name string, t *ir.Tensor) *ir.Value {
	v := &ir.Value{Name: name, Type: ir.TensorType(t.DType, t.Shape...), Const: t}
	d.g.Constants = append(d.g.Constants, v)
	return v
}

func graphAttr(name string, g *ir.Graph) *ir.Attr {
	return &ir.Attr{Name: name, Kind: ir.AttrGraph, G: g}
}

// requireZeroAllocs asserts that run allocates nothing per call.
func requireZeroAllocs(t *testing.T, what string, run func() error) {
	t.Helper()
	if raceEnabled {
		return // allocation counts are not meaningful under the race detector
	}
	got := allocstest.PerRun(30, func() {
		if err := run(); err != nil {
			t.Fatal(err)
		}
	})
	require.Zero(t, got, "allocations per Run: %s", what)
}

// TestDynamicIfOutputsAllocateNothing: an If whose condition is an input
// and whose untaken branch has a data-dependent shape (a Reshape to an
// input shape), so the If's outputs and everything computed from them
// (an Identity, an elementwise Mul) are dynamic values; a Run allocates
// nothing in either branch, and results stay right when the branch and
// the dynamic shapes change between Runs.
func TestDynamicIfOutputsAllocateNothing(t *testing.T) {
	d := newDynGraph("dynif")
	x := d.input("x", ir.TensorType(ir.Float32, 4, 8))
	cond := d.input("cond", ir.TensorType(ir.Bool))
	shp := d.input("shape", ir.TensorType(ir.Int64, 2))
	then := &ir.Graph{Name: "then"}
	then.Outputs = []*ir.Value{d.op(then, "Relu", x)}
	els := &ir.Graph{Name: "else"}
	els.Outputs = []*ir.Value{d.op(els, "Reshape", d.op(els, "Neg", x), shp)}
	y := d.node(nil, "If", ir.Attrs{"then_branch": graphAttr("then_branch", then), "else_branch": graphAttr("else_branch", els)},
		[]*ir.Value{cond}, 1)[0]
	z := d.op(nil, "Identity", y)
	w := d.op(nil, "Mul", z, z)
	d.g.Outputs = []*ir.Value{y, w}
	for _, threads := range []int{1, 2} {
		t.Run(fmt.Sprintf("threads=%d", threads), func(t *testing.T) {
			s, err := NewSession(ir.Clone(d.g), Options{Threads: threads})
			require.NoError(t, err)
			defer s.Close()
			xv := ir.NewTensor(ir.Float32, []int64{4, 8})
			for i, p := 0, xv.F32(); i < len(p); i++ {
				p[i] = float32(i%7) - 3
			}
			ctx := context.Background()
			yes, no := ir.Scalar(true), ir.Scalar(false)
			shapes := [][]int64{{8, 4}, {2, 16}, {32, 1}}
			outs := make([]*ir.Tensor, 2)
			for r := range 9 {
				c, sh := yes, []int64{4, 8}
				if r%3 != 0 {
					c, sh = no, shapes[r%len(shapes)]
				}
				clear(outs) // a new shape each Run: fresh outputs
				require.NoError(t, s.RunInto(ctx, []*ir.Tensor{xv, c, ir.FromSlice(append([]int64{}, sh...), 2)}, outs))
				require.Equal(t, sh, outs[0].Shape, "run %d", r)
				require.Equal(t, sh, outs[1].Shape, "run %d", r)
				for i, v := range xv.F32() {
					want := max(v, 0)
					if c == no {
						want = -v
					}
					require.Equal(t, want, outs[0].F32()[i], "run %d element %d", r, i)
					require.Equal(t, want*want, outs[1].F32()[i], "run %d element %d", r, i)
				}
			}
			for _, c := range []*ir.Tensor{yes, no} {
				in := []*ir.Tensor{xv, c, ir.FromSlice([]int64{8, 4}, 2)}
				outs := make([]*ir.Tensor, 2)
				requireZeroAllocs(t, fmt.Sprintf("If taking cond=%v", c.Data), func() error { return s.RunInto(ctx, in, outs) })
			}
		})
	}
}

// TestLoopScanOutputsAllocateNothing: a Loop whose trip count is an
// input, with a loop-carried tensor and a scan output (both dynamic at
// the top level: the stacked length is the trip count), allocates
// nothing per Run, and its results stay right as the trip count changes.
func TestLoopScanOutputsAllocateNothing(t *testing.T) {
	d := newDynGraph("dynloop")
	m := d.input("M", ir.TensorType(ir.Int64))
	v0 := d.input("v0", ir.TensorType(ir.Float32, 4))
	body := &ir.Graph{Name: "body"}
	i := &ir.Value{Name: "i", Type: ir.TensorType(ir.Int64)}
	c := &ir.Value{Name: "c", Type: ir.TensorType(ir.Bool)}
	v := &ir.Value{Name: "v", Type: ir.TensorType(ir.Float32, 4)}
	body.Inputs = []*ir.Value{i, c, v}
	one := d.constant("one", ir.FromSlice([]float32{1}, 1))
	v2 := d.op(body, "Add", v, one)
	fi := d.node(body, "Cast", ir.Attrs{"to": &ir.Attr{Name: "to", Kind: ir.AttrInt, I: int64(ir.Float32)}}, []*ir.Value{i}, 1)[0]
	scan := d.op(body, "Mul", d.op(body, "Mul", v2, v2), fi)
	body.Outputs = []*ir.Value{d.op(body, "Identity", c), v2, scan}
	outs := d.node(nil, "Loop", ir.Attrs{"body": graphAttr("body", body)}, []*ir.Value{m, nil, v0}, 2)
	sum := d.op(nil, "ReduceSum", outs[1])
	d.g.Outputs = []*ir.Value{outs[0], outs[1], sum}
	for _, threads := range []int{1, 2} {
		t.Run(fmt.Sprintf("threads=%d", threads), func(t *testing.T) {
			s, err := NewSession(ir.Clone(d.g), Options{Threads: threads})
			require.NoError(t, err)
			defer s.Close()
			x := ir.FromSlice([]float32{0.5, -1, 2, 0}, 4)
			ctx := context.Background()
			for _, trips := range []int64{5, 3, 0, 7, 5} {
				res := make([]*ir.Tensor, 3)
				require.NoError(t, s.RunInto(ctx, []*ir.Tensor{ir.Scalar(trips), x}, res))
				require.Equal(t, []int64{trips, 4}, res[1].Shape, "M=%d", trips)
				var total float32
				for e, x0 := range x.F32() {
					require.Equal(t, x0+float32(trips), res[0].F32()[e], "M=%d final element %d", trips, e)
					for k := range trips {
						vk := x0 + float32(k+1)
						want := vk * vk * float32(k)
						require.Equal(t, want, res[1].F32()[int(k)*4+e], "M=%d scan %d element %d", trips, k, e)
						total += want
					}
				}
				require.InDelta(t, total, res[2].F32()[0], 1e-3, "M=%d sum", trips)
			}
			in := []*ir.Tensor{ir.Scalar(int64(6)), x}
			res := make([]*ir.Tensor, 3)
			requireZeroAllocs(t, "Loop with a scan output", func() error { return s.RunInto(ctx, in, res) })
		})
	}
}

// TestDataDependentReshapeAllocatesNothing: NonZero's count drives a
// Reshape and the elementwise ops after it, all dynamic values; a Run
// allocates nothing once the count repeats, and results follow the
// count when it changes.
func TestDataDependentReshapeAllocatesNothing(t *testing.T) {
	d := newDynGraph("dynnz")
	x := d.input("x", ir.TensorType(ir.Float32, 4, 8))
	nz := d.op(nil, "NonZero", x)
	f := d.node(nil, "Cast", ir.Attrs{"to": &ir.Attr{Name: "to", Kind: ir.AttrInt, I: int64(ir.Float32)}}, []*ir.Value{nz}, 1)[0]
	flat := d.op(nil, "Reshape", f, d.constant("minus1", ir.FromSlice([]int64{-1}, 1)))
	y := d.op(nil, "Add", flat, flat)
	n := d.op(nil, "Shape", nz)
	d.g.Outputs = []*ir.Value{y, n}
	for _, threads := range []int{1, 2} {
		t.Run(fmt.Sprintf("threads=%d", threads), func(t *testing.T) {
			s, err := NewSession(ir.Clone(d.g), Options{Threads: threads})
			require.NoError(t, err)
			defer s.Close()
			ctx := context.Background()
			xv := ir.NewTensor(ir.Float32, []int64{4, 8})
			for r, every := range []int{3, 5, 2, 3} {
				p := xv.F32()
				var rows, cols []float32
				for e := range p {
					p[e] = 0
					if e%every == 0 {
						p[e] = float32(e + 1)
						rows, cols = append(rows, float32(e/8)), append(cols, float32(e%8))
					}
				}
				res := make([]*ir.Tensor, 2)
				require.NoError(t, s.RunInto(ctx, []*ir.Tensor{xv}, res))
				want := append(rows, cols...)
				for e := range want {
					want[e] *= 2
				}
				require.Equal(t, want, res[0].F32(), "run %d", r)
				require.Equal(t, []int64{2, int64(len(rows))}, res[1].I64(), "run %d", r)
			}
			res := make([]*ir.Tensor, 2)
			requireZeroAllocs(t, "NonZero-driven Reshape", func() error { return s.RunInto(ctx, []*ir.Tensor{xv}, res) })
		})
	}
}

// TestDynamicValuesConcurrentRuns: concurrent Runs of one session, taking
// different branches with different dynamic shapes, each get their own
// kept buffers (one frame per concurrent Run) and the right results.
func TestDynamicValuesConcurrentRuns(t *testing.T) {
	d := newDynGraph("dynconc")
	x := d.input("x", ir.TensorType(ir.Float32, 4, 8))
	cond := d.input("cond", ir.TensorType(ir.Bool))
	shp := d.input("shape", ir.TensorType(ir.Int64, 2))
	then := &ir.Graph{Name: "then"}
	then.Outputs = []*ir.Value{d.op(then, "Relu", x)}
	els := &ir.Graph{Name: "else"}
	els.Outputs = []*ir.Value{d.op(els, "Reshape", d.op(els, "Neg", x), shp)}
	y := d.node(nil, "If", ir.Attrs{"then_branch": graphAttr("then_branch", then), "else_branch": graphAttr("else_branch", els)},
		[]*ir.Value{cond}, 1)[0]
	d.g.Outputs = []*ir.Value{d.op(nil, "Mul", d.op(nil, "Identity", y), y)}
	s, err := NewSession(d.g, Options{Threads: 2})
	require.NoError(t, err)
	defer s.Close()
	shapes := [][]int64{{4, 8}, {8, 4}, {2, 16}, {32, 1}}
	errs := make(chan error, len(shapes))
	for g, sh := range shapes {
		go func() {
			xv := ir.NewTensor(ir.Float32, []int64{4, 8})
			for i, p := 0, xv.F32(); i < len(p); i++ {
				p[i] = float32((i+g)%5) - 2
			}
			c := ir.Scalar(g == 0)
			in := []*ir.Tensor{xv, c, ir.FromSlice(append([]int64{}, sh...), 2)}
			outs := make([]*ir.Tensor, 1)
			for r := range 200 {
				if err := s.RunInto(context.Background(), in, outs); err != nil {
					errs <- err
					return
				}
				for i, v := range xv.F32() {
					want := v * v
					if g == 0 {
						want = max(v, 0) * max(v, 0)
					}
					if got := outs[0].F32()[i]; got != want || !sameDims(outs[0].Shape, sh) {
						errs <- fmt.Errorf("goroutine %d run %d element %d: got %v%v, want %v%v", g, r, i, got, outs[0].Shape, want, sh)
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range shapes {
		require.NoError(t, <-errs)
	}
}
