package kernels

import (
	"fmt"
	"os"
	goruntime "runtime"
	"sort"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// TestAttnSmallHeadsAB times the attention core on the small-head
// catalogue Transformers' blocks (t70: 4 heads of 5 with a padding mask;
// t128: 4 heads of 16; t33: 2 heads of 12 with a padding mask) in
// interleaved rounds of thread CPU time: as in session 7 (the tile path
// for heads of 16, the SGEMM path otherwise, the one-call row softmax,
// the mask added first), the default path with AttnSoftmaxAVX512 called
// row by row (the mask folded in), and the default (one call per strip of
// rows). It only runs with NNCC_ATTN_AB=1 on AVX-512 and logs the
// medians.
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
			g.softmax = g.vec.Softmax // the one-call rows of session 7 are retired
		}
		if variant == 0 {
			g.softmaxAdd = nil
		}
		if variant < 2 {
			g.softmaxRows = nil
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
			{name: "row by row", run: mk(c.tok, c.h, c.d, c.masked, 1)},
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
