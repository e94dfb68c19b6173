package winograd

import (
	"math"
	"math/rand"
	"testing"
	"time"

	"github.com/nncc/nncc/kernels/isa"
)

// TestNCHWcPlanBlocks checks the NCHWc work split: blocks are runs of
// whole micro-kernel row panels that cover the tiles exactly once, differ
// by at most one panel, fit the scratch, and in block mode come in a
// multiple of the threads when there are few of them (ResNet-18's 56×56
// layers at two threads: 8 blocks of 4 or 5 panels, not 7 of 5).
func TestNCHWcPlanBlocks(t *testing.T) {
	for _, c := range []struct{ cin, cout, n, h, w, threads int }{
		{64, 64, 1, 56, 56, 1}, {64, 64, 1, 56, 56, 2}, {64, 64, 1, 56, 56, 3},
		{128, 128, 1, 28, 28, 2}, {256, 256, 1, 14, 14, 2}, {512, 512, 1, 7, 7, 2},
		{16, 16, 1, 62, 62, 8}, {16, 16, 3, 9, 13, 2}, {32, 48, 2, 40, 37, 4},
		{16, 16, 1, 3, 3, 2}, {64, 64, 4, 56, 56, 2},
	} {
		cv, err := NewConvNCHWc(isa.Generic, c.cout, c.cin, make([]float32, c.cout*c.cin*9), 1, 1, 1, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		p := cv.plan(c.n, c.h, c.w, c.threads)
		next, lo, hi := 0, p.tiles, 0
		for b := range p.blocks {
			g0, nb, ld := p.block(b)
			if g0 != next || nb < 1 || ld%gemmRows != 0 || ld < nb || ld > roundRows(p.tb) {
				t.Fatalf("%+v: block %d = tiles [%d, %d) ld %d after tile %d (tb %d)", c, b, g0, g0+nb, ld, next, p.tb)
			}
			if b < p.blocks-1 || nb%gemmRows == 0 {
				lo, hi = min(lo, nb), max(hi, nb)
			}
			next = g0 + nb
		}
		if next != p.tiles || hi-lo > gemmRows {
			t.Fatalf("%+v: blocks cover %d of %d tiles, sizes %d..%d", c, next, p.tiles, lo, hi)
		}
		if !p.stage && p.workers > 1 && p.blocks < 4*c.threads && p.blocks%c.threads != 0 && p.blocks < p.panels {
			t.Errorf("%+v: %d blocks for %d threads", c, p.blocks, c.threads)
		}
	}
}

// TestNCHWcStagesManyBlocks runs the stage mode over several blocks (few
// tiles per thread, more tiles than one block holds) against the float64
// reference, and checks it bitwise against one thread; the second pass
// makes every wait for another thread's unit block at once.
func TestNCHWcStagesManyBlocks(t *testing.T) {
	for _, spin := range []time.Duration{awaitSpin, 0} {
		defer func(d time.Duration) { awaitSpin = d }(awaitSpin)
		awaitSpin = spin
		testNCHWcStagesManyBlocks(t)
	}
}

func testNCHWcStagesManyBlocks(t *testing.T) {
	c := convCase{n: 1, cin: 16, cout: 32, h: 62, w: 62, padT: 1, padL: 1, padB: 1, padR: 1, m: 4, bias: true, relu: true}
	cv, err := NewConvNCHWc(isa.Current(), c.cout, c.cin, make([]float32, c.cout*c.cin*9), 1, 1, 1, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := cv.plan(c.n, c.h, c.w, 8); !p.stage || p.blocks < 2 {
		t.Fatalf("plan at 8 threads: stage %v, %d blocks; the test wants the stage mode over several blocks", p.stage, p.blocks)
	}
	var first []float32
	for _, threads := range []int{1, 8, 7} {
		c.threads = threads
		got, want := runNCHWcCase(t, isa.Current(), c, true, rand.New(rand.NewSource(3)))
		if e, b := maxErr(got, want), errorBound(4, c.cin)*4; e > b {
			t.Fatalf("threads %d: max error %g > %g", threads, e, b)
		}
		if first == nil {
			first = got
			continue
		}
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(first[i]) {
				t.Fatalf("threads=%d differs at %d: %v vs %v", threads, i, got[i], first[i])
			}
		}
	}
}
