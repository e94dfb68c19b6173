package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/gemv"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// TestGemmSmallRowsGemv: Gemm and FusedGemm with a constant B at m ≤
// gemvMaxRows (the gemv path) and just above it (the SGEMM) agree with a
// float64 reference for every transB, C shape, alpha/beta, residual and
// activation, at every level with a native gemv kernel, with B packed
// afresh and restored from a recording store.
func TestGemmSmallRowsGemv(t *testing.T) {
	var lvls []isa.Level
	for _, l := range isa.Supported() {
		if gemv.Native(l) {
			lvls = append(lvls, l)
		}
	}
	if len(lvls) == 0 {
		t.Skip("no native gemv kernel on this CPU")
	}
	rng := rand.New(rand.NewSource(11))
	const k = 37
	for _, l := range lvls {
		for _, n := range []int{1, 5, 64, 70, 131} {
			for _, transB := range []bool{false, true} {
				bs := []int64{k, int64(n)}
				if transB {
					bs = []int64{int64(n), k}
				}
				w := nntRand(rng, bs...)
				for _, cs := range [][]int64{nil, {int64(n)}, {1}, {1, int64(n)}, {-1, int64(n)}, {-1, 1}} {
					for _, ab := range [][2]float32{{1, 1}, {0.5, -2}, {1, 0}} {
						for _, op := range []string{"Gemm", "FusedGemm", "FusedGemm/Relu", "FusedGemm/Tanh", "FusedGemm/res"} {
							for m := 1; m <= gemvMaxRows+1; m++ {
								checkGemmGemv(t, rng, l, op, m, n, k, transB, w, cs, ab[0], ab[1])
							}
						}
					}
				}
			}
		}
	}
}

func checkGemmGemv(t *testing.T, rng *rand.Rand, l isa.Level, op string, m, n, k int, transB bool, w *ir.Tensor, cs []int64, alpha, beta float32) {
	t.Helper()
	what := fmt.Sprintf("%v %s m=%d n=%d transB=%v C=%v alpha=%v beta=%v", l, op, m, n, transB, cs, alpha, beta)
	attrs := nntAttrs("alpha", float64(alpha), "beta", float64(beta))
	if transB {
		attrs.SetInt("transB", 1)
	}
	act := ""
	node := &ir.Node{Name: "g", Op: "Gemm", Opset: 13, Attrs: attrs, Outputs: []*ir.Value{{Name: "y"}}}
	if op != "Gemm" {
		node.Op, node.Domain, node.Opset = "FusedGemm", ir.FusedDomain, 1
		switch op {
		case "FusedGemm/Relu":
			act = "Relu"
		case "FusedGemm/Tanh":
			act = "Tanh"
		}
		if act != "" {
			node.Attrs["activation"] = &ir.Attr{Name: "activation", Kind: ir.AttrString, S: act}
		}
	}
	a := nntRand(rng, int64(m), int64(k))
	var c, res *ir.Tensor
	if cs != nil {
		shape := append([]int64{}, cs...)
		if shape[0] < 0 {
			shape[0] = int64(m)
		}
		c = nntRand(rng, shape...)
	}
	if op == "FusedGemm/res" {
		res = nntRand(rng, int64(m), int64(n))
	}
	wv := &ir.Value{Name: "w", Type: ir.TypeOfTensor(w), Const: w}
	node.Inputs = []*ir.Value{{Name: "a", Type: ir.TypeOfTensor(a)}, wv}
	in := []*ir.Tensor{a, w}
	if c != nil || res != nil {
		cv := (*ir.Value)(nil)
		if c != nil {
			cv = &ir.Value{Name: "c", Type: ir.TypeOfTensor(c)}
			if c.Shape[0] != int64(m) || len(c.Shape) == 1 {
				cv.Const = c // a constant row: the build-time bias
			}
		}
		node.Inputs = append(node.Inputs, cv)
		in = append(in, c)
	}
	if res != nil {
		node.Inputs = append(node.Inputs, &ir.Value{Name: "r", Type: ir.TypeOfTensor(res)})
		in = append(in, res)
	}
	// Reference in float64.
	wd, ad := w.F32(), a.F32()
	want := make([]float64, m*n)
	for i := range m {
		for j := range n {
			var s float64
			for q := range k {
				bv := wd[q*n+j]
				if transB {
					bv = wd[j*k+q]
				}
				s += float64(ad[i*k+q]) * float64(bv)
			}
			v := float64(alpha) * s
			if c != nil {
				cd := c.F32()
				ci := 0
				if len(cd) > 1 {
					switch {
					case len(c.Shape) == 2 && c.Shape[0] == int64(m) && c.Shape[1] != 1:
						ci = i*n + j
					case len(c.Shape) == 2 && c.Shape[0] == int64(m):
						ci = i
					default:
						ci = j
					}
				}
				v += float64(beta) * float64(cd[ci])
			}
			if res != nil {
				v += float64(res.F32()[i*n+j])
			}
			switch act {
			case "Relu":
				v = math.Max(v, 0)
			case "Tanh":
				v = math.Tanh(v)
			}
			want[i*n+j] = v
		}
	}
	for _, store := range []bool{false, true} {
		b := &Build{Node: node, Level: l}
		if store {
			rec := NewPrepackStore(true)
			if _, err := BuildNode(&Build{Node: node, Level: l, Prepacks: rec}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			loaded := NewPrepackStore(false)
			for _, e := range rec.Entries() {
				loaded.Add(e.Src, e.Key, e.Data)
			}
			b.Prepacks = loaded
		}
		fn, err := BuildNode(b)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		out := ir.NewTensor(ir.Float32, []int64{int64(m), int64(n)})
		for i := range out.F32() {
			out.F32()[i] = float32(math.NaN()) // uninitialised output
		}
		ctx := &Ctx{Outs: make([]*ir.Tensor, 1), Planned: []*ir.Tensor{out}, Pool: Serial{}, Node: node}
		if err := fn(ctx, in); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		got := ctx.Outs[0].F32()
		for i, v := range want {
			if d := math.Abs(float64(got[i]) - v); !(d <= 1e-4*(1+math.Abs(v))) {
				t.Fatalf("%s store=%v: y[%d] = %v, want %v", what, store, i, got[i], v)
			}
		}
	}
}

// BenchmarkGemmSmallRows compares gemv with the packed SGEMM for m rows
// against the GAN layers' weights (784→128 and 128→784), to place
// gemvMaxRows: go test ./kernels -run X -bench GemmSmallRows.
func BenchmarkGemmSmallRows(b *testing.B) {
	l := isa.Current()
	if !gemv.Native(l) {
		b.Skip("no native gemv kernel")
	}
	rng := rand.New(rand.NewSource(1))
	for _, nk := range [][2]int{{128, 784}, {784, 128}} {
		n, k := nk[0], nk[1]
		w := nntRand(rng, int64(n), int64(k)).F32()
		bld := &Build{Level: l}
		pb := bld.PackB(true, k, n, w, k)
		gv := packGemv(bld, true, k, n, w, k)
		for m := 1; m <= 8; m++ {
			a := nntRand(rng, int64(m), int64(k)).F32()
			y := make([]float32, m*n)
			b.Run(fmt.Sprintf("n%d_k%d/m%d/gemv", n, k, m), func(b *testing.B) {
				for b.Loop() {
					gv.Mul(m, 1, a, k, 0, y, n)
				}
			})
			b.Run(fmt.Sprintf("n%d_k%d/m%d/sgemm", n, k, m), func(b *testing.B) {
				for b.Loop() {
					sgemm.SgemmPacked(false, m, 1, a, k, pb, 0, y, n, nil, nil)
				}
			})
		}
	}
}
