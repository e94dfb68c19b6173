package passes

import (
	"math"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// layoutNCHWc moves convolution networks into the blocked layout NCHWc
// (ir/ops_nchwc.go), where a convolution is a direct blocked product whose
// innermost dimension is one vector of output channels, converting once at
// the edges of each region instead of around every op.
//
// Decisions, in node order (so a node's inputs are decided before it):
//
//	Conv / nncc.FusedConv    depthwise (group = C = M), no residual, input
//	                         blocked or at least one block of channels →
//	                         nncc.DepthwiseConvNCHWc (layout_nchwc_depthwise.go)
//	Conv / nncc.FusedConv    2-D, group 1, float32, constant W (and B), C, H,
//	                         W static → nncc.ConvNCHWc, when it has at least
//	                         half a block of output channels (nchwcMinStart)
//	                         or its input is already blocked. A plain input
//	                         with fewer channels than a block is read as
//	                         NCHW directly (first layers); a wider one gets
//	                         a ReorderToNCHWc.
//	MaxPool, AveragePool     2-D, one output, blocked input → …PoolNCHWc
//	GlobalAveragePool        blocked input → GlobalAveragePoolNCHWc
//	ReduceMean over H, W     blocked input → GlobalAveragePoolNCHWc (with
//	                         keepdims; without, the region ends there:
//	                         layout_nchwc_pad.go)
//	Pad                      blocked input, spatial axes only, static pads,
//	                         finite constant → Pad of the rank-5 tensor
//	                         (layout_nchwc_pad.go)
//	Resize, Upsample         blocked input, H and W only, constant scales or
//	                         sizes, a mode where scale 1 is the identity →
//	                         Resize of the rank-5 tensor (layout_nchwc_resize.go)
//	activations              blocked input → the same op on the blocked tensor
//	Add, Sub, Mul            both inputs blocked, equal shapes, or equal N and
//	                         C with H, W broadcast (an SE gate), or one
//	                         blocked and a finite one-element constant (an
//	                         affine x·a + b with learned scalars) → the same op
//	Concat (channels)        every input blocked, channel counts multiples of
//	                         the block → Concat along the block axis; other
//	                         counts → nncc.ConcatNCHWc (lane-shifting copies);
//	                         inputs that are all-zero constants become
//	                         absent inputs of nncc.ConcatNCHWc, zero
//	                         channels (layout_nchwc_concat_zeros.go)
//
// Every other use of a blocked value (Flatten, Reshape, Gemm, graph
// outputs, ops inside nested graphs) reads it through one
// ReorderFromNCHWc, placed right after the blocked producer; the original
// value keeps its name, so the graph's interface does not change.
//
// The block comes from the ISA the pass runs for: 16 (one AVX-512 vector)
// on AVX-512, where the assembly micro-kernels exist. On other levels the
// pass changes nothing: the Go twins compute the same results but are
// slower than the NCHW kernels there. The block is recorded on every node,
// so kernels never guess it.
//
// Padding channels stay finite: reorders and convolutions write zero
// there, and only ops that map finite values to finite values (the
// activations below, Add/Sub/Mul, max/average pooling) are carried
// through; Div, Exp and the like end the region.
func layoutNCHWc(g *ir.Graph, c *Context) error {
	blk := nchwcTargetBlock(c.Level)
	if blk == 0 {
		return nil
	}
	return (&nchwcLayout{g: g, blk: blk}).run()
}

// nchwcBlockOverride, when non-zero, replaces the block chosen from the
// ISA (tests pin it so golden files do not depend on the machine).
var nchwcBlockOverride int64

// nchwcTargetBlock is the block for kernels built for level, 0 for none.
func nchwcTargetBlock(level isa.Level) int64 {
	if nchwcBlockOverride != 0 {
		return nchwcBlockOverride
	}
	if level == isa.AVX512 {
		return 16
	}
	return 0
}

// nchwcNarrowDiv sets the fewest output channels a convolution on a plain
// input needs to start a region: a block / nchwcNarrowDiv, so at most half
// of the blocked output's lanes are padding. Narrow convolutions (8-15
// channels, as in small VGG/U-Net stems) ran 15-20 GFLOPS by the NCHW
// path; blocked, their padded products run near 10x that. Session 5,
// TestStepTimes interleaved, one thread: the catalogue's vgg_op17 70 → 46
// µs, unet_op17 150 → 131 µs (every width, block/16: 45 and 129 µs, but a
// 1- or 2-channel head at full resolution would compute 8-16x its work).
const nchwcNarrowDiv = 2

// nchwcMinStart is the fewest output channels of a region-starting
// convolution for block blk.
func nchwcMinStart(blk int64) int64 { return max(1, blk/nchwcNarrowDiv) }

// nchwcActivations are the unary ops carried through a region: each maps
// finite values to finite values.
var nchwcActivations = map[string]bool{
	"Relu": true, "LeakyRelu": true, "Sigmoid": true, "Tanh": true, "Clip": true, "HardSigmoid": true,
	"HardSwish": true, "Elu": true, "Gelu": true, "Softsign": true, "Selu": true, "Celu": true,
}

// nchwcBinary are the binary ops carried through when both inputs are
// blocked tensors of one shape.
var nchwcBinary = map[string]bool{"Add": true, "Sub": true, "Mul": true}

type nchwcLayout struct {
	g   *ir.Graph
	blk int64
	s   *fuseState
	// blocked maps an original value to its blocked form and its true
	// channel count.
	blocked  map[*ir.Value]*ir.Value
	channels map[*ir.Value]int64
	toBlock  map[*ir.Value]*ir.Value // ReorderToNCHWc outputs made so far
	out      []*ir.Node
}

func (l *nchwcLayout) run() error {
	l.s = newFuseState(l.g)
	l.blocked, l.channels, l.toBlock = map[*ir.Value]*ir.Value{}, map[*ir.Value]int64{}, map[*ir.Value]*ir.Value{}
	plan := l.decide()
	if len(plan) == 0 {
		return nil
	}
	// blockedUses counts the input slots that will read each value in
	// blocked form; any other use needs the plain value.
	blockedUses := map[*ir.Value]int{}
	for n, how := range plan {
		for i, in := range n.Inputs {
			if in != nil && how.blockedIn(i) {
				blockedUses[in]++
			}
		}
	}
	useFusedDomain(l.g)
	for _, n := range l.g.Nodes {
		how, ok := plan[n]
		if !ok {
			l.out = append(l.out, n)
			continue
		}
		if err := l.rewrite(n, how); err != nil {
			return err
		}
		if how.kind == "mean" {
			continue // an exit: it wrote n's plain output itself
		}
		o := n.Outputs[0]
		if l.s.uses[o] > blockedUses[o] {
			from := &ir.Node{Name: l.s.name(n.Name + "_from_nchwc"), Op: "ReorderFromNCHWc", Domain: ir.FusedDomain, Opset: 1,
				Inputs: []*ir.Value{l.blocked[o]}, Outputs: []*ir.Value{o},
				Attrs: ir.Attrs{"block": nchwcIntAttr("block", l.blk), "channels": nchwcIntAttr("channels", l.channels[o])}}
			o.Producer, o.Index = from, 0
			l.out = append(l.out, from)
			if err := ir.InferNode(from); err != nil {
				return err
			}
		}
	}
	l.g.Nodes = l.out
	l.cancelReorders()
	return nil
}

// cancelReorders makes the readers of ReorderToNCHWc(ReorderFromNCHWc(b))
// read b: a specialised graph's regions grow over the reorders its
// generic graph placed (where symbolic shapes ended a region), which then
// leave and re-enter the layout back to back. The padding lanes of b are
// finite but not necessarily zero, which every blocked op allows.
func (l *nchwcLayout) cancelReorders() {
	for _, n := range l.g.Nodes {
		if n.Domain != ir.FusedDomain || n.Op != "ReorderToNCHWc" {
			continue
		}
		from := n.In(0).Producer
		if !isFusedOp(from, "ReorderFromNCHWc") ||
			from.Attrs.Int("block", 0) != n.Attrs.Int("block", 0) || !sameStaticShape(from.In(0).Type, n.Out(0).Type) {
			continue
		}
		replaceUses(l.g, n.Out(0), from.In(0))
	}
}

// nchwcHow records how a node is converted.
type nchwcHow struct {
	kind  string // "conv", "pool", "pad" and "mean" (layout_nchwc_pad.go), "resize" (layout_nchwc_resize.go), "concat" (ConcatNCHWc), "unary", "scalar" or "same": the op unchanged on blocked inputs (unary: input 0 only; scalar: input at only)
	plain bool   // conv: X stays NCHW
	at    int    // scalar: the blocked input (the other is a finite one-element constant)
	op    string // the new op (conv, pool)
	zero  []bool // concat: inputs that are all-zero constants (absent in ConcatNCHWc)
}

// blockedIn reports whether input i of a converted node reads the blocked
// form of its value.
func (h nchwcHow) blockedIn(i int) bool {
	switch h.kind {
	case "conv":
		return (i == 0 && !h.plain) || i == 3
	case "pool", "unary", "pad", "mean", "resize":
		return i == 0
	case "same":
		return true
	case "concat":
		return i >= len(h.zero) || !h.zero[i]
	case "scalar":
		return i == h.at
	}
	return false
}

// decide walks the graph in order and chooses the nodes to convert.
func (l *nchwcLayout) decide() map[*ir.Node]nchwcHow {
	plan := map[*ir.Node]nchwcHow{}
	isBlocked := map[*ir.Value]int64{} // value → true channels
	for _, n := range l.g.Nodes {
		if isFusedOp(n, "ReorderFromNCHWc") && n.Attrs.Int("block", 0) == l.blk {
			// A region exit placed earlier (by the generic graph's run of
			// this pass, where symbolic shapes ended the region): its
			// readers can take its blocked input instead.
			o, ch := n.Out(0), n.Attrs.Int("channels", 0)
			if staticChannels(o) == ch && ch > 0 {
				isBlocked[o], l.blocked[o], l.channels[o] = ch, n.In(0), ch
			}
			continue
		}
		how, ok := l.classify(n, isBlocked)
		if !ok {
			continue
		}
		plan[n] = how
		if how.kind != "mean" {
			isBlocked[n.Outputs[0]] = staticChannels(n.Outputs[0])
		}
	}
	return plan
}

// staticChannels returns dim 1 of a rank-4 value with static C, H, W.
func staticChannels(v *ir.Value) int64 {
	if v == nil || !isFloat32(v) || v.Type.Rank() != 4 {
		return 0
	}
	for _, d := range v.Type.Shape[1:] {
		if !d.Known() {
			return 0
		}
	}
	return v.Type.Shape[1].Size
}

func (l *nchwcLayout) classify(n *ir.Node, isBlocked map[*ir.Value]int64) (nchwcHow, bool) {
	keep, mean := spatialMean(n)
	if mean && !keep && len(n.Outputs) == 1 {
		_, xb := isBlocked[n.In(0)]
		return nchwcHow{kind: "mean"}, xb // a region exit (layout_nchwc_pad.go)
	}
	if len(n.Outputs) != 1 || staticChannels(n.Out(0)) == 0 {
		return nchwcHow{}, false
	}
	if zero := concatZeroInputs(n, isBlocked); zero != nil {
		return nchwcHow{kind: "concat", op: "ConcatNCHWc", zero: zero}, true // layout_nchwc_concat_zeros.go
	}
	x := n.In(0)
	_, xb := isBlocked[x]
	switch {
	case isConvLike(n) && l.depthwiseEligible(n): // layout_nchwc_depthwise.go
		if !xb && staticChannels(x) < l.blk {
			return nchwcHow{}, false
		}
		return nchwcHow{kind: "conv", op: "DepthwiseConvNCHWc"}, true
	case isConvLike(n):
		if !l.convEligible(n) {
			return nchwcHow{}, false
		}
		if r := n.In(3); r != nil {
			if _, ok := isBlocked[r]; !ok && staticChannels(r) == 0 {
				return nchwcHow{}, false
			}
		}
		m := n.In(1).Const.Shape[0]
		if !xb && m < nchwcMinStart(l.blk) {
			return nchwcHow{}, false
		}
		return nchwcHow{kind: "conv", op: "ConvNCHWc", plain: !xb && staticChannels(x) < l.blk}, true
	case !xb:
		if y := n.In(1); n.Domain == "" && nchwcBinary[n.Op] && len(n.Inputs) == 2 && finiteScalarConst(x) {
			if _, yb := isBlocked[y]; yb {
				return nchwcHow{kind: "scalar", at: 1}, true // c·x, c+x, c-x
			}
		}
		return nchwcHow{}, false
	case isOp(n, "MaxPool") || isOp(n, "AveragePool"):
		if len(n.Attrs.Ints("kernel_shape", nil)) != 2 {
			return nchwcHow{}, false
		}
		return nchwcHow{kind: "pool", op: n.Op + "NCHWc"}, true
	case isOp(n, "GlobalAveragePool"):
		return nchwcHow{kind: "pool", op: "GlobalAveragePoolNCHWc"}, true
	case isOp(n, "ReduceMean"):
		return nchwcHow{kind: "pool", op: "GlobalAveragePoolNCHWc"}, mean && keep
	case isOp(n, "Pad"):
		_, _, ok := blockedPadSpec(n)
		return nchwcHow{kind: "pad"}, ok
	case isOp(n, "Resize") || isOp(n, "Upsample"):
		_, _, ok := blockedResizeSpec(n)
		return nchwcHow{kind: "resize"}, ok
	case n.Domain == "" && nchwcActivations[n.Op]:
		for _, in := range n.Inputs[1:] { // Clip's bounds: scalar constants
			if in != nil && (in.Const == nil || in.Const.Len() != 1) {
				return nchwcHow{}, false
			}
		}
		return nchwcHow{kind: "unary"}, true
	case isFusedOp(n, "FakeQuant"):
		// A QDQ activation (fake_quant.go): finite values, 0 on the
		// padding lanes (its bounds contain 0).
		return nchwcHow{kind: "unary"}, true
	case n.Domain == "" && nchwcBinary[n.Op]:
		y := n.In(1)
		if finiteScalarConst(y) {
			return nchwcHow{kind: "scalar", at: 0}, true
		}
		cy, ok := isBlocked[y]
		if !ok {
			return nchwcHow{}, false
		}
		if sameStaticShape(x.Type, y.Type) && sameStaticShape(x.Type, n.Out(0).Type) {
			return nchwcHow{kind: "same"}, true
		}
		// A squeeze-excitation gate: x · s with s of [N, C, 1, 1]
		// (either operand). Blocked, the rank-5 operands broadcast the
		// same way, lane by lane, as long as neither broadcasts along C.
		cx := isBlocked[x]
		return nchwcHow{kind: "same"}, cx == cy && spatialBroadcast(x.Type, y.Type, n.Out(0).Type)
	case isOp(n, "Concat"):
		if ax := n.Attrs.Int("axis", 0); ax != 1 && ax != -3 {
			return nchwcHow{}, false
		}
		aligned := true
		for _, in := range n.Inputs {
			ch, ok := isBlocked[in]
			if !ok || ch <= 0 {
				return nchwcHow{}, false
			}
			aligned = aligned && ch%l.blk == 0
		}
		if !aligned {
			return nchwcHow{kind: "concat", op: "ConcatNCHWc"}, true // lane-shifting copies (kernels/nchwc_concat.go)
		}
		return nchwcHow{kind: "same"}, true
	}
	return nchwcHow{}, false
}

// finiteScalarConst reports whether v is a finite one-element float32
// constant of rank at most 4: added to, subtracted from or multiplied with
// a blocked tensor it keeps the padding lanes finite, and it broadcasts
// over the rank-5 blocked shape as over the rank-4 one.
func finiteScalarConst(v *ir.Value) bool {
	d, ok := floatConst(v)
	return ok && len(d) == 1 && len(v.Const.Shape) <= 4 && !math.IsNaN(float64(d[0])) && !math.IsInf(float64(d[0]), 0)
}

// spatialBroadcast reports whether rank-4 a and b have the same N and C
// and, along H and W, equal sizes or a 1 broadcast to the other's size,
// giving out.
func spatialBroadcast(a, b, out ir.Type) bool {
	if a.Rank() != 4 || b.Rank() != 4 || out.Rank() != 4 || !sameDim(a.Shape[0], b.Shape[0]) || !sameDim(a.Shape[0], out.Shape[0]) {
		return false
	}
	for i := 1; i < 4; i++ {
		da, db, do := a.Shape[i], b.Shape[i], out.Shape[i]
		if !da.Known() || !db.Known() || !do.Known() {
			return false
		}
		switch {
		case da.Size == db.Size && do.Size == da.Size:
		case i > 1 && da.Size == 1 && do.Size == db.Size:
		case i > 1 && db.Size == 1 && do.Size == da.Size:
		default:
			return false
		}
	}
	return true
}

// convEligible reports whether a Conv/FusedConv node has a form ConvNCHWc
// computes.
func (l *nchwcLayout) convEligible(n *ir.Node) bool {
	x, w := n.In(0), n.In(1)
	if staticChannels(x) == 0 || w == nil || w.Const == nil || w.Const.DType != ir.Float32 || len(w.Const.Shape) != 4 {
		return false
	}
	if n.Attrs.Int("group", 1) != 1 || w.Const.Shape[1] != staticChannels(x) {
		return false
	}
	if b := n.In(2); b != nil && (b.Const == nil || b.Const.DType != ir.Float32 || b.Const.Len() != int(w.Const.Shape[0])) {
		return false
	}
	_, err := l.convPads(n)
	return err == nil
}

// convPads resolves a window op's padding for its static input size into
// explicit [top, left, bottom, right] pads.
func (l *nchwcLayout) convPads(n *ir.Node) ([]int64, error) {
	k := n.Attrs.Ints("kernel_shape", nil)
	if k == nil && n.In(1) != nil && n.In(1).Const != nil {
		k = n.In(1).Const.Shape[2:]
	}
	wa, err := ir.ParseWindowAttrs(n.Attrs, 2, k)
	if err != nil {
		return nil, err
	}
	pads := make([]int64, 4)
	for i := range 2 {
		_, pb, pe, err := wa.Axis(i, n.In(0).Type.Shape[2+i].Size)
		if err != nil {
			return nil, err
		}
		if pb < 0 || pe < 0 {
			return nil, errNegativePad
		}
		pads[i], pads[2+i] = pb, pe
	}
	return pads, nil
}

type nchwcError string

func (e nchwcError) Error() string { return string(e) }

const errNegativePad = nchwcError("negative padding")

// blockedInput returns the blocked form of v, inserting a ReorderToNCHWc
// (once per value) when v is plain.
func (l *nchwcLayout) blockedInput(v *ir.Value) (*ir.Value, error) {
	if b, ok := l.blocked[v]; ok {
		return b, nil
	}
	if b, ok := l.toBlock[v]; ok {
		return b, nil
	}
	b := &ir.Value{Name: l.s.name(v.Name + "_nchwc")}
	n := &ir.Node{Name: l.s.name(v.Name + "_to_nchwc"), Op: "ReorderToNCHWc", Domain: ir.FusedDomain, Opset: 1,
		Inputs: []*ir.Value{v}, Outputs: []*ir.Value{b}, Attrs: ir.Attrs{"block": nchwcIntAttr("block", l.blk)}}
	b.Producer = n
	if err := ir.InferNode(n); err != nil {
		return nil, err
	}
	l.out = append(l.out, n)
	l.toBlock[v] = b
	return b, nil
}

// rewrite emits the blocked form of n; its output's blocked value is
// recorded in l.blocked.
func (l *nchwcLayout) rewrite(n *ir.Node, how nchwcHow) error {
	ins := make([]*ir.Value, len(n.Inputs))
	for i, in := range n.Inputs {
		ins[i] = in
		if in != nil && how.blockedIn(i) {
			b, err := l.blockedInput(in)
			if err != nil {
				return err
			}
			ins[i] = b
		}
	}
	if how.kind == "mean" {
		return l.emitSpatialMeanExit(n, ins[0])
	}
	if how.kind == "pad" || how.kind == "resize" {
		build := l.blockedPadNode
		if how.kind == "resize" {
			build = l.blockedResizeNode // layout_nchwc_resize.go
		}
		nn, err := build(n, ins[0])
		if err != nil {
			return err
		}
		return l.emit(n, nn)
	}
	attrs := ir.Attrs{}
	op, domain, opset := n.Op, n.Domain, n.Opset
	switch how.kind {
	case "conv":
		op, domain, opset = how.op, ir.FusedDomain, 1
		pads, err := l.convPads(n)
		if err != nil {
			return err
		}
		w := n.In(1).Const.Shape
		attrs["kernel_shape"] = nchwcIntsAttr("kernel_shape", w[2], w[3])
		attrs["pads"] = nchwcIntsAttr("pads", pads...)
		for _, name := range []string{"strides", "dilations", "activation", "activation_params", "exact_sums"} {
			if a, ok := n.Attrs[name]; ok {
				attrs[name] = a
			}
		}
	case "pool":
		op, domain, opset = how.op, ir.FusedDomain, 1
		if how.op != "GlobalAveragePoolNCHWc" {
			pads, err := l.convPads(n)
			if err != nil {
				return err
			}
			attrs["kernel_shape"] = n.Attrs["kernel_shape"]
			attrs["pads"] = nchwcIntsAttr("pads", pads...)
			for _, name := range []string{"strides", "dilations", "ceil_mode", "count_include_pad"} {
				if a, ok := n.Attrs[name]; ok {
					attrs[name] = a
				}
			}
			if how.op == "AveragePoolNCHWc" && n.Opset < 7 {
				delete(attrs, "count_include_pad")
			}
		}
	case "concat":
		op, domain, opset = how.op, ir.FusedDomain, 1
		chans := make([]int64, len(n.Inputs))
		for i, in := range n.Inputs {
			chans[i] = staticChannels(in)
			if !how.blockedIn(i) {
				ins[i] = nil // zero channels
			}
		}
		attrs["input_channels"] = nchwcIntsAttr("input_channels", chans...)
	default:
		attrs = n.Attrs
	}
	if domain == ir.FusedDomain {
		attrs["block"] = nchwcIntAttr("block", l.blk)
	}
	return l.emit(n, &ir.Node{Name: l.s.name(n.Name + "_nchwc"), Op: op, Domain: domain, Opset: opset, Inputs: ins, Attrs: attrs})
}

// emit appends nn, the blocked form of n, giving it a new output value
// recorded as the blocked form of n's output.
func (l *nchwcLayout) emit(n, nn *ir.Node) error {
	o := n.Outputs[0]
	b := &ir.Value{Name: l.s.name(o.Name + "_nchwc")}
	nn.Outputs = []*ir.Value{b}
	b.Producer = nn
	if err := ir.InferNode(nn); err != nil {
		return err
	}
	l.out = append(l.out, nn)
	l.blocked[o] = b
	l.channels[o] = staticChannels(o)
	return nil
}

func nchwcIntAttr(name string, v int64) *ir.Attr { return &ir.Attr{Name: name, Kind: ir.AttrInt, I: v} }

func nchwcIntsAttr(name string, v ...int64) *ir.Attr {
	return &ir.Attr{Name: name, Kind: ir.AttrInts, Ints: v}
}
