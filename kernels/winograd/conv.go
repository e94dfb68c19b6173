package winograd

import (
	"fmt"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// Conv3x3 is a prepared Winograd F(m×m, 3×3) convolution (stride 1,
// dilation 1, one group) for fixed channel counts and padding, with the
// weights transformed and packed once. It is immutable after NewConv3x3
// and safe for concurrent Runs (each with its own scratch).
type Conv3x3 struct {
	v                      *variant
	level                  isa.Level
	cout, cin              int
	padT, padL, padB, padR int
	u                      []*sgemm.PackedB // a² operands U[ξ], cin×cout each
	out43                  out43Func        // assembly output transform, or nil
	in43Rows               in43RowsFunc     // assembly input transform passes, or nil
	in43Tiles              in43TilesFunc
}

// in43RowsFunc and in43TilesFunc are the signatures of the assembly
// F(4×4, 3×3) input transform passes (amd64.WinoIn43RowsGo and
// amd64.WinoIn43TilesGo state their math).
type (
	in43RowsFunc  func(t []float32, ts int, r0, r1, r2, r3, r4, r5 []float32, n int)
	in43TilesFunc func(v []float32, vs int, t []float32, ts, nt int)
)

// out43Func is the signature of the assembly F(4×4, 3×3) output transform
// of 16 channels of one tile (amd64.WinoOut43Go states its math).
type out43Func func(m []float32, ms int, y []float32, plane, row int, bias []float32, relu int)

// NewConv3x3 prepares a convolution with weights w laid out
// [cout][cin][3][3] (ONNX's OIHW), zero padding padT, padL, padB, padR ≥ 0
// and output tile size tile (2 or 4), packing the transformed weights for
// the SGEMM kernel of level. The weights are copied: w may be reused.
func NewConv3x3(level isa.Level, cout, cin int, w []float32, padT, padL, padB, padR, tile int) (*Conv3x3, error) {
	return NewConv3x3Prepacked(level, cout, cin, w, padT, padL, padB, padR, tile, nil)
}

// PrepackFunc returns the transform of src named key: a stored one when it
// holds it, else make() (kernels.Build.Prepacked has this signature).
type PrepackFunc func(src []float32, key string, make func() []float32) []float32

// WeightsKey names the packed transformed weights of operand xi (0 ≤ xi <
// (tile+2)²) of a cout×cin F(tile×tile, 3×3) convolution for the SGEMM
// kernel of level: the key NewConv3x3Prepacked passes to its PrepackFunc.
// It fixes every parameter of the layout (padding does not enter it).
func WeightsKey(level isa.Level, tile, cout, cin, xi int) string {
	return fmt.Sprintf("winograd.U/%s/f%d/o%d/i%d/x%d", sgemm.Layout(level), tile, cout, cin, xi)
}

// NewConv3x3Prepacked is NewConv3x3 that obtains each packed transformed
// weight operand through prepack (nil: transform and pack here), under
// WeightsKey, with w as the source: a caller holding the operands of a
// compiled artifact hands them back without transforming anything. w must
// then be immutable (a graph constant) as long as prepack may remember it.
func NewConv3x3Prepacked(level isa.Level, cout, cin int, w []float32, padT, padL, padB, padR, tile int, prepack PrepackFunc) (*Conv3x3, error) {
	if cout < 1 || cin < 1 {
		return nil, fmt.Errorf("winograd: channel counts cout=%d cin=%d must be positive", cout, cin)
	}
	if len(w) != cout*cin*9 {
		return nil, fmt.Errorf("winograd: weights have %d values, [%d][%d][3][3] needs %d", len(w), cout, cin, cout*cin*9)
	}
	if padT < 0 || padL < 0 || padB < 0 || padR < 0 {
		return nil, fmt.Errorf("winograd: negative padding %d,%d,%d,%d", padT, padL, padB, padR)
	}
	if tile < 0 || tile >= len(variants) || variants[tile] == nil {
		return nil, fmt.Errorf("winograd: output tile %d not supported (want 2 or 4)", tile)
	}
	if !isa.Has(level) {
		return nil, fmt.Errorf("winograd: instruction set %v not supported on this CPU or build", level)
	}
	v := variants[tile]
	cv := &Conv3x3{v: v, level: level, cout: cout, cin: cin, padT: padT, padL: padL, padB: padB, padR: padR}
	if tile == 4 {
		cv.out43 = out43For(level)
		cv.in43Rows, cv.in43Tiles = in43For(level)
	}
	var u []float32 // the transformed weights, made on the first operand not stored
	cv.u = make([]*sgemm.PackedB, v.a*v.a)
	for xi := range cv.u {
		var pb *sgemm.PackedB
		pack := func() []float32 {
			if u == nil {
				u = v.transformWeights(cout, cin, w)
			}
			pb = sgemm.PackBLevel(level, false, cin, cout, u[xi*cin*cout:], cout)
			return pb.Data()
		}
		if prepack == nil {
			pack()
		} else if data := prepack(w, WeightsKey(level, v.m, cout, cin, xi), pack); pb == nil {
			var err error
			if pb, err = sgemm.PackedBFromData(level, cin, cout, data); err != nil {
				pack() // stored operand of the wrong size for its own key: repack
			}
		}
		cv.u[xi] = pb
	}
	return cv, nil
}

// Level returns the instruction set the convolution was prepared for.
func (cv *Conv3x3) Level() isa.Level { return cv.level }

// Tile returns the output tile size m of F(m×m, 3×3).
func (cv *Conv3x3) Tile() int { return cv.v.m }

// WeightsLen returns the number of float32 values the packed transformed
// weights hold (for memory accounting): about (m+2)²/9 times the weights.
func (cv *Conv3x3) WeightsLen() int {
	n := 0
	for _, p := range cv.u {
		n += p.Len()
	}
	return n
}

// OutShape returns the output plane size for an h×w input plane (0 when
// the padded plane is smaller than the kernel).
func (cv *Conv3x3) OutShape(h, w int) (oh, ow int) {
	return max(h+cv.padT+cv.padB-2, 0), max(w+cv.padL+cv.padR-2, 0)
}

// ScratchLen returns the number of float32 values of scratch Run needs for
// n images of h×w with a pool of threads threads.
func (cv *Conv3x3) ScratchLen(n, h, w, threads int) int {
	p := cv.plan(n, h, w, threads)
	return p.scratchLen()
}

// Epilogue is applied to each output value as it is written:
// y = act(conv + Bias[co]).
type Epilogue struct {
	// Bias, when non-nil, holds one value per output channel (len ≥ cout).
	Bias []float32
	// Act is sgemm.ActNone or sgemm.ActReLU (max(0, v), NaN stays NaN).
	Act sgemm.Activation
}

// Run computes y[n][cout][oh][ow] = ep(conv(x)) for x[n][cin][h][w] (NCHW)
// using scratch (at least ScratchLen(n, h, w, threads) values, contents
// irrelevant) and pool (nil: one thread). ep may be nil. x is not
// modified; y must not overlap x or scratch.
func (cv *Conv3x3) Run(x []float32, n, h, w int, y []float32, ep *Epilogue, scratch []float32, pool sgemm.Pool) error {
	if n < 0 || h < 1 || w < 1 {
		return fmt.Errorf("winograd: bad input size n=%d h=%d w=%d", n, h, w)
	}
	threads := 1
	if pool != nil {
		threads = max(pool.Threads(), 1)
	}
	p := cv.plan(n, h, w, threads)
	if len(x) < n*cv.cin*h*w {
		return fmt.Errorf("winograd: x has %d values, [%d][%d][%d][%d] needs %d", len(x), n, cv.cin, h, w, n*cv.cin*h*w)
	}
	if p.oh < 1 || p.ow < 1 || n == 0 {
		return nil
	}
	if len(y) < n*cv.cout*p.oh*p.ow {
		return fmt.Errorf("winograd: y has %d values, [%d][%d][%d][%d] needs %d", len(y), n, cv.cout, p.oh, p.ow, n*cv.cout*p.oh*p.ow)
	}
	if ep != nil && ep.Bias != nil && len(ep.Bias) < cv.cout {
		return fmt.Errorf("winograd: bias has %d values, want %d", len(ep.Bias), cv.cout)
	}
	if ep != nil && ep.Act != sgemm.ActNone && ep.Act != sgemm.ActReLU {
		return fmt.Errorf("winograd: activation %d not supported", ep.Act)
	}
	if need := p.scratchLen(); len(scratch) < need {
		return fmt.Errorf("winograd: scratch has %d values, need %d", len(scratch), need)
	}
	j := jobs.Get().(*job)
	j.cv, j.p, j.x, j.y, j.scratch = cv, p, x, y, scratch
	if ep != nil {
		j.bias, j.relu = ep.Bias, ep.Act == sgemm.ActReLU
	}
	j.run(pool)
	j.cv, j.x, j.y, j.scratch, j.bias, j.relu = nil, nil, nil, nil, nil, false
	jobs.Put(j)
	return nil
}

var jobs = recycle.Pool{New: func() any { return newJob() }}
