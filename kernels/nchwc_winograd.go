package kernels

import (
	"os"
	"sync"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
	"github.com/nncc/nncc/kernels/winograd"
)

// nncc.ConvNCHWc by Winograd F(4×4, 3×3) (winograd.ConvNCHWc): the same
// node, the same result up to rounding, for the 3×3, stride-1,
// undilated convolutions on an NCHWc16 input whose shape
// nchwcWinoPick accepts (the ResNet-class layers; the direct kernel of
// nchwc_conv.go does everything else). The transformed weights (about 4×
// the weights) are made through b.Prepacked, so a compiled artifact stores
// them and loading transforms nothing. The epilogue is the direct
// kernel's: bias, residual and ReLU are applied by the output transform
// as each tile is written; other activations on the finished output;
// padding output channels are cleared.

// nchwcWinoForce overrides nchwcWinoPick in tests and benchmarks: 0 picks
// by shape, 1 uses Winograd wherever it applies, -1 never.
var nchwcWinoForce = 0

// nchwcWinoMode returns nchwcWinoForce, or when that is 0 the setting of
// the environment variable NNCC_NCHWC_WINOGRAD (read at each build, so
// that a benchmark can build sessions both ways in one process): "off"
// keeps every NCHWc convolution direct, "on" uses Winograd wherever it
// applies, anything else picks by shape.
func nchwcWinoMode() int {
	if nchwcWinoForce != 0 {
		return nchwcWinoForce
	}
	switch os.Getenv("NNCC_NCHWC_WINOGRAD") {
	case "off":
		return -1
	case "on":
		return 1
	}
	return 0
}

// convNCHWcWino is a ConvNCHWc node run by Winograd.
type convNCHWcWino struct {
	cv      *winograd.ConvNCHWc
	m, c    int
	bias    []float32 // ceil(M/16)*16, zero past M
	act     fusedAct
	relu    bool
	shapeMu sync.Mutex
	oshape  []int64 // the last output shape (shared, never modified)
}

// winograd returns the Winograd form of k (whose attributes and bias are
// parsed) when its shape qualifies, else nil: the caller then builds the
// direct kernel. A preparation error also falls back to the direct kernel.
func (k *convNCHWc) winograd(b *Build, w []float32) Func {
	if k.plain || b.Attrs().Int("exact_sums", 0) != 0 || k.kh != 3 || k.kw != 3 || k.sh != 1 || k.sw != 1 || k.dh != 1 || k.dw != 1 {
		return nil
	}
	s := b.InTypes[0].Shape
	if len(s) != 5 || !s[2].Known() || !s[3].Known() {
		return nil
	}
	oh, ow := int(s[2].Size)+k.pt+k.pb-2, int(s[3].Size)+k.pl+k.pr-2
	if !nchwcWinoWanted(b.Level, k.c, k.m, oh, ow) {
		return nil
	}
	cv, err := winograd.NewConvNCHWc(b.Level, k.m, k.c, w, k.pt, k.pl, k.pb, k.pr, b.Prepacked)
	if err != nil {
		return nil
	}
	kw := &convNCHWcWino{cv: cv, m: k.m, c: k.c, bias: k.bias, act: k.act, relu: k.relu}
	return kw.run
}

// nchwcWinoRule is one row of the table of shapes that run faster by
// Winograd than by the direct NCHWc kernel: from these sizes on (and up
// to maxCin, 0: no limit); the first match wins.
type nchwcWinoRule struct {
	minCin, minCout int
	minPlane        int // min(oh, ow)
	maxCin          int
}

// nchwcWinoRules, measured by TestNCHWcWinogradTable (one thread, thread
// CPU time, AVX-512, 2026-11-29, four runs on a loaded shared machine;
// direct time / Winograd time):
//
//	64→64 56×56 1.7-2.3×, 128→128 28×28 1.6-2.3×, 256→256 14×14 1.3-1.8×,
//	64→64 28×28 1.4-2.1×, 64→64 14×14 1.4-1.7×, 32→64 16×16 1.5-2.0×,
//	256→256 7×7 1.0-1.5×, 128→128 7×7 1.25-1.5×, 128→128 8×8 1.7-1.8×;
//	losing or level: 512→512 7×7 0.8-1.0× (the transformed weights, 37 MB,
//	are streamed for 4 tiles), 32→64 13×13 and 11×11 without padding (the
//	seed CNNs) 0.9-1.0× (a third of the tile outputs are dropped), 32→32
//	0.9×, 16→16 and 16→32 0.5-0.7× (products with 16 or 32 columns run the
//	SGEMM's edge tiles).
var nchwcWinoRules = [...]nchwcWinoRule{
	{minCin: 32, minCout: 64, minPlane: 14},
	{minCin: 128, minCout: 128, minPlane: 7, maxCin: 256},
}

// nchwcWinoMinMACs is the multiply-add count below which the direct kernel
// is kept whatever the table says: on such layers (under 0.1 ms) the
// Winograd stages split over two threads hand off three times per block,
// and with two threads on the shared test machine they were measured
// slower than the direct kernel's single hand-off (64→64 14×14: 0.9×,
// 128→128 7×7: 0.7-0.9×, 128→128 8×8: 0.3-1.0×).
const nchwcWinoMinMACs = 16 << 20

// NCHWcConvWinograd reports whether the nncc.ConvNCHWc node conv, built
// at level l, runs Winograd: the rule (*convNCHWc).winograd applies to its
// blocked input's static shape. Passes that would replace the node by a
// kernel without Winograd (conv-pool-nchwc) ask first.
func NCHWcConvWinograd(l isa.Level, conv *ir.Node) bool {
	x, w := conv.In(0), conv.In(1)
	if conv.Attrs.Int("exact_sums", 0) != 0 || x == nil || w == nil || w.Const == nil || len(w.Const.Shape) != 4 ||
		!x.Type.RankKnown || len(x.Type.Shape) != 5 || !x.Type.Shape[2].Known() || !x.Type.Shape[3].Known() {
		return false
	}
	ws := w.Const.Shape
	if ws[2] != 3 || ws[3] != 3 {
		return false
	}
	wa, err := ir.ParseWindowAttrs(conv.Attrs, 2, ws[2:])
	if err != nil || wa.AutoPad != "NOTSET" || wa.Strides[0] != 1 || wa.Strides[1] != 1 || wa.Dilations[0] != 1 || wa.Dilations[1] != 1 {
		return false
	}
	oh, _, _, err1 := wa.Axis(0, x.Type.Shape[2].Size)
	ow, _, _, err2 := wa.Axis(1, x.Type.Shape[3].Size)
	return err1 == nil && err2 == nil && nchwcWinoWanted(l, int(ws[1]), int(ws[0]), int(oh), int(ow))
}

// nchwcWinoWanted reports whether a 3×3 stride-1 convolution c→m with an
// oh×ow output runs by Winograd at level l: never when
// NNCC_NCHWC_WINOGRAD (or the test override) turns it off, always when
// on, else as nchwcWinoPick decides. The one rule of winograd and
// NCHWcConvWinograd.
func nchwcWinoWanted(l isa.Level, c, m, oh, ow int) bool {
	mode := nchwcWinoMode()
	return mode >= 0 && oh >= 1 && ow >= 1 && (mode > 0 || nchwcWinoPick(l, c, m, oh, ow))
}

// nchwcWinoPick reports whether a 3×3 stride-1 convolution with these
// channel counts and output plane should run by Winograd at level l. Only
// AVX-512 has been measured (the NCHWc layout is used there).
func nchwcWinoPick(l isa.Level, cin, cout, oh, ow int) bool {
	if l != isa.AVX512 {
		return false
	}
	plane := min(oh, ow)
	if cin*cout*9*oh*ow < nchwcWinoMinMACs {
		return false
	}
	for _, r := range nchwcWinoRules {
		if cin >= r.minCin && cout >= r.minCout && plane >= r.minPlane && (r.maxCin == 0 || cin <= r.maxCin) {
			return true
		}
	}
	return false
}

func (k *convNCHWcWino) run(c *Ctx, in []*ir.Tensor) error {
	x := in[0]
	if x == nil || x.DType != ir.Float32 {
		return c.Errorf("input X must be float32")
	}
	xs := x.Shape
	icb := ir.NCHWcBlocks(int64(k.c), 16)
	if len(xs) != 5 || xs[1] != icb || xs[4] != 16 {
		return c.Errorf("input X has shape %v; expected %d channel blocks in the layout the node was built for", xs, icb)
	}
	n, h, w := int(xs[0]), int(xs[2]), int(xs[3])
	oh, ow := k.cv.OutShape(h, w)
	if oh < 1 || ow < 1 {
		return c.Errorf("padded input is smaller than the 3x3 kernel")
	}
	ocb := int(ir.NCHWcBlocks(int64(k.m), 16))
	oshape := k.outShape(n, ocb, oh, ow)
	var res []float32
	if r := tensorAt(in, 3); r != nil {
		if !sameShape(r.Shape, oshape) || r.DType != ir.Float32 {
			return c.Errorf("residual R has shape %v, expected %v", r.Shape, oshape)
		}
		res = r.F32()
	}
	out, err := c.OutputUninit(0, ir.Float32, oshape)
	if err != nil {
		return err
	}
	y := out.F32()
	if len(y) == 0 {
		return nil
	}
	if res != nil && &res[0] == &y[0] {
		return c.Errorf("BUG: output planned over the residual")
	}
	threads := 1
	if c.Pool != nil {
		threads = max(c.Pool.Threads(), 1)
	}
	scratch := c.ScratchF32(k.cv.ScratchLen(n, h, w, threads))
	var pool Pool
	if threads > 1 {
		pool = c.Pool
	}
	if err := k.cv.Run(x.F32(), n, h, w, y, k.bias, res, k.relu, scratch, pool); err != nil {
		return c.Errorf("%v", err)
	}
	if k.act.kind != faNone {
		k.act.apply(y)
	}
	if rem := k.m % 16; rem != 0 {
		for q := (ocb - 1) * oh * ow * 16; q < len(y); q += ocb * oh * ow * 16 {
			for p := range oh * ow {
				clear(y[q+p*16+rem : q+p*16+16])
			}
		}
	}
	return nil
}

// outShape returns [n, ocb, oh, ow, 16], reusing the last one made.
func (k *convNCHWcWino) outShape(n, ocb, oh, ow int) []int64 {
	k.shapeMu.Lock()
	defer k.shapeMu.Unlock()
	s := k.oshape
	if len(s) != 5 || s[0] != int64(n) || s[1] != int64(ocb) || s[2] != int64(oh) || s[3] != int64(ow) {
		s = []int64{int64(n), int64(ocb), int64(oh), int64(ow), 16}
		k.oshape = s
	}
	return s
}
