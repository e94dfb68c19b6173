package winograd

import (
	"fmt"

	"github.com/nncc/nncc/internal/recycle"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/sgemm"
)

// ConvNCHWc is a prepared Winograd F(4×4, 3×3) convolution (stride 1,
// dilation 1, one group) in the blocked NCHWc16 layout: input
// [n][⌈cin/16⌉][h][w][16], output [n][⌈cout/16⌉][oh][ow][16]. The 16
// channels of a block are the 16 lanes of a vector, so the transforms
// need no transposes (kernels/amd64 WinoIn43NCHWc…, WinoOut43NCHWc…), V
// comes out of the input transform as the rows of the products' left
// operand and M goes into the output transform as 16 contiguous output
// channels:
//
//	V[ξ][tile][c]  = (Bᵀ d B)[ξ]                 c < cip = 16·⌈cin/16⌉
//	M[ξ][tile][co] = Σ_c V[ξ][tile][c]·U[ξ][c][co]   36 SgemmPacked, U prepacked
//	y[co][tile]    = act(Aᵀ M A + bias + r)
//
// U has zero rows for the padding input channels (their values are
// finite by the layout's rule, so they contribute exactly zero) and zero
// columns for the padding output channels, which therefore come out as
// bias + r (the caller clears them, as the direct NCHWc convolution does).
// Immutable after NewConvNCHWc; safe for concurrent Runs with separate
// scratch.
type ConvNCHWc struct {
	level                  isa.Level
	cout, cin              int
	cop, cip               int // channels rounded up to whole blocks of 16
	padT, padL, padB, padR int
	u                      []*sgemm.PackedB // 36 operands U[ξ], cip×cop each
	in                     inNCHWcFunc
	out                    outNCHWcFunc
}

// inNCHWcFunc and outNCHWcFunc are the signatures of the NCHWc16
// transforms (amd64.WinoIn43NCHWcGo and amd64.WinoOut43NCHWcGo state
// their math).
type (
	inNCHWcFunc  func(v []float32, vs, ts int, x []float32, row, nt int)
	outNCHWcFunc func(m []float32, ms int, y []float32, row int, bias, r []float32, relu int)
)

// NCHWcWeightsKey names the packed transformed weights of operand xi (0 ≤
// xi < 36) of a cout×cin NCHWc16 F(4×4, 3×3) convolution for the SGEMM
// kernel of level: the key NewConvNCHWc passes to its PrepackFunc.
func NCHWcWeightsKey(level isa.Level, cout, cin, xi int) string {
	return fmt.Sprintf("winograd.nchwc16.U/%s/f4/o%d/i%d/x%d", sgemm.Layout(level), cout, cin, xi)
}

// NewConvNCHWc prepares a convolution with weights w laid out
// [cout][cin][3][3] and zero padding padT, padL, padB, padR ≥ 0,
// obtaining each packed transformed operand through prepack (nil:
// transform and pack here) under NCHWcWeightsKey with w as the source.
func NewConvNCHWc(level isa.Level, cout, cin int, w []float32, padT, padL, padB, padR int, prepack PrepackFunc) (*ConvNCHWc, error) {
	if cout < 1 || cin < 1 {
		return nil, fmt.Errorf("winograd: channel counts cout=%d cin=%d must be positive", cout, cin)
	}
	if len(w) != cout*cin*9 {
		return nil, fmt.Errorf("winograd: weights have %d values, [%d][%d][3][3] needs %d", len(w), cout, cin, cout*cin*9)
	}
	if padT < 0 || padL < 0 || padB < 0 || padR < 0 {
		return nil, fmt.Errorf("winograd: negative padding %d,%d,%d,%d", padT, padL, padB, padR)
	}
	if !isa.Has(level) {
		return nil, fmt.Errorf("winograd: instruction set %v not supported on this CPU or build", level)
	}
	cv := &ConvNCHWc{level: level, cout: cout, cin: cin, cop: (cout + 15) &^ 15, cip: (cin + 15) &^ 15,
		padT: padT, padL: padL, padB: padB, padR: padR}
	cv.in, cv.out = nchwcFor(level)
	var u []float32 // the transformed weights, made on the first operand not stored
	cv.u = make([]*sgemm.PackedB, 36)
	for xi := range cv.u {
		var pb *sgemm.PackedB
		pack := func() []float32 {
			if u == nil {
				u = f43.transformWeights(cv.cop, cv.cip, padWeights(w, cout, cin, cv.cop, cv.cip))
			}
			pb = sgemm.PackBLevel(level, false, cv.cip, cv.cop, u[xi*cv.cip*cv.cop:], cv.cop)
			return pb.Data()
		}
		if prepack == nil {
			pack()
		} else if data := prepack(w, NCHWcWeightsKey(level, cout, cin, xi), pack); pb == nil {
			var err error
			if pb, err = sgemm.PackedBFromData(level, cv.cip, cv.cop, data); err != nil {
				pack() // stored operand of the wrong size for its own key: repack
			}
		}
		cv.u[xi] = pb
	}
	return cv, nil
}

// padWeights returns w [cout][cin][3][3] zero-padded to [cop][cip][3][3].
func padWeights(w []float32, cout, cin, cop, cip int) []float32 {
	if cout == cop && cin == cip {
		return w
	}
	p := make([]float32, cop*cip*9)
	for co := range cout {
		for c := range cin {
			copy(p[(co*cip+c)*9:(co*cip+c)*9+9], w[(co*cin+c)*9:(co*cin+c)*9+9])
		}
	}
	return p
}

// Level returns the instruction set the convolution was prepared for.
func (cv *ConvNCHWc) Level() isa.Level { return cv.level }

// WeightsLen returns the number of float32 values the packed transformed
// weights hold: about 4 times the weights.
func (cv *ConvNCHWc) WeightsLen() int {
	n := 0
	for _, p := range cv.u {
		n += p.Len()
	}
	return n
}

// OutShape returns the output plane size for an h×w input plane (0 when
// the padded plane is smaller than the kernel).
func (cv *ConvNCHWc) OutShape(h, w int) (oh, ow int) {
	return max(h+cv.padT+cv.padB-2, 0), max(w+cv.padL+cv.padR-2, 0)
}

// ScratchLen returns the number of float32 values of scratch Run needs for
// n images of h×w with a pool of threads threads.
func (cv *ConvNCHWc) ScratchLen(n, h, w, threads int) int {
	p := cv.plan(n, h, w, threads)
	return p.scratchLen()
}

// Run computes y = act(conv(x) + bias + r) in the NCHWc16 layout for n
// images of h×w: x is [n][cip/16][h][w][16], y and r (nil: no residual)
// [n][cop/16][oh][ow][16], bias nil or at least cop long (one value per
// output channel, padding included), act ReLU when relu (NaN stays NaN)
// else the identity. scratch holds at least ScratchLen(n, h, w, threads)
// values (contents irrelevant); pool may be nil (one thread). x, bias and r
// are not modified; y must not overlap them or scratch. The result does
// not depend on the number of threads.
func (cv *ConvNCHWc) Run(x []float32, n, h, w int, y, bias, r []float32, relu bool, scratch []float32, pool sgemm.Pool) error {
	if n < 0 || h < 1 || w < 1 {
		return fmt.Errorf("winograd: bad input size n=%d h=%d w=%d", n, h, w)
	}
	threads := 1
	if pool != nil {
		threads = max(pool.Threads(), 1)
	}
	p := cv.plan(n, h, w, threads)
	if nx := n * cv.cip * h * w; len(x) < nx {
		return fmt.Errorf("winograd: x has %d values, [%d][%d][%d][%d][16] needs %d", len(x), n, cv.cip/16, h, w, nx)
	}
	if p.oh < 1 || p.ow < 1 || n == 0 {
		return nil
	}
	ny := n * cv.cop * p.oh * p.ow
	if len(y) < ny {
		return fmt.Errorf("winograd: y has %d values, [%d][%d][%d][%d][16] needs %d", len(y), n, cv.cop/16, p.oh, p.ow, ny)
	}
	if r != nil && len(r) < ny {
		return fmt.Errorf("winograd: residual has %d values, want %d", len(r), ny)
	}
	if bias != nil && len(bias) < cv.cop {
		return fmt.Errorf("winograd: bias has %d values, want %d", len(bias), cv.cop)
	}
	if need := p.scratchLen(); len(scratch) < need {
		return fmt.Errorf("winograd: scratch has %d values, need %d", len(scratch), need)
	}
	j := nchwcJobs.Get().(*nchwcJob)
	j.cv, j.p, j.x, j.y, j.r, j.bias, j.scratch = cv, p, x, y, r, bias, scratch
	j.relu = 0
	if relu {
		j.relu = 1
	}
	j.run(pool)
	j.cv, j.x, j.y, j.r, j.bias, j.scratch = nil, nil, nil, nil, nil, nil
	nchwcJobs.Put(j)
	return nil
}

var nchwcJobs = recycle.Pool{New: func() any { return newNCHWcJob() }}
