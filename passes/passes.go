package passes

import (
	"fmt"
	"io"
	"strings"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// pass is one row of the pass table.
type pass struct {
	name     string
	fn       func(g *ir.Graph, c *Context) error
	required bool // cannot be disabled: later stages depend on it
	fusion   bool // rewrites into fused forms; the reference path skips it
	doc      string
}

// passes is the pass table, in execution order. Ordering constraints:
//   - infer runs first: every later pass and the code generator read types.
//   - gradient runs before anything rewrites values: a Gradient node names
//     its forward values, so their computation is copied onto the node.
//   - identity before fold, so folding sees through Identity/Dropout chains.
//   - fold re-infers each node before trying it, so shapes made constant by
//     folding (Shape → Concat → Reshape) propagate in the same sweep.
//   - inline-if right after fold, which makes the shape tests of If
//     conditions constant; it folds the nodes it splices itself, so the
//     passes after it see them as if they had always been in the graph.
//   - integer-float and half-float first among the fusion passes, so the
//     float32 Convs and MatMuls they make from ConvInteger/MatMulInteger
//     and the float32 regions they make of float16 ones reach all the others.
//   - fake-quant with them, after fold (which has turned the weights'
//     DequantizeLinear into float constants, so the products between the
//     QDQ pairs are float Convs and Gemms for the passes after it) and
//     before layout-nchwc, which carries the nncc.FakeQuant it makes.
//   - the fusion passes run after fold, so the constants they match
//     (weights, biases, epsilons, shapes) are already constants, and in
//     this order: fold-batchnorm while the producer is still a plain
//     Conv/Gemm with constant weights; gelu, hardswish and layernorm
//     recognise their subgraphs before anything else rewrites pieces of
//     them (fold-scale would take hardswish's +3 into a Conv's bias);
//     minmax-clip before fuse-epilogue and layout-nchwc, which take the
//     Clips it makes;
//     transpose folding before matmul-add so MatMul(A, Transpose(B))
//     reaches it as a transB; fold-scale after transpose-sink and transpose (which move
//     a channels-last Mul/Add next to its Conv) while Convs are still
//     plain; attention after transpose (so composed transposes reach it)
//     and before matmul-add; matmul-add before fuse-epilogue, whose
//     producers it creates.
//   - layout-nchwc after fuse-epilogue, so convolutions arrive as
//     nncc.FusedConv with bias, residual and activation attached.
//   - conv-pool-nchwc and nchwc-flatten-gemm right after layout-nchwc,
//     which makes the blocked convolutions, poolings and reorders they
//     merge (and after matmul-add, which makes the FusedGemm).
//   - fuse-elementwise after every other fusion: it groups only the
//     elementwise ops the epilogue, GELU, LayerNorm and layout passes left.
//   - cse after fold: folded constants are compared by value there.
//   - dce last: every earlier pass leaves dead nodes and constants behind.
var passes = [...]pass{
	{name: "infer", fn: inferShapes, required: true, doc: "type and shape inference from the op table"},
	{name: "gradient", fn: captureGradients, required: true, doc: "store each Gradient node's forward graph on it before later passes rename, fuse, fold or delete the values it names"},
	{name: "identity", fn: eliminateIdentity, doc: "remove Identity and inference-mode Dropout"},
	{name: "fold", fn: foldConstants, doc: "evaluate nodes whose inputs are all constant; fold Shape/Size of static shapes"},
	{name: "inline-if", fn: inlineConstantIfs, fusion: true, doc: "If with a constant condition (after folding, e.g. a tested shape) → the taken branch's nodes spliced into the graph, then identity and fold again"},
	{name: "integer-float", fn: integerAsFloat, fusion: true, doc: "Cast-to-float of MatMulInteger (and, below AVX-512, ConvInteger) with constant weights → float Conv/MatMul of the zero-point-shifted operands where every sum stays below 2^24 (a Conv Winograd would round → FusedConv with exact_sums); AVX-512 keeps ConvInteger on the integer GEMM"},
	{name: "fake-quant", fn: fakeQuantToFloat, fusion: true, doc: "QDQ activations: QuantizeLinear → DequantizeLinear with one constant 8-bit scale and zero point → nncc.FakeQuant (the same values in one vector pass, carried by the NCHWc layout)"},
	{name: "half-float", fn: halfAsFloat, fusion: true, doc: "float16 nodes ONNX Runtime runs in float32 → computed in float32, rounding to float16 only where ONNX Runtime does (nodes with float16 kernels, float16 outputs); float16 constants widened once"},
	{name: "fold-pad", fn: foldPadIntoConv, fusion: true, doc: "zero constant Pad of the spatial axes before a Conv → the Conv's pads"},
	{name: "fold-batchnorm", fn: foldBatchNorm, fusion: true, doc: "fold inference BatchNormalization into the constant weights of the Conv/ConvTranspose/Gemm before it"},
	{name: "gelu", fn: fuseGelu, fusion: true, doc: "erf- and tanh-form GELU subgraphs → Gelu"},
	{name: "hardswish", fn: fuseHardSwish, fusion: true, doc: "Clip(x+3, 0, 6)/6 → HardSigmoid; x·Clip(x+3, 0, 6)/6 and x·HardSigmoid(x, 1/6, 1/2) → HardSwish"},
	{name: "minmax-clip", fn: minMaxToClip, fusion: true, doc: "Max/Min of a tensor and a one-element constant → Clip with that bound (an activation the epilogue and NCHWc layout carry)"},
	{name: "layernorm", fn: fuseLayerNorm, fusion: true, doc: "ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div(/Mul/Add) → LayerNormalization"},
	{name: "transpose-sink", fn: sinkTransposes, fusion: true, doc: "move a Transpose down through elementwise ops with constant operands onto the next Transpose, so the transpose pass composes or cancels them"},
	{name: "transpose", fn: foldTransposes, fusion: true, doc: "compose Transposes, drop identities, fold 2-D Transposes into transA/transB, collapse Reshape chains"},
	{name: "fold-scale", fn: foldScale, fusion: true, doc: "per-channel constant Mul/Add/Sub after a Conv, and Mul before one, → the Conv's constant weights and bias"},
	{name: "attention", fn: fuseAttention, fusion: true, doc: "MatMul/Softmax/MatMul attention (scale, Where and additive masks, head split/merge transposes) → nncc.FusedAttention"},
	{name: "matmul-add", fn: fuseMatMulAdd, fusion: true, doc: "MatMul(+Add bias) and Gemm with constant 2-D weights → nncc.FusedGemm (weights prepacked)"},
	{name: "fuse-epilogue", fn: fuseEpilogue, fusion: true, doc: "bias, residual Add and activations after Conv/Gemm/ConvTranspose → the product's epilogue (nncc.FusedConv/FusedGemm/FusedConvTranspose)"},
	{name: "layout-nchwc", fn: layoutNCHWc, fusion: true, doc: "convolution regions → blocked NCHWc layout (direct blocked Conv, pooling, activations, spatial Pad/Resize/ReduceMean, Concat), reorders only at region edges"},
	{name: "conv-pool-nchwc", fn: fuseConvPoolNCHWc, fusion: true, doc: "blocked Conv whose only reader is a MaxPool → nncc.ConvMaxPoolNCHWc (pooled while in cache)"},
	{name: "nchwc-flatten-gemm", fn: nchwcFlattenGemm, fusion: true, doc: "ReorderFromNCHWc → Flatten → FusedGemm: the Gemm's constant weight rows permuted to the blocked order, the reorder removed"},
	{name: "fuse-elementwise", fn: fuseElementwise, fusion: true, doc: "chains and trees of float32 elementwise ops (single-consumer intermediates) → one nncc.FusedElementwise loop"},
	{name: "cse", fn: eliminateCommonSubexpressions, doc: "merge nodes with equal op, attributes and inputs"},
	{name: "dce", fn: eliminateDeadCode, doc: "remove nodes and constants nothing uses"},
}

// Info describes a pass for listings.
type Info struct {
	Name, Doc string
	Required  bool
}

// List returns the pass table's names and docs in order.
func List() []Info {
	out := make([]Info, len(passes))
	for i, p := range passes {
		out[i] = Info{p.name, p.doc, p.required}
	}
	return out
}

// Context configures one run of the pass manager.
type Context struct {
	// Verify runs ir.Verify after every pass.
	Verify bool
	// Disable names passes to skip.
	Disable []string
	// DumpAfter names passes after which the graph's text form is written
	// to Dump ("all" dumps after every pass).
	DumpAfter []string
	Dump      io.Writer
	// MaxFoldElements bounds the size of a tensor constant folding may
	// create (0 means DefaultMaxFoldElements).
	MaxFoldElements int
	// MaxFoldBytes, when positive, bounds the bytes of all the constants
	// one run of the passes folds, nested graphs included; nodes past it
	// stay unfolded (fold_budget.go).
	MaxFoldBytes int64
	// MaxDimension, when positive, is the largest known dimension the
	// infer pass lets a value have: a graph whose shapes name a larger
	// one (a ConvTranspose whose group of 2^40 multiplies its output
	// channels) fails before any pass builds something sized by one
	// dimension (a fused bias of one value per channel).
	MaxDimension int64
	// Level is the ISA level the kernels will be built for; passes that
	// choose a data layout (layout-nchwc) pick it from this level, never
	// from the machine the compiler runs on, so an artifact compiled for
	// a level is the same on every machine. The zero Level is
	// isa.Generic: a zero Context keeps the plain layout, so a caller
	// that wants blocked convolutions names its level (isa.Current()).
	Level isa.Level
	// Ran records the passes that ran, in order.
	Ran []string
	// nested marks the run of a graph nested in a node (runNested).
	nested bool
	// fold is the fold budget, shared with nested runs.
	fold *foldBudget
}

// DefaultMaxFoldElements is the largest constant folding creates by default.
const DefaultMaxFoldElements = 1 << 22

// Run applies the pass table to g in place.
func Run(g *ir.Graph, c *Context) error {
	if c == nil {
		c = &Context{Level: isa.Current()}
	}
	for _, name := range append(append([]string{}, c.Disable...), c.DumpAfter...) {
		if name != "all" && !known(name) {
			return fmt.Errorf("no pass named %q (passes: %s)", name, names())
		}
	}
	for _, p := range passes {
		if contains(c.Disable, p.name) {
			if p.required {
				return fmt.Errorf("pass %q cannot be disabled", p.name)
			}
			continue
		}
		if err := p.fn(g, c); err != nil {
			return fmt.Errorf("pass %s: %w", p.name, err)
		}
		c.Ran = append(c.Ran, p.name)
		if c.Verify {
			if err := ir.Verify(g); err != nil {
				return fmt.Errorf("BUG: graph invalid after pass %s: %w", p.name, err)
			}
		}
		if c.Dump != nil && (contains(c.DumpAfter, p.name) || contains(c.DumpAfter, "all")) {
			fmt.Fprintf(c.Dump, "// after %s\n%s", p.name, ir.Format(g))
		}
	}
	runNested(g, c)
	if c.Verify && !c.nested {
		if err := ir.Verify(g); err != nil {
			return fmt.Errorf("BUG: graph invalid after the passes of its nested graphs: %w", err)
		}
	}
	return nil
}

func known(name string) bool {
	for _, p := range passes {
		if p.name == name {
			return true
		}
	}
	return false
}

func names() string {
	var s []string
	for _, p := range passes {
		s = append(s, p.name)
	}
	return strings.Join(s, ", ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
