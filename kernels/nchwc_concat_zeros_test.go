package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestConcatNCHWcZeroInputs checks ConcatNCHWc with absent inputs (zero
// channels) against the channel Concat of the plain tensors with zero
// tensors in their place: zeros leading, trailing, between present
// inputs, inside one block and across block boundaries, serially and over
// threads, on every NCHWc level. The output buffer is planned and filled
// with NaN before the run, so a zero channel or padding lane the kernel
// failed to clear shows; the present inputs' padding lanes hold NaN too.
func TestConcatNCHWcZeroInputs(t *testing.T) {
	nchwcLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(11))
		for _, cfg := range []struct {
			h, w int64
			pool Pool
		}{{3, 5, Serial{}}, {3, 5, testPool{3}}, {32, 33, testPool{3}}} {
			for _, chans := range [][]int64{{24, -4}, {-8, 28}, {16, -16}, {-5, 11, -20}, {3, -40, 7}, {32, -1}, {-16, 16}} {
				t.Run(fmt.Sprintf("%dx%d/%v", cfg.h, cfg.w, chans), func(t *testing.T) {
					testConcatNCHWcZeros(t, rng, chans, cfg.h, cfg.w, cfg.pool)
				})
			}
		}
	})
}

// testConcatNCHWcZeros runs one case; a negative count in chans is an
// absent input of that many zero channels.
func testConcatNCHWcZeros(t *testing.T, rng *rand.Rand, chans []int64, h, w int64, pool Pool) {
	const batch = 2
	hw := int(h * w)
	counts := make([]int64, len(chans))
	var plain, blocked []*ir.Tensor
	total := int64(0)
	for i, c := range chans {
		counts[i] = max(c, -c)
		total += counts[i]
		if c < 0 {
			plain, blocked = append(plain, ir.NewTensor(ir.Float32, []int64{batch, -c, h, w})), append(blocked, nil)
			continue
		}
		x := nntRand(rng, batch, c, h, w)
		b := toNCHWc(x)
		bs := b.F32()
		for q := range bs {
			blk, lane := (q/16/hw)%int(ir.NCHWcBlocks(c, 16)), q%16
			if int64(blk*16+lane) >= c {
				bs[q] = float32(math.NaN())
			}
		}
		plain, blocked = append(plain, x), append(blocked, b)
	}
	y := runConcatNCHWcPlanned(t, counts, pool, blocked, []int64{batch, ir.NCHWcBlocks(total, 16), h, w, 16})
	var want []float32
	for n := range batch {
		for i, x := range plain {
			img := int(counts[i]) * hw
			want = append(want, x.F32()[n*img:(n+1)*img]...)
		}
	}
	nntClose(t, "concat", fromNCHWc(y, int(total)), want, 0)
	cb := int(ir.NCHWcBlocks(total, 16))
	for q, v := range y.F32() {
		blk, lane := (q/16/hw)%cb, q%16
		if int64(blk*16+lane) >= total && v != 0 {
			t.Fatalf("padding lane %d = %v, want 0", q, v)
		}
	}
}

// runConcatNCHWcPlanned builds and runs one ConcatNCHWc node (nil inputs
// absent) into a planned output of shape out filled with NaN.
func runConcatNCHWcPlanned(t *testing.T, chans []int64, pool Pool, in []*ir.Tensor, out []int64) *ir.Tensor {
	t.Helper()
	attrs := nntAttrs("block", 16, "input_channels", chans)
	for k, a := range attrs {
		a.Name = k
	}
	n := &ir.Node{Name: "n", Op: "ConcatNCHWc", Domain: ir.FusedDomain, Opset: 1, Attrs: attrs, Outputs: []*ir.Value{{Name: "y"}}}
	types := make([]*ir.Type, len(in))
	for i, x := range in {
		if x == nil {
			n.Inputs = append(n.Inputs, nil)
			continue
		}
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(x)}
		n.Inputs, types[i] = append(n.Inputs, v), &v.Type
	}
	if err := ir.InferNode(n); err != nil {
		t.Fatal(err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
	if err != nil {
		t.Fatal(err)
	}
	planned := ir.NewTensor(ir.Float32, out)
	for i := range planned.F32() {
		planned.F32()[i] = float32(math.NaN())
	}
	c := &Ctx{Outs: make([]*ir.Tensor, 1), Planned: []*ir.Tensor{planned}, Pool: pool, Node: n}
	if err := f(c, in); err != nil {
		t.Fatal(err)
	}
	if c.Outs[0] != planned {
		t.Fatalf("the kernel did not write its planned output")
	}
	return planned
}

// TestConcatNCHWcBadAbsent checks the errors of absent inputs: every
// input absent (no shape to follow), channel counts whose sum overflows,
// and a huge zero count whose output the run's element limit refuses,
// all without a panic or an allocation sized by the count.
func TestConcatNCHWcBadAbsent(t *testing.T) {
	node := func(chans []int64, ins ...*ir.Value) *ir.Node {
		attrs := nntAttrs("block", 16, "input_channels", chans)
		for k, a := range attrs {
			a.Name = k
		}
		return &ir.Node{Name: "n", Op: "ConcatNCHWc", Domain: ir.FusedDomain, Opset: 1, Attrs: attrs,
			Inputs: ins, Outputs: []*ir.Value{{Name: "y"}}}
	}
	n := node([]int64{4, 8}, nil, nil)
	if err := ir.InferNode(n); err == nil {
		t.Fatal("inference accepted a ConcatNCHWc with every input absent")
	}
	if _, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{nil, nil}, Level: isa.Current()}); err == nil {
		t.Fatal("the kernel builder accepted a ConcatNCHWc with every input absent")
	}
	x := nntRand(rand.New(rand.NewSource(1)), 1, 16, 2, 2)
	xb := toNCHWc(x)
	v := &ir.Value{Name: "x", Type: ir.TypeOfTensor(xb)}
	n = node([]int64{16, math.MaxInt64}, v, nil)
	if err := ir.InferNode(n); err == nil {
		t.Fatal("inference accepted input_channels whose sum overflows")
	}
	if _, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{&v.Type, nil}, Level: isa.Current()}); err == nil {
		t.Fatal("the kernel builder accepted input_channels whose sum overflows")
	}
	n = node([]int64{16, 1 << 60}, v, nil)
	if err := ir.InferNode(n); err != nil {
		t.Fatal(err)
	}
	f, err := BuildNode(&Build{Node: n, InTypes: []*ir.Type{&v.Type, nil}, Level: isa.Current()})
	if err != nil {
		t.Fatal(err)
	}
	if err := f(&Ctx{Outs: make([]*ir.Tensor, 1), Pool: Serial{}, Node: n}, []*ir.Tensor{xb, nil}); err == nil {
		t.Fatal("a ConcatNCHWc of 2^60 zero channels ran")
	}
}
