package runtime

import (
	"math/rand"
	"os"
	goruntime "runtime"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nncc/nncc/kernels/sgemm"
)

// TEMPORARY tf2t experiment: does a polling goroutine on the other vCPU
// slow a serial product down?
func TestTf2tSpinInterference(t *testing.T) {
	if os.Getenv("NNCC_TF2T") == "" {
		t.Skip()
	}
	m, n, k := 64, 512, 128
	a := make([]float32, m*k)
	b := make([]float32, k*n)
	c := make([]float32, m*n)
	for i := range a {
		a[i] = rand.Float32()
	}
	for i := range b {
		b[i] = rand.Float32()
	}
	pb := sgemm.PackB(false, k, n, b, n)
	var mode atomic.Int32 // 0 idle(park), 1 spin, 2 quit
	var flag atomic.Uint64
	wake := make(chan struct{}, 1)
	go func() {
		for {
			switch mode.Load() {
			case 0:
				<-wake
			case 1:
				for i := 0; mode.Load() == 1; i++ {
					_ = flag.Load()
				}
			case 2:
				return
			}
		}
	}()
	defer func() { mode.Store(2); wake <- struct{}{} }()
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	cpu := func() time.Duration {
		var ts unix.Timespec
		unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
		return time.Duration(ts.Nano())
	}
	var res [2][]time.Duration
	for r := 0; r < 400; r++ {
		md := r & 1
		mode.Store(int32(md))
		select {
		case wake <- struct{}{}:
		default:
		}
		time.Sleep(200 * time.Microsecond)
		t0 := cpu()
		for range 20 {
			sgemm.SgemmPacked(false, m, 1, a, k, pb, 0, c, n, nil, nil)
		}
		res[md] = append(res[md], (cpu()-t0)/20)
		mode.Store(0)
	}
	for md := range 2 {
		s := res[md]
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		t.Logf("mode %d: median %v p25 %v p75 %v", md, s[len(s)/2], s[len(s)/4], s[3*len(s)/4])
	}
}
