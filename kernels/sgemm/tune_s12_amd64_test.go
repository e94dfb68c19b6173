package sgemm

// Session-12 tuning runs (NNCC_TUNE=1; NNCC_TUNE_ISA, NNCC_TUNE_ROUNDS,
// NNCC_TUNE_CASES, NNCC_TUNE_SHAPES as in tune_s5/s7). Zen 4 VM, two
// vCPUs, load average 1-5 (other helpers); medians of interleaved rounds
// in thread CPU time, % of 118 GFLOPS.
//
//   - The LSTM input projections of seed_rnn_lstm (its test data has
//     batch 2: 100×512×32 and 100×512×128, B prepacked, bias) ran at
//     80.5% and 93.3% on AVX-512 with nc 64: one kernel call per 6×64
//     tile at k = 32. Column blocks widened for short k (kernel.ncFor,
//     kept; TestTuneS12Wide): 91.4% and 97.2%; 50×512×32 78.3 → 88.6;
//     64×3136×64 81 → 94, 256×3136×64 84 → 94, 1024×1024×256 90 → 94,
//     128×512×128 93 → 97; k ≥ kc unchanged by construction. AVX2 level
//     to +2. With the operands evicted to L3 first (TestTuneS12Small,
//     cold) the projections ran 1-3 points slower, not the half the
//     model profile suggested: in the model (nncc bench) the 100×512×128
//     product took 114 µs wall per call, 115 GFLOPS.
//   - AVX2 1024³ (TestTuneS12Order, TestTuneS12Down): the BLIS column
//     order with one call per tile tied the row order (88.4 / 88.0%); with
//     a kernel that runs down the column (Sgemm6x16DownGenAVX2, kept) B
//     prepacked 93.4-95.5% against 88-90%, Sgemm 91.0 against 89.2,
//     64×768×768 89.8 against 85.5, 64×3136×576 89.9 against 69.0,
//     256×196×2304 83.9 against 81.8; short k lost (100×512×32 packed
//     88.4 against 93.3, 128×512×128 95.0 against 96.8), hence kD 256.
//     Blockings kc 768-1024 × mc 48-120 × nc 512 within noise; nc 1024
//     lower.
//   - A at a 4 KB row stride against 1040 floats and against A packed,
//     AVX2 1024³ (TestTuneS12AVX2): 86.2 / 86.8 / 84.0%, no aliasing case.

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// s12Evict is 2 MB the cold cases write before each product, so that the
// packed B comes from L3 as it does in an LSTM model, where the
// recurrence streams R between the projections.
var s12Evict = make([]float32, 1<<19)

func s12Touch() {
	for i := 0; i < len(s12Evict); i += 16 {
		s12Evict[i]++
	}
}

// s12Time times each case once per round (thread CPU time), hot (run
// twice, the second timed) and cold (after s12Touch), interleaved, and
// prints median GFLOPS and % of peak.
func s12Time(l isa.Level, cs []s5case, rounds int, cold bool) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	res := make([][]float64, len(cs))
	for range rounds {
		for i, c := range cs {
			if cold {
				s12Touch()
			} else {
				c.run()
			}
			t0 := threadCPU()
			c.run()
			res[i] = append(res[i], c.flops/(threadCPU()-t0).Seconds()/1e9)
		}
	}
	state := "hot "
	if cold {
		state = "cold"
	}
	for i, c := range cs {
		fmt.Printf("%v %s %-40s med %6.1f GFLOPS %5.1f%% p90 %6.1f\n", l, state, c.name, med(res[i]), 100*med(res[i])/118, p90(res[i]))
	}
}

// TestTuneS12Small (NNCC_TUNE=1) times the LSTM input projections
// (50×512×32 and 50×512×128, B prepacked, bias epilogue) on one thread,
// hot and with B evicted to L3; NNCC_TUNE_SHAPES overrides the shapes.
func TestTuneS12Small(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	shapes := [][3]int{{50, 512, 32}, {50, 512, 128}}
	if os.Getenv("NNCC_TUNE_SHAPES") != "" {
		shapes = tuneShapes()
	}
	kr := kernelFor(l)
	saved := *kr
	defer func() { *kr = saved }()
	for _, sh := range shapes {
		m, n, k := sh[0], sh[1], sh[2]
		flops := 2.0 * float64(m*n*k)
		a, bm, c, bias := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n), randSlice(n, 3)
		pb := PackBLevel(l, false, k, n, bm, n)
		ep := &Epilogue{Bias: bias}
		var cs []s5case
		name := fmt.Sprintf("%dx%dx%d ", m, n, k)
		for _, nc := range []int{saved.nc, 128, 256, 512} {
			cs = append(cs, s5case{name + "nc " + itoa(nc), flops, func() {
				kr.nc = nc
				SgemmPacked(false, m, 1, a, k, pb, 0, c, n, ep, nil)
				kr.nc = saved.nc
			}})
		}
		cs = s5Filter(cs)
		s12Time(l, cs, s5Rounds(200), false)
		s12Time(l, cs, s5Rounds(200), true)
	}
}

// TestTuneS12Wide (NNCC_TUNE=1) compares column blocks widened for short
// k (kernel.ncFor) against the table's nc, on the LSTM projections and
// the large shapes, hot, interleaved; NNCC_TUNE_SHAPES overrides.
func TestTuneS12Wide(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	shapes := [][3]int{{50, 512, 32}, {50, 512, 128}, {64, 768, 768}, {128, 512, 128}, {1024, 1024, 256}, {1024, 1024, 1024}}
	if os.Getenv("NNCC_TUNE_SHAPES") != "" {
		shapes = tuneShapes()
	}
	kr := kernelFor(l)
	saved := *kr
	defer func() { *kr = saved }()
	var cs []s5case
	for _, sh := range shapes {
		m, n, k := sh[0], sh[1], sh[2]
		flops := 2.0 * float64(m*n*k)
		a, bm, c, bias := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n), randSlice(n, 3)
		pb := PackBLevel(l, false, k, n, bm, n)
		ep := &Epilogue{Bias: bias}
		name := fmt.Sprintf("%dx%dx%d ", m, n, k)
		for _, wide := range []bool{false, true} {
			w := "table nc"
			if wide {
				w = "wide nc"
			}
			cs = append(cs, s5case{name + "packed " + w, flops, func() {
				if !wide {
					kr.kc = k // ncFor keeps nc (kcb = k, as with the table kc ≥ k)
				}
				SgemmPacked(false, m, 1, a, k, pb, 0, c, n, ep, nil)
				kr.kc = saved.kc
			}})
			cs = append(cs, s5case{name + "plain " + w, flops, func() {
				if !wide {
					kr.kc = k
				}
				Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, nil)
				kr.kc = saved.kc
			}})
		}
	}
	s12Time(l, s5Filter(cs), s5Rounds(50), false)
}

// TestTuneS12Order (NNCC_TUNE=1) measures, on the level's kernel with B
// prepacked, the BLIS loop order (B micro-panel in L1 across the row
// panels of an A block that stays in L2: one kernel call per tile, and on
// AVX2 one Sgemm6x16DownGenAVX2 call per column of the block, A packed or
// in place) against SgemmPacked (A panel in L1 across a row of tiles, B
// strips streaming from L2), 1024³ by default.
func TestTuneS12Order(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	kr := kernelFor(l)
	mr, nr := kr.mr, kr.nr
	var cs []s5case
	for _, sh := range tuneShapes() {
		m, n, k := sh[0], sh[1], sh[2]
		flops := 2.0 * float64(m*n*k)
		a, bm, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		pb := PackBLevel(l, false, k, n, bm, n)
		name := fmt.Sprintf("%dx%dx%d ", m, n, k)
		cs = append(cs, s5case{name + "SgemmPacked", flops, func() {
			SgemmPacked(false, m, 1, a, k, pb, 0, c, n, nil, nil)
		}})
		for _, bl := range [][2]int{{512, 120}, {512, 240}, {768, 96}, {1024, 60}, {1024, 120}} {
			if l != isa.AVX2 {
				break // the column kernel is AVX2's 6×16
			}
			kc, mc := bl[0], bl[1]
			buf := make([]float32, mc*kc)
			cs = append(cs, s5case{name + fmt.Sprintf("down packed kc %d mc %d", kc, mc), flops, func() {
				for pc := 0; pc < k; pc += kc {
					kb := min(kc, k-pc)
					beta := float32(1)
					if pc == 0 {
						beta = 0
					}
					for ic := 0; ic < m; ic += mc {
						rows := min(mc, m-ic)
						mt := rows / mr
						packA(false, a, k, ic, rows, pc, kb, mr, 0, mt, buf)
						for s := 0; s < n/nr; s++ {
							amd64.Sgemm6x16DownGenAVX2(kb, buf, 1, mr, pb.data[s*k*nr+pc*nr:], nr, mr*kb, c[ic*n+s*nr:], n, 1, beta, nil, 0, mt)
						}
					}
				}
			}})
			cs = append(cs, s5case{name + fmt.Sprintf("down in place kc %d mc %d", kc, mc), flops, func() {
				for pc := 0; pc < k; pc += kc {
					kb := min(kc, k-pc)
					beta := float32(1)
					if pc == 0 {
						beta = 0
					}
					for ic := 0; ic < m; ic += mc {
						rows := min(mc, m-ic)
						mt := rows / mr
						for s := 0; s < n/nr; s++ {
							amd64.Sgemm6x16DownGenAVX2(kb, a[ic*k+pc:], k, 1, pb.data[s*k*nr+pc*nr:], nr, mr*k, c[ic*n+s*nr:], n, 1, beta, nil, 0, mt)
						}
					}
				}
			}})
		}
		for _, bl := range [][2]int{{256, 120}} {
			kc, mc := bl[0], bl[1]
			buf := make([]float32, mc*kc)
			cs = append(cs, s5case{name + fmt.Sprintf("blis kc %d mc %d", kc, mc), flops, func() {
				for pc := 0; pc < k; pc += kc {
					kb := min(kc, k-pc)
					beta := float32(1)
					if pc == 0 {
						beta = 0
					}
					for ic := 0; ic < m; ic += mc {
						rows := min(mc, m-ic)
						mt := rows / mr
						packA(false, a, k, ic, rows, pc, kb, mr, 0, mt, buf)
						for s := 0; s < n/nr; s++ {
							bs := pb.data[s*k*nr+pc*nr:]
							for ti := range mt {
								kr.fnG(kb, buf[ti*kb*mr:], 1, mr, bs, nr, 0, c[(ic+ti*mr)*n+s*nr:], n, 1, beta, nil, 0, 1)
							}
						}
					}
				}
			}})
		}
	}
	s12Time(l, s5Filter(cs), s5Rounds(20), false)
}

// TestTuneS12AVX2 (NNCC_TUNE=1) compares, for 1024³ on the level's
// kernel (NNCC_TUNE_ISA, default AVX-512), A read in place with row
// stride 1024 (4 KB: a panel's six rows in the same L1 sets) against a
// padded stride and against A packed.
func TestTuneS12AVX2(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	const m = 1024
	flops := 2.0 * m * m * m
	a, b, c := randSlice(m*1040, 1), randSlice(m*m, 2), make([]float32, m*m)
	saved := directATiles
	defer func() { directATiles = saved }()
	cs := []s5case{
		{"lda 1024 in place", flops, func() { Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil) }},
		{"lda 1040 in place", flops, func() { Sgemm(false, false, m, m, m, 1, a, 1040, b, m, 0, c, m, nil) }},
		{"lda 1024 A packed", flops, func() {
			directATiles = -1
			Sgemm(false, false, m, m, m, 1, a, m, b, m, 0, c, m, nil)
			directATiles = saved
		}},
	}
	s5Interleave(l, flops, s5Filter(cs), s5Rounds(20))
}

// TestTuneS12Down (NNCC_TUNE=1) compares the column order (kernel.fnD,
// down.go) with blockings kcD × mcD × nc against the row order of rect,
// on Sgemm and SgemmPacked, interleaved; NNCC_TUNE_SHAPES.
func TestTuneS12Down(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := tuneLevel()
	defer isa.Force(l)()
	kr := kernelFor(l)
	saved := *kr
	defer func() { *kr = saved }()
	blocks := [][3]int{{1024, 60, 512}, {1024, 48, 512}, {1024, 90, 512}, {1024, 60, 1024}, {768, 60, 512}}
	var cs []s5case
	for _, sh := range tuneShapes() {
		m, n, k := sh[0], sh[1], sh[2]
		flops := 2.0 * float64(m*n*k)
		a, bm, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		pb := PackBLevel(l, false, k, n, bm, n)
		name := fmt.Sprintf("%dx%dx%d ", m, n, k)
		cs = append(cs, s5case{name + "Sgemm rows", flops, func() {
			kr.fnD = nil
			Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, nil)
			kr.fnD = saved.fnD
		}})
		cs = append(cs, s5case{name + "SgemmPacked rows", flops, func() {
			kr.fnD = nil
			SgemmPacked(false, m, 1, a, k, pb, 0, c, n, nil, nil)
			kr.fnD = saved.fnD
		}})
		for _, bl := range blocks {
			tag := fmt.Sprintf(" down %d×%d nc %d", bl[0], bl[1], bl[2])
			set := func() { kr.kcD, kr.mcD, kr.nc = bl[0], bl[1], bl[2] }
			reset := func() { kr.kcD, kr.mcD, kr.nc = saved.kcD, saved.mcD, saved.nc }
			cs = append(cs, s5case{name + "Sgemm" + tag, flops, func() {
				set()
				Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, nil)
				reset()
			}})
			cs = append(cs, s5case{name + "SgemmPacked" + tag, flops, func() {
				set()
				SgemmPacked(false, m, 1, a, k, pb, 0, c, n, nil, nil)
				reset()
			}})
		}
	}
	s12Time(l, s5Filter(cs), s5Rounds(20), false)
}
