package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// TestConvTransposeEpi compares convTransposeEpi with its formula over
// sizes around its 32-wide blocks, partial row ranges, every combination
// of bias, residual and ReLU, with NaN guards around y and yt (rows
// outside the range, and values past y's end, must keep their NaN; the
// inputs must be left as they were).
func TestConvTransposeEpi(t *testing.T) {
	rng := rand.New(rand.NewSource(12))
	nan := float32(math.NaN())
	const guard = 7
	for _, rows := range []int{0, 1, 3, 31, 32, 33, 70} {
		for _, cols := range []int{0, 1, 5, 32, 65} {
			yt := make([]float32, cols*rows+2*guard)
			for i := range yt {
				yt[i] = rng.Float32()*2 - 1
			}
			bias := make([]float32, rows)
			res := make([]float32, rows*cols)
			for i := range bias {
				bias[i] = rng.Float32()*2 - 1
			}
			for i := range res {
				res[i] = rng.Float32()*2 - 1
			}
			ytCopy := append([]float32(nil), yt...)
			ranges := [][2]int{{0, rows}, {rows / 3, rows - rows/4}}
			for _, rr := range ranges {
				r0, r1 := rr[0], rr[1]
				for mask := range 8 {
					var b, rs []float32
					if mask&1 != 0 {
						b = bias
					}
					if mask&2 != 0 {
						rs = res
					}
					relu := mask&4 != 0
					buf := make([]float32, rows*cols+2*guard)
					for i := range buf {
						buf[i] = nan
					}
					y := buf[guard : guard+rows*cols]
					convTransposeEpi(y, yt[guard:guard+rows*cols], b, rs, rows, cols, r0, r1, relu)
					for i := range guard {
						if !math.IsNaN(float64(buf[i])) || !math.IsNaN(float64(buf[len(buf)-1-i])) {
							t.Fatalf("rows %d cols %d: guard written", rows, cols)
						}
					}
					for r := range rows {
						for c := range cols {
							got := y[r*cols+c]
							if r < r0 || r >= r1 {
								if !math.IsNaN(float64(got)) {
									t.Fatalf("rows %d cols %d range [%d,%d): row %d written", rows, cols, r0, r1, r)
								}
								continue
							}
							want := yt[guard+c*rows+r]
							if b != nil {
								want += b[r]
							}
							if rs != nil {
								want += rs[r*cols+c]
							}
							if relu && want < 0 {
								want = 0
							}
							if math.Abs(float64(got-want)) > 1e-6 {
								t.Fatalf("rows %d cols %d mask %d: y[%d,%d] = %v, want %v", rows, cols, mask, r, c, got, want)
							}
						}
					}
				}
			}
			for i := range yt {
				if yt[i] != ytCopy[i] {
					t.Fatalf("rows %d cols %d: yt modified", rows, cols)
				}
			}
		}
	}
}
