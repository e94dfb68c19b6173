package kernels

import (
	"math"
	"os"
	"sync"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
	"github.com/nncc/nncc/kernels/vecmath"
	"github.com/nncc/nncc/kernels/winograd"
)

// Conv. Float32 chooses its algorithm per input shape in convChoose (a few
// comparisons on the cached geometry, redone per Run at no cost); float64
// (and any other nnNumber type) runs the portable im2col + triple loop of
// convCompute, and float16/bfloat16 run the float32 path.
//
// With cg = C/group input and mg = M/group output channels per group,
// kk = cg·kernel taps and out = output positions per image, each (image,
// group) pair is one of:
//
//	algorithm   when (convChoose)                   per (image, group)
//	depthwise   1-D or 2-D, group == C, M a         vecmath.DepthwiseConv2D over all
//	            multiple of C (conv_depthwise.go)   planes, depthwise1D over rows
//	                                                (no GEMM)
//	winograd    W constant, 3×3, stride 1, no       package winograd F(4,3) or F(2,3)
//	            dilation, one group, and            on the whole batch (weights
//	            winograd.Pick says it wins          transformed once per padding)
//	packed      W constant and the Yᵀ product is    Yᵀ (out×mg) = Bᵀ·W[g]ᵀ on W packed
//	            cheaper (convCost)                  once as sgemm.PackedB; Yᵀ is then
//	                                                transposed into Y with the epilogue
//	flat        W constant, 2-D, unit strides, not  C = W[g]·P on the bordered input P
//	            pointwise, AVX-512, and cheaper     read in place by shifted runs
//	            (convFlatCost; conv_flat.go)        (ConvTranspose's tile kernels)
//	pointwise   1×…×1 kernel, unit strides, no pad  Y[g] (mg×out) = W[g]·X[g]
//	im2col      otherwise                           Y[g] = W[g]·B, B the patch matrix
//
// B is the patch matrix of conv_patches.go (kk×out). For 1-D and 2-D
// convolutions with a constant W, the pointwise and im2col forms run
// sgemm.SgemmSource on W packed once as sgemm.PackedA, and B is never
// materialised: convPatches packs each kc×nr strip straight from the
// (zero-bordered) image. Otherwise B is written to scratch.
//
// Why two orientations: the micro-kernel keeps vectors along the columns
// of C (64 wide on AVX-512), so Y = W·B wastes the lanes past out when the
// image is small (5×5 = 25 of 64 in a CNN's last layers), while Yᵀ puts
// the channels on the columns; convCost compares the padded tile work of
// both plus the copies each needs (B packed once for Y; B written, then
// packed by sgemm, then Yᵀ transposed for Yᵀ).
//
// Epilogue (bias, and FusedConv's residual and activation): in the Y form
// C is initialised with bias (+ residual) and the product accumulates onto
// it (beta = 1); ReLU is applied by the micro-kernel in registers. In the
// Yᵀ form the transpose adds them. Other activations run over each
// (image, group) block right after its product, while it is in cache.
//
// Threads: small convolutions (below convParMACs multiply-adds) run on the
// calling goroutine: handing work to a worker costs more than it saves.
// Larger ones split the (image, group) pairs among the threads,
// each with its own part of the step's scratch, or, with fewer pairs than
// threads, split each product over the pool.

func init() { Register("", "Conv", buildConv) }

func buildConv(b *Build) (Func, error) {
	k, err := newConvKernel(b, fusedAct{})
	if err != nil {
		return nil, err
	}
	return nnFloatKernel(k.runF32, runConvGeneric[float64](k.spec)), nil
}

// convKernel is the build-time state of one Conv or FusedConv node.
type convKernel struct {
	spec  *convSpec
	act   fusedAct  // FusedConv's activation (identity for Conv)
	level isa.Level // the ISA level W is packed for
	w     []float32 // constant float32 W, nil when W is computed at run time
	ws    []int64   // W's shape when w is set

	paOnce, pwOnce sync.Once
	pa             []*sgemm.PackedA // per group: W[g] (mg×kk), packed on first use
	pw             []*sgemm.PackedB // per group: op(B) = W[g]ᵀ (kk×mg), or nil

	winoMu  sync.Mutex
	wino    *winograd.Conv3x3 // for the pads and tile of winoKey, made on first use
	winoKey [5]int
	winoErr error // NewConv3x3 failed for winoKey (the level cannot run it)

	convFlatState // the flat form's packed W and plan (conv_flat.go)
}

func newConvKernel(b *Build, act fusedAct) (*convKernel, error) {
	spec, err := newConvSpec(b)
	if err != nil {
		return nil, err
	}
	k := &convKernel{spec: spec, act: act, level: b.Level}
	k.noFlat = os.Getenv("NNCC_CONV_FLAT") == "off"
	k.prepack(b)
	return k, nil
}

// convGemmForm returns the cheaper of the two GEMM forms, im2col and
// packed, for g at level: the fallback of a form that cannot run g.
func convGemmForm(g *convGeom, level isa.Level) convAlgo {
	if convCost(g, convPacked, level) < convCost(g, convIm2col, level) {
		return convPacked
	}
	return convIm2col
}

// convAlgo names a row of the choice table above.
type convAlgo int

const (
	convIm2col convAlgo = iota
	convPointwise
	convPacked
	convDepthwise
	convWinograd
	convFlat
)

// convParMACs is the multiply-add count of a whole Conv from which it is
// split over the pool: a few microseconds of this path's work, whose
// patch copies (1-D and 3-D convolutions, grouped ones) cost as much as
// the products at these sizes. It was 8M (50 µs of AVX-512 work) while a
// parked worker took 100 µs to wake; with futex wake-ups
// (runtime/pool_wake_linux.go) 256K took the catalogue's convnd_op17 (a
// 3-D convolution of 545K multiply-adds) at 2 threads from 0.047 to
// 0.036 ms (nncc bench, 2026-11-30). A variable so that tests can run the
// parallel paths on small shapes.
var convParMACs = 1 << 18

// convForce, when not negative, replaces the choice of convChoose by that
// algorithm wherever it can run (tests compare every algorithm).
var convForce convAlgo = -1

// convCopyCost is the cost of copying one value (writing B, packing,
// transposing) in multiply-adds of the micro-kernel, for convCost.
const convCopyCost = 24

// convChooseLevel (convChoose in the table above) returns the float32
// algorithm for geometry g on the SGEMM kernel of level l (the build's);
// wConst reports whether W is a constant (packed at build or on first use).
func convChooseLevel(g *convGeom, wConst bool, l isa.Level) convAlgo {
	switch {
	case convDepthwiseOK(g):
		return convDepthwise
	case wConst && convWinoTile(g) > 0:
		return convWinograd
	case wConst && convFlatWins(g, l):
		return convFlat
	case wConst && convCost(g, convPacked, l) < convCost(g, convIm2col, l):
		return convPacked
	case g.pointwise:
		return convPointwise
	}
	return convIm2col
}

// convWinoTile returns the Winograd output tile (4 or 2) for a 3×3,
// stride-1, undilated, single-group 2-D convolution where package
// winograd's measurements say it beats the GEMM forms, else 0.
func convWinoTile(g *convGeom) int {
	if len(g.in) != 2 || g.group != 1 || g.k[0] != 3 || g.k[1] != 3 || g.s[0] != 1 || g.s[1] != 1 ||
		g.d[0] != 1 || g.d[1] != 1 || g.pb[0] < 0 || g.pb[1] < 0 || g.pe[0] < 0 || g.pe[1] < 0 {
		return 0
	}
	if g.m < convWinoMinOut {
		return 0
	}
	return winograd.Pick(g.c, g.m, int(g.out[0]), int(g.out[1]))
}

// convWinoMinOut is the fewest output channels for which the NCHW path
// uses Winograd: below one AVX-512 vector of them, each of the 36
// transformed products runs the SGEMM's edge tiles only, and im2col won
// (session 4, 1 thread, min of 3 runs: a 10→10 channel 18×18 layer pair
// made the zoo's vgg_op11 0.165 → 0.131 ms, 8-channel 20×20 layers
// unet_op13 0.287 → 0.271 ms).
const convWinoMinOut = 16

// winogradFor returns the Winograd convolution for geometry g (tile 4 or
// 2), made once per padding and tile: at build through b (nil at Run),
// whose Prepacked reuses the transformed weights of a compiled artifact.
func (k *convKernel) winogradFor(b *Build, g *convGeom, tile int) (*winograd.Conv3x3, error) {
	key := [5]int{int(g.pb[0]), int(g.pb[1]), int(g.pe[0]), int(g.pe[1]), tile}
	k.winoMu.Lock()
	defer k.winoMu.Unlock()
	if (k.wino == nil && k.winoErr == nil) || k.winoKey != key {
		var prepack winograd.PrepackFunc
		if b != nil {
			prepack = b.Prepacked
		}
		k.wino, k.winoErr = winograd.NewConv3x3Prepacked(k.level, g.m, g.c, k.w, key[0], key[1], key[2], key[3], tile, prepack)
		k.winoKey = key
	}
	return k.wino, k.winoErr
}

// convPackedMaxYt bounds Yᵀ (out·mg values) for the packed form: past L2,
// writing and transposing it costs more than the lanes it saves.
const convPackedMaxYt = 32 << 10

// convCost estimates the work of one (image, group) product in
// multiply-adds: the micro-kernel tiles it runs (padded to mr×nr) plus the
// copies of B and of the result the orientation needs (calibrated with
// TestConvSeedTable).
func convCost(g *convGeom, algo convAlgo, l isa.Level) int {
	mr, nr := sgemm.PanelShape(l)
	up := func(v, u int) int { return (v + u - 1) / u * u }
	mg, kk, out := g.m/g.group, g.c/g.group*g.kSize, g.outSize
	if algo == convPacked {
		if out*mg > convPackedMaxYt {
			return math.MaxInt
		}
		copies := 2 // B written, then packed by sgemm as A
		if g.pointwise {
			copies = 1
		}
		return up(out, mr)*up(mg, nr)*kk + convCopyCost*(copies*kk*out+mg*out)
	}
	return up(mg, mr)*up(out, nr)*kk + convCopyCost*kk*out
}

// prepack records a constant float32 W and packs it at build time for the
// orientation the static input shape chooses (when the spatial sizes are
// not known then, the choice is made at the first Run, which packs).
func (k *convKernel) prepack(b *Build) {
	w := b.Node.In(1)
	if w == nil || w.Const == nil || w.Const.DType != ir.Float32 || len(w.Const.Shape) < 3 {
		return
	}
	ws := w.Const.Shape
	group := k.spec.group
	if int(ws[0])%group != 0 || ws[0] == 0 {
		return
	}
	data := w.Const.F32()
	kk := nnProd(ws[1:])
	if len(data) != int(ws[0])*kk || kk == 0 {
		return
	}
	k.w, k.ws = data, append([]int64{}, ws...)
	xs := convStaticShape(b, len(ws))
	if xs == nil {
		return
	}
	g, err := k.spec.resolve(&Ctx{Node: b.Node}, xs, ws, false)
	if err != nil {
		return
	}
	algo := convChooseLevel(g, true, k.level)
	if algo == convFlat && k.noFlat || algo == convWinograd && k.spec.exact {
		algo = convIm2col
	}
	switch algo {
	case convWinograd:
		if _, err := k.winogradFor(b, g, convWinoTile(g)); err == nil {
			return
		}
		if convGemmForm(g, k.level) == convPacked {
			k.packedB(b)
		} else {
			k.packedA(b)
		}
	case convPacked:
		k.packedB(b)
	case convFlat:
		k.flatW(b)
	case convIm2col, convPointwise:
		if convLayoutOf(g) != nil {
			k.packedA(b)
		}
	}
}

// packedA returns W[g] packed as left operands (once per kernel): at
// build through b (nil at Run), which reuses a compiled artifact's panels.
func (k *convKernel) packedA(b *Build) []*sgemm.PackedA {
	k.paOnce.Do(func() {
		group := k.spec.group
		mg := int(k.ws[0]) / group
		kk := len(k.w) / int(k.ws[0])
		pa := make([]*sgemm.PackedA, group)
		for gi := range group {
			wg := k.w[gi*mg*kk : (gi+1)*mg*kk]
			if b != nil {
				pa[gi] = b.PackA(false, mg, kk, wg, kk)
			} else {
				pa[gi] = sgemm.PackALevel(k.level, false, mg, kk, wg, kk)
			}
		}
		k.pa = pa
	})
	return k.pa
}

// packedB returns W[g]ᵀ packed as right operands (once per kernel), like
// packedA.
func (k *convKernel) packedB(b *Build) []*sgemm.PackedB {
	k.pwOnce.Do(func() {
		group := k.spec.group
		mg := int(k.ws[0]) / group
		kk := len(k.w) / int(k.ws[0])
		pw := make([]*sgemm.PackedB, group)
		for gi := range group {
			wg := k.w[gi*mg*kk : (gi+1)*mg*kk]
			if b != nil {
				pw[gi] = b.PackB(true, kk, mg, wg, kk)
			} else {
				pw[gi] = sgemm.PackBLevel(k.level, true, kk, mg, wg, kk)
			}
		}
		k.pw = pw
	})
	return k.pw
}

func convInputs(c *Ctx, in []*ir.Tensor) (x, w, bias *ir.Tensor, err error) {
	x, w = in[0], in[1]
	if x == nil || w == nil {
		return nil, nil, nil, c.Errorf("inputs X and W are required")
	}
	if len(in) > 2 {
		bias = in[2]
	}
	if err := nnSameDType(c, in, 0, 1, 2); err != nil {
		return nil, nil, nil, err
	}
	return x, w, bias, nil
}

func checkBias(c *Ctx, bias *ir.Tensor, m int) error {
	if bias != nil && (len(bias.Shape) != 1 || int(bias.Shape[0]) != m) {
		return c.Errorf("bias B has shape %v, expected [%d]", bias.Shape, m)
	}
	return nil
}

// runF32 is Conv on float32 tensors.
func (k *convKernel) runF32(c *Ctx, in []*ir.Tensor) error {
	return k.run(c, in, nil)
}

// run computes Y = act(Conv(X, W, B) + R); res (R, the output's shape) may
// be nil.
func (k *convKernel) run(c *Ctx, in []*ir.Tensor, res []float32) error {
	x, w, bias, err := convInputs(c, in)
	if err != nil {
		return err
	}
	g, err := k.spec.geom(c, x.Shape, w.Shape, false)
	if err != nil {
		return err
	}
	if err := checkBias(c, bias, g.m); err != nil {
		return err
	}
	out, err := c.OutputUninit(0, ir.Float32, g.outShape())
	if err != nil {
		return err
	}
	y := out.F32()
	if len(y) == 0 {
		return nil
	}
	if res != nil && len(res) != len(y) {
		return c.Errorf("BUG: residual has %d values, output %d", len(res), len(y))
	}
	var bd []float32
	if bias != nil {
		bd = bias.F32()
	}
	wConst := k.w != nil && sameShape(w.Shape, k.ws)
	algo := convChooseLevel(g, wConst, k.level)
	if algo == convFlat && k.noFlat || algo == convWinograd && k.spec.exact {
		algo = convGemmForm(g, k.level)
	}
	if f := convForce; f >= 0 && algo != convDepthwise && (f != convPacked || wConst) && (f != convPointwise || g.pointwise) &&
		(f != convWinograd || wConst && convWinoTile(g) > 0) && (f != convFlat || wConst && convFlatOK(g)) {
		algo = f
	}
	if algo == convFlat {
		// One product split over threads is the GEMM forms' job.
		pairs := g.n * g.group
		if threads := c.Pool.Threads(); threads > 1 && pairs < threads && pairs*g.m/g.group*g.outSize*g.c/g.group*g.kSize >= convParMACs {
			algo = convGemmForm(g, k.level)
		} else {
			k.runFlat(c, g, x.F32(), bd, y, res)
			return nil
		}
	}
	if algo == convWinograd {
		if done, err := k.runWinograd(c, g, x.F32(), bd, y, res); done || err != nil {
			return err
		}
		// The level cannot run it: the GEMM forms.
		algo = convGemmForm(g, k.level)
	}
	if algo == convDepthwise {
		convDepthwise2D(c, vecmath.For(k.level), g, x.F32(), w.F32(), bd, y)
		k.post(c, y, res, g.outSize)
		return nil
	}
	j := convJobs.Get().(*convJob)
	j.k, j.g, j.algo, j.x, j.w, j.bias, j.res, j.y = k, g, algo, x.F32(), w.F32(), bd, res, y
	j.lay = g.layout()
	j.pa, j.pw = nil, nil
	switch {
	case algo == convPacked:
		j.pw = k.packedB(nil)
	case wConst && j.lay != nil:
		j.pa = k.packedA(nil)
	}
	j.ep = sgemm.Epilogue{}
	j.actReg = false
	if a, ok := k.act.inRegisters(); ok {
		j.ep.Act, j.actReg = a, true
	}
	cg, mg := g.c/g.group, g.m/g.group
	j.kk = cg * g.kSize
	j.padLen, j.colLen, j.ytLen = 0, 0, 0
	if j.lay != nil {
		// The padded input is materialised: bound it (pads and dilations
		// are attributes a hostile model sets to anything).
		if j.lay.padded {
			if hp, wp := int64(j.lay.hp), int64(j.lay.wp); hp < 0 || wp < 0 || (wp != 0 && hp > DefaultMaxElements/wp) ||
				(hp*wp != 0 && int64(cg) > DefaultMaxElements/(hp*wp)) {
				return c.Errorf("padded input of %d channels %dx%d is too large", cg, j.lay.hp, j.lay.wp)
			}
		}
		j.padLen = j.lay.padLen(cg)
	}
	switch {
	case algo == convPacked:
		j.ytLen = g.outSize * mg
		if !g.pointwise {
			j.colLen = j.kk * g.outSize
		}
	case j.pa == nil && !g.pointwise:
		j.colLen = j.kk * g.outSize
	}
	pairs := g.n * g.group
	macs := pairs * mg * g.outSize * j.kk
	tasks, pool := 1, sgemm.Pool(nil)
	if threads := c.Pool.Threads(); threads > 1 && macs >= convParMACs {
		if pairs >= threads {
			tasks = threads
		} else {
			pool = sgemmPool(c.Pool)
		}
	}
	j.tasks = tasks
	j.buf = c.ScratchF32(j.per() * tasks)
	if cap(j.srcs) < tasks {
		j.srcs = make([]convPatches, tasks)
	}
	j.srcs = j.srcs[:tasks]
	if tasks == 1 {
		for p := range pairs {
			j.one(p/g.group, p%g.group, j.buf, &j.srcs[0], pool)
		}
	} else {
		c.Pool.For(tasks, 1, j.fn)
	}
	clear(j.srcs)
	*j = convJob{fn: j.fn, srcs: j.srcs}
	convJobs.Put(j)
	return nil
}

// runWinograd runs the convolution through package winograd; done is
// false when it cannot run on this level (the caller falls back).
func (k *convKernel) runWinograd(c *Ctx, g *convGeom, x, bias, y, res []float32) (done bool, err error) {
	cv, err := k.winogradFor(nil, g, convWinoTile(g))
	if err != nil {
		return false, nil
	}
	var pool sgemm.Pool
	threads := 1
	if g.n*g.m*g.c*9*g.outSize >= convParMACs {
		pool = sgemmPool(c.Pool)
		threads = c.Pool.Threads()
	}
	ep := winograd.Epilogue{Bias: bias}
	fused := res == nil && (k.act.kind == faRelu || k.act.kind == faNone)
	if fused && k.act.kind == faRelu {
		ep.Act = sgemm.ActReLU
	}
	h, w := int(g.in[0]), int(g.in[1])
	scratch := c.ScratchF32(cv.ScratchLen(g.n, h, w, threads))
	if err := cv.Run(x, g.n, h, w, y, &ep, scratch, pool); err != nil {
		return true, c.Errorf("BUG: %v", err)
	}
	if !fused {
		k.post(c, y, res, g.outSize)
	}
	return true, nil
}

// post applies the residual and the activation to a result computed
// without them (the depthwise form), plane by plane.
func (k *convKernel) post(c *Ctx, y, res []float32, plane int) {
	if res == nil && k.act.kind == faNone {
		return
	}
	for p := 0; p < len(y); p += plane {
		row := y[p : p+plane]
		if res != nil {
			r := res[p : p+plane]
			for i := range row {
				row[i] += r[i]
			}
		}
		k.act.apply(row)
	}
}

// convJob is one float32 Conv call; fn (its run method, bound once) is
// the parallel loop body over tasks, each a contiguous range of (image,
// group) pairs with its own part of buf and its own patch source.
type convJob struct {
	k                  *convKernel
	g                  *convGeom
	lay                *convLayout
	algo               convAlgo
	x, w, y, bias, res []float32
	pa                 []*sgemm.PackedA
	pw                 []*sgemm.PackedB
	ep                 sgemm.Epilogue
	actReg             bool
	buf                []float32
	kk                 int
	padLen             int // bordered input copy (and, for short stride-1 rows, its kw shifted-row copies)
	colLen             int // materialised patch matrix
	ytLen              int // Yᵀ of the packed form
	tasks              int
	srcs               []convPatches
	fn                 func(lo, hi int)
}

var convJobs = recycle.Pool{New: func() any {
	j := &convJob{}
	j.fn = j.run
	return j
}}

// per is the scratch one task needs.
func (j *convJob) per() int { return j.padLen + j.colLen + j.ytLen }

func (j *convJob) run(lo, hi int) {
	pairs := j.g.n * j.g.group
	per := j.per()
	for t := lo; t < hi; t++ {
		buf := j.buf[t*per : (t+1)*per]
		for p := t * pairs / j.tasks; p < (t+1)*pairs/j.tasks; p++ {
			j.one(p/j.g.group, p%j.g.group, buf, &j.srcs[t], nil)
		}
	}
}

// one computes image n, group gi with the job's algorithm; buf holds the
// bordered input, the patch matrix and Yᵀ as the algorithm needs them.
func (j *convJob) one(n, gi int, buf []float32, src *convPatches, pool sgemm.Pool) {
	g, k := j.g, j.k
	cg, mg, os, kk := g.c/g.group, g.m/g.group, g.outSize, j.kk
	x := j.x[(n*g.c+gi*cg)*g.inSize : (n*g.c+(gi+1)*cg)*g.inSize]
	ys := j.y[(n*g.m+gi*mg)*os : (n*g.m+(gi+1)*mg)*os]
	var bias, res []float32
	if j.bias != nil {
		bias = j.bias[gi*mg : (gi+1)*mg]
	}
	if j.res != nil {
		res = j.res[(n*g.m+gi*mg)*os : (n*g.m+(gi+1)*mg)*os]
	}
	if l := j.lay; l != nil {
		src.l, src.x = l, l.source(buf[:j.padLen], x, cg)
	}
	// b is the patch matrix (kk×os) when it is materialised.
	b := x
	if j.colLen > 0 {
		b = buf[j.padLen : j.padLen+j.colLen]
		if j.lay != nil {
			src.materialise(b)
		} else {
			im2col(g, x, cg, b)
		}
	}
	if j.algo == convPacked {
		yt := buf[j.padLen+j.colLen : j.padLen+j.colLen+j.ytLen]
		sgemm.SgemmPacked(true, os, 1, b, os, j.pw[gi], 0, yt, mg, nil, pool)
		convTransposeEpi(ys, yt, bias, res, mg, os, 0, mg, k.act.kind == faRelu)
		if k.act.kind != faRelu {
			k.act.apply(ys)
		}
		return
	}
	beta := convInitC(ys, bias, res, mg, os)
	var ep *sgemm.Epilogue
	if j.ep.Act != sgemm.ActNone {
		ep = &j.ep
	}
	if j.pa != nil {
		sgemm.SgemmSource(j.pa[gi], os, 1, src, beta, ys, os, ep, pool)
	} else {
		sgemm.SgemmLevel(k.level, false, false, mg, os, kk, 1, j.w[gi*mg*kk:], kk, b, os, beta, ys, os, ep, pool)
	}
	if !j.actReg {
		k.act.apply(ys)
	}
}

// convDepthwise2D runs a 2-D convolution with one group per input channel
// through vecmath, split over (image, channel) planes when there are
// several threads and at least dwParMACs multiply-adds (a batch of one
// image splits too).
func convDepthwise2D(c *Ctx, r *vecmath.Routines, g *convGeom, x, w, bias, y []float32) {
	win := convDepthwiseWindow(g)
	mult := g.m / g.c
	macs := g.n * g.m * g.outSize * win.KH * win.KW
	if c.Pool.Threads() <= 1 || macs < dwParMACs || g.n*g.c < 2 {
		depthwisePlanes(r, y, x, w, bias, g.n, g.c, mult, &win)
		return
	}
	dwJobs.For(c.Pool, g.n*g.c, 1, dwJob{win: win, g: g, x: x, w: w, bias: bias, y: y, mult: mult, r: r})
}

// dwParMACs is the multiply-add count from which a depthwise convolution
// is split over the pool (a few µs of work; a hand-off costs under 1 µs).
const dwParMACs = 1 << 17

// dwJob splits a depthwise convolution over (image, channel) planes.
type dwJob struct {
	win           vecmath.Window2D
	g             *convGeom
	x, w, bias, y []float32
	mult          int
	r             *vecmath.Routines // the build level's routines
}

var dwJobs = newJobPool((*dwJob).run)

// run convolves planes [lo, hi) of the n·c (image, input channel)
// planes: per image, a run of consecutive channels with their mult output
// channels, weights and biases.
func (j *dwJob) run(lo, hi int) {
	g := j.g
	win := j.win
	taps := win.KH * win.KW
	for u := lo; u < hi; {
		img, c0 := u/g.c, u%g.c
		c1 := min(g.c, c0+hi-u)
		xb := img*g.c*g.inSize + c0*g.inSize
		yb := (img*g.m + c0*j.mult) * g.outSize
		var bias []float32
		if j.bias != nil {
			bias = j.bias[c0*j.mult : c1*j.mult]
		}
		depthwisePlanes(j.r, j.y[yb:yb+(c1-c0)*j.mult*g.outSize], j.x[xb:xb+(c1-c0)*g.inSize],
			j.w[c0*j.mult*taps:c1*j.mult*taps], bias, 1, c1-c0, j.mult, &win)
		u += c1 - c0
	}
}

// runConvGeneric is Conv for float64 (and any nnNumber type): im2col plus
// the plain matrix product.
func runConvGeneric[T nnNumber](spec *convSpec) Func {
	return func(c *Ctx, in []*ir.Tensor) error {
		x, w, bias, err := convInputs(c, in)
		if err != nil {
			return err
		}
		g, err := spec.geom(c, x.Shape, w.Shape, false)
		if err != nil {
			return err
		}
		if err := checkBias(c, bias, g.m); err != nil {
			return err
		}
		out, err := c.OutputUninit(0, x.DType, g.outShape())
		if err != nil {
			return err
		}
		var bd []T
		if bias != nil {
			bd = ir.Data[T](bias)
		}
		convCompute(g, ir.Data[T](x), ir.Data[T](w), bd, ir.Data[T](out))
		return nil
	}
}

// convCompute is the portable convolution: y = conv(x, w) + bias.
func convCompute[T nnNumber](g *convGeom, x, w, bias, y []T) {
	cg, mg := g.c/g.group, g.m/g.group
	kk := cg * g.kSize
	col := make([]T, kk*g.outSize)
	for n := range g.n {
		for gi := range g.group {
			im2col(g, x[(n*g.c+gi*cg)*g.inSize:], cg, col)
			ys := y[(n*g.m+gi*mg)*g.outSize:]
			gemmGeneric(false, false, mg, g.outSize, kk, 1, w[gi*mg*kk:], kk, col, g.outSize, 0, ys, g.outSize)
			if bias != nil {
				for m := range mg {
					row := ys[m*g.outSize : (m+1)*g.outSize]
					for i := range row {
						row[i] += bias[gi*mg+m]
					}
				}
			}
		}
	}
}
