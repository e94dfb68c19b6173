package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestResizeLastAxisMatchesGeneral checks the channels-last path (resize
// of axes H and W of [N, C/b, H, W, b] and [N, H, W, C]) against the
// general float64 path, for b = 16 (assembly row kernel on AVX-512, the Go
// twin on every level) and other channel counts, serially and split over
// threads; it leaves the input unmodified, and cases it does not take
// (cubic, antialiased downscale) are declined.
func TestResizeLastAxisMatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	type filt struct {
		mode, coord string
		antialias   bool
	}
	filters := []filt{
		{"nearest", "asymmetric", false}, {"nearest", "half_pixel", false}, {"nearest", "align_corners", false},
		{"linear", "half_pixel", false}, {"linear", "align_corners", false}, {"linear", "asymmetric", false},
		{"linear", "pytorch_half_pixel", false}, {"linear", "half_pixel", true}, {"cubic", "half_pixel", false},
	}
	shapes := [][]int64{{1, 1, 1, 1, 16}, {2, 3, 5, 7, 16}, {1, 2, 10, 10, 16}, {1, 1, 9, 33, 3}, {2, 4, 4, 5}, {1, 2, 1, 70, 16}, {1, 3, 24, 24, 16}}
	scales := [][2]float64{{2, 2}, {0.5, 0.5}, {1, 3}, {1.7, 1}, {0.4, 2.5}}
	for _, level := range []isa.Level{isa.Generic, isa.AVX512} {
		if level == isa.AVX512 && !isa.Has(isa.AVX512) {
			continue
		}
		for _, f := range filters {
			for _, sh := range shapes {
				for _, sc := range scales {
					r := len(sh)
					data := make([]float32, ir.NumElements(sh))
					for i := range data {
						data[i] = rng.Float32()*4 - 2
					}
					x := ir.FromSlice(append([]float32{}, data...), sh...)
					cfg := &resizeConfig{policy: "stretch", level: level}
					cfg.filter = resizeFilter{mode: f.mode, coordMode: resizeCoordModes[f.coord], nearestMode: resizeRoundPreferFloor, cubicA: -0.75, antialias: f.antialias}
					out := append([]int64{}, sh...)
					taps := make([][]resizeTap, r)
					declined := false
					for k, s := range sc {
						a := r - 3 + k
						out[a] = int64(math.Floor(float64(sh[a]) * s))
						if s == 1 {
							continue
						}
						var err error
						if taps[a], err = cfg.filter.taps(int(sh[a]), int(out[a]), s, 0, 1); err != nil {
							t.Fatal(err)
						}
						for _, tap := range taps[a] {
							declined = declined || len(tap.idx) > 2
						}
					}
					want := ir.NewTensor(ir.Float32, out)
					c := &Ctx{Pool: Serial{}}
					if f.mode == "nearest" {
						if err := resizeNearest(c, cfg, x, want, taps); err != nil {
							t.Fatal(err)
						}
					} else if err := resizeInterp(c, cfg, x, want, taps); err != nil {
						t.Fatal(err)
					}
					p := newResizeLastAxisPlan(cfg, level, sh, out, taps)
					if p.ok == declined {
						t.Fatalf("%v %v %v: plan ok %v, want %v", f, sh, sc, p.ok, !declined)
					}
					if !p.ok {
						continue
					}
					for _, pool := range []Pool{Serial{}, testPool{3}} {
						got := ir.NewTensor(ir.Float32, out)
						for i := range got.F32() {
							got.F32()[i] = float32(math.NaN())
						}
						if !resizeLastAxisF32(&Ctx{Pool: pool}, &p, x, got) {
							t.Fatalf("%v %v %v: channels-last path declined", f, sh, sc)
						}
						for i, v := range got.F32() {
							w := want.F32()[i]
							if math.IsNaN(float64(v)) || math.Abs(float64(v-w)) > 1e-5*(1+math.Abs(float64(w))) {
								t.Fatalf("%v %v %v level %v threads %d: element %d = %v, want %v", f, sh, sc, level, pool.Threads(), i, v, w)
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
}

// TestResizePairTapsIdentityKeepsInfinity checks that an identity axis
// read as two half-weight taps returns every value exactly, infinities
// included, and never mixes in a neighbour.
func TestResizePairTapsIdentityKeepsInfinity(t *testing.T) {
	idx, w, ok := resizePairTaps(nil, 3)
	if !ok {
		t.Fatal("identity taps refused")
	}
	src := []float32{float32(math.Inf(1)), 1.5, float32(math.Inf(-1))}
	for o := range 3 {
		v := w[2*o]*src[idx[2*o]] + w[2*o+1]*src[idx[2*o+1]]
		if v != src[o] {
			t.Fatalf("position %d: %v, want %v", o, v, src[o])
		}
	}
}
