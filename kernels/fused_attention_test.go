package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// attnNaive is the float64 twin of the attention core: the formula of
// fused_attention_core.go evaluated element by element.
// Elements of Y the layout does not reach are reported as not touched.
func attnNaive(g *attnGeom, o attnOperands) (y []float64, touched []bool) {
	y = make([]float64, len(o.y))
	touched = make([]bool, len(o.y))
	idx := make([]int, 0, 8)
	at := func(s *attnStrides, i, t int) int { return s.base(idx) + i*s.seq + t*s.dim }
	for n := range g.batchCount {
		idx = attnIndex(idx[:0], g.batch, n)
		for i := range g.sq {
			s := make([]float64, g.sk)
			allHidden := true
			for j := range g.sk {
				var acc float64
				for t := range g.dk {
					acc += float64(o.q[at(&g.q, i, t)]) * float64(o.k[at(&g.k, j, t)])
				}
				x := acc * float64(g.scale)
				if g.softcap > 0 {
					x = float64(g.softcap) * math.Tanh(x/float64(g.softcap))
				}
				hidden := false
				if g.hasCond && o.c[at(&g.c, i, j)] != g.keep {
					if g.condAddsInf {
						x += math.Inf(-1)
						hidden = true
					} else {
						x = float64(g.fill)
						hidden = math.IsInf(x, -1)
					}
				}
				if g.hasMask {
					m := float64(o.m[at(&g.m, i, j)])
					x += m
					hidden = hidden || math.IsInf(m, -1)
				}
				if g.causal && j > i+g.causalOff {
					x += math.Inf(-1)
					hidden = true
				}
				allHidden = allHidden && hidden
				s[j] = x
			}
			mx := math.Inf(-1)
			for _, x := range s {
				mx = math.Max(mx, x)
			}
			zero := g.zeroMasked && (allHidden || math.IsInf(mx, -1))
			var sum float64
			for j, x := range s {
				s[j] = math.Exp(x - mx)
				sum += s[j]
			}
			for t := range g.dv {
				var acc float64
				for j := range g.sk {
					if zero {
						continue
					}
					acc += s[j] / sum * float64(o.v[at(&g.v, j, t)])
				}
				y[at(&g.y, i, t)] = acc
				touched[at(&g.y, i, t)] = true
			}
		}
	}
	return y, touched
}

// attnCase builds a random problem whose operands are [batch..., seq, dim]
// tensors stored under a random axis order (and, for Q, inside a wider
// packed buffer at an offset, as a fused QKV projection leaves them).
func attnCase(rng *rand.Rand, batch []int, sq, sk, dk, dv int) (*attnGeom, attnOperands) {
	g := &attnGeom{batch: batch, sq: sq, sk: sk, dk: dk, dv: dv, scale: float32(1 / math.Sqrt(float64(max(dk, 1))))}
	place := func(seq, dim, pad int) (attnStrides, int) {
		sizes := append(append([]int{}, batch...), seq, dim)
		order := rng.Perm(len(sizes))
		strides := make([]int, len(sizes))
		st := 1
		for k := len(order) - 1; k >= 0; k-- {
			a := order[k]
			strides[a] = st
			st *= sizes[a]
			if k == len(order)-1 {
				st += pad // rows wider than the operand
			}
		}
		s := attnStrides{off: pad, seq: strides[len(batch)], dim: strides[len(batch)+1], batch: strides[:len(batch)]}
		return s, st + 2*pad + 1
	}
	fill := func(n int) []float32 {
		d := make([]float32, n)
		for i := range d {
			d[i] = float32(rng.NormFloat64())
		}
		return d
	}
	var n int
	o := attnOperands{}
	g.q, n = place(sq, dk, 3)
	o.q = fill(n)
	g.k, n = place(sk, dk, 0)
	o.k = fill(n)
	g.v, n = place(sk, dv, 1)
	o.v = fill(n)
	g.y, n = place(sq, dv, 0)
	o.y = fill(n)
	return g, o
}

func checkAttn(t *testing.T, name string, g *attnGeom, o attnOperands, pool Pool) {
	t.Helper()
	if err := g.finish(isa.Current()); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	want, touched := attnNaive(g, o)
	qc, kc, vc := append([]float32{}, o.q...), append([]float32{}, o.k...), append([]float32{}, o.v...)
	if err := runAttnF32(g, o, pool, func(n int) []float32 { return make([]float32, n) }); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for i, w := range want {
		if !touched[i] {
			continue
		}
		got := float64(o.y[i])
		if math.IsNaN(w) != math.IsNaN(got) || math.Abs(got-w) > 1e-5+1e-4*math.Abs(w) {
			t.Fatalf("%s: Y[%d] = %v, want %v", name, i, got, w)
		}
	}
	for i := range qc {
		if math.Float32bits(qc[i]) != math.Float32bits(o.q[i]) {
			t.Fatalf("%s: Q modified", name)
		}
	}
	for i := range kc {
		if kc[i] != o.k[i] || (i < len(vc) && vc[i] != o.v[i]) {
			t.Fatalf("%s: K or V modified", name)
		}
	}
}

type attnTestPool struct{ threads int }

func (p attnTestPool) Threads() int { return p.threads }
func (p attnTestPool) For(n, grain int, fn func(lo, hi int)) {
	for lo := 0; lo < n; lo++ {
		fn(lo, lo+1)
	}
}

func TestAttnCoreLayouts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := []struct {
		batch          []int
		sq, sk, dk, dv int
	}{
		{nil, 1, 1, 1, 1},
		{[]int{2}, 5, 7, 3, 4},
		{[]int{2, 4}, 16, 16, 8, 8},
		{[]int{3, 2}, 9, 17, 33, 5},
		{[]int{1, 2, 2}, 31, 2, 16, 16},
		{[]int{2}, 0, 3, 2, 2},
		{[]int{2}, 3, 0, 2, 2},
		{[]int{2}, 3, 3, 0, 2},
		{[]int{8}, 64, 64, 32, 32},
	}
	for si, sh := range shapes {
		for trial := range 6 {
			g, o := attnCase(rng, sh.batch, sh.sq, sh.sk, sh.dk, sh.dv)
			switch trial % 3 {
			case 1: // additive mask, broadcast over the first batch atom
				g.hasMask = true
				g.m = attnStrides{batch: make([]int, len(sh.batch)), seq: sh.sk, dim: 1}
				per := sh.sq * sh.sk
				for a := len(sh.batch) - 1; a >= 1; a-- {
					g.m.batch[a] = per
					per *= sh.batch[a]
				}
				o.m = make([]float32, per)
				for i := range o.m {
					if rng.IntN(5) == 0 {
						o.m[i] = float32(math.Inf(-1))
					} else {
						o.m[i] = float32(rng.NormFloat64())
					}
				}
				g.causal, g.causalOff = trial >= 3, rng.IntN(3)-1
			case 2: // Where condition with a finite fill, key-major layout
				g.hasCond, g.keep, g.fill = true, trial < 3, -1e4
				g.c = attnStrides{batch: make([]int, len(sh.batch)), seq: 1, dim: max(sh.sq, 1)}
				o.c = make([]bool, max(sh.sq*sh.sk, 1))
				for i := range o.c {
					o.c[i] = rng.IntN(3) > 0
				}
				g.softcap = 0
				if trial >= 3 {
					g.softcap = 2
				}
			}
			threads := 1 + trial%2
			name := fmt.Sprintf("shape%d/trial%d", si, trial)
			checkAttn(t, name, g, o, attnTestPool{threads})
		}
	}
}

// TestAttnCoreOnnxMasking covers ONNX Attention's rules: boolean masks add
// -inf, and a row every key of which is hidden gives zeros.
func TestAttnCoreOnnxMasking(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	g, o := attnCase(rng, []int{2, 2}, 4, 4, 8, 8)
	g.zeroMasked, g.hasCond, g.condAddsInf, g.keep = true, true, true, true
	g.c = attnStrides{batch: []int{0, 0}, seq: 4, dim: 1}
	o.c = []bool{
		true, false, false, false,
		false, false, false, false, // fully hidden row
		true, true, true, true,
		false, true, false, true,
	}
	g.causal, g.causalOff = true, 0
	o.q[g.q.off] = float32(math.NaN()) // a NaN in a hidden row must not leak
	checkAttn(t, "onnx", g, o, nil)
}

func TestAttnCovers(t *testing.T) {
	g := &attnGeom{batch: []int{2, 4}, sq: 64, dv: 32, y: attnStrides{batch: []int{128, 32}, seq: 256, dim: 1}}
	if !attnCovers(g, 2*4*64*32) {
		t.Error("a [S, B, H·D] output should cover every element")
	}
	g.y.seq = 512
	if attnCovers(g, 2*4*64*32) {
		t.Error("a gapped layout does not cover")
	}
}

// TestAttentionFloat32MatchesFloat64 runs ONNX Attention on float32 inputs
// (the float32 core) and on the same values as float64 (the float64
// path) over layouts, grouped heads, masks, causal and softcap.
func TestAttentionFloat32MatchesFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	rnd := func(shape ...int64) (*ir.Tensor, *ir.Tensor) {
		n := ir.NumElements(shape)
		f := make([]float32, n)
		d := make([]float64, n)
		for i := range f {
			f[i] = float32(rng.NormFloat64())
			d[i] = float64(f[i])
		}
		return ir.FromSlice(f, shape...), ir.FromSlice(d, shape...)
	}
	type tc struct {
		name      string
		rank3     bool
		b, hq, hk int64
		sq, sk    int64
		dk, dv    int64
		mask      string // "", "float", "bool"
		attrs     []any
	}
	cases := []tc{
		{"4d", false, 2, 3, 3, 5, 7, 4, 6, "", nil},
		{"4d_causal_float_mask", false, 2, 2, 2, 6, 6, 8, 8, "float", []any{"is_causal", 1}},
		{"3d_gqa_bool_mask", true, 2, 4, 2, 3, 5, 4, 2, "bool", nil},
		{"3d_softcap_scale", true, 1, 2, 1, 4, 4, 3, 3, "", []any{"softcap", 2.0, "scale", 0.3}},
		{"4d_bool_causal", false, 1, 2, 1, 4, 6, 4, 4, "bool", []any{"is_causal", 1}},
	}
	for _, c := range cases {
		var qs, ks, vs []int64
		if c.rank3 {
			qs, ks, vs = []int64{c.b, c.sq, c.hq * c.dk}, []int64{c.b, c.sk, c.hk * c.dk}, []int64{c.b, c.sk, c.hk * c.dv}
			c.attrs = append(c.attrs, "q_num_heads", int(c.hq), "kv_num_heads", int(c.hk))
		} else {
			qs, ks, vs = []int64{c.b, c.hq, c.sq, c.dk}, []int64{c.b, c.hk, c.sk, c.dk}, []int64{c.b, c.hk, c.sk, c.dv}
		}
		q32, q64 := rnd(qs...)
		k32, k64 := rnd(ks...)
		v32, v64 := rnd(vs...)
		in32 := []*ir.Tensor{q32, k32, v32}
		in64 := []*ir.Tensor{q64, k64, v64}
		switch c.mask {
		case "float":
			m32, m64 := rnd(c.b, 1, c.sq, c.sk)
			m32.F32()[3] = float32(math.Inf(-1))
			m64.Data.([]float64)[3] = math.Inf(-1)
			in32, in64 = append(in32, m32), append(in64, m64)
		case "bool":
			m := make([]bool, c.sq*c.sk)
			for i := range m {
				m[i] = rng.IntN(3) > 0
			}
			for j := range c.sk {
				m[j] = false // query 0 sees nothing: zeros
			}
			bm := ir.FromSlice(m, c.sq, c.sk)
			in32, in64 = append(in32, bm), append(in64, bm)
		}
		got, err := advRun("Attention", 23, advAttrs(c.attrs...), 1, false, in32...)
		if err != nil {
			t.Fatalf("%s float32: %v", c.name, err)
		}
		want, err := advRun("Attention", 23, advAttrs(c.attrs...), 1, false, in64...)
		if err != nil {
			t.Fatalf("%s float64: %v", c.name, err)
		}
		w := want[0].Data.([]float64)
		for i, g := range got[0].F32() {
			if math.Abs(float64(g)-w[i]) > 1e-5+1e-4*math.Abs(w[i]) || math.IsNaN(float64(g)) != math.IsNaN(w[i]) {
				t.Fatalf("%s: Y[%d] = %v, want %v", c.name, i, g, w[i])
			}
		}
	}
}

// BenchmarkAttnCoreMHA is one attention block of the seed Transformer:
// batch 2, 4 heads of 32, 64 tokens, operands inside the packed [S, B, 3E]
// projection and the result in [S, B, E].
func BenchmarkAttnCoreMHA(b *testing.B) {
	for _, l := range []isa.Level{isa.AVX512, isa.AVX2} {
		if isa.Has(l) {
			b.Run("pv="+l.String(), func(b *testing.B) { benchAttnMHA(b, l) })
		}
	}
}

func benchAttnMHA(b *testing.B, pv isa.Level) {
	const S, B, H, D = 64, 2, 4, 32
	const E = H * D
	g := &attnGeom{batch: []int{B, H}, sq: S, sk: S, dk: D, dv: D, scale: 0.17677669,
		q: attnStrides{off: 0, batch: []int{3 * E, D}, seq: B * 3 * E, dim: 1},
		k: attnStrides{off: E, batch: []int{3 * E, D}, seq: B * 3 * E, dim: 1},
		v: attnStrides{off: 2 * E, batch: []int{3 * E, D}, seq: B * 3 * E, dim: 1},
		y: attnStrides{batch: []int{E, D}, seq: B * E, dim: 1}}
	if err := g.finish(isa.Current()); err != nil {
		b.Fatal(err)
	}
	g.pvLevel = pv
	rng := rand.New(rand.NewPCG(1, 1))
	qkv := make([]float32, S*B*3*E)
	for i := range qkv {
		qkv[i] = float32(rng.NormFloat64())
	}
	o := attnOperands{q: qkv, k: qkv, v: qkv, y: make([]float32, S*B*E)}
	buf := make([]float32, g.scratchPerWorkerF)
	scratch := func(n int) []float32 { return buf[:n] }
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := runAttnF32(g, o, nil, scratch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(g.flops)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}
