package kernels

import (
	"math/rand"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// TestConvTransposeCPU (NNCC_CONVT_CPU=1, or =NAME for the cases whose
// names contain NAME) prints the median thread CPU
// time per Run of every form of convTBenchCases (auto, col, colᵀ,
// sub-pixel), interleaved in one process (wall-clock benchmarks are unusable on a shared machine).
func TestConvTransposeCPU(t *testing.T) {
	if os.Getenv("NNCC_CONVT_CPU") == "" {
		t.Skip("set NNCC_CONVT_CPU=1")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer func(f int) { convTForce = f }(convTForce)
	rng := rand.New(rand.NewSource(5))
	only := os.Getenv("NNCC_CONVT_CPU") // "1", or the cases whose names contain it
	for _, tc := range convTBenchCases {
		if only != "1" && !strings.Contains(tc.name, only) {
			continue
		}
		x, w := nntRand(rng, tc.x...), nntRand(rng, tc.w...)
		in := []*ir.Tensor{x, w}
		var fs []Func
		var cs []*Ctx
		for _, f := range []int{-1, 0, 1, 2} {
			convTForce = f
			fn, c := convTBuild(t, tc.attrs, in, isa.Current())
			fs, cs = append(fs, fn), append(cs, c)
		}
		times := make([][]float64, len(fs))
		const inner = 20
		for range 200 {
			for v, fn := range fs {
				convTForce = v - 1
				c0 := nchwcThreadCPU()
				for range inner {
					if err := fn(cs[v], in); err != nil {
						t.Fatal(err)
					}
				}
				times[v] = append(times[v], float64(nchwcThreadCPU()-c0)/inner/1e3)
			}
		}
		med := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
		t.Logf("%-14s auto %7.2f µs  col %7.2f µs  colT %7.2f µs  phase %7.2f µs", tc.name, med(times[0]), med(times[1]), med(times[2]), med(times[3]))
	}
}

// TestConvTransposeProfile (NNCC_CONVT_PROF=case name) runs one case in
// a loop for a CPU profile, with NNCC_CONVT_FORCE as convTForce.
func TestConvTransposeProfile(t *testing.T) {
	name := os.Getenv("NNCC_CONVT_PROF")
	if name == "" {
		t.Skip("set NNCC_CONVT_PROF")
	}
	defer func(f int) { convTForce = f }(convTForce)
	switch os.Getenv("NNCC_CONVT_FORCE") {
	case "0":
		convTForce = 0
	case "1":
		convTForce = 1
	case "2":
		convTForce = 2
	}
	rng := rand.New(rand.NewSource(5))
	for _, tc := range convTBenchCases {
		if tc.name != name {
			continue
		}
		x, w := nntRand(rng, tc.x...), nntRand(rng, tc.w...)
		in := []*ir.Tensor{x, w}
		fn, c := convTBuild(t, tc.attrs, in, isa.Current())
		for range 50000 {
			if err := fn(c, in); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestConvTransposeNoAllocs checks that serial Runs of convTBenchCases
// (both orientations) allocate nothing once warm.
func TestConvTransposeNoAllocs(t *testing.T) {
	defer func(f int) { convTForce = f }(convTForce)
	rng := rand.New(rand.NewSource(6))
	for _, tc := range convTBenchCases {
		for _, f := range []int{0, 1, 2} {
			convTForce = f
			x, w := nntRand(rng, tc.x...), nntRand(rng, tc.w...)
			in := []*ir.Tensor{x, w}
			fn, c := convTBuild(t, tc.attrs, in, isa.Current())
			if err := fn(c, in); err != nil {
				t.Fatal(err)
			}
			if a := allocstest.PerRun(20, func() { _ = fn(c, in) }); a != 0 {
				t.Errorf("%s force %d: %v allocations per Run", tc.name, f, a)
			}
		}
	}
}
