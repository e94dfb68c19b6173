package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
)

// TestResizeFastMatchesGeneral checks that the float32 image path gives
// bit-identical results to the general float64 path, serially and split
// over threads, and leaves its input unmodified.
func TestResizeFastMatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	type filt struct {
		mode, coord string
		antialias   bool
	}
	filters := []filt{
		{"nearest", "asymmetric", false}, {"nearest", "half_pixel", false},
		{"linear", "half_pixel", false}, {"linear", "align_corners", false},
		{"linear", "pytorch_half_pixel", false}, {"linear", "half_pixel", true},
		{"cubic", "half_pixel", false}, {"cubic", "asymmetric", true},
	}
	shapes := [][4]int64{{1, 1, 1, 1}, {2, 3, 5, 7}, {1, 4, 16, 16}, {1, 2, 70, 3}, {1, 8, 64, 64}}
	scales := [][2]float64{{2, 2}, {0.5, 0.5}, {1, 3}, {1.7, 1}, {0.4, 2.5}}
	for _, f := range filters {
		for _, sh := range shapes {
			for _, sc := range scales {
				n := sh[0] * sh[1] * sh[2] * sh[3]
				data := make([]float32, n)
				for i := range data {
					data[i] = rng.Float32()*4 - 2
				}
				x := ir.FromSlice(append([]float32{}, data...), sh[:]...)
				cfg := &resizeConfig{policy: "stretch"}
				cfg.filter = resizeFilter{mode: f.mode, coordMode: resizeCoordModes[f.coord], nearestMode: resizeRoundPreferFloor, cubicA: -0.75, antialias: f.antialias}
				out := append([]int64{}, sh[:]...)
				taps := make([][]resizeTap, 4)
				for k, s := range sc {
					a := 2 + k
					out[a] = int64(math.Floor(float64(sh[a]) * s))
					if s == 1 {
						continue
					}
					var err error
					if taps[a], err = cfg.filter.taps(int(sh[a]), int(out[a]), s, 0, 1); err != nil {
						t.Fatal(err)
					}
				}
				want := ir.NewTensor(ir.Float32, out)
				c := &Ctx{Pool: Serial{}}
				if f.mode == "nearest" {
					err := resizeNearest(c, cfg, x, want, taps)
					if err != nil {
						t.Fatal(err)
					}
				} else if err := resizeInterp(c, cfg, x, want, taps); err != nil {
					t.Fatal(err)
				}
				fp := newResizeFastPlan(cfg, sh[:], out, taps)
				for _, pool := range []Pool{Serial{}, testPool{3}} {
					got := ir.NewTensor(ir.Float32, out)
					for i := range got.F32() {
						got.F32()[i] = float32(math.NaN())
					}
					if !resizeFastF32(&Ctx{Pool: pool}, &fp, x, got) {
						t.Fatalf("%v %v %v: fast path declined", f, sh, sc)
					}
					for i, v := range got.F32() {
						if math.Float32bits(v) != math.Float32bits(want.F32()[i]) {
							t.Fatalf("%v %v %v threads %d: element %d = %v, want %v", f, sh, sc, pool.Threads(), i, v, want.F32()[i])
						}
					}
					for i, v := range x.F32() {
						if v != data[i] {
							t.Fatalf("input modified at %d", i)
						}
					}
				}
			}
		}
	}
}
