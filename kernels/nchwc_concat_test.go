package kernels

import (
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestConcatNCHWcAgainstNCHW checks ConcatNCHWc against the channel
// Concat of the plain tensors, for channel counts on and off block
// boundaries (shifts into one or two output blocks), two and three inputs
// and a batch of two, serially and split over threads (large planes), on
// every NCHWc level; the inputs' padding lanes hold
// NaN, which must never reach a real channel, and the output's padding
// lanes must be zero.
func TestConcatNCHWcAgainstNCHW(t *testing.T) {
	nchwcLevels(t, func(t *testing.T) {
		rng := rand.New(rand.NewSource(9))
		for _, cfg := range []struct {
			h, w int64
			pool Pool
		}{{3, 5, Serial{}}, {3, 5, testPool{3}}, {32, 33, testPool{3}}} {
			testConcatNCHWc(t, rng, cfg.h, cfg.w, cfg.pool)
		}
	})
}

func testConcatNCHWc(t *testing.T, rng *rand.Rand, h, w int64, pool Pool) {
	hw := int(h * w)
	for _, chans := range [][]int64{{16, 16}, {26, 18}, {18, 8}, {3, 5, 40}, {72, 32}, {1, 15, 17}, {32, 7}} {
		var plain, blocked []*ir.Tensor
		total := int64(0)
		for _, c := range chans {
			x := nntRand(rng, 2, c, h, w)
			b := toNCHWc(x)
			bs := b.F32()
			for q := range bs {
				blk, lane := (q/16/hw)%int(ir.NCHWcBlocks(c, 16)), q%16
				if int64(blk*16+lane) >= c {
					bs[q] = float32(math.NaN())
				}
			}
			plain, blocked = append(plain, x), append(blocked, b)
			total += c
		}
		keep := make([][]float32, len(blocked))
		for i, b := range blocked {
			keep[i] = slices.Clone(b.F32())
		}
		y, err := nchwcRun("ConcatNCHWc", nntAttrs("block", 16, "input_channels", chans), nil, pool, blocked...)
		if err != nil {
			t.Fatal(err)
		}
		var want []float32
		for n := range 2 {
			for i, x := range plain {
				img := int(chans[i]) * hw
				want = append(want, x.F32()[n*img:(n+1)*img]...)
			}
		}
		nntClose(t, "concat", fromNCHWc(y, int(total)), want, 0)
		ys := y.F32()
		cb := int(ir.NCHWcBlocks(total, 16))
		for q := range ys {
			blk, lane := (q/16/hw)%cb, q%16
			if int64(blk*16+lane) >= total && ys[q] != 0 {
				t.Fatalf("channels %v: padding lane %d = %v, want 0", chans, q, ys[q])
			}
		}
		for i, b := range blocked {
			for q, v := range b.F32() {
				if math.Float32bits(v) != math.Float32bits(keep[i][q]) {
					t.Fatalf("channels %v: input %d modified", chans, i)
				}
			}
		}
	}
}
