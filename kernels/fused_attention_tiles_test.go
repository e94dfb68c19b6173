package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	goruntime "runtime"
	"sort"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// TestAttnTilesMatchNaive runs the attention core at every level this
// machine supports (the tile path where a level has one, the SGEMM path
// elsewhere) against the float64 reference, over head sizes that fill the
// 6×64 and 6×16 tiles, leave partial six-row panels and key strips, need
// dv padded to the pv tile, and layouts in every axis order; Y outside its layout must keep its NaN
// guard values and Q, K, V must be left unmodified.
func TestAttnTilesMatchNaive(t *testing.T) {
	shapes := []struct {
		batch          []int
		sq, sk, dk, dv int
	}{
		{[]int{2, 4}, 64, 64, 32, 32},
		{[]int{3}, 13, 70, 64, 64},
		{[]int{2}, 6, 130, 1, 16},
		{[]int{1, 2}, 1, 1, 33, 48},
		{nil, 70, 5, 7, 128},
		{[]int{2}, 5, 64, 16, 16},
		// heads whose dv no pv tile fits (padded), key strips of 64+32+16
		{[]int{2, 4}, 70, 70, 5, 5},
		{[]int{3}, 17, 100, 12, 12},
		{[]int{2}, 9, 33, 3, 40},
		{nil, 7, 1, 2, 1},
	}
	for _, l := range []isa.Level{isa.Generic, isa.AVX2, isa.AVX512} {
		if !isa.Has(l) {
			continue
		}
		rng := rand.New(rand.NewPCG(11, uint64(l)))
		for si, sh := range shapes {
			for trial := range 4 {
				g, o := attnCase(rng, sh.batch, sh.sq, sh.sk, sh.dk, sh.dv)
				if trial%2 == 1 {
					g.causal, g.causalOff = true, rng.IntN(3)-1
				}
				for i := range o.y {
					o.y[i] = float32(math.NaN())
				}
				name := fmt.Sprintf("%v/shape%d/trial%d", l, si, trial)
				if err := g.finish(l); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if want := attnTileKernelsFor(l, sh.dv) != nil; (g.tiles != nil) != want {
					t.Fatalf("%s: tile path %v, want %v", name, g.tiles != nil, want)
				}
				want, touched := attnNaive(g, o)
				qc, kc, vc := append([]float32{}, o.q...), append([]float32{}, o.k...), append([]float32{}, o.v...)
				if err := runAttnF32(g, o, attnTestPool{1 + trial/2}, func(n int) []float32 {
					s := make([]float32, n)
					for i := range s {
						s[i] = float32(math.NaN())
					}
					return s
				}); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for i, w := range want {
					got := float64(o.y[i])
					if !touched[i] {
						if !math.IsNaN(got) {
							t.Fatalf("%s: Y[%d] outside the layout was written (%v)", name, i, got)
						}
						continue
					}
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
					if math.Float32bits(kc[i]) != math.Float32bits(o.k[i]) {
						t.Fatalf("%s: K modified", name)
					}
				}
				for i := range vc {
					if math.Float32bits(vc[i]) != math.Float32bits(o.v[i]) {
						t.Fatalf("%s: V modified", name)
					}
				}
			}
		}
	}
}

// BenchmarkAttnTilesMHA compares the tile path with the SGEMM path on one
// attention block of the seed Transformer (batch 2, 4 heads of 32, 64
// tokens, operands inside the packed [S, B, 3E] projection).
func BenchmarkAttnTilesMHA(b *testing.B) {
	const S, B, H, D = 64, 2, 4, 32
	const E = H * D
	l := isa.Current()
	for _, tiles := range []bool{false, true} {
		g := &attnGeom{batch: []int{B, H}, sq: S, sk: S, dk: D, dv: D, scale: 0.17677669,
			q: attnStrides{off: 0, batch: []int{3 * E, D}, seq: B * 3 * E, dim: 1},
			k: attnStrides{off: E, batch: []int{3 * E, D}, seq: B * 3 * E, dim: 1},
			v: attnStrides{off: 2 * E, batch: []int{3 * E, D}, seq: B * 3 * E, dim: 1},
			y: attnStrides{batch: []int{E, D}, seq: B * E, dim: 1}}
		if err := g.finish(l); err != nil {
			b.Fatal(err)
		}
		if g.tiles == nil && tiles {
			b.Skipf("no tile path at %v", l)
		}
		if !tiles {
			g.tiles = nil
			g.finishScratchSGEMM()
		}
		b.Run(fmt.Sprintf("tiles=%v", tiles), func(b *testing.B) {
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
		})
	}
}

// TestAttnTilesAB times the attention core's variants on the seed
// Transformer's block (the SGEMM path with the three-pass softmax, as
// before the tile path; the tile path with it; the tile path with the
// level's own softmax) in interleaved rounds of thread CPU time (a shared
// machine's wall clock is useless for a 5% difference). It only runs with
// NNCC_ATTN_AB=1 and logs the medians.
func TestAttnTilesAB(t *testing.T) {
	if os.Getenv("NNCC_ATTN_AB") == "" {
		t.Skip("set NNCC_ATTN_AB=1 to time the attention paths")
	}
	const S, B, H, D = 64, 2, 4, 32
	const E = H * D
	mk := func(tiles, fastSoftmax bool) func() {
		g := &attnGeom{batch: []int{B, H}, sq: S, sk: S, dk: D, dv: D, scale: 0.17677669,
			q: attnStrides{off: 0, batch: []int{3 * E, D}, seq: B * 3 * E, dim: 1},
			k: attnStrides{off: E, batch: []int{3 * E, D}, seq: B * 3 * E, dim: 1},
			v: attnStrides{off: 2 * E, batch: []int{3 * E, D}, seq: B * 3 * E, dim: 1},
			y: attnStrides{batch: []int{E, D}, seq: B * E, dim: 1}}
		if err := g.finish(isa.Current()); err != nil {
			t.Fatal(err)
		}
		if !tiles {
			g.tiles = nil
			g.finishScratchSGEMM()
		}
		if !fastSoftmax {
			g.softmax = g.vec.Softmax
		}
		rng := rand.New(rand.NewPCG(1, 1))
		qkv := make([]float32, S*B*3*E)
		for i := range qkv {
			qkv[i] = float32(rng.NormFloat64())
		}
		o := attnOperands{q: qkv, k: qkv, v: qkv, y: make([]float32, S*B*E)}
		buf := make([]float32, g.scratchPerWorkerF)
		scratch := func(n int) []float32 { return buf[:n] }
		return func() {
			if err := runAttnF32(g, o, nil, scratch); err != nil {
				t.Fatal(err)
			}
		}
	}
	variants := []struct {
		name string
		run  func()
		us   []float64
	}{
		{name: "sgemm, 3-pass softmax", run: mk(false, false)},
		{name: "tiles, 3-pass softmax", run: mk(true, false)},
		{name: "tiles, level softmax", run: mk(true, true)},
	}
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	const per = 100
	for range 30 {
		for i := range variants {
			v := &variants[i]
			t0 := nchwcThreadCPU()
			for range per {
				v.run()
			}
			v.us = append(v.us, float64(nchwcThreadCPU()-t0)/per/1e3)
		}
	}
	for _, v := range variants {
		sort.Float64s(v.us)
		t.Logf("%-22s %6.1f µs (median CPU time per block)", v.name, v.us[len(v.us)/2])
	}
}

// attnSmallHead builds one attention block of a catalogue Transformer
// with small heads: batch 1, h heads of d, t tokens, Q, K and V inside the
// packed [t, 3·h·d] projection, and with masked an additive key-padding
// mask [t, t] hiding about a third of the keys with -1e4.
func attnSmallHead(tb testing.TB, t, h, d int, masked bool, level isa.Level) (*attnGeom, attnOperands) {
	e := h * d
	g := &attnGeom{batch: []int{h}, sq: t, sk: t, dk: d, dv: d, scale: 0.4,
		q: attnStrides{off: 0, batch: []int{d}, seq: 3 * e, dim: 1},
		k: attnStrides{off: e, batch: []int{d}, seq: 3 * e, dim: 1},
		v: attnStrides{off: 2 * e, batch: []int{d}, seq: 3 * e, dim: 1},
		y: attnStrides{batch: []int{d}, seq: e, dim: 1}}
	rng := rand.New(rand.NewPCG(3, 4))
	qkv := make([]float32, t*3*e)
	for i := range qkv {
		qkv[i] = float32(rng.NormFloat64())
	}
	o := attnOperands{q: qkv, k: qkv, v: qkv, y: make([]float32, t*e)}
	if masked {
		g.hasMask = true
		g.m = attnStrides{batch: []int{0}, seq: t, dim: 1}
		o.m = make([]float32, t*t)
		for j := range t {
			if rng.IntN(10) < 3 {
				for i := range t {
					o.m[i*t+j] = -1e4
				}
			}
		}
	}
	if err := g.finish(level); err != nil {
		tb.Fatal(err)
	}
	return g, o
}

// TestAttnPackedHeadsMatchNaive runs the attention core at every level
// this machine supports on heads packed in one [t, 3·h·d] projection
// (the catalogue Transformers' layout), for head sizes on every pv tile
// and its padding (V then read in place past each head's row except
// where the last row would leave V's data), with and without an additive
// key-padding mask (folded into the softmax where the level can), against
// the float64 reference.
func TestAttnPackedHeadsMatchNaive(t *testing.T) {
	for _, l := range []isa.Level{isa.Generic, isa.AVX2, isa.AVX512} {
		if !isa.Has(l) {
			continue
		}
		for _, d := range []int{1, 3, 5, 8, 12, 16, 20, 32} {
			for _, tok := range []int{1, 7, 33, 70} {
				for _, masked := range []bool{false, true} {
					g, o := attnSmallHead(t, tok, 3, d, masked, l)
					name := fmt.Sprintf("%v/d%d/t%d/mask=%v", l, d, tok, masked)
					want, _ := attnNaive(g, o)
					if err := runAttnF32(g, o, nil, func(n int) []float32 {
						s := make([]float32, n)
						for i := range s {
							s[i] = float32(math.NaN())
						}
						return s
					}); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					for i, w := range want {
						got := float64(o.y[i])
						if math.IsNaN(w) != math.IsNaN(got) || math.Abs(got-w) > 1e-5+1e-4*math.Abs(w) {
							t.Fatalf("%s: Y[%d] = %v, want %v", name, i, got, w)
						}
					}
				}
			}
		}
	}
}
