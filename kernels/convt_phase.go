package kernels

import (
	"fmt"
	"slices"

	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// The sub-pixel (stride-phase) form of a float32 1-D or 2-D
// ConvTranspose with a constant, finite W.
//
// Along one axis (stride s, dilation d, begin pad p) tap k sends input i
// to the unpadded position u = i·s + k·d = (i + t)·s + φ, where φ = k·d
// mod s is the tap's phase and t = k·d div s its shift. Output o, with
// u = o + p, φ = u mod s and q = u div s, therefore sums over the taps of
// its own phase only:
//
//	Y[m, o] = bias[m] + Σ_c Σ_{taps k of phase φ} W[c, m, k]·X[c, q − t(k)]
//
// a stride-1 correlation of X (zero outside) with the phase's taps. In
// 2-D, the phases (φy, φx) whose tap rows and tap columns have the same
// shifts form a class (every phase of a k×k stride-s kernel with s
// dividing k is in one class): their weights stack into one matrix
//
//	A[(φy, φx, m), (c, ty, tx)] = W[c, m, ky, kx]   (ky·dh = ty·sh + φy, kx·dw = tx·sw + φx)
//
// and they share the right operand
//
//	B[(c, ty, tx), (qy, qx)] = X[c, qy − ty, qx − tx]
//
// over the q grid qy < ih + Ty − 1, qx < iw + Tx − 1 (Ty, Tx the largest
// shifts plus one). So each class is ONE GEMM whose depth is C times the
// taps per phase, and whose result is the output itself, interleaved: no
// column matrix is added up (col2im writes kh·kw/(sh·sw) times more
// values, from a GEMM that is as many times shallower).
//
// B's rows are runs of a zero-padded copy Xp of X: with rows of width
// wq = iw + Tx − 1 (the Tx − 1 zero columns of one row are the left
// margin of the next), Ty − 1 zero rows above and below and Tx − 1 zeros
// in front, row (c, ty, tx) is Xp[c][lead + (Ty−1−ty)·wq − tx + j] for
// the flat q position j = qy·wq + qx. The store interleaves each phase's
// q grid into the output planes, adding the bias; output positions that
// no phase reaches (output_padding past the last tap) hold the bias.
//
// Zero padding multiplies weights by 0, hence the finite W; Inf or NaN in
// X reach exactly the outputs they reach in the definition.

// convTPhaseAxis is the phase structure of one axis of a kernel.
type convTPhaseAxis struct {
	s, t   int     // stride; largest shift + 1
	taps   [][]int // per phase: its kernel indices, ascending
	shifts [][]int // per phase: the shift of each tap
}

func newConvTPhaseAxis(k, s, d int) convTPhaseAxis {
	a := convTPhaseAxis{s: s, taps: make([][]int, s), shifts: make([][]int, s)}
	for kk := range k {
		e := kk * d
		a.taps[e%s] = append(a.taps[e%s], kk)
		a.shifts[e%s] = append(a.shifts[e%s], e/s)
		a.t = max(a.t, e/s+1)
	}
	return a
}

// classes groups the phases that have taps by equal shift lists.
func (a *convTPhaseAxis) classes() [][]int {
	var out [][]int
	for ph := range a.s {
		if len(a.taps[ph]) == 0 {
			continue
		}
		i := slices.IndexFunc(out, func(cl []int) bool { return slices.Equal(a.shifts[cl[0]], a.shifts[ph]) })
		if i < 0 {
			out = append(out, []int{ph})
			continue
		}
		out[i] = append(out[i], ph)
	}
	return out
}

// convTPhaseClass is one GEMM of the sub-pixel form: the phases py × px,
// whose tap rows have the shifts sy and tap columns the shifts sx.
type convTPhaseClass struct {
	py, px []int
	sy, sx []int
	rows   int         // len(py)·len(px)·mg
	depth  int         // cg·len(sy)·len(sx)
	a      [][]float32 // per group: A in panels of 6 rows (convTPhasePack)
}

// panels is the number of 6-row panels of the class's A.
func (cl *convTPhaseClass) panels() int { return (cl.rows + 5) / 6 }

// convTPhaseW is the sub-pixel form's weights: every class of a kernel
// (independent of the input size and pads).
type convTPhaseW struct {
	ay, ax  convTPhaseAxis
	classes []convTPhaseClass
	rows    int // Σ panels·6: the GEMM output's rows
	tile    func(k, tiles int, a, x []float32, offs []int, c []float32, ldc int)
	half    func(k int, a, x []float32, offs []int, c []float32, ldc int) // a last tile of 32 columns
	zip     convTZipRowsFunc                                              // the stride-2 store's interleave
	pad     convPadRowsFunc                                               // Xp's rows
}

// convTZipRowsFunc is the stride-2 store's interleave of rows of two
// column phases (amd64.ConvTZipRowsGo states its math).
type convTZipRowsFunc func(dst, a, b []float32, n, rows, ldd, lds, relu int, bias float32)

// newConvTPhaseW stacks and packs W ([C, mg, kh, kw], group groups) for
// the sub-pixel form with strides (sh, sw) and dilations (dh, dw); b is
// nil at Run.
func newConvTPhaseW(b *Build, level isa.Level, w []float32, c, mg, kh, kw, group, sh, sw, dh, dw int) *convTPhaseW {
	p := &convTPhaseW{ay: newConvTPhaseAxis(kh, sh, dh), ax: newConvTPhaseAxis(kw, sw, dw), tile: convTPhaseTile(level), half: convTPhaseHalf(level), zip: convTZipRows(level), pad: convPadRows(level)}
	cg := c / group
	for _, py := range p.ay.classes() {
		for _, px := range p.ax.classes() {
			cl := convTPhaseClass{py: py, px: px, sy: p.ay.shifts[py[0]], sx: p.ax.shifts[px[0]]}
			cl.rows = len(py) * len(px) * mg
			cl.depth = cg * len(cl.sy) * len(cl.sx)
			for gi := range group {
				if w == nil {
					break // shapes only (convTPhaseChoose)
				}
				wg := w[gi*cg*mg*kh*kw:][:cg*mg*kh*kw]
				cl.a = append(cl.a, convTPhasePack(b, level, &p.ay, &p.ax, &cl, wg, cg, mg, kh, kw))
			}
			p.classes = append(p.classes, cl)
			p.rows += cl.panels() * 6
		}
	}
	return p
}

// convTPhasePack returns class cl's A for one group's weights wg
// ([cg, mg, kh, kw]) in the layout of the tile kernel: per panel of six
// rows, depth steps of six values (rows past cl.rows are zero), through
// b's prepack hook when b is set.
func convTPhasePack(b *Build, level isa.Level, ay, ax *convTPhaseAxis, cl *convTPhaseClass, wg []float32, cg, mg, kh, kw int) []float32 {
	pack := func() []float32 {
		a := make([]float32, cl.panels()*6*cl.depth)
		for iy, phy := range cl.py {
			for ix, phx := range cl.px {
				for m := range mg {
					r := (iy*len(cl.px)+ix)*mg + m
					pr := a[r/6*6*cl.depth+r%6:]
					for c := range cg {
						for jy, ky := range ay.taps[phy] {
							for jx, kx := range ax.taps[phx] {
								pr[6*((c*len(cl.sy)+jy)*len(cl.sx)+jx)] = wg[((c*mg+m)*kh+ky)*kw+kx]
							}
						}
					}
				}
			}
		}
		return a
	}
	if b == nil {
		return pack()
	}
	// Keyed on W[g] itself (the stacked matrix is a temporary), so that
	// a compiled artifact's panels are found again at load.
	key := fmt.Sprintf("convT.phase6/%s/m%d/k%d/mg%d/k%dx%d/py%v/px%v/sy%v/sx%v",
		level, cl.rows, cl.depth, mg, kh, kw, cl.py, cl.px, cl.sy, cl.sx)
	a := b.Prepacked(wg, key, pack)
	if len(a) != cl.panels()*6*cl.depth {
		return pack() // a stored panel that does not fit its key: repack
	}
	return a
}

// convTPhaseRun is the part of one phase's q range that lands in the
// output: n positions from q0, the first at output o0, then every s-th.
type convTPhaseRun struct{ q0, n, o0 int }

// convTPhaseRuns returns, per phase of axis a, the run of q < nq that
// lands in [0, out) with begin pad p.
func convTPhaseRuns(a *convTPhaseAxis, nq, out, p int) (runs []convTPhaseRun, covered int) {
	for ph := range a.s {
		if len(a.taps[ph]) == 0 {
			runs = append(runs, convTPhaseRun{})
			continue
		}
		// o = q·s + ph − p ∈ [0, out)  ⇔  q ∈ [⌈(p−ph)/s⌉, ⌊(out−1+p−ph)/s⌋].
		q0 := 0
		if p > ph {
			q0 = (p - ph + a.s - 1) / a.s
		}
		q1 := -1
		if hi := out - 1 + p - ph; hi >= 0 {
			q1 = min(hi/a.s, nq-1)
		}
		n := max(q1-q0+1, 0)
		runs = append(runs, convTPhaseRun{q0: q0, n: n, o0: q0*a.s + ph - p})
		covered += n
	}
	return runs, covered
}

// convTPhasePlan is the sub-pixel plan of one geometry and input
// channel count (read-only once made).
type convTPhasePlan struct {
	wq, hq, n  int     // q grid width and rows; GEMM columns hq·wq
	tiles, ldc int     // GEMM column tiles of 64 (ldc = 64·tiles)
	half       bool    // the last tile is 32 columns wide (the q grid ends in its first half)
	lead, top  int     // Xp: zeros before the first data value of a plane
	plane      int     // Xp values per channel
	offs       [][]int // per class: B's row offsets into Xp
	cOff       []int   // per class: its rows' offset in the GEMM output
	yRun, xRun []convTPhaseRun
	covered    bool  // every output position is some phase's
	rowBase    []int // per phase (φy·sw + φx): its first row's offset in the GEMM output, −1 without taps
	zip        bool  // rows are stored as interleaved pairs (stride 2 across, covered)
	ih, iw, cg int
}

func newConvTPhasePlan(w *convTPhaseW, t *convT2D, cg, mg int) *convTPhasePlan {
	p := &convTPhasePlan{ih: t.ih, iw: t.iw, cg: cg}
	ty, tx := w.ay.t, w.ax.t
	p.wq, p.hq = t.iw+tx-1, t.ih+ty-1
	p.n = p.hq * p.wq
	p.tiles = (p.n + 63) / 64
	p.ldc = 64 * p.tiles
	p.half = p.n%64 != 0 && p.n%64 <= 32
	p.lead = tx - 1
	p.top = p.lead + (ty-1)*p.wq
	p.plane = p.lead + (t.ih+2*(ty-1))*p.wq
	var cy, cx int
	p.yRun, cy = convTPhaseRuns(&w.ay, p.hq, t.oh, t.ph)
	p.xRun, cx = convTPhaseRuns(&w.ax, p.wq, t.ow, t.pw)
	p.covered = cy == t.oh && cx == t.ow
	p.zip = p.covered && t.sw == 2
	p.rowBase = make([]int, t.sh*t.sw)
	for i := range p.rowBase {
		p.rowBase[i] = -1
	}
	off := 0
	for _, cl := range w.classes {
		var o []int
		for c := range cg {
			for _, sy := range cl.sy {
				for _, sx := range cl.sx {
					o = append(o, c*p.plane+p.lead+(ty-1-sy)*p.wq-sx)
				}
			}
		}
		p.offs = append(p.offs, o)
		p.cOff = append(p.cOff, off)
		for iy, phy := range cl.py {
			for ix, phx := range cl.px {
				p.rowBase[phy*t.sw+phx] = off + (iy*len(cl.px)+ix)*mg*p.ldc
			}
		}
		off += cl.panels() * 6 * p.ldc
	}
	for phy := range t.sh {
		if len(w.ay.taps[phy]) > 0 && p.zip && (p.rowBase[phy*t.sw] < 0 || p.rowBase[phy*t.sw+1] < 0) {
			p.zip = false
		}
	}
	return p
}

// xpLen is the length of Xp: cg planes and a margin for the columns of
// the last tile past n.
func (p *convTPhasePlan) xpLen() int { return p.cg*p.plane + p.ldc - p.n }

// fill writes Xp (xpLen values) from one group's input planes xg.
func (p *convTPhasePlan) fill(pad convPadRowsFunc, xp, xg []float32) {
	borderPlanes(pad, xp, xg, p.cg, p.plane, p.ih, p.iw, p.wq, p.top, 0)
}

// store writes planes [m0, m1) of y (mg planes of oh × ow) from the GEMM
// output cbuf of every class, adding the bias. With relu set it may also
// apply the ReLU; it reports whether it did.
func (p *convTPhasePlan) store(w *convTPhaseW, cbuf, y, bias []float32, t *convT2D, mg, m0, m1 int, relu bool) bool {
	os := t.oh * t.ow
	if !p.covered {
		for m := m0; m < m1; m++ {
			var b float32
			if bias != nil {
				b = bias[m]
			}
			plane := y[m*os:][:os]
			for i := range plane {
				plane[i] = b
			}
		}
	}
	if p.zip {
		p.storeZip(w.zip, cbuf, y, bias, t, m0, m1, relu)
		return relu
	}
	ow, sh, sw, wq, ldc := t.ow, t.sh, t.sw, p.wq, p.ldc
	for ci := range w.classes {
		cl := &w.classes[ci]
		cc := cbuf[p.cOff[ci]:]
		for iy, phy := range cl.py {
			ry := p.yRun[phy]
			for ix, phx := range cl.px {
				rx := p.xRun[phx]
				if ry.n == 0 || rx.n == 0 {
					continue
				}
				for m := m0; m < m1; m++ {
					var b float32
					if bias != nil {
						b = bias[m]
					}
					src := cc[((iy*len(cl.px)+ix)*mg+m)*ldc:][:p.n]
					ym := y[m*os:][:os]
					for r := range ry.n {
						s := src[(ry.q0+r)*wq+rx.q0:][:rx.n]
						d := ym[(ry.o0+r*sh)*ow+rx.o0:]
						switch sw {
						case 1:
							d = d[:len(s)]
							for i, v := range s {
								d[i] = v + b
							}
						case 2:
							d = d[:2*len(s)-1]
							for i, v := range s {
								d[2*i] = v + b
							}
						default:
							d = d[:(len(s)-1)*sw+1]
							for i, v := range s {
								d[i*sw] = v + b
							}
						}
					}
				}
			}
		}
	}
	return false
}

// phase reports whether a constant W runs in the sub-pixel form:
// convTPhaseChoose's choice for a finite W, unless convTForce replaces it.
func (k *convTKernel) phase(g *convGeom, t convT2D) bool {
	if !k.finite || !convTPhaseFits(g, t) {
		return false
	}
	if convTForce >= 0 {
		return convTForce == 2
	}
	k.gmu.Lock()
	defer k.gmu.Unlock()
	if !k.pcSet || k.pcKey != t {
		k.pcKey, k.pcSet, k.pc = t, true, convTPhaseChoose(g, t, k.level)
	}
	return k.pc
}

// convTPhaseFits reports whether the sub-pixel form's scratch (the
// bordered input and the GEMM output) stays within DefaultMaxElements:
// dilations and pads are attributes a hostile model sets to anything, and
// the shifts grow with the dilation while the pads crop the output. The
// phase tables hold one entry per phase, so a stride must not pass the
// kernel's dilated extent either: the phases past it have no taps (their
// outputs are the bias), which the col2im forms handle, and a hostile
// stride would size the tables.
func convTPhaseFits(g *convGeom, t convT2D) bool {
	lim := int64(DefaultMaxElements)
	for _, a := range [][3]int{{t.kh, t.sh, t.dh}, {t.kw, t.sw, t.dw}} {
		k, s, d := int64(a[0]), int64(a[1]), int64(a[2])
		if d > lim || s > (k-1)*d+1 {
			return false
		}
	}
	ty := int64((t.kh-1)*t.dh/t.sh + 1)
	tx := int64((t.kw-1)*t.dw/t.sw + 1)
	hq, wq := int64(t.ih)+ty-1, int64(t.iw)+tx-1
	if hq+ty > lim || wq+1 > lim/(hq+ty) {
		return false
	}
	cg, m := int64(g.c/g.group), int64(g.m/g.group)
	return (hq+ty)*(wq+1) <= lim/max(cg, m+6, 1)
}

// phaseW returns the sub-pixel form's packed weights (once); b is nil at
// Run.
func (k *convTKernel) phaseW(b *Build) *convTPhaseW {
	k.phOnce.Do(func() {
		c, mg := int(k.ws[0]), int(k.ws[1])
		kh, kw := 1, int(k.ws[2])
		if len(k.ws) == 4 {
			kh, kw = int(k.ws[2]), int(k.ws[3])
		}
		s, d := k.spec.attrs.Ints("strides", nil), k.spec.attrs.Ints("dilations", nil)
		at := func(v []int64, i int) int {
			if i < len(v) {
				return int(v[i])
			}
			return 1
		}
		sh, sw, dh, dw := 1, at(s, 0), 1, at(d, 0)
		if len(k.ws) == 4 {
			sh, sw, dh, dw = at(s, 0), at(s, 1), at(d, 0), at(d, 1)
		}
		k.phw = newConvTPhaseW(b, k.level, k.w, c, mg, kh, kw, k.spec.group, sh, sw, dh, dw)
	})
	return k.phw
}

// phaseFor returns the sub-pixel plan of geometry t (cached for the last
// geometry).
func (k *convTKernel) phaseFor(t convT2D, cg int) *convTPhasePlan {
	k.gmu.Lock()
	defer k.gmu.Unlock()
	if k.pplan == nil || k.pkey != t {
		k.pplan, k.pkey = newConvTPhasePlan(k.phw, &t, cg, int(k.ws[1])), t
	}
	return k.pplan
}

// phaseFill writes pair p's Xp to the front of buf.
func (j *convTJob) phaseFill(p int, buf []float32) {
	n, gi := p/j.group, p%j.group
	j.pp.fill(j.pw.pad, buf[:j.pp.xpLen()], j.x[(n*j.group+gi)*j.cg*j.in:][:j.cg*j.in])
}

// phaseGemm computes column tiles [t0, t1) of every class's GEMM of pair
// p from the Xp at the front of buf into the rest of buf (rows·ldc
// values).
func (j *convTJob) phaseGemm(p int, buf []float32, t0, t1 int) {
	gi := p % j.group
	pp, pw := j.pp, j.pw
	xp := buf[:pp.xpLen()]
	cb := buf[len(xp):]
	for ci := range pw.classes {
		cl := &pw.classes[ci]
		a, offs := cl.a[gi], pp.offs[ci]
		full := t1 - t0
		if pp.half && t1 == pp.tiles {
			full--
		}
		for r := range cl.panels() {
			ar := a[r*6*cl.depth:][:6*cl.depth]
			c := cb[pp.cOff[ci]+r*6*pp.ldc:]
			if full > 0 {
				pw.tile(cl.depth, full, ar, xp[64*t0:], offs, c[64*t0:], pp.ldc)
			}
			if t0+full < t1 {
				pw.half(cl.depth, ar, xp[64*(t1-1):], offs, c[64*(t1-1):], pp.ldc)
			}
		}
	}
}

// phaseStore writes planes [m0, m1) of pair p from phaseGemm's buf,
// adding the bias and applying the fused activation.
func (j *convTJob) phaseStore(buf []float32, p, m0, m1 int) {
	n, gi := p/j.group, p%j.group
	y := j.y[(n*j.group+gi)*j.mg*j.os:][:j.mg*j.os]
	var bias []float32
	if j.bias != nil {
		bias = j.bias[gi*j.mg:][:j.mg]
	}
	if !j.pp.store(j.pw, buf[j.pp.xpLen():], y, bias, &j.t, j.mg, m0, m1, j.act.kind == faRelu) {
		j.activate(p, m0, m1)
	}
}

// convTPhaseChoose reports whether the sub-pixel form is preferred to
// the col2im forms for geometry g on level l: only with the AVX-512 tile
// kernels (elsewhere they are the Go twins), only while the tiles'
// padded multiply-adds (6-row panels; 64-column tiles over the q grid, a
// last half tile of 32 counted 1.5 times: its FMAs wait on as many
// broadcasts) are at most 2.5 times the useful ones, and, where
// convTCols would run colᵀ, only while that form's estimated time is not
// lower. The estimates are a fit to TestConvTransposeCPU (2026-11-30, one
// thread, AVX-512, after the gather, its transposing store and the
// stride-2 store went to assembly): the sub-pixel form 19 ns per thousand
// padded multiply-adds; colᵀ 21 ns per thousand of its GEMM's
// (micro-kernel tiles), 0.9 ns per gathered run of up to 16 channels and
// 0.7 ns per output value for the transposing store. Measured (µs,
// sub-pixel against colᵀ): a DCGAN generator's 4×4 k4s2 layer 30 against
// 17, its 8×8 k3s2 layer 24 against 21, its 16×16 k4s2 layer to 3
// channels 14 against 32, a U-Net's 32×32 k2s2 layer 179 against 287, a
// 128→64 k4s2 layer on 16×16 767 against 672, a 32×32 k3s1 layer to 3
// channels 22 against 34.
func convTPhaseChoose(g *convGeom, t convT2D, l isa.Level) bool {
	if l != isa.AVX512 {
		return false
	}
	a := newConvTPhaseW(nil, l, nil, g.c, g.m/g.group, t.kh, t.kw, g.group, t.sh, t.sw, t.dh, t.dw)
	cg, mg := g.c/g.group, g.m/g.group
	n := (t.ih + a.ay.t - 1) * (t.iw + a.ax.t - 1)
	cols2 := (n + 63) / 64 * 128 // twice the tile columns
	if r := n % 64; r != 0 && r <= 32 {
		cols2 = n/64*128 + 96
	}
	padded2 := 0
	for _, cl := range a.classes {
		padded2 += cl.panels() * 6 * cols2 * cl.depth
	}
	useful := mg * cg * t.kh * t.kw * t.ih * t.iw
	if padded2 > 5*useful {
		return false
	}
	if !convTCols(g, t, l) {
		return true
	}
	mr, nr := sgemm.PanelShape(l)
	up := func(v, u int) int { return (v + u - 1) / u * u }
	in, rows := t.ih*t.iw, mg*t.kh*t.kw
	gemm := up(in, mr) * up(rows, nr) * cg
	runs := in * t.kh * t.kw * ((mg + 15) / 16)
	store := t.oh * t.ow * mg
	return 19*padded2/2 <= 21*gemm+900*runs+700*store
}

// storeZip is store for a covered stride-2-across geometry: the output
// rows of each row phase are written in order by one call of zip, which
// interleaves their two column phases (and applies the ReLU when relu is
// set). Output column ox is phase (ox+pw) mod 2 at q = (ox+pw) div 2: its
// even columns come from phase pw mod 2 at q from pw div 2, its odd ones
// from the other phase, from q = (pw+1) div 2.
func (p *convTPhasePlan) storeZip(zip convTZipRowsFunc, cbuf, y, bias []float32, t *convT2D, m0, m1 int, relu bool) {
	os, ow, wq := t.oh*t.ow, t.ow, p.wq
	q0, q1, odd := t.pw/2, (t.pw+1)/2, t.pw%2
	r := 0
	if relu {
		r = 1
	}
	for m := m0; m < m1; m++ {
		var b float32
		if bias != nil {
			b = bias[m]
		}
		ym := y[m*os:][:os]
		for phy, ry := range p.yRun {
			if ry.n == 0 {
				continue
			}
			even := p.rowBase[phy*2+odd] + m*p.ldc + ry.q0*wq
			other := p.rowBase[phy*2+1-odd] + m*p.ldc + ry.q0*wq
			zip(ym[ry.o0*ow:], cbuf[even+q0:], cbuf[other+q1:], ow, ry.n, t.sh*ow, wq, r, b)
		}
	}
}
