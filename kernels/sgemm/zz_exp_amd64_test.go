package sgemm

import (
	"fmt"
	"os"
	"testing"

	"github.com/nncc/nncc/kernels/isa"
)

// TestExpPackShare (temporary experiment) times 1024³ and its packing alone.
func TestExpPackShare(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	for _, l := range []isa.Level{isa.AVX512, isa.AVX2} {
		func() {
			defer isa.Force(l)()
			kr := kernelFor(l)
			m, n, k := 1024, 1024, 1024
			a, bm, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
			kcb := balance(k, kr.kc, 1)
			ncb := balance(n, kr.nc, kr.nr)
			pa := make([]float32, (m+6)*kcb)
			pb := make([]float32, ncb*kcb)
			var tot, ta, tb []float64
			for range 7 {
				tot = append(tot, onThreadCPU(5, func() { Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, nil) }).Seconds()*1e3)
				ta = append(ta, onThreadCPU(5, func() {
					for pc := 0; pc < k; pc += kcb {
						kc := min(kcb, k-pc)
						packA(false, a, k, 0, m, pc, kc, kr.mr, 0, (m+5)/6, pa)
					}
				}).Seconds()*1e3)
				tb = append(tb, onThreadCPU(5, func() {
					for pc := 0; pc < k; pc += kcb {
						kc := min(kcb, k-pc)
						for jc := 0; jc < n; jc += ncb {
							for j := 0; j < ncb; j += kr.nr {
								packBStrip(false, bm, n, pc, kc, jc+j, kr.nr, kr.nr, pb[j*kc:])
							}
						}
					}
				}).Seconds()*1e3)
			}
			T := med(tot)
			fmt.Printf("%v 1024³: total %.2f ms (%.1f GFLOPS), packA %.2f ms (%.1f%%), packB %.2f ms (%.1f%%)\n", l, T, 2*float64(m*n*k)/T/1e6, med(ta), 100*med(ta)/T, med(tb), 100*med(tb)/T)
		}()
	}
}

// TestExpReplay (temporary) replays the kernel calls of blocked 1024³
// without packing, with variants to locate the loss.
func TestExpReplay(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	kr := kernelFor(isa.AVX512)
	m, n, k := 1024, 1024, 1024
	kcb := balance(k, kr.kc, 1)
	ncb := balance(n, kr.nc, kr.nr)
	mt := (m + 5) / 6
	pa := randSlice(mt*6*kcb, 1)
	pb := randSlice(ncb*kcb, 2)
	c := make([]float32, (mt*6)*n)
	hot := make([]float32, 6*64)
	run := func(hotC, oneStrip, oneA bool) {
		for pc := 0; pc < k; pc += kcb {
			kc := min(kcb, k-pc)
			beta := float32(1)
			if pc == 0 {
				beta = 0
			}
			for jc := 0; jc < n; jc += ncb {
				for ti := range mt {
					a := pa[ti*kc*6:]
					if oneA {
						a = pa
					}
					for tj := 0; tj < ncb/64; tj++ {
						b := pb[tj*kc*64:]
						if oneStrip {
							b = pb
						}
						if hotC {
							kr.fn(kc, a, b, hot, 64, 1, beta, nil, 0)
						} else {
							kr.fn(kc, a, b, c[ti*6*n+jc+tj*64:], n, 1, beta, nil, 0)
						}
					}
				}
			}
		}
	}
	names := []string{"real", "hotC", "oneStrip", "hotC+oneStrip", "peak", "oneA", "all"}
	res := make([][]float64, len(names))
	for range 9 {
		for i := range names {
			var d float64
			if i == 4 {
				d = onThreadCPU(1, func() { amd64FMAPeak(1 << 16) }).Seconds()
				res[i] = append(res[i], float64(1<<16)*768/d/1e9)
				continue
			}
			d = onThreadCPU(3, func() { run(i == 1 || i == 3 || i == 6, i == 2 || i == 3 || i == 6, i >= 5) }).Seconds()
			res[i] = append(res[i], 2*float64(mt*6*n*k)/d/1e9)
		}
	}
	for i, nm := range names {
		fmt.Printf("%-14s %.1f GFLOPS\n", nm, med(res[i]))
	}
}

// TestExpShapes (temporary) times the seed Transformer's products under
// several configurations, interleaved.
func TestExpShapes(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	type shape struct {
		l       isa.Level
		m, n, k int
		transB  bool
		packed  bool
	}
	shapes := []shape{
		{isa.AVX512, 128, 512, 128, false, true},
		{isa.AVX512, 128, 384, 128, false, true},
		{isa.AVX512, 128, 128, 512, false, true},
		{isa.AVX512, 128, 128, 128, false, true},
		{isa.AVX512, 64, 64, 32, true, false},
		{isa.AVX2, 64, 32, 64, false, false},
		{isa.AVX512, 64, 32, 64, false, false},
		{isa.AVX512, 64, 768, 768, false, false},
		{isa.AVX512, 1024, 1024, 1024, false, false},
		{isa.AVX2, 1024, 1024, 1024, false, false},
		{isa.AVX2, 64, 768, 768, false, false},
	}
	kr, kr2 := kernelFor(isa.AVX512), kernelFor(isa.AVX2)
	saved, saved2 := *kr, *kr2
	defer func() { *kr, *kr2 = saved, saved2; directATiles = 1 << 30 }()
	cfgs := []struct {
		name string
		set  func()
	}{
		{"old", func() { kr.fnG, kr2.fnG = nil, nil; kr.kc, kr.nc = 384, 256 }},
		{"onetile", func() {
			kr.fnG, kr2.fnG = oneTile(saved.fnG, 64), oneTile(saved2.fnG, 16)
			directATiles = 1 << 30
			kr.kc, kr.nc = saved.kc, saved.nc
		}},
		{"new", func() {
			kr.fnG, kr2.fnG = saved.fnG, saved2.fnG
			directATiles = 1 << 30
			kr.kc, kr.nc = saved.kc, saved.nc
		}},
	}
	type inst struct {
		warm  func()
		run   func()
		flops float64
	}
	var insts []inst
	for _, s := range shapes {
		a, bm, c := randSlice(s.m*s.k, 1), randSlice(s.k*s.n, 2), make([]float32, s.m*s.n)
		ldb := s.n
		if s.transB {
			ldb = s.k
		}
		var pb *PackedB
		if s.packed {
			pb = PackBLevel(s.l, false, s.k, s.n, bm, s.n)
		}
		s := s
		reps := max(1, int(3e7/(2*float64(s.m*s.n*s.k))))
		insts = append(insts, inst{func() {
			if pb != nil {
				SgemmPacked(false, s.m, 1, a, s.k, pb, 0, c, s.n, nil, nil)
			} else {
				SgemmLevel(s.l, false, s.transB, s.m, s.n, s.k, 1, a, s.k, bm, ldb, 0, c, s.n, nil, nil)
			}
		}, func() {
			for range reps {
				if pb != nil {
					SgemmPacked(false, s.m, 1, a, s.k, pb, 0, c, s.n, nil, nil)
				} else {
					SgemmLevel(s.l, false, s.transB, s.m, s.n, s.k, 1, a, s.k, bm, ldb, 0, c, s.n, nil, nil)
				}
			}
		}, float64(reps) * 2 * float64(s.m*s.n*s.k)})
	}
	res := make([][][]float64, len(cfgs))
	for i := range res {
		res[i] = make([][]float64, len(shapes))
	}
	var pk, pk2 []float64
	for range 21 {
		for i, in := range insts {
			for ci, cf := range cfgs {
				cf.set()
				in.warm()
				d := onThreadCPU(1, in.run).Seconds()
				res[ci][i] = append(res[ci][i], in.flops/d/1e9)
			}
		}
		d := onThreadCPU(1, func() { amd64FMAPeak(1 << 16) }).Seconds()
		pk = append(pk, float64(1<<16)*768/d/1e9)
		d = onThreadCPU(1, func() { amd64FMAPeak2(1 << 16) }).Seconds()
		pk2 = append(pk2, float64(1<<16)*192/d/1e9)
	}
	p512, p2 := med(pk), med(pk2)
	fmt.Printf("peak avx512 %.1f avx2 %.1f GFLOPS; %% of peak per config:", p512, p2)
	for _, cf := range cfgs {
		fmt.Printf(" %s", cf.name)
	}
	fmt.Println()
	for i, s := range shapes {
		p := p512
		if s.l == isa.AVX2 {
			p = p2
		}
		fmt.Printf("%-7v %4dx%4dx%4d transB=%-5v packedB=%-5v", s.l, s.m, s.n, s.k, s.transB, s.packed)
		for ci := range cfgs {
			fmt.Printf(" %5.1f%% (max %5.1f%%)", 100*med(res[ci][i])/p, 100*maxf(res[ci][i])/p)
		}
		fmt.Println()
	}
}

func maxf(v []float64) float64 {
	m := v[0]
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

// TestExpBlock (temporary): blockings of 1024³, median and max of rounds.
func TestExpBlock(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	l := isa.AVX512
	if s := os.Getenv("NNCC_TUNE_ISA"); s != "" {
		l, _ = isa.Parse(s)
	}
	defer isa.Force(l)()
	kr := kernelFor(l)
	saved := *kr
	defer func() { *kr = saved }()
	type cfg struct{ kc, nc, mc int }
	cfgs := []cfg{{saved.kc, saved.nc, saved.mc}, {512, 256, 1536}, {512, 128, 1536}, {1024, 128, 1536}, {256, 256, 1536}, {342, 512, 1536}, {384, 256, 96}}
	m, n, k := 1024, 1024, 1024
	a, bm, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
	res := make([][]float64, len(cfgs))
	var pk []float64
	for range 15 {
		for i, cf := range cfgs {
			kr.kc, kr.nc, kr.mc = cf.kc, cf.nc, cf.mc
			d := onThreadCPU(2, func() { Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, nil) })
			res[i] = append(res[i], 2*float64(m*n*k)/d.Seconds()/1e9)
		}
		d := onThreadCPU(1, func() { amd64FMAPeak(1 << 16) }).Seconds()
		pk = append(pk, float64(1<<16)*768/d/1e9)
	}
	p := med(pk)
	if l == isa.AVX2 {
		p /= 2
	}
	for i, cf := range cfgs {
		fmt.Printf("%v %dx%dx%d kc=%d nc=%d mc=%d: %.1f GFLOPS (%.1f%%), max %.1f%%\n", l, m, n, k, cf.kc, cf.nc, cf.mc, med(res[i]), 100*med(res[i])/p, 100*maxf(res[i])/p)
	}
}

// TestExpOverhead (temporary): driver time with a no-op kernel.
func TestExpOverhead(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	kr := kernelFor(isa.AVX512)
	saved := *kr
	defer func() { *kr = saved }()
	for _, sh := range [][3]int{{128, 512, 128}, {128, 128, 512}, {1024, 1024, 1024}, {64, 64, 32}} {
		m, n, k := sh[0], sh[1], sh[2]
		a, bm, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
		pb := PackBLevel(isa.AVX512, false, k, n, bm, n)
		var full, noop []float64
		reps := max(1, int(3e7/(2*float64(m*n*k))))
		for range 11 {
			kr.fnG = saved.fnG
			d := onThreadCPU(reps, func() { SgemmPacked(false, m, 1, a, k, pb, 0, c, n, nil, nil) })
			full = append(full, d.Seconds()*1e6)
			kr.fnG = func(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
			}
			d = onThreadCPU(reps, func() { SgemmPacked(false, m, 1, a, k, pb, 0, c, n, nil, nil) })
			noop = append(noop, d.Seconds()*1e6)
		}
		tiles := ((m + 5) / 6) * ((n + 63) / 64) * ((k + 383) / 384)
		fmt.Printf("%v: full %.1f µs, driver only %.2f µs (%.1f%%), %d tiles, %.1f ns/tile\n", sh, med(full), med(noop), 100*med(noop)/med(full), tiles, med(noop)*1e3/float64(tiles))
	}
}

// TestExpOrder (temporary): kernel calls of blocked 1024³ (no packing) in
// both loop orders and several kc.
func TestExpOrder(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	kr := kernelFor(isa.AVX512)
	m, n, k := 1026, 1024, 1024
	mt := m / 6
	pa := randSlice(mt*6*k, 1)
	pb := randSlice(n*k, 2)
	c := make([]float32, m*n)
	run := func(kcb, ncb int, bInner bool) {
		for pc := 0; pc < k; pc += kcb {
			kc := min(kcb, k-pc)
			beta := float32(1)
			if pc == 0 {
				beta = 0
			}
			for jc := 0; jc < n; jc += ncb {
				nt := min(ncb, n-jc) / 64
				if bInner {
					for ti := range mt {
						a := pa[ti*kc*6:]
						for tj := range nt {
							kr.fnG(kc, a, 1, 6, pb[tj*kc*64:], 64, 0, c[ti*6*n+jc+tj*64:], n, 1, beta, nil, 0, 1)
						}
					}
				} else {
					for tj := range nt {
						for ti := range mt {
							kr.fnG(kc, pa[ti*kc*6:], 1, 6, pb[tj*kc*64:], 64, 0, c[ti*6*n+jc+tj*64:], n, 1, beta, nil, 0, 1)
						}
					}
				}
			}
		}
	}
	type cfg struct {
		kc, nc int
		bInner bool
	}
	cfgs := []cfg{{342, 256, true}, {512, 128, true}, {128, 1024, false}, {128, 256, false}, {192, 256, false}, {256, 256, false}}
	res := make([][]float64, len(cfgs))
	var pk []float64
	for range 11 {
		for i, cf := range cfgs {
			d := onThreadCPU(2, func() { run(cf.kc, cf.nc, cf.bInner) }).Seconds()
			res[i] = append(res[i], 2*float64(m*n*k)/d/1e9)
		}
		d := onThreadCPU(1, func() { amd64FMAPeak(1 << 16) }).Seconds()
		pk = append(pk, float64(1<<16)*768/d/1e9)
	}
	p := med(pk)
	for i, cf := range cfgs {
		fmt.Printf("kc=%d nc=%d A-panel-outer=%v: %.1f%% (max %.1f%%)\n", cf.kc, cf.nc, cf.bInner, 100*med(res[i])/p, 100*maxf(res[i])/p)
	}
}

// TestExpReplay2 (temporary): AVX2 kernel calls of blocked 1024³ with
// hot variants.
func TestExpReplay2(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	kr := kernelFor(isa.AVX2)
	m, n, k := 1026, 1024, 1024
	mt := m / 6
	pa := randSlice(mt*6*k, 1)
	pb := randSlice(n*k, 2)
	c := make([]float32, m*n)
	hot := make([]float32, 6*16)
	kcb, ncb := 342, 512
	run := func(hotC, oneStrip, oneA bool) {
		for pc := 0; pc < k; pc += kcb {
			kc := min(kcb, k-pc)
			beta := float32(1)
			if pc == 0 {
				beta = 0
			}
			for jc := 0; jc < n; jc += ncb {
				nt := min(ncb, n-jc) / 16
				for ti := range mt {
					a := pa[ti*kc*6:]
					if oneA {
						a = pa
					}
					for tj := range nt {
						b := pb[tj*kc*16:]
						if oneStrip {
							b = pb
						}
						cc, ldc := c[ti*6*n+jc+tj*16:], n
						if hotC {
							cc, ldc = hot, 16
						}
						kr.fnG(kc, a, 1, 6, b, 16, 0, cc, ldc, 1, beta, nil, 0, 1)
					}
				}
			}
		}
	}
	names := []string{"real", "hotC", "oneStrip", "oneA", "all"}
	res := make([][]float64, len(names))
	var pk []float64
	for range 11 {
		for i := range names {
			d := onThreadCPU(1, func() { run(i == 1 || i == 4, i == 2 || i == 4, i == 3 || i == 4) }).Seconds()
			res[i] = append(res[i], 2*float64(m*n*k)/d/1e9)
		}
		d := onThreadCPU(1, func() { amd64FMAPeak2(1 << 16) }).Seconds()
		pk = append(pk, float64(1<<16)*192/d/1e9)
	}
	p := med(pk)
	for i, nm := range names {
		fmt.Printf("avx2 replay %-9s %.1f%% (max %.1f%%)\n", nm, 100*med(res[i])/p, 100*maxf(res[i])/p)
	}
}

func oneTile(f genFunc, nr int) genFunc {
	return func(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int) {
		for t := range tiles {
			var tb []float32
			if bias != nil {
				tb = bias[t*nr:]
			}
			f(k, a, rsa, csa, b[t*bnext:], ldb, 0, c[t*nr:], ldc, alpha, beta, tb, act, 1)
		}
	}
}

// TestExpGap (temporary): real 1024³ vs its kernel calls alone.
func TestExpGap(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	defer isa.Force(isa.AVX512)()
	kr := kernelFor(isa.AVX512)
	m, n, k := 1024, 1024, 1024
	a, bm, c := randSlice(m*k, 1), randSlice(k*n, 2), make([]float32, m*n)
	mt := (m + 5) / 6
	pa := randSlice(mt*6*k, 1)
	pb := randSlice(n*k, 2)
	kcb, ncb := balance(k, kr.kc, 1), balance(n, kr.nc, 64)
	replay := func(direct bool) {
		for pc := 0; pc < k; pc += kcb {
			kc := min(kcb, k-pc)
			beta := float32(1)
			if pc == 0 {
				beta = 0
			}
			for jc := 0; jc < n; jc += ncb {
				nt := min(ncb, n-jc) / 64
				for ti := range mt - 1 {
					if direct {
						kr.fnG(kc, a[ti*6*k+pc:], k, 1, pb[jc*kc:], 64, kc*64, c[ti*6*n+jc:], n, 1, beta, nil, 0, nt)
					} else {
						kr.fnG(kc, pa[ti*kc*6:], 1, 6, pb[jc*kc:], 64, kc*64, c[ti*6*n+jc:], n, 1, beta, nil, 0, nt)
					}
				}
			}
		}
	}
	names := []string{"real direct A", "real packed A", "replay packed A", "replay direct A"}
	res := make([][]float64, len(names))
	var pk []float64
	for range 11 {
		for i := range names {
			var d float64
			switch i {
			case 0, 1:
				directATiles = 1 << 30
				if i == 1 {
					directATiles = -1
				}
				d = onThreadCPU(2, func() { Sgemm(false, false, m, n, k, 1, a, k, bm, n, 0, c, n, nil) }).Seconds()
			case 2, 3:
				d = onThreadCPU(2, func() { replay(i == 3) }).Seconds() * float64(m) / float64((mt-1)*6)
			}
			res[i] = append(res[i], 2*float64(m*n*k)/d/1e9)
		}
		d := onThreadCPU(1, func() { amd64FMAPeak(1 << 16) }).Seconds()
		pk = append(pk, float64(1<<16)*768/d/1e9)
	}
	directATiles = 1 << 30
	p := med(pk)
	for i, nm := range names {
		fmt.Printf("%-16s %.1f%% (max %.1f%%)\n", nm, 100*med(res[i])/p, 100*maxf(res[i])/p)
	}
}
