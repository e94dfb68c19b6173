package sgemm

// Packing along
//
// On one thread, packing a plain B block before its tiles run is time the
// FMA units sit idle: 2.5-4.5% of a 1024³ product (session 5; the gap
// between Sgemm and SgemmPacked). Where the kernel row has a copying
// variant of its general kernel (fnGC), the tile calls of one column block
// copy the rows of the next block's whole B strips into a second buffer,
// a few rows per call in the load and store slots the FMAs leave free,
// and prefetch the source rows of the next call. When the block ends,
// the rows no call took are packed as before, the buffers swap, and the
// next block starts with its strips packed. Only the first block of each
// row and k block, and partial strips, are packed up front.

// genCopyFunc is genFunc that also copies rows rows of nr floats from
// src (row stride lds) to dst (row stride nr) and prefetches the rows
// rows after them; see amd64.Sgemm6x64GenCopyGo.
type genCopyFunc func(k int, a []float32, rsa, csa int, b []float32, ldb, bnext int, c []float32, ldc int, alpha, beta float32, bias []float32, act, tiles int, src []float32, lds int, dst []float32, rows int)

// along is the packing of the next column block's whole B strips by the
// tile calls of the current block: rows are numbered strip by strip (row
// q is row q%kc of strip q/kc).
type along struct {
	dst   []float32 // the next block's packed strips
	jc    int       // first column of the next block
	total int       // rows to copy: whole strips × kc
	done  int       // rows copied so far
	share int       // rows per tile call
}

// packsAlong reports whether rect packs p's B blocks along the tile calls
// of kern: B is a plain matrix packed per block (not prepacked, produced
// or read in place), and the kernel has a copying variant.
func (p *problem) packsAlong(kern *kernel, direct bool) bool {
	return kern.fnGC != nil && p.b != nil && !p.transB && p.pb == nil && p.src == nil && !direct
}

// startAlong sets up the packing of the column block after b's (when
// there is one with whole strips) into s.bNext, shared among the calls
// of b's full row tiles.
func (b *block) startAlong(j1, ncb int) {
	b.nx = along{}
	kr := b.kern
	next := b.jc + b.nc
	if next >= j1 || b.kc == 0 {
		return
	}
	full := min(ncb, j1-next) / kr.nr
	if full == 0 {
		return
	}
	s := b.s
	s.bNext = grow(s.bNext, ncb*b.kc)
	calls := max(1, b.mc/kr.mr)
	total := full * b.kc
	b.nx = along{dst: s.bNext, jc: next, total: total, share: (total + calls - 1) / calls}
}

// genAlong runs the general kernel on tiles tiles like kr.fnG, copying
// the next rows of the packing along (at most to the end of their strip).
func (b *block) genAlong(a []float32, rsa, csa int, bp []float32, ldb, bnext int, c []float32, ldc int, bias []float32, tiles int) {
	p, kr, nx := b.p, b.kern, &b.nx
	if nx.done >= nx.total {
		kr.fnG(b.kc, a, rsa, csa, bp, ldb, bnext, c, ldc, p.alpha, b.beta, bias, b.act, tiles)
		return
	}
	nr := kr.nr
	t, r := nx.done/b.kc, nx.done%b.kc
	rows := min(nx.share, b.kc-r)
	off := (b.pc+r)*p.ldb + nx.jc + t*nr
	src := p.b[off : off+(rows-1)*p.ldb+nr]
	d := (t*b.kc + r) * nr
	kr.fnGC(b.kc, a, rsa, csa, bp, ldb, bnext, c, ldc, p.alpha, b.beta, bias, b.act, tiles, src, p.ldb, nx.dst[d:d+rows*nr], rows)
	nx.done += rows
}

// finishAlong packs the rows of the next block no call copied.
func (b *block) finishAlong() {
	nx, nr := &b.nx, b.kern.nr
	for nx.done < nx.total {
		t, r := nx.done/b.kc, nx.done%b.kc
		rows := b.kc - r
		packBStrip(false, b.p.b, b.p.ldb, b.pc+r, rows, nx.jc+t*nr, nr, nr, nx.dst[(t*b.kc+r)*nr:])
		nx.done += rows
	}
}
