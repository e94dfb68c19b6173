package kernels

// The patch matrix of a 1-D, 2-D or 3-D float32 convolution, produced on
// demand in the strips the SGEMM streams instead of being materialised.
//
// For one image and group (cg channels), row p = (ci·KH + ky)·KW + kx of
// the kk = cg·KH·KW rows and column o = oy·OW + ox of the OH·OW columns
// hold the input the tap (ky, kx) of channel ci reads at output (oy, ox):
//
//	B[p, o] = X[ci, oy·SH − PT + ky·DH, ox·SW − PL + kx·DW]   (0 in the padding)
//
// When the convolution pads, the group's channels are first copied into a
// zero-bordered buffer (cg·(H+PT+PB)·(W+PL+PR) values, a small fraction
// of the patch matrix), after which every row is a plain offset:
// B[p, o] = Xp[tap[p] + oy·SH·Wp + ox·SW], with tap[p] = ci·Hp·Wp +
// ky·DH·Wp + kx·DW. A strip of nr columns is a handful of row segments of
// the output, each a contiguous (unit stride) or strided run of the input.
//
// A 3-D convolution is the same with depth: its output rows are the
// (od, oy) pairs, row (od, oy) starting at od·SD·Hp·Wp + oy·SH·Wp of the
// bordered volume, and tap[p] adds kd·DD·Hp·Wp for the depth tap.

// convLayout is the float32 lowering of a 1-D or 2-D convolution geometry
// (shared by all Runs with that geometry; read-only once made).
type convLayout struct {
	h, w           int   // input plane (1-D: h = 1)
	pt, pl, pb, pr int   // padding actually materialised (end pads clipped at 0)
	hp, wp         int   // padded plane (3-D: hp counts the rows of all padded depth slices)
	d, pf, pk, hs  int   // 3-D: input depth, front/back padding, padded rows per slice (else 1, 0, 0, hp)
	ohs, sd        int   // 3-D: output rows per depth slice, depth stride (else 0, 1)
	padded         bool  // some padding is non-zero: copy into a bordered buffer
	oh, ow         int   // output plane
	sh, sw         int   // strides
	tap            []int // per row of the patch matrix: offset at output (0, 0)
	flat           bool  // column o reads tap[p] + o (1×1, unit strides, no padding)

	// Shifted rows (unit strides, rows narrower than the padded plane):
	// the input is also copied once per kernel column kx into rows of
	// just ow values, Xs[kx, ci, r, c] = Xp[ci, r, kx·DW + c], so that a
	// patch row reads one contiguous run per output depth slice,
	// B[p, o] = Xs[stap[p] + (od·SD·hs + oy)·ow + ox], in place of one
	// short run per output row.
	shift  bool
	kw, dw int   // kernel columns (shifted copies) and their dilation
	stap   []int // per row of the patch matrix: offset in Xs at output (0, 0)
}

// convShiftMaxRow is the output row length up to which the shifted form
// is used: longer rows are copied efficiently run by run.
const convShiftMaxRow = 16

// convLayout3D enables the 3-D layout (benchmarks compare it with the
// materialised im2col3D path).
var convLayout3D = true

// convLayoutOf returns the layout of a 1-D, 2-D or 3-D geometry, or nil
// for other ranks and for negative begin padding (the generic path runs
// those).
func convLayoutOf(g *convGeom) *convLayout {
	l := convLayout{d: 1, sd: 1}
	var kd, kh, kw, dd, dh, dw int
	kd, dd = 1, 1
	switch len(g.in) {
	case 1:
		l.h, l.w, l.oh, l.ow = 1, int(g.in[0]), 1, int(g.out[0])
		kh, kw, dh, dw = 1, int(g.k[0]), 1, int(g.d[0])
		l.sh, l.sw = 1, int(g.s[0])
		l.pl, l.pr = int(g.pb[0]), max(int(g.pe[0]), 0)
	case 2:
		l.h, l.w, l.oh, l.ow = int(g.in[0]), int(g.in[1]), int(g.out[0]), int(g.out[1])
		kh, kw, dh, dw = int(g.k[0]), int(g.k[1]), int(g.d[0]), int(g.d[1])
		l.sh, l.sw = int(g.s[0]), int(g.s[1])
		l.pt, l.pl = int(g.pb[0]), int(g.pb[1])
		l.pb, l.pr = max(int(g.pe[0]), 0), max(int(g.pe[1]), 0)
	case 3:
		if !convLayout3D {
			return nil
		}
		l.d, l.h, l.w = int(g.in[0]), int(g.in[1]), int(g.in[2])
		l.ohs, l.ow = int(g.out[1]), int(g.out[2])
		l.oh = int(g.out[0]) * l.ohs
		kd, kh, kw = int(g.k[0]), int(g.k[1]), int(g.k[2])
		dd, dh, dw = int(g.d[0]), int(g.d[1]), int(g.d[2])
		l.sd, l.sh, l.sw = int(g.s[0]), int(g.s[1]), int(g.s[2])
		l.pf, l.pt, l.pl = int(g.pb[0]), int(g.pb[1]), int(g.pb[2])
		l.pk, l.pb, l.pr = max(int(g.pe[0]), 0), max(int(g.pe[1]), 0), max(int(g.pe[2]), 0)
	default:
		return nil
	}
	if l.pf < 0 || l.pt < 0 || l.pl < 0 {
		return nil
	}
	l.padded = l.pf+l.pk+l.pt+l.pl+l.pb+l.pr > 0
	l.hs, l.wp = l.h+l.pt+l.pb, l.w+l.pl+l.pr
	l.hp = (l.d + l.pf + l.pk) * l.hs
	cg := g.c / g.group
	vol := l.hp * l.wp
	l.tap = make([]int, 0, cg*kd*kh*kw)
	for ci := range cg {
		for kz := range kd {
			for ky := range kh {
				for kx := range kw {
					l.tap = append(l.tap, ci*vol+(kz*dd*l.hs+ky*dh)*l.wp+kx*dw)
				}
			}
		}
	}
	l.flat = kd == 1 && kh == 1 && kw == 1 && l.sd == 1 && l.sh == 1 && l.sw == 1 && !l.padded && l.ow == l.wp
	// The shifted copies hold kw·ow values per padded row; bound them by
	// 4 padded rows (kernel widths are attributes a model sets freely).
	l.shift = !l.flat && l.sh == 1 && l.sw == 1 && l.ow > 0 && l.ow <= convShiftMaxRow && l.ow < l.wp && kw*l.ow <= 4*l.wp
	if l.shift {
		l.kw = kw
		l.stap = make([]int, 0, len(l.tap))
		for ci := range cg {
			for kz := range kd {
				for ky := range kh {
					for kx := range kw {
						l.stap = append(l.stap, ((kx*cg+ci)*l.hp+kz*dd*l.hs+ky*dh)*l.ow)
					}
				}
			}
		}
		l.dw = dw
	}
	return &l
}

// rowOff is the offset in the (bordered) input of output row r's first
// column at tap 0: r = oy in 1-D and 2-D, r = od·ohs + oy in 3-D.
func (l *convLayout) rowOff(r int) int {
	if l.ohs == 0 {
		return r * l.sh * l.wp
	}
	return (r/l.ohs*l.sd*l.hs + r%l.ohs*l.sh) * l.wp
}

// padLen is the size of the copies of one group's cg channels: the
// bordered copy (when the convolution pads) and the shifted rows (when
// used).
func (l *convLayout) padLen(cg int) int {
	n := l.borderLen(cg)
	if l.shift {
		n += l.kw * cg * l.hp * l.ow
	}
	return n
}

// borderLen is the size of the bordered copy of cg channels (0 when the
// convolution does not pad).
func (l *convLayout) borderLen(cg int) int {
	if !l.padded {
		return 0
	}
	return cg * l.hp * l.wp
}

// source returns the input the patch matrix reads for the cg channels of
// x: x itself, or its bordered copy and/or shifted rows written into buf
// (padLen(cg) values).
func (l *convLayout) source(buf, x []float32, cg int) []float32 {
	if l.padded {
		xp := buf[:l.borderLen(cg)]
		l.pad(xp, x, cg)
		x = xp
	}
	if l.shift {
		xs := buf[l.borderLen(cg):l.padLen(cg)]
		l.shifted(xs, x, cg)
		x = xs
	}
	return x
}

// shifted writes the shifted rows of the cg channels of xp (hp×wp each,
// bordered when the convolution pads) into xs: Xs[kx, ci, r, c] =
// Xp[ci, r, kx·DW + c] for c < ow.
func (l *convLayout) shifted(xs, xp []float32, cg int) {
	ow := l.ow
	for kx := range l.kw {
		for ci := range cg {
			src := xp[ci*l.hp*l.wp+kx*l.dw:]
			dst := xs[(kx*cg+ci)*l.hp*ow : (kx*cg+ci+1)*l.hp*ow]
			for r := range l.hp {
				copy(dst[r*ow:(r+1)*ow], src[r*l.wp:r*l.wp+ow])
			}
		}
	}
}

// pad copies cg channels of x (d slices of h×w) into dst (hp×wp per
// channel: d + pf + pk slices of hs×wp) with zero borders.
func (l *convLayout) pad(dst, x []float32, cg int) {
	in, slice := l.h*l.w, l.hs*l.wp
	for ci := range cg {
		vol := dst[ci*l.hp*l.wp : (ci+1)*l.hp*l.wp]
		clear(vol[:l.pf*slice])
		clear(vol[(l.pf+l.d)*slice:])
		for z := range l.d {
			src := x[(ci*l.d+z)*in : (ci*l.d+z+1)*in]
			d := vol[(l.pf+z)*slice : (l.pf+z+1)*slice]
			clear(d[:l.pt*l.wp])
			clear(d[(l.pt+l.h)*l.wp:])
			for y := range l.h {
				row := d[(l.pt+y)*l.wp : (l.pt+y+1)*l.wp]
				clear(row[:l.pl])
				copy(row[l.pl:l.pl+l.w], src[y*l.w:(y+1)*l.w])
				clear(row[l.pl+l.w:])
			}
		}
	}
}

// convPatches is the patch matrix of one image and group over the
// (padded) input x; it is the sgemm.BSource of the W·patches product.
type convPatches struct {
	l *convLayout
	x []float32
}

// convSeg is a run of n patch-matrix columns from column j that read the
// input from offset off (plus the row's tap) with the column stride.
type convSeg struct{ j, off, n int }

// convMaxSegs bounds the segments handled per pass over a strip's rows.
const convMaxSegs = 72

// PackStrip writes dst[p*nr+j] = B[pc+p, j0+j] for j < cols and 0 for
// cols ≤ j < nr (see sgemm.BSource).
func (s *convPatches) PackStrip(dst []float32, pc, kc, j0, cols, nr int) {
	l := s.l
	dst = dst[:kc*nr]
	taps := l.tap[pc : pc+kc]
	if l.flat {
		for p, t := range taps {
			d := dst[p*nr : p*nr+nr]
			copy(d[:cols], s.x[t+j0:t+j0+cols])
			clear(d[cols:])
		}
		return
	}
	if cols < nr {
		for p := range kc {
			clear(dst[p*nr+cols : p*nr+nr])
		}
	}
	if l.shift {
		s.packShifted(dst, l.stap[pc:pc+kc], j0, cols, nr)
		return
	}
	var segs [convMaxSegs]convSeg
	oy, ox := j0/l.ow, j0%l.ow
	for j := 0; j < cols; {
		// Collect the next segments: output rows oy, oy+1, … from ox.
		ns := 0
		for ; j < cols && ns < convMaxSegs; ns++ {
			n := min(l.ow-ox, cols-j)
			segs[ns] = convSeg{j: j, off: l.rowOff(oy) + ox*l.sw, n: n}
			j += n
			oy, ox = oy+1, 0
		}
		convFillSegs(dst, s.x, taps, segs[:ns], nr, l.sw)
	}
}

// packShifted is PackStrip over the shifted rows (s.x is Xs): columns
// [j0, j0+cols) of each patch row are one run of Xs per output depth
// slice.
func (s *convPatches) packShifted(dst []float32, staps []int, j0, cols, nr int) {
	l := s.l
	slice := l.oh * l.ow // output columns per depth slice
	if l.ohs != 0 {
		slice = l.ohs * l.ow
	}
	for j := 0; j < cols; {
		o := j0 + j
		od, r := o/slice, o%slice
		n := min(slice-r, cols-j)
		base := od*l.sd*l.hs*l.ow + r
		for p, t := range staps {
			copy(dst[p*nr+j:p*nr+j+n], s.x[t+base:t+base+n])
		}
		j += n
	}
}

// convFillSegs writes, for every row p (tap taps[p]) and segment, the
// segment's run of the input into dst[p*nr+seg.j:].
func convFillSegs(dst, x []float32, taps []int, segs []convSeg, nr, sw int) {
	if sw != 1 {
		convFillStrided(dst, x, taps, segs, nr, sw)
		return
	}
	for p, t := range taps {
		d := dst[p*nr : p*nr+nr]
		for _, sg := range segs {
			convCopyRun(d[sg.j:sg.j+sg.n], x[t+sg.off:t+sg.off+sg.n])
		}
	}
}

// convFillStrided is convFillSegs for a stride sw > 1: every sw-th value
// of each segment's run (float32 patches, and the 8-bit patches of the
// integer GEMM, convFillSegsU8).
func convFillStrided[T float32 | uint8](dst, x []T, taps []int, segs []convSeg, ld, sw int) {
	for p, t := range taps {
		d := dst[p*ld : p*ld+ld]
		for _, sg := range segs {
			out := d[sg.j : sg.j+sg.n]
			src := x[t+sg.off : t+sg.off+(sg.n-1)*sw+1]
			for i := range out {
				out[i] = src[i*sw]
			}
		}
	}
}

// convCopyRun copies src into dst (same length) in 4-float blocks (one
// 16-byte move each; a 32-byte array copy compiles to a memmove call),
// the last block overlapping the previous one: runs of a few output
// columns are too short for the built-in copy's call to pay off.
func convCopyRun(dst, src []float32) {
	n := len(dst)
	if n < 4 {
		for i := range dst {
			dst[i] = src[i]
		}
		return
	}
	src = src[:n]
	for i := 0; i < n-4; i += 4 {
		*(*[4]float32)(dst[i:]) = *(*[4]float32)(src[i:])
	}
	*(*[4]float32)(dst[n-4:]) = *(*[4]float32)(src[n-4:])
}

// materialise writes the whole patch matrix (kk×out, row-major) into col.
func (s *convPatches) materialise(col []float32) {
	out := s.l.oh * s.l.ow
	s.PackStrip(col, 0, len(s.l.tap), 0, out, out)
}
