package sgemm

// The column order (kernel.fnD): for a kernel whose B strip row is short
// (AVX2: 16 floats, 64 bytes a step of k), the loops of rect are turned
// so that each B micro-panel stays in L1 while the kernel runs down a
// block of row panels, whose A (mcD×kcD, read in place or packed) stays
// in L2; per step of k the kernel then reads 6 floats of A from L2
// instead of 16 of B. The loops are those of BLIS:
//
//	for pc in k, by kcD                   (each pc block adds into C)
//	  for jc in columns of C, by nc       (B block: packed once, in L3)
//	    for ic in rows of C, by mcD       (A block: mcD×kcD, in L2)
//	      for jr over nr-column tiles     (B micro-panel in L1)
//	        for ir over mr-row tiles      (one kernel call for the block)
//
// AVX2 1024³ with B prepacked ran 95.5% of the FMA peak in this order
// (kc 1024, mc 60, A in place) against 90.4% in rect's (TestTuneS12Order).

// rectDown is rect in the column order, for kernels with fnD.
func (p *problem) rectDown(kern *kernel, s *scratch, i0, i1, j0, j1 int) {
	k := p.k
	mr, nr := kern.mr, kern.nr
	kcb := balance(k, kern.kcD, 1)
	ncb := balance(j1-j0, kern.nc, nr)
	mcb := balance(i1-i0, kern.mcD, mr)
	direct, directA, act, bias := p.rectSetup(kern, s, i1-i0, j1-j0, kcb, ncb, mcb)
	blk := &s.blk
	for pc := 0; pc == 0 || pc < k; pc += kcb {
		kc := min(kcb, k-pc)
		for jc := j0; jc < j1; jc += ncb {
			nc := min(ncb, j1-jc)
			nt := (nc + nr - 1) / nr
			for ic := i0; ic < i1; ic += mcb {
				mc := min(mcb, i1-ic)
				mt := (mc + mr - 1) / mr
				*blk = block{p: p, kern: kern, s: s, ic: ic, mc: mc, pc: pc, kc: kc, jc: jc, nc: nc,
					mt: mt, nt: nt, tm: 1, tn: 1, beta: 1, direct: direct, directA: directA}
				if pc == 0 {
					blk.beta = p.beta
				}
				if pc+kc >= k {
					blk.bias, blk.act, blk.last = bias, act, true
				}
				if ic == i0 && p.pb == nil && kc > 0 {
					blk.packB = nt // the B block, once per (pc, jc)
					blk.pack(0, nt)
					blk.packB = 0
				}
				if p.pa == nil && kc > 0 {
					blk.packA = mt
					blk.pack(0, mt)
				}
				blk.computeDown()
			}
		}
	}
}

// computeDown runs the block column tile by column tile: the whole row
// panels of a whole column tile in one fnD call, the rest (a partial last
// row panel or column tile) through run.
func (b *block) computeDown() {
	p, kr := b.p, b.kern
	mr, nr := kr.mr, kr.nr
	full := b.mc / mr // whole row panels
	edge := b.s.edge[:mr*nr+nr]
	var a []float32
	var rsa, csa, anext int
	if full > 0 {
		a, rsa, csa, anext = b.aPanels(full)
	}
	for tj := 0; tj < b.nt; tj++ {
		j := b.jc + tj*nr
		if full == 0 || j+nr > b.jc+b.nc {
			for ti := 0; ti < b.mt; ti++ {
				b.run(edge, ti, tj, tj+1)
			}
			continue
		}
		bp, ldb := b.bPanel(tj)
		var bias []float32
		if b.bias != nil {
			bias = b.bias[j : j+nr]
		}
		i := b.ic
		kr.fnD(b.kc, a, rsa, csa, bp, ldb, anext, p.c[i*p.ldc+j:], p.ldc, p.alpha, b.beta, bias, b.act, full)
		if b.last && p.ep != nil && p.ep.Hook != nil {
			for r := range full * mr {
				off := (i+r)*p.ldc + j
				p.ep.Hook(p.c[off:off+nr:off+nr], i+r, j)
			}
		}
		if full < b.mt {
			b.run(edge, full, tj, tj+1)
		}
	}
}

// aPanels returns the first n whole A micro-panels of the block for fnD:
// panel t at a[t*anext:], with strides rsa, csa as aPanel's.
func (b *block) aPanels(n int) (a []float32, rsa, csa, anext int) {
	mr, kc := b.kern.mr, b.kc
	if pa := b.p.pa; pa != nil {
		anext = pa.k * mr
		off := b.ic/mr*anext + b.pc*mr
		return pa.data[off : off+(n-1)*anext+kc*mr], 1, mr, anext
	}
	if b.directA && kc > 0 {
		p := b.p
		rsa, csa = p.lda, 1
		off := b.ic*p.lda + b.pc
		if p.transA {
			rsa, csa = 1, p.lda
			off = b.pc*p.lda + b.ic
		}
		anext = mr * rsa
		return p.a[off : off+(n-1)*anext+(mr-1)*rsa+(kc-1)*csa+1], rsa, csa, anext
	}
	return b.s.a[:n*kc*mr], 1, mr, kc * mr
}
