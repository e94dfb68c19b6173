package vecmath

import (
	"math/rand/v2"
	"os"
	"sort"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nncc/nncc/kernels/isa"
)

func expabCPU() int64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return ts.Nano()
}

// TestExpUnderflowAB (NNCC_EXPAB=1) times the AVX-512 and AVX2 exp-based
// routines on inputs in [-100, 0] and [-10, 10], thread CPU time, medians.
func TestExpUnderflowAB(t *testing.T) {
	if os.Getenv("NNCC_EXPAB") == "" {
		t.Skip("set NNCC_EXPAB=1")
	}
	const n = 4096
	r := rand.New(rand.NewPCG(5, 6))
	lo, mid := make([]float32, n), make([]float32, n)
	for i := range lo {
		lo[i] = float32(-100 * r.Float64())
		mid[i] = float32(20*r.Float64() - 10)
	}
	dst := make([]float32, n)
	for _, l := range []isa.Level{isa.AVX512, isa.AVX2} {
		if !isa.Has(l) {
			continue
		}
		im := &levels[l]
		fns := []struct {
			name string
			f    func(x []float32)
		}{
			{"exp", func(x []float32) { im.exp(dst, x) }},
			{"sigmoid", func(x []float32) { im.sigmoid(dst, x) }},
			{"expShiftSum", func(x []float32) { im.expShiftSum(dst, x, 0) }},
		}
		for _, f := range fns {
			var tl, tm []float64
			for range 40 {
				for k, x := range [][]float32{lo, mid} {
					const inner = 200
					c0 := expabCPU()
					for range inner {
						f.f(x)
					}
					ns := float64(expabCPU()-c0) / inner
					if k == 0 {
						tl = append(tl, ns)
					} else {
						tm = append(tm, ns)
					}
				}
			}
			sort.Float64s(tl)
			sort.Float64s(tm)
			t.Logf("%v %-12s n=%d  [-100,0] %7.0f ns  [-10,10] %7.0f ns", l, f.name, n, tl[len(tl)/2], tm[len(tm)/2])
		}
	}
}
