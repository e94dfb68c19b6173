package kernels

import (
	"fmt"
	"math"
	"sync"

	"github.com/nncc/nncc/kernels/vecmath"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// Float32 ConvTranspose of rank 1 and 2 (1-D runs as 2-D with H = 1).
// With cg = C/group input and mg = M/group output channels per group,
// rows = mg·kh·kw and in = ih·iw, each (image, group) pair is
//
//  1. one GEMM giving the column matrix col (rows × in): entry
//     ((m, ky, kx), (iy, ix)) = Σ_c W[c, m, ky, kx]·X[c, iy, ix], in one of
//     two orientations picked by padded micro-kernel tiles (convTCols):
//     col   = W[g]ᵀ·X[g]  (W packed once as sgemm.PackedA; lanes along in)
//     colᵀ  = X[g]ᵀ·W[g]  (W packed once as sgemm.PackedB; lanes along rows,
//     for small images such as the 1×1 and 4×4 inputs of a generator)
//  2. a col2im: for colᵀ (W packed with columns (tap, m)) the gather of
//     convt_gather.go (each output position sums whole runs of mg values,
//     then Yᵀ is transposed into the planes with the bias); for col with
//     a finite constant W the shift-add of convt_shift.go (one vector add
//     per tap into phase planes, then an interleave with the bias);
//     otherwise convT2D.scatter, adding row (m, ky, kx) of col into plane
//     m at (iy·sh − ph + ky·dh, ix·sw − pw + kx·dw), the rows and columns
//     that land inside computed once per tap (vecmath.Span).
//
// A 1×1 input in the colᵀ orientation is one product per group for all
// images (rows of X are the images' channel vectors).
//
// A constant, finite W may instead run the sub-pixel form of
// convt_phase.go (convTPhaseChoose, AVX-512): per class of stride phases
// one GEMM of depth C·(taps per phase) straight into the interleaved
// output, no column matrix; it wins where the col2im forms' column matrix
// is large next to their GEMM (few output channels, larger images).
//
// Threads: pairs are split over the pool when there are enough of them,
// else each GEMM runs on the pool and the col2im splits the planes.
// Other ranks and float64 run the N-D path of conv_transpose.go.

// convTKernel is the build-time state of one ConvTranspose node.
type convTKernel struct {
	spec  *convSpec
	level isa.Level
	w     []float32 // constant float32 W ([C, M/group, k...]), nil otherwise
	ws    []int64   // W's shape when w is set

	paOnce, pbOnce sync.Once
	pa             []*sgemm.PackedA // per group: W[g]ᵀ (rows × cg)
	pb             []*sgemm.PackedB // per group: W[g] (cg × rows), columns (tap, m)

	gmu   sync.Mutex   // guards the gather lists below
	gkey  convT2D      // geometry of gat
	gmg   int          // output channels per group of gat
	gat   *convTGather // for the colᵀ orientation, made on first use
	skey  convT2D      // geometry of shift
	shift *convTShift  // for the col orientation, made on first use

	finite bool // w has no Inf or NaN (the shift-add's zero columns stay 0)

	phOnce sync.Once
	phw    *convTPhaseW    // the sub-pixel form's weights (convt_phase.go)
	pkey   convT2D         // geometry of pplan (guarded by gmu)
	pplan  *convTPhasePlan // the sub-pixel plan, made on first use
	pcKey  convT2D         // geometry of pc (guarded by gmu)
	pcSet  bool
	pc     bool // convTPhaseChoose's answer for pcKey

	act fusedAct // nncc.FusedConvTranspose's activation (zero: none)
}

// shiftFor returns the shift-add plan of geometry t (cached for the last
// geometry).
func (k *convTKernel) shiftFor(t convT2D) *convTShift {
	k.gmu.Lock()
	defer k.gmu.Unlock()
	if k.shift == nil || k.skey != t {
		k.shift, k.skey = newConvTShift(&t), t
	}
	return k.shift
}

// gatherFor returns the gather lists of geometry t with mg output
// channels per group (cached for the last geometry).
func (k *convTKernel) gatherFor(t convT2D, mg int) *convTGather {
	k.gmu.Lock()
	defer k.gmu.Unlock()
	if k.gat == nil || k.gkey != t || k.gmg != mg {
		k.gat, k.gkey, k.gmg = newConvTGather(&t, mg, k.level), t, mg
	}
	return k.gat
}

// convTTapMajor returns W[g] (cg × (m, tap), mg channels of taps taps
// each) with its columns reordered to (tap, m).
func convTTapMajor(wg []float32, cg, mg, taps int) []float32 {
	rows := mg * taps
	out := make([]float32, len(wg))
	for c := range cg {
		src, dst := wg[c*rows:(c+1)*rows], out[c*rows:(c+1)*rows]
		for m := range mg {
			for t := range taps {
				dst[t*mg+m] = src[m*taps+t]
			}
		}
	}
	return out
}

func newConvTKernel(b *Build, spec *convSpec) *convTKernel {
	k := &convTKernel{spec: spec, level: b.Level}
	w := b.Node.In(1)
	if w == nil || w.Const == nil || w.Const.DType != ir.Float32 || len(w.Const.Shape) < 3 || len(w.Const.Shape) > 4 {
		return k
	}
	ws := w.Const.Shape
	if ws[0] == 0 || int(ws[0])%spec.group != 0 || len(w.Const.F32()) != nnProd(ws) {
		return k
	}
	k.w, k.ws = w.Const.F32(), append([]int64{}, ws...)
	k.finite = true
	for _, v := range k.w {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			k.finite = false
			break
		}
	}
	// Pack at build time (through b, so a compiled artifact's panels are
	// reused) for the orientation the static input shape chooses.
	xs := convStaticShape(b, len(ws))
	if xs == nil {
		return k
	}
	g, err := spec.resolve(&Ctx{Node: b.Node}, xs, ws, true)
	if err != nil {
		return k
	}
	if t, ok := convT2DOf(g); ok {
		if k.phase(g, t) {
			k.phaseW(b)
		} else if k.cols(g, t) {
			k.packedB(b)
		} else {
			k.packedA(b)
		}
	}
	return k
}

// groupW returns W[g], stored cg × rows.
func (k *convTKernel) groupW(gi int) (wg []float32, cg, rows int) {
	group := k.spec.group
	cg = int(k.ws[0]) / group
	rows = len(k.w) / int(k.ws[0])
	return k.w[gi*cg*rows : (gi+1)*cg*rows], cg, rows
}

// packedA returns W[g]ᵀ packed as left operands (once); b is nil at Run.
func (k *convTKernel) packedA(b *Build) []*sgemm.PackedA {
	k.paOnce.Do(func() {
		pa := make([]*sgemm.PackedA, k.spec.group)
		for gi := range pa {
			wg, cg, rows := k.groupW(gi)
			if b != nil {
				pa[gi] = b.PackA(true, rows, cg, wg, rows)
			} else {
				pa[gi] = sgemm.PackALevel(k.level, true, rows, cg, wg, rows)
			}
		}
		k.pa = pa
	})
	return k.pa
}

// packedB returns W[g] packed as right operands (once), its columns in
// (tap, m) order for the gather of convt_gather.go; b is nil at Run.
func (k *convTKernel) packedB(b *Build) []*sgemm.PackedB {
	k.pbOnce.Do(func() {
		pb := make([]*sgemm.PackedB, k.spec.group)
		for gi := range pb {
			wg, cg, rows := k.groupW(gi)
			mg := int(k.ws[1])
			pack := func() *sgemm.PackedB {
				return sgemm.PackBLevel(k.level, false, cg, rows, convTTapMajor(wg, cg, mg, rows/mg), rows)
			}
			if b == nil {
				pb[gi] = pack()
				continue
			}
			// Keyed on W[g] itself (the tap-major copy is a temporary), so
			// a compiled artifact's panels are found again at load.
			key := fmt.Sprintf("convT.B/%s/k%d/n%d/mg%d", sgemm.Layout(k.level), cg, rows, mg)
			var made *sgemm.PackedB
			data := b.Prepacked(wg, key, func() []float32 {
				made = pack()
				return made.Data()
			})
			if made == nil {
				var err error
				if made, err = sgemm.PackedBFromData(k.level, cg, rows, data); err != nil {
					made = pack() // a stored panel that does not fit its key: repack
				}
			}
			pb[gi] = made
		}
		k.pb = pb
	})
	return k.pb
}

// convT2D is a 1-D or 2-D ConvTranspose geometry as plain ints (1-D as
// H = 1).
type convT2D struct {
	ih, iw, oh, ow, kh, kw, sh, sw, dh, dw, ph, pw int
}

func convT2DOf(g *convGeom) (convT2D, bool) {
	switch len(g.in) {
	case 1:
		return convT2D{ih: 1, iw: int(g.in[0]), oh: 1, ow: int(g.out[0]), kh: 1, kw: int(g.k[0]),
			sh: 1, sw: int(g.s[0]), dh: 1, dw: int(g.d[0]), pw: int(g.pb[0])}, true
	case 2:
		return convT2D{ih: int(g.in[0]), iw: int(g.in[1]), oh: int(g.out[0]), ow: int(g.out[1]),
			kh: int(g.k[0]), kw: int(g.k[1]), sh: int(g.s[0]), sw: int(g.s[1]),
			dh: int(g.d[0]), dw: int(g.d[1]), ph: int(g.pb[0]), pw: int(g.pb[1])}, true
	}
	return convT2D{}, false
}

// convTCols reports whether the colᵀ orientation (lanes along rows) is
// preferred to col (lanes along input positions) on the SGEMM kernel of
// level l: it needs fewer padded micro-kernel tiles, with a 15% margin
// in its favour for its cheaper col2im (the gather adds runs of mg
// values; col's shift-add also clears and interleaves phase planes and
// packs padded rows; measured with TestConvTransposeCPU).
func convTCols(g *convGeom, t convT2D, l isa.Level) bool {
	mr, nr := sgemm.PanelShape(l)
	up := func(v, u int) int { return (v + u - 1) / u * u }
	rows, in := g.m/g.group*t.kh*t.kw, t.ih*t.iw
	return 100*up(in, mr)*up(rows, nr) < 115*up(rows, mr)*up(in, nr)
}

// cols reports whether a constant W runs in the colᵀ orientation:
// convTCols's choice, unless convTForce replaces it.
func (k *convTKernel) cols(g *convGeom, t convT2D) bool {
	if convTForce >= 0 {
		return convTForce == 1
	}
	return convTCols(g, t, k.level)
}

// scatter adds the column matrix of one (image, group) into planes
// [m0, m1) of y (each oh·ow, y starting at the group's first plane),
// after setting each plane to bias[m] (0 when bias is nil). Entry
// (r, i) of the column matrix, r = (m, ky, kx) and i = (iy, ix), is
// col[r*rs + i*cs]; it lands at (iy·sh − ph + ky·dh, ix·sw − pw + kx·dw)
// of plane m when that is inside the plane.
func (t *convT2D) scatter(col []float32, rs, cs int, y, bias []float32, m0, m1 int) {
	// The input columns [x0, x1) that land inside the plane, and the
	// output column of x0, per tap column (the same for every plane).
	type span struct{ x0, n, ox int }
	var buf [8]span
	spans := buf[:0]
	if t.kw > len(buf) {
		spans = make([]span, 0, t.kw)
	}
	for kx := range t.kw {
		x0, x1 := vecmath.Span(t.ow, t.iw, t.sw, t.pw, kx*t.dw)
		spans = append(spans, span{x0, x1 - x0, x0*t.sw - t.pw + kx*t.dw})
	}
	// Locals: the stores into the planes would otherwise make the
	// compiler reload t's fields in the inner loops.
	ih, iw, ow, kh, kw := t.ih, t.iw, t.ow, t.kh, t.kw
	sh, sw, dh, ph := t.sh, t.sw, t.dh, t.ph
	os := t.oh * ow
	for m := m0; m < m1; m++ {
		plane := y[m*os : (m+1)*os]
		var b0 float32
		if bias != nil {
			b0 = bias[m]
		}
		if b0 == 0 {
			clear(plane)
		} else {
			for i := range plane {
				plane[i] = b0
			}
		}
		for ky := range kh {
			// Input rows [y0, y1) land inside the plane for this tap row.
			y0, y1 := vecmath.Span(t.oh, ih, sh, ph, ky*dh)
			if y0 >= y1 {
				continue
			}
			for kx, sp := range spans {
				n := sp.n
				if n <= 0 {
					continue
				}
				r := (m*kh+ky)*kw + kx
				do := (y0*sh-ph+ky*dh)*ow + sp.ox
				so := r*rs + (y0*iw+sp.x0)*cs
				for range y1 - y0 {
					d := plane[do:]
					src := col[so:]
					do += sh * ow
					so += iw * cs
					switch {
					case sw == 1 && cs == 1:
						d, src = d[:n], src[:n]
						for j := range d {
							d[j] += src[j]
						}
					case sw == 2 && cs == 1:
						d, src = d[:2*n-1], src[:n]
						for j, v := range src {
							d[2*j] += v
						}
					case cs == 1:
						d, src = d[:(n-1)*sw+1], src[:n]
						for j, v := range src {
							d[j*sw] += v
						}
					default:
						d, src = d[:(n-1)*sw+1], src[:(n-1)*cs+1]
						for j := range n {
							d[j*sw] += src[j*cs]
						}
					}
				}
			}
		}
	}
}

// plainB is an sgemm.BSource over a row-major k×n matrix (row stride ld).
type plainB struct {
	b  []float32
	ld int
}

// PackStrip implements sgemm.BSource.
func (p *plainB) PackStrip(dst []float32, pc, kc, j0, cols, nr int) {
	for i := range kc {
		d := dst[i*nr : (i+1)*nr]
		copy(d[:cols], p.b[(pc+i)*p.ld+j0:])
		clear(d[cols:])
	}
}

// runF32 is ConvTranspose on float32 tensors: the 2-D path above for rank
// 3 and 4, the N-D path otherwise.
func (k *convTKernel) runF32(c *Ctx, in []*ir.Tensor) error {
	x, w, bias, err := convInputs(c, in)
	if err != nil {
		return err
	}
	g, err := k.spec.geom(c, x.Shape, w.Shape, true)
	if err != nil {
		return err
	}
	t, ok := convT2DOf(g)
	if !ok {
		return runConvTranspose[float32](c, k.level, k.spec, in, &k.act)
	}
	if err := checkBias(c, bias, g.m); err != nil {
		return err
	}
	out, err := c.OutputUninit(0, ir.Float32, g.outShape())
	if err != nil || out.Len() == 0 {
		// An empty output (a batch of 0) builds no per-position tables:
		// their size follows the output's height and width alone.
		return err
	}
	j := convTJobs.Get().(*convTJob)
	defer func() {
		clear(j.srcs)
		*j = convTJob{srcs: j.srcs[:0]}
		convTJobs.Put(j)
	}()
	*j = convTJob{t: t, x: x.F32(), y: out.F32(), cg: g.c / g.group, mg: g.m / g.group, group: g.group, srcs: j.srcs, act: &k.act}
	if threads := c.Pool.Threads(); cap(j.srcs) < threads {
		j.srcs = make([]convTSrc, threads)
	}
	j.srcs = j.srcs[:cap(j.srcs)]
	if bias != nil {
		j.bias = bias.F32()
	}
	j.in, j.os = t.ih*t.iw, t.oh*t.ow
	j.rows = j.mg * t.kh * t.kw
	if j.cg == 0 || j.in == 0 || j.rows == 0 {
		// Nothing to add: every plane is its bias.
		for p := range g.n * g.group {
			j.scatter(nil, 0, 0, p, 0, j.mg)
		}
		return nil
	}
	constW := k.w != nil && sameShape(k.ws, w.Shape)
	switch {
	case !constW:
		j.wd = w.F32()
	case k.phase(g, t):
		j.pw = k.phaseW(nil)
		j.pp = k.phaseFor(t, j.cg)
	case k.cols(g, t):
		j.pb = k.packedB(nil)
	default:
		j.pa = k.packedA(nil)
	}
	j.level = k.level
	switch {
	case j.pb != nil:
		j.gat = k.gatherFor(t, j.mg)
	case j.pa != nil && k.finite:
		j.sh, j.vec = k.shiftFor(t), vecmath.For(k.level)
	}
	pairs := g.n * g.group
	macs := pairs * j.rows * j.in * j.cg
	colLen := j.rows * j.in
	threads := c.Pool.Threads()
	switch {
	case j.pb != nil && j.in == 1:
		// One product per group for a range of images (rows n of X are
		// the images' channel vectors).
		tasks := 1
		if threads > 1 && macs >= convParMACs {
			tasks = min(threads, g.n)
		}
		per := (g.n+tasks-1)/tasks*j.rows + j.os*j.mg
		buf := c.ScratchF32(per * tasks)
		if tasks == 1 {
			j.images(0, g.n, buf)
			break
		}
		convTImagesLoop.For(c.Pool, tasks, 1, convTPar{j: j, buf: buf, per: per, tasks: tasks, n: g.n})
	case threads <= 1 || macs < convParMACs:
		buf := c.ScratchF32(j.per())
		for p := range pairs {
			j.one(p, 0, buf, nil)
		}
	case pairs >= threads && colLen <= convTTaskCol:
		per := j.per()
		buf := c.ScratchF32(per * threads)
		convTPairsLoop.For(c.Pool, threads, 1, convTPar{j: j, buf: buf, per: per, tasks: threads, n: pairs})
	case j.pw != nil:
		// One pair at a time, its GEMM tiles and its store split over the
		// pool.
		buf := c.ScratchF32(j.per())
		for p := range pairs {
			j.phaseFill(p, buf)
			a := convTPar{j: j, col: buf, p: p}
			convTPhaseGemmLoop.For(c.Pool, j.pp.tiles, 1, a)
			convTPhaseStoreLoop.For(c.Pool, j.mg, 1, a)
		}
	default:
		buf := c.ScratchF32(j.per())
		col, yt := buf[:j.rows*j.colW()], buf[j.rows*j.colW():]
		pool := sgemmPool(c.Pool)
		for p := range pairs {
			j.pair(p, 0, col, pool)
			a := convTPar{j: j, col: col, yt: yt, p: p}
			switch {
			case j.sh != nil:
				convTShiftLoop.For(c.Pool, j.mg, 1, a)
			case j.gat == nil:
				convTScatterLoop.For(c.Pool, j.mg, 1, a)
			default:
				convTGatherLoop.For(c.Pool, t.oh, 1, a)
				convTStoreLoop.For(c.Pool, j.mg, 1, a)
			}
		}
	}
	return nil
}

// convTPar is one parallel loop of runF32 (recycled through jobPools, so
// that a Run allocates no closure).
type convTPar struct {
	j        *convTJob
	buf      []float32 // scratch: per values for each task
	per      int
	tasks, n int // tasks, and images or pairs shared among them
	col, yt  []float32
	p        int // the pair of the per-pair loops
}

// The loops of runF32: images of a 1×1 input per task, pairs per task,
// and, for one pair at a time, its col2im split over output channels or
// rows.
var (
	convTImagesLoop = newJobPool(func(a *convTPar, lo, hi int) {
		for task := lo; task < hi; task++ {
			a.j.images(task*a.n/a.tasks, (task+1)*a.n/a.tasks, a.buf[task*a.per:(task+1)*a.per])
		}
	})
	convTPairsLoop = newJobPool(func(a *convTPar, lo, hi int) {
		for task := lo; task < hi; task++ {
			for p := task * a.n / a.tasks; p < (task+1)*a.n/a.tasks; p++ {
				a.j.one(p, task, a.buf[task*a.per:(task+1)*a.per], nil)
			}
		}
	})
	convTShiftLoop      = newJobPool(func(a *convTPar, lo, hi int) { a.j.shiftAdd(a.col, a.yt, a.p, lo, hi) })
	convTScatterLoop    = newJobPool(func(a *convTPar, lo, hi int) { a.j.scatter(a.col, a.j.in, 1, a.p, lo, hi) })
	convTPhaseGemmLoop  = newJobPool(func(a *convTPar, lo, hi int) { a.j.phaseGemm(a.p, a.col, lo, hi) })
	convTPhaseStoreLoop = newJobPool(func(a *convTPar, lo, hi int) { a.j.phaseStore(a.col, a.p, lo, hi) })
	convTGatherLoop     = newJobPool(func(a *convTPar, lo, hi int) { a.j.gat.run(a.col, a.yt, a.j.mg, a.j.t.ow, lo, hi) })
	convTStoreLoop      = newJobPool(func(a *convTPar, lo, hi int) { a.j.store(a.yt, a.p, lo, hi) })
)

// convTForce, when not negative, replaces the form convTCols and
// convTPhaseChoose pick for a constant W: 0 col, 1 colᵀ, 2 the sub-pixel
// form where it applies (finite W), else col (tests and benchmarks compare
// them all).
var convTForce = -1

// convTSrc is one task's right-operand source for the col orientation
// (kept in the pooled job so that Runs do not allocate).
type convTSrc struct {
	pad   convTPaddedB
	plain plainB
}

// convTJobs recycles jobs (and their sources) between Runs.
var convTJobs = recycle.Pool{New: func() any { return new(convTJob) }}

// convTTaskCol bounds the column matrix (values) each thread keeps when
// pairs are split over threads; larger ones run one pair at a time with
// the GEMM and the col2im split over the pool, sharing one matrix.
const convTTaskCol = 1 << 20

// convTJob is one Run of the 2-D path.
type convTJob struct {
	t              convT2D
	level          isa.Level
	x, y, bias, wd []float32
	pa             []*sgemm.PackedA
	pb             []*sgemm.PackedB
	gat            *convTGather    // the colᵀ orientation's gather lists
	sh             *convTShift     // the col orientation's shift-add plan (constant W)
	pw             *convTPhaseW    // the sub-pixel form's weights (constant W)
	pp             *convTPhasePlan // and its plan
	vec            *vecmath.Routines
	cg, mg, group  int
	in, os, rows   int
	srcs           []convTSrc // per task
	act            *fusedAct  // applied to each plane once it is complete
}

// per is the scratch one pair needs: the column matrix, and Yᵀ for the
// gather.
func (j *convTJob) per() int {
	switch {
	case j.pw != nil:
		return j.pp.xpLen() + j.pw.rows*j.pp.ldc
	case j.gat != nil:
		return j.rows*j.in + j.os*j.mg
	case j.sh != nil:
		return j.rows*j.colW() + j.mg*j.sh.planes()
	}
	return j.rows * j.in
}

// colW is the number of columns of the column matrix: input positions,
// rows padded for the shift-add.
func (j *convTJob) colW() int {
	if j.sh != nil {
		return j.t.ih * j.sh.qxp
	}
	return j.in
}

// shiftAdd adds the column matrix of pair p into the phase planes pl of
// channels [m0, m1) and writes those output planes.
func (j *convTJob) shiftAdd(col, pl []float32, p, m0, m1 int) {
	n, gi := p/j.group, p%j.group
	y := j.y[(n*j.group+gi)*j.mg*j.os:][:j.mg*j.os]
	var bias []float32
	if j.bias != nil {
		bias = j.bias[gi*j.mg:][:j.mg]
	}
	pl = pl[m0*j.sh.planes():]
	j.sh.add(j.vec, col, pl, j.colW(), m0, m1)
	j.sh.store(y, pl, bias, j.t.ow, m0, m1)
	j.activate(p, m0, m1)
}

// one computes pair p with buf (j.per() values) as scratch.
func (j *convTJob) one(p, task int, buf []float32, pool sgemm.Pool) {
	if j.pw != nil {
		j.phaseFill(p, buf)
		j.phaseGemm(p, buf, 0, j.pp.tiles)
		j.phaseStore(buf, p, 0, j.mg)
		return
	}
	col := buf[:j.rows*j.colW()]
	j.pair(p, task, col, pool)
	if j.sh != nil {
		j.shiftAdd(col, buf[len(col):], p, 0, j.mg)
		return
	}
	if j.gat == nil {
		j.scatter(col, j.in, 1, p, 0, j.mg)
		return
	}
	yt := buf[j.rows*j.in:]
	j.gat.run(col, yt, j.mg, j.t.ow, 0, j.t.oh)
	j.store(yt, p, 0, j.mg)
}

// images computes images [n0, n1) of a 1×1 input (j.in == 1) in the colᵀ
// orientation, one product per group; buf holds (n1−n0)·rows + os·mg.
func (j *convTJob) images(n0, n1 int, buf []float32) {
	if n0 >= n1 {
		return
	}
	col, yt := buf[:(n1-n0)*j.rows], buf[(n1-n0)*j.rows:]
	c := j.cg * j.group
	for gi := range j.group {
		sgemm.SgemmPacked(false, n1-n0, 1, j.x[n0*c+gi*j.cg:], c, j.pb[gi], 0, col, j.rows, nil, nil)
		for n := n0; n < n1; n++ {
			j.gat.run(col[(n-n0)*j.rows:], yt, j.mg, j.t.ow, 0, j.t.oh)
			j.store(yt, n*j.group+gi, 0, j.mg)
		}
	}
}

// store writes planes [m0, m1) of pair p from Yᵀ, adding the bias.
func (j *convTJob) store(yt []float32, p, m0, m1 int) {
	n, gi := p/j.group, p%j.group
	y := j.y[(n*j.group+gi)*j.mg*j.os:][:j.mg*j.os]
	var bias []float32
	if j.bias != nil {
		bias = j.bias[gi*j.mg:][:j.mg]
	}
	relu := 0
	if j.act.kind == faRelu {
		relu = 1
	}
	j.gat.tpose(y, yt, bias, j.os, j.mg, m0, m1, relu)
	if relu == 0 {
		j.activate(p, m0, m1)
	}
}

// pair computes the column matrix of pair p (image p/group, group
// p%group) into col, laid out with strides j.rs, j.cs.
func (j *convTJob) pair(p, task int, col []float32, pool sgemm.Pool) {
	n, gi := p/j.group, p%j.group
	xg := j.x[(n*j.group+gi)*j.cg*j.in:][:j.cg*j.in]
	switch {
	case j.pb != nil:
		// colᵀ (in × rows) = X[g]ᵀ·W[g].
		sgemm.SgemmPacked(true, j.in, 1, xg, j.in, j.pb[gi], 0, col, j.rows, nil, pool)
	case j.pa != nil && j.sh != nil:
		src := &j.srcs[task].pad
		*src = convTPaddedB{x: xg, ih: j.t.ih, iw: j.t.iw, wp: j.sh.qxp}
		sgemm.SgemmSource(j.pa[gi], j.colW(), 1, src, 0, col, j.colW(), nil, pool)
	case j.pa != nil:
		src := &j.srcs[task].plain
		*src = plainB{b: xg, ld: j.in}
		sgemm.SgemmSource(j.pa[gi], j.in, 1, src, 0, col, j.in, nil, pool)
	default:
		wg := j.wd[gi*j.cg*j.rows:][:j.cg*j.rows]
		sgemm.SgemmLevel(j.level, true, false, j.rows, j.in, j.cg, 1, wg, j.rows, xg, j.in, 0, col, j.in, nil, pool)
	}
}

// scatter sets planes [m0, m1) of pair p's group to their bias and adds
// col into them.
func (j *convTJob) scatter(col []float32, rs, cs, p, m0, m1 int) {
	n, gi := p/j.group, p%j.group
	y := j.y[(n*j.group+gi)*j.mg*j.os:][:j.mg*j.os]
	var bias []float32
	if j.bias != nil {
		bias = j.bias[gi*j.mg:][:j.mg]
	}
	if col == nil {
		for m := m0; m < m1; m++ {
			plane := y[m*j.os : (m+1)*j.os]
			var b0 float32
			if bias != nil {
				b0 = bias[m]
			}
			for i := range plane {
				plane[i] = b0
			}
		}
	} else {
		j.t.scatter(col, rs, cs, y, bias, m0, m1)
	}
	j.activate(p, m0, m1)
}

// activate applies the fused activation (if any) to the finished planes
// [m0, m1) of pair p.
func (j *convTJob) activate(p, m0, m1 int) {
	if j.act.kind == faNone || m0 >= m1 {
		return
	}
	n, gi := p/j.group, p%j.group
	y := j.y[(n*j.group+gi)*j.mg*j.os:][:j.mg*j.os]
	j.act.apply(y[m0*j.os : m1*j.os])
}
