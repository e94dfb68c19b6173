package kernels

import (
	"fmt"
	"math/rand/v2"
	"os"
	goruntime "runtime"
	"sort"
	"testing"

	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

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

// TestAttnSmallHeadsAB times the attention core on the small-head
// catalogue Transformers' blocks (t70: 4 heads of 5 with a padding mask;
// t128: 4 heads of 16; t33: 2 heads of 12 with a padding mask) in
// interleaved rounds of thread CPU time: as in session 7 (the tile path
// for heads of 16, the SGEMM path otherwise, the one-call row softmax,
// the mask added first), the default path with AttnSoftmaxAVX512 and the
// mask added first, and the default (mask folded into the softmax). It
// only runs with NNCC_ATTN_AB=1 on AVX-512 and logs the medians.
func TestAttnSmallHeadsAB(t *testing.T) {
	if os.Getenv("NNCC_ATTN_AB") == "" || !isa.Has(isa.AVX512) {
		t.Skip("set NNCC_ATTN_AB=1 on an AVX-512 machine to time the attention paths")
	}
	type variant struct {
		name string
		run  func()
		us   []float64
	}
	mk := func(tok, h, d int, masked bool, variant int) func() {
		g, o := attnSmallHead(t, tok, h, d, masked, isa.AVX512)
		if variant == 0 {
			g.tiles = nil
			g.finishScratchSGEMM()
			if d%16 == 0 {
				per, ok := g.planTilesWith(attnTilesAVX512Narrow)
				if !ok {
					t.Fatal("no session-7 tile path")
				}
				g.scratchPerWorkerF = per
			}
			g.softmax = amd64.VecSoftmax128AVX512
			if tok <= 64 {
				g.softmax = amd64.VecSoftmax64AVX512
			}
		}
		if variant < 2 {
			g.softmaxAdd = nil
		}
		buf := make([]float32, g.scratchPerWorkerF)
		scratch := func(n int) []float32 { return buf[:n] }
		return func() {
			if err := runAttnF32(g, o, nil, scratch); err != nil {
				t.Fatal(err)
			}
		}
	}
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	for _, c := range []struct {
		tok, h, d int
		masked    bool
	}{{70, 4, 5, true}, {128, 4, 16, false}, {33, 2, 12, true}} {
		vs := []variant{
			{name: "session 7", run: mk(c.tok, c.h, c.d, c.masked, 0)},
			{name: "attn softmax, mask apart", run: mk(c.tok, c.h, c.d, c.masked, 1)},
			{name: "default", run: mk(c.tok, c.h, c.d, c.masked, 2)},
		}
		const per = 50
		for range 30 {
			for i := range vs {
				v := &vs[i]
				t0 := nchwcThreadCPU()
				for range per {
					v.run()
				}
				v.us = append(v.us, float64(nchwcThreadCPU()-t0)/per/1e3)
			}
		}
		for _, v := range vs {
			sort.Float64s(v.us)
			t.Logf("%-40s %6.1f µs (median CPU time per block)", fmt.Sprintf("t%d_h%d_d%d", c.tok, c.h, c.d)+" "+v.name, v.us[len(v.us)/2])
		}
	}
}
