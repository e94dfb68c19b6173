package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// rnnConstRun runs a recurrent op with W, R, B and P (inputs 1, 2, 3 and
// 7) marked constant, so that the float32 kernel takes its prepacked path,
// and runs the kernel twice on the same Ctx (the second Run reuses the
// scratch of the first, as in steady state). It returns the outputs of the
// second Run.
func rnnConstRun(level isa.Level, op string, attrs ir.Attrs, nOut int, in ...*ir.Tensor) ([]*ir.Tensor, error) {
	return rnnConstRunPool(level, testPool{2}, op, attrs, nOut, in...)
}

// rnnConstRunPool is rnnConstRun on the given pool.
func rnnConstRunPool(level isa.Level, pool Pool, op string, attrs ir.Attrs, nOut int, in ...*ir.Tensor) ([]*ir.Tensor, error) {
	n := &ir.Node{Name: "n", Op: op, Opset: 14, Attrs: attrs}
	for k, a := range n.Attrs {
		a.Name = k
	}
	var types []*ir.Type
	for i, t := range in {
		if t == nil {
			n.Inputs = append(n.Inputs, nil)
			types = append(types, nil)
			continue
		}
		v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(t)}
		if i == 1 || i == 2 || i == 3 || i == 7 {
			v.Const = t
		}
		n.Inputs = append(n.Inputs, v)
		types = append(types, &v.Type)
	}
	for i := range nOut {
		n.Outputs = append(n.Outputs, &ir.Value{Name: fmt.Sprint("out", i)})
	}
	if err := ir.InferNode(n); err != nil {
		return nil, err
	}
	f, err := BuildNode(&Build{Node: n, InTypes: types, Level: level})
	if err != nil {
		return nil, err
	}
	c := &Ctx{Outs: make([]*ir.Tensor, nOut), Pool: pool, Node: n}
	for range 2 {
		if err := f(c, in); err != nil {
			return nil, err
		}
	}
	return c.Outs, nil
}

// rnnTo64 converts a float32 tensor to float64 (nil stays nil; int
// tensors are returned as they are).
func rnnTo64(t *ir.Tensor) *ir.Tensor {
	if t == nil || t.DType != ir.Float32 {
		return t
	}
	d := make([]float64, t.Len())
	for i, v := range t.F32() {
		d[i] = float64(v)
	}
	return ir.FromSlice(d, t.Shape...)
}

// TestRecurrentPackedAgainstFloat64 runs LSTM, GRU and RNN with constant
// weights (the prepacked float32 path: GEMV steps up to batch 4, SGEMM
// beyond), built for every ISA level the CPU has, against the float64
// kernel, which multiplies unpacked weights, over batch sizes 1..6, hidden
// sizes that do and do not fill a SIMD panel, and every attribute the
// cells take.
func TestRecurrentPackedAgainstFloat64(t *testing.T) {
	for _, l := range isa.Supported() {
		t.Run(l.String(), func(t *testing.T) { testPackedAgainstFloat64(t, l) })
	}
}

func testPackedAgainstFloat64(t *testing.T, level isa.Level) {
	rng := rand.New(rand.NewSource(11))
	type opCase struct {
		name  string
		gates int64
		nOut  int
		attrs []any
	}
	cases := []opCase{
		{"LSTM", 4, 3, nil},
		{"LSTM", 4, 3, []any{"clip", 0.7}},
		{"LSTM", 4, 3, []any{"input_forget", 1}},
		{"LSTM", 4, 3, []any{"direction", "bidirectional"}},
		{"LSTM", 4, 3, []any{"direction", "reverse", "layout", 1}},
		{"LSTM", 4, 3, []any{"activations", []string{"HardSigmoid", "Tanh", "Softsign"}, "activation_alpha", []float32{0.3}, "activation_beta", []float32{0.4}}},
		{"GRU", 3, 2, nil},
		{"GRU", 3, 2, []any{"linear_before_reset", 1, "direction", "bidirectional"}},
		{"GRU", 3, 2, []any{"clip", 0.5, "layout", 1}},
		{"RNN", 1, 2, nil},
		{"RNN", 1, 2, []any{"activations", []string{"Relu"}, "direction", "reverse"}},
	}
	for _, oc := range cases {
		for _, peep := range []bool{false, true} {
			if peep && oc.name != "LSTM" {
				continue
			}
			for _, hid := range []int64{1, 5, 17, 64} {
				for batch := int64(1); batch <= 6; batch++ {
					for _, withState := range []bool{false, true} {
						name := fmt.Sprintf("%s%v/peep=%v/hid=%d/batch=%d/state=%v", oc.name, oc.attrs, peep, hid, batch, withState)
						runPackedCase(t, rng, level, name, oc.name, oc.gates, oc.nOut, oc.attrs, peep, hid, batch, withState)
					}
				}
			}
		}
	}
}

func runPackedCase(t *testing.T, rng *rand.Rand, level isa.Level, name, op string, G int64, nOut int, attrs []any, peep bool, hid, batch int64, withState bool) {
	t.Helper()
	const seq, in = 5, 7
	a := nntAttrs(append([]any{"hidden_size", int(hid)}, attrs...)...)
	D := int64(1)
	if d := a.String("direction", "forward"); d == "bidirectional" {
		D = 2
	}
	layout1 := a.Int("layout", 0) == 1
	x := nntRand(rng, seq, batch, in)
	if layout1 {
		x = nntRand(rng, batch, seq, in)
	}
	w := nntRand(rng, D, G*hid, in)
	r := nntRand(rng, D, G*hid, hid)
	b := nntRand(rng, D, 2*G*hid)
	var h0, c0, p *ir.Tensor
	if withState {
		sh := []int64{D, batch, hid}
		if layout1 {
			sh = []int64{batch, D, hid}
		}
		h0 = nntRand(rng, sh...)
		c0 = nntRand(rng, sh...)
	}
	if peep {
		p = nntRand(rng, D, 3*hid)
	}
	ins := []*ir.Tensor{x, w, r, b, nil, h0}
	if op == "LSTM" {
		ins = append(ins, c0, p)
	}
	got, err := rnnConstRun(level, op, a, nOut, ins...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	ins64 := make([]*ir.Tensor, len(ins))
	for i, v := range ins {
		ins64[i] = rnnTo64(v)
	}
	want, err := nntRun(op, 14, nntAttrs(append([]any{"hidden_size", int(hid)}, attrs...)...), nOut, ins64...)
	if err != nil {
		t.Fatalf("%s float64: %v", name, err)
	}
	for i := range nOut {
		g, w := got[i].F32(), ir.Data[float64](want[i])
		if len(g) != len(w) {
			t.Fatalf("%s output %d: %d values, want %d", name, i, len(g), len(w))
		}
		// float32 rounding relative to the output's scale (sums cancel).
		scale := 1.0
		for _, v := range w {
			scale = max(scale, math.Abs(v))
		}
		for j := range g {
			if math.Abs(float64(g[j])-w[j]) > 2e-5*scale {
				t.Fatalf("%s output %d element %d = %v, want %v", name, i, j, g[j], w[j])
			}
		}
	}
}

// TestRecurrentSteadyStateAllocs checks that LSTM, GRU and RNN with
// constant weights, in both layouts, allocate nothing per Run once their
// scratch and outputs exist (and, beyond batch 4, R is packed for SGEMM).
func TestRecurrentSteadyStateAllocs(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	const seq, in, hid = 6, 8, 16
	for _, bl := range [][2]int64{{2, 0}, {2, 1}, {5, 0}} { // batch 5: the SGEMM steps
		batch, layout := bl[0], int(bl[1])
		for _, op := range []struct {
			name  string
			gates int64
			nOut  int
		}{{"LSTM", 4, 3}, {"GRU", 3, 2}, {"RNN", 1, 2}} {
			G := op.gates
			x, st := nntRand(rng, seq, batch, in), []int64{1, batch, hid}
			if layout == 1 {
				x, st = nntRand(rng, batch, seq, in), []int64{batch, 1, hid}
			}
			ins := []*ir.Tensor{x, nntRand(rng, 1, G*hid, in), nntRand(rng, 1, G*hid, hid),
				nntRand(rng, 1, 2*G*hid), nil, nntRand(rng, st...)}
			if op.name == "LSTM" {
				ins = append(ins, nntRand(rng, st...), nntRand(rng, 1, 3*hid))
			}
			n := &ir.Node{Name: "n", Op: op.name, Opset: 14, Attrs: nntAttrs("hidden_size", hid, "layout", layout)}
			for k, a := range n.Attrs {
				a.Name = k
			}
			var types []*ir.Type
			for i, tt := range ins {
				if tt == nil {
					n.Inputs = append(n.Inputs, nil)
					types = append(types, nil)
					continue
				}
				v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(tt)}
				if i >= 1 && i <= 3 {
					v.Const = tt
				}
				n.Inputs = append(n.Inputs, v)
				types = append(types, &v.Type)
			}
			for i := range op.nOut {
				n.Outputs = append(n.Outputs, &ir.Value{Name: fmt.Sprint("out", i)})
			}
			if err := ir.InferNode(n); err != nil {
				t.Fatal(err)
			}
			f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
			if err != nil {
				t.Fatal(err)
			}
			c := &Ctx{Outs: make([]*ir.Tensor, op.nOut), Pool: testPool{1}, Node: n}
			if err := f(c, ins); err != nil {
				t.Fatal(err)
			}
			c.Planned = append([]*ir.Tensor(nil), c.Outs...) // the planner's buffers
			allocs := allocstest.PerRun(10, func() {
				if err := f(c, ins); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%s batch %d layout %d: %v allocations per Run, want 0", op.name, batch, layout, allocs)
			}
		}
	}
}

// BenchmarkLSTM runs the LSTM of the shared models (batch 2, constant
// weights, zero initial state) and reports GFLOPS of its products.
func BenchmarkLSTM(b *testing.B) {
	for _, sh := range [][3]int64{{40, 64, 64}, {50, 32, 128}, {50, 128, 128}} {
		seq, in, hid := sh[0], sh[1], sh[2]
		const batch = 2
		b.Run(fmt.Sprintf("seq=%d/in=%d/hid=%d", seq, in, hid), func(b *testing.B) {
			rng := rand.New(rand.NewSource(1))
			ins := []*ir.Tensor{nntRand(rng, seq, batch, in), nntRand(rng, 1, 4*hid, in), nntRand(rng, 1, 4*hid, hid),
				nntRand(rng, 1, 8*hid), nil, ir.NewTensor(ir.Float32, []int64{1, batch, hid}), ir.NewTensor(ir.Float32, []int64{1, batch, hid})}
			n := &ir.Node{Name: "n", Op: "LSTM", Opset: 14, Attrs: nntAttrs("hidden_size", int(hid))}
			for k, a := range n.Attrs {
				a.Name = k
			}
			var types []*ir.Type
			for i, tt := range ins {
				if tt == nil {
					n.Inputs = append(n.Inputs, nil)
					types = append(types, nil)
					continue
				}
				v := &ir.Value{Name: fmt.Sprint("in", i), Type: ir.TypeOfTensor(tt)}
				if i >= 1 && i <= 3 {
					v.Const = tt
				}
				n.Inputs = append(n.Inputs, v)
				types = append(types, &v.Type)
			}
			for i := range 3 {
				n.Outputs = append(n.Outputs, &ir.Value{Name: fmt.Sprint("out", i)})
			}
			if err := ir.InferNode(n); err != nil {
				b.Fatal(err)
			}
			f, err := BuildNode(&Build{Node: n, InTypes: types, Level: isa.Current()})
			if err != nil {
				b.Fatal(err)
			}
			c := &Ctx{Outs: make([]*ir.Tensor, 3), Pool: testPool{1}, Node: n}
			if err := f(c, ins); err != nil {
				b.Fatal(err)
			}
			c.Planned = append([]*ir.Tensor(nil), c.Outs...)
			for b.Loop() {
				if err := f(c, ins); err != nil {
					b.Fatal(err)
				}
			}
			macs := float64(seq*batch*4*hid) * float64(in+hid)
			b.ReportMetric(2*macs/(b.Elapsed().Seconds()/float64(b.N))/1e9, "GFLOPS")
		})
	}
}
