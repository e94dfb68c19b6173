package winograd

import (
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nncc/nncc/kernels/isa"
)

// TestNCHWcStageCPU prints (NNCC_WINO_STAGE_CPU=1) where the stage mode's
// work goes at two threads: for ResNet-18's stage-mode layers, the thread
// CPU time (µs, median of reps) of all input-transform, product and
// output-transform units run by one thread in order, and by two threads
// claiming them together (the CPU times of both threads summed), so that
// the work the split adds (cache lines moved between cores, the two
// threads' streams of transformed weights competing) shows per stage.
func TestNCHWcStageCPU(t *testing.T) {
	if os.Getenv("NNCC_WINO_STAGE_CPU") == "" {
		t.Skip("set NNCC_WINO_STAGE_CPU=1 to measure")
	}
	const reps = 31
	for _, s := range []struct{ c, hw int }{{128, 28}, {256, 14}, {512, 7}, {64, 28}} {
		r := rand.New(rand.NewSource(1))
		cv, err := NewConvNCHWc(isa.Current(), s.c, s.c, randSlice(r, s.c*s.c*9), 1, 1, 1, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		x := randSlice(r, s.c*s.hw*s.hw)
		y := make([]float32, s.c*s.hw*s.hw)
		p := cv.plan(1, s.hw, s.hw, 2)
		if !p.stage {
			t.Logf("%d×%d: not the stage mode at two threads", s.c, s.hw)
			continue
		}
		scratch := make([]float32, p.scratchLen())
		j := newNCHWcJob()
		j.cv, j.p, j.x, j.y, j.scratch = cv, p, x, y, scratch
		icb, ocb := p.cip/16, p.cop/16
		per := icb + 36 + ocb
		units := p.blocks * per
		// run claims units until none are left, adding each unit's thread
		// CPU time to its stage.
		run := func(t int, cpu *[3]time.Duration) {
			aux := j.aux(t)
			for {
				u := int(j.next.Add(1)) - 1
				if u >= units {
					return
				}
				b, k := u/per, u%per
				st := 0
				if k >= icb+36 {
					st = 2
				} else if k >= icb {
					st = 1
				}
				switch st { // wait outside the timed part
				case 0:
					j.await(&j.doneGemm, b*36)
				case 1:
					j.await(&j.doneIn, (b+1)*icb)
					j.await(&j.doneOut, b*ocb)
				default:
					j.await(&j.doneGemm, (b+1)*36)
				}
				c0 := threadCPU()
				j.stageUnit(b, k, icb, ocb, aux)
				cpu[st] += threadCPU() - c0
			}
		}
		reset := func() {
			j.next.Store(0)
			j.doneIn.Store(0)
			j.doneGemm.Store(0)
			j.doneOut.Store(0)
		}
		var one, two [3][]float64
		for range reps {
			runtime.LockOSThread()
			var c1 [3]time.Duration
			reset()
			run(0, &c1)
			runtime.UnlockOSThread()
			var c2 [2][3]time.Duration
			reset()
			var wg sync.WaitGroup
			start := make(chan struct{})
			for th := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					<-start
					run(th, &c2[th])
				}()
			}
			close(start)
			wg.Wait()
			for st := range 3 {
				one[st] = append(one[st], float64(c1[st].Microseconds()))
				two[st] = append(two[st], float64((c2[0][st] + c2[1][st]).Microseconds()))
			}
		}
		line := fmt.Sprintf("%3d×%2d:", s.c, s.hw)
		for st, name := range []string{"in", "gemm", "out"} {
			slices.Sort(one[st])
			slices.Sort(two[st])
			a, b := one[st][reps/2], two[st][reps/2]
			line += fmt.Sprintf("  %s 1t %6.0f 2t %6.0f (%.2f)", name, a, b, b/a)
		}
		fmt.Println(line)
	}
}
