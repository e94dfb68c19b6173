package runtime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
	"github.com/nncc/nncc/kernels/sgemm"
)

// TEMPORARY tf2t experiment: interleaved A/B of thresholds.
// NNCC_TF2T_AB=model dir; NNCC_TF2T_VARIANTS="1:0:0,2:8388608:8388608,2:1048576:2097152"
// (threads:serialWork:attnPar); NNCC_TF2T_BLOCK runs per block.
func TestTf2tAB(t *testing.T) {
	dir := os.Getenv("NNCC_TF2T_AB")
	if dir == "" {
		t.Skip()
	}
	g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	var inputs []*ir.Tensor
	for i := 0; ; i++ {
		x, _, err := onnx.ReadTensorFile(filepath.Join(dir, "test_data_set_0", fmt.Sprintf("input_%d.pb", i)))
		if err != nil {
			break
		}
		inputs = append(inputs, x)
	}
	type variant struct {
		name      string
		s         *Session
		sw, ap    int
		wall, cpu []time.Duration
		outs      []*ir.Tensor
	}
	var vs []*variant
	sessions := map[string]*Session{}
	for _, v := range strings.Split(envOr("NNCC_TF2T_VARIANTS", "1:0:0,2:8388608:8388608,2:1048576:2097152"), ",") {
		f := strings.Split(v, ":")
		th, _ := strconv.Atoi(f[0])
		sw, _ := strconv.Atoi(f[1])
		ap, _ := strconv.Atoi(f[2])
		adaptive := len(f) > 3
		key := f[0] + fmt.Sprint(adaptive)
		s := sessions[key]
		if s == nil {
			s, err = NewSession(ir.Clone(g), Options{Threads: th, AlwaysParallel: !adaptive})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			sessions[key] = s
		}
		vs = append(vs, &variant{name: v, s: s, sw: sw, ap: ap, outs: make([]*ir.Tensor, len(s.Outputs()))})
	}
	block, _ := strconv.Atoi(envOr("NNCC_TF2T_BLOCK", "1"))
	rounds, _ := strconv.Atoi(envOr("NNCC_TF2T_ROUNDS", "300"))
	gap, _ := time.ParseDuration(envOr("NNCC_TF2T_GAP", "0s"))
	ctx := context.Background()
	pcpu := func() time.Duration {
		var ts unix.Timespec
		unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts)
		return time.Duration(ts.Nano())
	}
	sw0, ap0 := *sgemm.SerialWorkTf2t, *kernels.AttnParTf2t
	defer func() { *sgemm.SerialWorkTf2t, *kernels.AttnParTf2t = sw0, ap0 }()
	for r := range rounds + 5 {
		for _, v := range vs {
			if v.sw > 0 {
				*sgemm.SerialWorkTf2t, *kernels.AttnParTf2t = v.sw, v.ap
			} else {
				*sgemm.SerialWorkTf2t, *kernels.AttnParTf2t = sw0, ap0
			}
			for range block {
				c0, t0 := pcpu(), time.Now()
				if err := v.s.RunInto(ctx, inputs, v.outs); err != nil {
					t.Fatal(err)
				}
				w, c := time.Since(t0), pcpu()-c0
				if r >= 5 {
					v.wall = append(v.wall, w)
					v.cpu = append(v.cpu, c)
				}
			}
			if gap > 0 {
				time.Sleep(gap)
			}
		}
	}
	med := func(d []time.Duration) float64 {
		s := append([]time.Duration(nil), d...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		return float64(s[len(s)/2]) / 1e3
	}
	for _, v := range vs {
		st := v.s.ParallelStats()
		t.Logf("%-28s wall median %8.1f µs  process CPU median %8.1f µs  (par %d ser %d)", v.name, med(v.wall), med(v.cpu), st.Parallel, st.Serial)
	}
}
