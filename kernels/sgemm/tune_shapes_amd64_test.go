package sgemm

import (
	"fmt"
	"os"
	"testing"

	"github.com/nncc/nncc/kernels/amd64"
	"github.com/nncc/nncc/kernels/isa"
)

// TestTuneShapes (NNCC_TUNE=1) prints single-thread % of the FMA peak
// (thread CPU time; the peak is the best of its runs in the same rounds,
// since on a shared VM noise only ever slows a run down) of the seed
// Transformer's products and the sizes under four settings of
// the AVX-512 and AVX2 kernel rows, interleaved so that machine noise
// hits all alike: as at the start of session 3 (per-tile kernels, A
// packed, AVX-512 kc 384 × nc 256, scalar transposed-B packing), the
// per-tile kernels with A packed (fnG unset), the general kernel with A
// packed, and the general kernel reading A in place (the default).
// Medians and maxima over the rounds.
func TestTuneShapes(t *testing.T) {
	if os.Getenv("NNCC_TUNE") == "" {
		t.Skip("set NNCC_TUNE=1")
	}
	type shape struct {
		l       isa.Level
		m, n, k int
		transB  bool
		packed  bool // B prepacked (a layer's weights)
	}
	shapes := []shape{
		{isa.AVX512, 128, 512, 128, false, true}, // FFN up
		{isa.AVX512, 128, 384, 128, false, true}, // QKV
		{isa.AVX512, 128, 128, 512, false, true}, // FFN down
		{isa.AVX512, 128, 128, 128, false, true}, // output projection
		{isa.AVX512, 64, 64, 32, true, false},    // attention Q·Kᵀ per head
		{isa.AVX2, 64, 32, 64, false, false},     // attention P·V per head
		{isa.AVX512, 64, 768, 768, false, false},
		{isa.AVX512, 1024, 1024, 1024, false, false},
		{isa.AVX2, 64, 768, 768, false, false},
		{isa.AVX2, 1024, 1024, 1024, false, false},
	}
	k512, k2 := kernelFor(isa.AVX512), kernelFor(isa.AVX2)
	s512, s2 := *k512, *k2
	savedTiles, savedTrans := directATiles, packBTransArch
	defer func() { *k512, *k2, directATiles, packBTransArch = s512, s2, savedTiles, savedTrans }()
	cfgs := []struct {
		name string
		set  func()
	}{
		{"session-3 start", func() {
			k512.fnG, k2.fnG, k512.kc, k512.nc, packBTransArch = nil, nil, 384, 256, packBTransPortable
		}},
		{"per-tile kernels, A packed", func() {
			k512.fnG, k2.fnG, k512.kc, k512.nc, packBTransArch = nil, nil, s512.kc, s512.nc, savedTrans
		}},
		{"general kernel, A packed", func() { k512.fnG, k2.fnG = s512.fnG, s2.fnG; directATiles = -1 }},
		{"general kernel, A in place", func() { k512.fnG, k2.fnG = s512.fnG, s2.fnG; directATiles = savedTiles }},
	}
	type inst struct{ one, run func() }
	var insts []inst
	var flops []float64
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
		one := func() {
			if pb != nil {
				SgemmPacked(false, s.m, 1, a, s.k, pb, 0, c, s.n, nil, nil)
			} else {
				SgemmLevel(s.l, false, s.transB, s.m, s.n, s.k, 1, a, s.k, bm, ldb, 0, c, s.n, nil, nil)
			}
		}
		reps := max(1, int(3e7/(2*float64(s.m*s.n*s.k))))
		insts = append(insts, inst{one, func() {
			for range reps {
				one()
			}
		}})
		flops = append(flops, float64(reps)*2*float64(s.m*s.n*s.k))
	}
	res := make([][][]float64, len(cfgs))
	for i := range res {
		res[i] = make([][]float64, len(shapes))
	}
	var pk512, pk2 []float64
	for range 15 {
		for i, in := range insts {
			for ci, cf := range cfgs {
				cf.set()
				in.one() // warm the caches with this setting's data
				d := onThreadCPU(1, in.run).Seconds()
				res[ci][i] = append(res[ci][i], flops[i]/d/1e9)
			}
		}
		d := onThreadCPU(1, func() { amd64.FMAPeakAVX512(1 << 16) }).Seconds()
		pk512 = append(pk512, float64(1<<16)*768/d/1e9)
		d = onThreadCPU(1, func() { amd64.FMAPeakAVX2(1 << 16) }).Seconds()
		pk2 = append(pk2, float64(1<<16)*192/d/1e9)
	}
	p512, p2 := maxOf(pk512), maxOf(pk2)
	fmt.Printf("FMA peak (best of %d): avx512 %.1f, avx2 %.1f GFLOPS\n", len(pk512), p512, p2)
	for ci, cf := range cfgs {
		fmt.Printf("%s:\n", cf.name)
		for i, s := range shapes {
			p := p512
			if s.l == isa.AVX2 {
				p = p2
			}
			g := med(res[ci][i])
			fmt.Printf("  %-6v %4d×%4d×%4d transB=%-5v packedB=%-5v %6.1f GFLOPS %5.1f%% (max %5.1f%%)\n",
				s.l, s.m, s.n, s.k, s.transB, s.packed, g, 100*g/p, 100*maxOf(res[ci][i])/p)
		}
	}
}

func maxOf(v []float64) float64 {
	m := v[0]
	for _, x := range v[1:] {
		m = max(m, x)
	}
	return m
}
