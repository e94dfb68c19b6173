package kernels

import (
	"github.com/nncc/nncc/kernels/isa"
)

// The register-tile path of the float32 attention core: on levels with
// SGEMM micro-kernels that read B in place (attnTileKernels), each batch
// entry runs straight on them instead of through two general SGEMM calls,
// six query rows at a time:
//
//	Kᵀ is transposed once into kt (dk × ldS, zero columns past sk);
//	V is gathered into vp (sk × dvp, zero columns past dv) unless the
//	    pv tiles can read it in place;
//	for each panel of six query rows:
//	    pack the rows of Q into an A micro-panel (zero rows past sq);
//	    S₆ = scale · Q₆·Kᵀ                     (qk tiles, 6 × ldS, each
//	                                             the widest that fits)
//	    mask and softmax each row of S₆ < sq    (attnGeom.scoreRow)
//	    pack S₆ into an A micro-panel P₆
//	    Y₆ = P₆·V                               (pv tiles, 6 × dvp)
//
// so S never leaves a 6-row strip in L1 and no SGEMM driver runs per head.
// ldS is sk rounded up to the narrowest qk tile and dvp is dv rounded up
// to the pv tile, so heads of any size take this path: a head of 5 runs
// on an 8-wide pv tile, which wastes lanes but none of the SGEMM path's
// per-call packing and edge tiles. The math is the one of attnJob.one;
// the sums of Q·Kᵀ and P·V run in increasing t and j as there.

// attnTileFunc is a B-in-place SGEMM micro-kernel (amd64.Tile6x32StrideAVX512
// and its relatives): a 6×nr tile c[i*ldc+j] = alpha·Σ_{p<k} a[p*6+i]·b[p*ldb+j].
type attnTileFunc func(k int, a, b []float32, ldb int, c []float32, ldc int, alpha float32)

// attnTileKernels are the micro-kernels of one level: qk for Q·Kᵀ, the
// widest first (nr qkNR[i]; a key strip takes the widest tile that fits
// in ldS), pv for P·V (nr pvNR), and pack6 for A micro-panels
// (amd64.PackA6SSE's contract: dst[p*6+i] = a[i*lda+p]).
type attnTileKernels struct {
	qk    []attnTileFunc
	qkNR  []int
	pv    attnTileFunc
	pvNR  int
	pack6 func(kc int, a []float32, lda int, dst []float32)
}

// attnTilePlan is the tile path's geometry, fixed at build time.
type attnTilePlan struct {
	kern    *attnTileKernels
	ldS     int  // row length of kt and of the S strip: sk rounded up to the narrowest qk tile
	dvp     int  // dv rounded up to pvNR: the columns the pv tiles compute
	vDirect bool // V's rows are contiguous: the pv tiles read it in place (see oneTiles)
	yDirect bool // dv = dvp and Y's rows are contiguous: full panels are written in place
}

// planTiles decides whether g runs on the tile path of level and returns
// the scratch (float32 elements) one worker needs for it.
func (g *attnGeom) planTiles(level isa.Level) (int, bool) {
	return g.planTilesWith(attnTileKernelsFor(level, g.dv))
}

// planTilesWith is planTiles on the micro-kernels kern (nil: none).
func (g *attnGeom) planTilesWith(kern *attnTileKernels) (int, bool) {
	if kern == nil || g.sq <= 0 || g.sk <= 0 || g.dk <= 0 || g.dv <= 0 || g.batchCount == 0 {
		return 0, false
	}
	step := kern.qkNR[len(kern.qkNR)-1]
	t := &attnTilePlan{kern: kern}
	t.ldS = (g.sk + step - 1) / step * step
	t.dvp = (g.dv + kern.pvNR - 1) / kern.pvNR * kern.pvNR
	t.vDirect = g.v.dim == 1
	t.yDirect = g.directY && t.dvp == g.dv
	per := g.dk*t.ldS + 6*g.dk + 6*t.ldS + 6*g.sk + 6*t.dvp
	if !t.vDirect || t.dvp != g.dv {
		per += g.sk * t.dvp
	}
	g.tiles = t
	return per, true
}

// oneTiles computes batch entry idx on the tile path with buf as scratch.
func (j *attnJob) oneTiles(idx []int, buf []float32) {
	g, o, t := j.g, &j.o, j.g.tiles
	sq, sk, dk, dv, ldS, dvp := g.sq, g.sk, g.dk, g.dv, t.ldS, t.dvp
	kern := t.kern
	take := func(n int) []float32 {
		s := buf[:n]
		buf = buf[n:]
		return s
	}
	kt := take(dk * ldS)
	qp := take(6 * dk)
	s6 := take(6 * ldS)
	pp := take(6 * sk)
	yt := take(6 * dvp)

	// kt[p, j] = K[j, p]; columns sk..ldS-1 stay zero.
	koff := g.k.base(idx)
	for p := range dk {
		clear(kt[p*ldS+sk : (p+1)*ldS])
	}
	if g.k.dim == 1 {
		attnTransposeRows(kt, ldS, o.k[koff:], g.k.seq, sk, dk)
	} else {
		for jj := range sk {
			for p := range dk {
				kt[p*ldS+jj] = o.k[koff+jj*g.k.seq+p*g.k.dim]
			}
		}
	}

	// V in place when its rows are contiguous, also when dv < dvp: the
	// pv tiles then read dvp - dv values past each row (the next head's,
	// or the next token's), whose products land only in Y's columns past
	// dv and are dropped, as long as the last row's read stays inside V's
	// data; gathered and zero-padded otherwise.
	vb, voff, ldv := o.v, g.v.base(idx), g.v.seq
	if !t.vDirect || voff+(sk-1)*ldv+dvp > len(o.v) {
		tmp := take(sk * dvp)
		attnGatherPad(tmp, dvp, o.v, voff, sk, dv, g.v.seq, g.v.dim)
		vb, voff, ldv = tmp, 0, dvp
	}
	qoff := g.q.base(idx)
	yoff := g.y.base(idx)
	mb, cb := 0, 0
	if g.hasMask {
		mb = g.m.base(idx)
	}
	if g.hasCond {
		cb = g.c.base(idx)
	}
	for i0 := 0; i0 < sq; i0 += 6 {
		rows := min(6, sq-i0)
		// Q₆ as an A micro-panel.
		if rows == 6 && g.q.dim == 1 {
			kern.pack6(dk, o.q[qoff+i0*g.q.seq:], g.q.seq, qp)
		} else {
			clear(qp)
			for i := range rows {
				p0 := qoff + (i0+i)*g.q.seq
				for p := range dk {
					qp[p*6+i] = o.q[p0+p*g.q.dim]
				}
			}
		}
		// S₆ = scale · Q₆·Kᵀ.
		for j0, w := 0, 0; j0 < ldS; j0 += kern.qkNR[w] {
			for j0+kern.qkNR[w] > ldS {
				w++
			}
			kern.qk[w](dk, qp, kt[j0:], ldS, s6[j0:], ldS, g.scale)
		}
		g.scoreRows(o, s6, ldS, i0, rows, cb, mb)
		// Y₆ = P₆·V.
		kern.pack6(sk, s6, ldS, pp)
		direct := rows == 6 && t.yDirect
		for j0 := 0; j0 < dvp; j0 += kern.pvNR {
			if direct {
				kern.pv(sk, pp, vb[voff+j0:], ldv, o.y[yoff+i0*g.y.seq+j0:], g.y.seq, 1)
			} else {
				kern.pv(sk, pp, vb[voff+j0:], ldv, yt[j0:], dvp, 1)
			}
		}
		if !direct {
			for i := range rows {
				p := yoff + (i0+i)*g.y.seq
				for c, x := range yt[i*dvp : i*dvp+dv] {
					o.y[p+c*g.y.dim] = x
				}
			}
		}
	}
}

// attnTransposeRows writes dst[p*ldd+j] = src[j*lds+p] for j < rows, p <
// cols, four source rows at a time so that each destination row gets four
// neighbouring stores.
func attnTransposeRows(dst []float32, ldd int, src []float32, lds, rows, cols int) {
	j := 0
	for ; j+4 <= rows; j += 4 {
		r0 := src[j*lds:][:cols]
		r1 := src[(j+1)*lds:][:cols]
		r2 := src[(j+2)*lds:][:cols]
		r3 := src[(j+3)*lds:][:cols]
		for p := range r0 {
			d := dst[p*ldd+j:][:4]
			d[0], d[1], d[2], d[3] = r0[p], r1[p], r2[p], r3[p]
		}
	}
	for ; j < rows; j++ {
		for p, x := range src[j*lds:][:cols] {
			dst[p*ldd+j] = x
		}
	}
}

// attnGatherPad copies the rows×cols matrix at src (strides rs, cs) into
// dst with rows of ld ≥ cols elements, the columns past cols zero. Rows
// are a head's few values, so plain loops, not copy and clear calls.
func attnGatherPad(dst []float32, ld int, src []float32, base, rows, cols, rs, cs int) {
	for i := range rows {
		r := dst[i*ld : (i+1)*ld]
		p := base + i*rs
		for t := range cols {
			r[t] = src[p+t*cs]
		}
		for t := cols; t < len(r); t++ {
			r[t] = 0
		}
	}
}
