package kernels

import (
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/gemv"
	"github.com/nncc/nncc/kernels/isa"
)

// lazyPool runs the chunks of a loop one after the other on the caller,
// as a worker pool does when no worker starts in time.
type lazyPool struct{ n int }

func (p lazyPool) Threads() int { return p.n }
func (p lazyPool) For(n, grain int, fn func(lo, hi int)) {
	chunk := max((n+p.n-1)/p.n, grain, 1)
	for lo := 0; lo < n; lo += chunk {
		fn(lo, min(lo+chunk, n))
	}
}

// latePool runs the first chunk of a loop on the caller at once and the
// others on goroutines that start late, as descheduled workers do.
type latePool struct{ n int }

func (p latePool) Threads() int { return p.n }
func (p latePool) For(n, grain int, fn func(lo, hi int)) {
	chunk := max((n+p.n-1)/p.n, grain, 1)
	var wg sync.WaitGroup
	for lo := chunk; lo < n; lo += chunk {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(lo) * 20 * time.Microsecond)
			fn(lo, min(lo+chunk, n))
		}()
	}
	fn(0, min(chunk, n))
	wg.Wait()
}

// TestRecurrentStepSplitMatchSerial runs LSTM, GRU and RNN with their
// steps cut over hidden-unit slices (rnn_team.go) on concurrent pools, on
// a pool whose workers never start and on one whose workers start late,
// and requires the bits of the run on one thread: every cell and its
// variants (peepholes, clip, input_forget, linear_before_reset), every
// direction, both layouts, batches 1..4 (the GEMV's), with and without
// initial states, full and ragged sequence lengths.
func TestRecurrentStepSplitMatchSerial(t *testing.T) {
	savedUnit, savedSplit := rnnUnitWork, rnnSplitStepWork
	rnnUnitWork, rnnSplitStepWork = 0, 0
	defer func() { rnnUnitWork, rnnSplitStepWork = savedUnit, savedSplit }()
	rng := rand.New(rand.NewSource(7))
	type opCase struct {
		op    string
		gates int64
		nOut  int
		peep  bool
		attrs []any
	}
	cases := []opCase{
		{"LSTM", 4, 3, false, nil},
		{"LSTM", 4, 3, true, []any{"clip", 2.0}},
		{"LSTM", 4, 3, false, []any{"input_forget", 1, "direction", "reverse"}},
		{"LSTM", 4, 3, false, []any{"direction", "bidirectional", "layout", 1}},
		{"GRU", 3, 2, false, nil},
		{"GRU", 3, 2, false, []any{"linear_before_reset", 1, "direction", "bidirectional"}},
		{"RNN", 1, 2, false, []any{"direction", "reverse"}},
	}
	const seq, in, hid = 5, 6, 128
	pools := []Pool{testPool{2}, testPool{3}, testPool{5}, lazyPool{2}, latePool{4}}
	for _, oc := range cases {
		a := nntAttrs(append([]any{"hidden_size", hid}, oc.attrs...)...)
		D := int64(1)
		if a.String("direction", "forward") == "bidirectional" {
			D = 2
		}
		layout1 := a.Int("layout", 0) == 1
		for batch := int64(1); batch <= rnnGemvRows; batch++ {
			for _, ragged := range []bool{false, true} {
				for _, state := range []bool{false, true} {
					x := nntRand(rng, seq, batch, in)
					sh := []int64{D, batch, hid}
					if layout1 {
						x = nntRand(rng, batch, seq, in)
						sh = []int64{batch, D, hid}
					}
					var lens, h0, c0, p *ir.Tensor
					if ragged {
						l := make([]int32, batch)
						for i := range l {
							l[i] = int32(rng.Intn(seq + 1))
						}
						lens = ir.FromSlice(l, batch)
					}
					if state {
						h0, c0 = nntRand(rng, sh...), nntRand(rng, sh...)
					}
					r := nntRand(rng, D, oc.gates*hid, hid)
					for i := range r.F32() {
						r.F32()[i] *= 0.2 // keep the gates off saturation
					}
					ins := []*ir.Tensor{x, nntRand(rng, D, oc.gates*hid, in), r, nntRand(rng, D, 2*oc.gates*hid), lens, h0}
					if oc.op == "LSTM" {
						if oc.peep {
							p = nntRand(rng, D, 3*hid)
						}
						ins = append(ins, c0, p)
					}
					name := fmt.Sprintf("%s%v/peep=%v/batch=%d/ragged=%v/state=%v", oc.op, oc.attrs, oc.peep, batch, ragged, state)
					for _, level := range isa.Supported() {
						serial, err := rnnConstRunPool(level, Serial{}, oc.op, a, oc.nOut, ins...)
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						for _, pool := range pools {
							par, err := rnnConstRunPool(level, pool, oc.op, a, oc.nOut, ins...)
							if err != nil {
								t.Fatalf("%s: %v", name, err)
							}
							sameBits(t, fmt.Sprintf("%s/%v/%T%v", name, level, pool, pool), serial, par)
						}
					}
				}
			}
		}
	}
}

// TestRecurrentStepSplitPlan checks when a recurrence's steps are cut:
// with the GEMV kernel (packed R, batch ≤ rnnGemvRows) and a hidden size
// of at least two whole panels, over the threads each direction has, in
// preference to batch groups, and not below rnnSplitStepWork (the rows
// with anyWork run with it lowered to 0, to check the other conditions).
func TestRecurrentStepSplitPlan(t *testing.T) {
	saved := rnnSplitStepWork
	defer func() { rnnSplitStepWork = saved }()
	r := make([]float32, 4*256*256)
	for _, tc := range []struct {
		level                           isa.Level
		dirs, batch, threads, hid       int
		anyWork                         bool
		wantDirs, wantGroups, wantParts int
	}{
		{isa.AVX512, 1, 2, 2, 128, false, 1, 1, 2},
		{isa.AVX512, 1, 2, 4, 128, false, 1, 1, 2}, // two panels of 64
		{isa.AVX512, 1, 4, 4, 256, false, 1, 1, 4},
		{isa.AVX512, 2, 2, 4, 128, false, 2, 1, 2},
		{isa.AVX512, 2, 2, 2, 128, false, 2, 1, 1},
		{isa.AVX512, 1, 1, 2, 128, false, 1, 1, 1}, // below rnnSplitStepWork
		{isa.AVX512, 1, 1, 2, 128, true, 1, 1, 2},
		{isa.AVX512, 1, 2, 2, 64, true, 1, 1, 1},  // one panel
		{isa.AVX512, 1, 2, 2, 96, true, 1, 2, 1},  // not whole panels: batch groups
		{isa.AVX512, 1, 6, 2, 128, true, 1, 2, 1}, // SGEMM: batch groups
		{isa.AVX2, 1, 2, 2, 128, false, 1, 1, 2},
		{isa.AVX2, 1, 2, 2, 64, false, 1, 1, 1}, // below rnnSplitStepWork
		{isa.AVX2, 1, 2, 2, 64, true, 1, 1, 2},
		{isa.AVX2, 1, 2, 1, 128, false, 1, 1, 1},
	} {
		if !isa.Has(tc.level) {
			continue
		}
		rnnSplitStepWork = saved
		if tc.anyWork {
			rnnSplitStepWork = 0
		}
		st := &rnnRun[float32]{s: &rnnSpec{dirs: tc.dirs, gates: 4}}
		st.ri.seq, st.ri.batch, st.ri.hid = 50, tc.batch, tc.hid
		st.pk = &rnnPacked{}
		for range tc.dirs {
			m := rnnMat{gv: gemv.Pack(tc.level, 4*tc.hid, tc.hid, r, tc.hid)}
			if tc.batch > rnnGemvRows {
				m.sg = &rnnLazyPack{}
			}
			st.pk.r = append(st.pk.r, m)
		}
		u := st.plan(tc.threads)
		if u.dirs != tc.wantDirs || u.groups != tc.wantGroups || u.parts != tc.wantParts {
			t.Errorf("%v dirs %d batch %d threads %d hid %d any work %v: units %d×%d×%d, want %d×%d×%d", tc.level, tc.dirs, tc.batch, tc.threads, tc.hid, tc.anyWork,
				u.dirs, u.groups, u.parts, tc.wantDirs, tc.wantGroups, tc.wantParts)
		}
	}
}

// TestRecurrentEmptyShapes runs LSTM, GRU and RNN with no steps, no batch
// entries or no hidden units, alone and on a pool: they must not panic.
func TestRecurrentEmptyShapes(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, oc := range []struct {
		op          string
		gates, nOut int64
	}{{"LSTM", 4, 3}, {"GRU", 3, 2}, {"RNN", 1, 2}} {
		for _, sz := range [][3]int64{{0, 1, 4}, {3, 0, 4}, {3, 1, 0}} {
			seq, batch, hid := sz[0], sz[1], sz[2]
			g := oc.gates
			ins := []*ir.Tensor{nntRand(rng, seq, batch, 5), nntRand(rng, 1, g*hid, 5), nntRand(rng, 1, g*hid, hid), nntRand(rng, 1, 2*g*hid)}
			for _, pool := range []Pool{Serial{}, testPool{2}} {
				if _, err := rnnConstRunPool(isa.Best(), pool, oc.op, nntAttrs(), int(oc.nOut), ins...); err != nil {
					t.Errorf("%s seq %d batch %d hidden %d on %T: %v", oc.op, seq, batch, hid, pool, err)
				}
			}
		}
	}
}
