package sgemm

// block is one (ic, pc, jc) block of the product: rows [ic, ic+mc),
// k steps [pc, pc+kc), columns [jc, jc+nc) of C.
type block struct {
	p    *problem
	kern *kernel
	s    *scratch

	ic, mc, pc, kc, jc, nc int
	mt, nt, tm, tn         int  // tiles of the block and the grid of parts
	packA, packB           int  // packing tasks: A micro-panels, B strips
	direct                 bool // whole B strips are read in place (problem.directB)
	directA                bool // whole A panels are read in place (problem.directA)

	beta float32   // the caller's beta on the first k block, else 1
	last bool      // last k block: apply the epilogue
	bias []float32 // epilogue bias (last block only)
	act  int       // epilogue activation (last block only)
}

// pack runs packing tasks [lo, hi): tasks below b.packA are A
// micro-panels, the rest B strips of this column block (only the partial
// last strip when B is read in place).
func (b *block) pack(lo, hi int) {
	p, kr, nA := b.p, b.kern, b.packA
	if lo < nA {
		t0 := lo
		if b.directA {
			t0 = max(t0, b.mc/kr.mr) // only the partial last panel
		}
		if t1 := min(hi, nA); t0 < t1 {
			packA(p.transA, p.a, p.lda, b.ic, b.mc, b.pc, b.kc, kr.mr, t0, t1, b.s.a)
		}
	}
	for t := max(lo, nA) - nA; t < hi-nA; t++ {
		j := t * kr.nr
		cols := min(kr.nr, b.nc-j)
		if b.direct && cols == kr.nr {
			continue
		}
		dst := b.s.b[t*b.kc*kr.nr : (t+1)*b.kc*kr.nr]
		if p.src != nil {
			p.src.PackStrip(dst, b.pc, b.kc, b.jc+j, cols, kr.nr)
			continue
		}
		packBStrip(p.transB, p.b, p.ldb, b.pc, b.kc, b.jc+j, cols, kr.nr, dst)
	}
}

// bPanel returns the kc×nr B micro-panel for column tile tj of the block
// and its row stride: a strip of the packed block or of PackedB (stride
// nr), or the matrix B itself when read in place (stride ldb).
func (b *block) bPanel(tj int) ([]float32, int) {
	bp, ldb, _ := b.bStrips(tj, 1)
	return bp, ldb
}

// bStrips returns the B micro-panels of the n column tiles from tj on
// (whole strips of this block: when B is read in place, all of them are),
// their row stride and the distance in floats from one strip to the next.
func (b *block) bStrips(tj, n int) (bp []float32, ldb, bnext int) {
	nr := b.kern.nr
	j := b.jc + tj*nr
	if pb := b.p.pb; pb != nil {
		off := j/nr*pb.k*nr + b.pc*nr
		bnext = pb.k * nr
		return pb.data[off : off+(n-1)*bnext+b.kc*nr], nr, bnext
	}
	if b.direct && b.kc > 0 && j+nr <= b.jc+b.nc {
		p := b.p
		off := b.pc*p.ldb + j
		return p.b[off : off+(b.kc-1)*p.ldb+n*nr], p.ldb, nr
	}
	return b.s.b[tj*b.kc*nr : (tj+n)*b.kc*nr], nr, b.kc * nr
}

// aPanel returns the mr×kc A micro-panel for row tile ti of the block and
// its strides (A[i, p] = a[i*rsa + p*csa]): a packed panel (1, mr), or
// op(A) itself when read in place.
func (b *block) aPanel(ti int) (a []float32, rsa, csa int) {
	mr := b.kern.mr
	if pa := b.p.pa; pa != nil {
		panel := (b.ic + ti*mr) / mr
		off := panel*pa.k*mr + b.pc*mr
		return pa.data[off : off+b.kc*mr], 1, mr
	}
	if i := b.ic + ti*mr; b.directA && b.kc > 0 && i+mr <= b.ic+b.mc {
		p := b.p
		rsa, csa = p.lda, 1
		off := i*p.lda + b.pc
		if p.transA {
			rsa, csa = 1, p.lda
			off = b.pc*p.lda + i
		}
		return p.a[off : off+(mr-1)*rsa+(b.kc-1)*csa+1], rsa, csa
	}
	return b.s.a[ti*b.kc*mr : (ti+1)*b.kc*mr], 1, mr
}

// tile runs the micro-kernel on one mr×nr tile of C at c (row stride ldc)
// with A micro-panel a of strides rsa, csa (aPanel) and B micro-panel bp
// of row stride ldb.
func (b *block) tile(a []float32, rsa, csa int, bp []float32, ldb int, c []float32, ldc int, bias []float32) {
	kr := b.kern
	if kr.fnG != nil {
		kr.fnG(b.kc, a, rsa, csa, bp, ldb, 0, c, ldc, b.p.alpha, b.beta, bias, b.act, 1)
		return
	}
	if ldb != kr.nr {
		kr.fnS(b.kc, a, bp, ldb, c, ldc, b.p.alpha, b.beta, bias, b.act)
		return
	}
	kr.fn(b.kc, a, bp, c, ldc, b.p.alpha, b.beta, bias, b.act)
}

// compute runs part q of the block's tm×tn grid of parts. With a
// general kernel, each run of whole tiles along a row of tiles is one
// kernel call.
func (b *block) compute(q int) {
	kr := b.kern
	mr, nr := kr.mr, kr.nr
	qm, qn := q/b.tn, q%b.tn
	r0, r1 := qm*b.mt/b.tm, (qm+1)*b.mt/b.tm
	c0, c1 := qn*b.nt/b.tn, (qn+1)*b.nt/b.tn
	edge := b.s.edge[q*(mr*nr+nr) : (q+1)*(mr*nr+nr)]
	for ti := r0; ti < r1; ti++ {
		for tj := c0; tj < c1; {
			tj += b.run(edge, ti, tj, c1)
		}
	}
}

// run computes the tiles of row tile ti from column tile tj on (before
// c1): a run of whole tiles in one call of a general kernel, else one
// tile. It returns how many tiles it did.
func (b *block) run(edge []float32, ti, tj, c1 int) int {
	p, kr := b.p, b.kern
	mr, nr := kr.mr, kr.nr
	full := b.nc / nr // whole column tiles of the block
	a, rsa, csa := b.aPanel(ti)
	i := b.ic + ti*mr
	rows := min(mr, b.ic+b.mc-i)
	j := b.jc + tj*nr
	cols := min(nr, b.jc+b.nc-j)
	n := 1
	switch g := kr.rowKernel(rows); {
	case cols == nr && g != nil:
		// A partial row panel too runs on its own kernel (kernel.fnRows):
		// no padded copy, no wasted rows (m mod 6 = 4 for every
		// m = 4^j·16).
		n = min(c1, full) - tj
		bp, ldb, bnext := b.bStrips(tj, n)
		var bias []float32
		if b.bias != nil {
			bias = b.bias[j : j+n*nr]
		}
		g(b.kc, a, rsa, csa, bp, ldb, bnext, p.c[i*p.ldc+j:], p.ldc, p.alpha, b.beta, bias, b.act, n)
	case rows == mr && cols == nr:
		bp, ldb := b.bPanel(tj)
		b.tile(a, rsa, csa, bp, ldb, p.c[i*p.ldc+j:], p.ldc, b.tileBias(j))
	default:
		bp, ldb := b.bPanel(tj)
		b.edgeTile(edge, a, rsa, csa, bp, ldb, i, j, rows, cols, b.tileBias(j))
	}
	if b.last && p.ep != nil && p.ep.Hook != nil {
		for r := range rows {
			off := (i+r)*p.ldc + j
			w := min(n*nr, b.jc+b.nc-j)
			p.ep.Hook(p.c[off:off+w:off+w], i+r, j)
		}
	}
	return n
}

// tileBias returns the bias of the tile at column j (nil without bias).
func (b *block) tileBias(j int) []float32 {
	if b.bias == nil {
		return nil
	}
	return b.bias[j:min(j+b.kern.nr, len(b.bias))]
}

// edgeTile computes a partial tile (rows < mr or cols < nr) through a
// zero-padded mr×nr copy, so the kernel never touches C outside the matrix.
func (b *block) edgeTile(edge, a []float32, rsa, csa int, bp []float32, ldb, i, j, rows, cols int, bias []float32) {
	p, kr := b.p, b.kern
	mr, nr := kr.mr, kr.nr
	tile, tbias := edge[:mr*nr], edge[mr*nr:]
	if b.beta != 0 {
		clear(tile)
		for r := range rows {
			copy(tile[r*nr:r*nr+cols], p.c[(i+r)*p.ldc+j:])
		}
	}
	if bias != nil {
		clear(tbias)
		copy(tbias, bias[:cols])
		bias = tbias
	}
	if f := kr.colKernel(cols); f != nil {
		f(b.kc, a, rsa, csa, bp, ldb, 0, tile, nr, p.alpha, b.beta, bias, b.act, 1)
	} else {
		b.tile(a, rsa, csa, bp, ldb, tile, nr, bias)
	}
	for r := range rows {
		copy(p.c[(i+r)*p.ldc+j:(i+r)*p.ldc+j+cols], tile[r*nr:r*nr+cols])
	}
}
