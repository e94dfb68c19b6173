package kernels

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/gemv"
	"github.com/nncc/nncc/kernels/isa"
)

// TestRecurrentUnitsMatchSerial runs LSTM, GRU and RNN cut into units (one
// per direction and batch group, rnn_units.go) on a concurrent pool and
// on one thread, with the unit threshold lowered so that every case is
// cut, and requires the same bits: forward, reverse and bidirectional,
// both layouts, batches 1..5, with and without initial states, full and
// ragged sequence lengths, float32 (prepacked weights) and float64.
func TestRecurrentUnitsMatchSerial(t *testing.T) {
	savedUnit, savedGroup := rnnUnitWork, rnnGroupStepWork
	rnnUnitWork, rnnGroupStepWork = 0, 0
	defer func() { rnnUnitWork, rnnGroupStepWork = savedUnit, savedGroup }()
	rng := rand.New(rand.NewSource(5))
	type opCase struct {
		op    string
		gates int64
		nOut  int
		attrs []any
	}
	cases := []opCase{
		{"LSTM", 4, 3, nil},
		{"LSTM", 4, 3, []any{"direction", "bidirectional"}},
		{"LSTM", 4, 3, []any{"direction", "reverse", "layout", 1}},
		{"GRU", 3, 2, []any{"direction", "bidirectional"}},
		{"GRU", 3, 2, []any{"linear_before_reset", 1, "layout", 1}},
		{"RNN", 1, 2, []any{"direction", "bidirectional"}},
	}
	const seq, in, hid = 6, 5, 9
	for _, oc := range cases {
		a := nntAttrs(append([]any{"hidden_size", hid}, oc.attrs...)...)
		D := int64(1)
		if a.String("direction", "forward") == "bidirectional" {
			D = 2
		}
		layout1 := a.Int("layout", 0) == 1
		for batch := int64(1); batch <= 5; batch++ {
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
							l[i] = int32(1 + rng.Intn(seq))
						}
						lens = ir.FromSlice(l, batch)
					}
					if state {
						h0, c0 = nntRand(rng, sh...), nntRand(rng, sh...)
					}
					ins := []*ir.Tensor{x, nntRand(rng, D, oc.gates*hid, in), nntRand(rng, D, oc.gates*hid, hid), nntRand(rng, D, 2*oc.gates*hid), lens, h0}
					if oc.op == "LSTM" {
						p = nntRand(rng, D, 3*hid)
						ins = append(ins, c0, p)
					}
					name := fmt.Sprintf("%s%v/batch=%d/ragged=%v/state=%v", oc.op, oc.attrs, batch, ragged, state)
					for _, level := range isa.Supported() {
						serial, err := rnnConstRunPool(level, Serial{}, oc.op, a, oc.nOut, ins...)
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						par, err := rnnConstRunPool(level, testPool{3}, oc.op, a, oc.nOut, ins...)
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						sameBits(t, name+"/"+level.String(), serial, par)
					}
					ins64 := make([]*ir.Tensor, len(ins))
					for i, v := range ins {
						ins64[i] = rnnTo64(v)
					}
					serial, err := nntRunOn(Serial{}, oc.op, 14, a, oc.nOut, ins64...)
					if err != nil {
						t.Fatalf("%s float64: %v", name, err)
					}
					par, err := nntRunOn(testPool{3}, oc.op, 14, a, oc.nOut, ins64...)
					if err != nil {
						t.Fatalf("%s float64: %v", name, err)
					}
					sameBits(t, name+"/float64", serial, par)
				}
			}
		}
	}
}

// sameBits fails unless got and want hold the same values bit for bit.
func sameBits(t *testing.T, name string, want, got []*ir.Tensor) {
	t.Helper()
	for i := range want {
		if (want[i] == nil) != (got[i] == nil) {
			t.Fatalf("%s output %d: one run produced it, the other not", name, i)
		}
		if want[i] == nil {
			continue
		}
		w, g := want[i], got[i]
		if w.Len() != g.Len() {
			t.Fatalf("%s output %d: %d values, want %d", name, i, g.Len(), w.Len())
		}
		for j := range w.Len() {
			a, b := w.Float64At(j), g.Float64At(j)
			if math.Float64bits(a) != math.Float64bits(b) {
				t.Fatalf("%s output %d element %d = %v on the pool, %v on one thread", name, i, j, b, a)
			}
		}
	}
}

// TestRecurrentUnitsPlan checks how recurrences are cut: directions
// first, then batch groups where the recurrent kernel computes each row
// the same way in a group as in the whole batch (AVX-512's GEMV rows and
// SGEMM batches are; AVX2's GEMV pairs are not) and a group's step is at
// least rnnGroupStepWork, nothing below rnnUnitWork or on one thread.
func TestRecurrentUnitsPlan(t *testing.T) {
	const hid = 128
	r := make([]float32, 4*hid*hid)
	for _, tc := range []struct {
		level                isa.Level
		dirs, batch, threads int
		seq, hid             int
		wantDirs, wantGroups int
	}{
		{isa.AVX512, 1, 2, 2, 50, hid, 1, 1}, // the steps are cut instead (rnn_team.go)
		{isa.AVX512, 1, 2, 2, 50, 96, 1, 2},  // hidden not whole panels: groups
		{isa.AVX512, 1, 2, 1, 50, hid, 1, 1},
		{isa.AVX512, 2, 2, 2, 50, hid, 2, 1},
		{isa.AVX512, 1, 4, 2, 50, hid, 1, 1}, // the four-row kernel's group
		{isa.AVX512, 1, 6, 2, 50, hid, 1, 2}, // SGEMM: any cut
		{isa.AVX512, 1, 2, 2, 1, 64, 1, 1},   // below rnnUnitWork
		{isa.AVX512, 1, 2, 2, 50, 64, 1, 1},  // below rnnGroupStepWork
		{isa.AVX2, 1, 2, 2, 50, hid, 1, 1},
		{isa.AVX2, 1, 3, 3, 50, hid, 1, 1},
		{isa.AVX2, 1, 6, 2, 50, hid, 1, 2},
	} {
		if !isa.Has(tc.level) {
			continue
		}
		st := &rnnRun[float32]{s: &rnnSpec{dirs: tc.dirs, gates: 4}}
		st.ri.seq, st.ri.batch, st.ri.hid = tc.seq, tc.batch, tc.hid
		st.pk = &rnnPacked{}
		for range tc.dirs {
			st.pk.r = append(st.pk.r, rnnMat{gv: gemv.Pack(tc.level, 4*tc.hid, tc.hid, r, tc.hid)})
		}
		u := st.plan(tc.threads)
		if u.dirs != tc.wantDirs || u.groups != tc.wantGroups {
			t.Errorf("%v dirs %d batch %d threads %d seq %d: units %d×%d, want %d×%d", tc.level, tc.dirs, tc.batch, tc.threads, tc.seq, u.dirs, u.groups, tc.wantDirs, tc.wantGroups)
		}
	}
}
