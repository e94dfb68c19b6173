package passes

import "github.com/nncc/nncc/ir"

// halfKind tells what an op is to the float16 widening.
type halfKind uint8

const (
	halfOther   halfKind = iota // not widened
	halfMove                    // moves values exactly: widened in regions that compute
	halfCompute                 // computes in float32 and rounds once
)

// halfOp is one row of halfWidenOps.
type halfOp struct {
	kind halfKind
	// nativeFrom is the lowest opset at which ONNX Runtime's CPU provider
	// has a float16 kernel for the op (0: none, it runs the float32
	// kernel between Casts). Such a node reads and writes float16 values:
	// half-float leaves it in float16, so the values it reads are rounded
	// there as in ONNX Runtime, unless it is isolated (halfIsolated).
	// Measured on ONNX Runtime 1.30 (x86-64) by saving the graph it runs
	// for one-node float16 models of each op and opset.
	nativeFrom int64
}

// halfWidenOps are the default-domain ops whose float16 form may run as
// the float32 form between Casts: every float16 input is of the op's
// main float type (or of one that also admits float32), every float16
// output is computed in float32 and rounded once (or moved, exactly),
// and no attribute names a float16 data type. Ops that produce float16
// from attributes (Cast, RandomNormal, EyeLike, …) or whose output
// depends on the input type beyond its values are not here.
var halfWidenOps = map[string]halfOp{
	"Conv": {kind: halfCompute}, "ConvTranspose": {kind: halfCompute},
	"MatMul": {kind: halfCompute}, "Gemm": {kind: halfCompute},

	"Add": {kind: halfCompute}, "Sub": {kind: halfCompute}, "Mul": {kind: halfCompute},
	"Div": {kind: halfCompute}, "Sum": {kind: halfCompute}, "Mean": {kind: halfCompute},
	"Max": {halfCompute, 12}, "Min": {halfCompute, 12}, "Clip": {halfCompute, 12},
	"Neg": {kind: halfCompute}, "Abs": {kind: halfCompute},
	"Relu": {kind: halfCompute}, "LeakyRelu": {kind: halfCompute}, "PRelu": {kind: halfCompute},
	"Elu": {kind: halfCompute}, "Selu": {kind: halfCompute}, "Sigmoid": {kind: halfCompute},
	"HardSigmoid": {kind: halfCompute}, "HardSwish": {kind: halfCompute}, "Tanh": {kind: halfCompute},
	"Softplus": {kind: halfCompute}, "Softsign": {kind: halfCompute}, "Gelu": {kind: halfCompute},
	"Mish": {kind: halfCompute}, "Erf": {kind: halfCompute}, "Exp": {kind: halfCompute},
	"Log": {kind: halfCompute}, "Sqrt": {kind: halfCompute}, "Reciprocal": {kind: halfCompute},
	"Softmax": {kind: halfCompute}, "LogSoftmax": {kind: halfCompute},

	"BatchNormalization": {kind: halfCompute}, "InstanceNormalization": {kind: halfCompute},
	"LayerNormalization": {halfCompute, 17}, "GroupNormalization": {kind: halfCompute},
	"MaxPool": {kind: halfCompute}, "AveragePool": {kind: halfCompute},
	"GlobalAveragePool": {kind: halfCompute}, "GlobalMaxPool": {kind: halfCompute},
	"ReduceMean": {kind: halfCompute}, "ReduceSum": {kind: halfCompute},
	"ReduceMax": {kind: halfCompute}, "ReduceMin": {kind: halfCompute},

	"Resize": {kind: halfCompute}, "Upsample": {kind: halfCompute},

	"Concat": {halfMove, 1}, "Split": {halfMove, 1}, "Slice": {halfMove, 1},
	"Reshape": {halfMove, 1}, "Transpose": {halfMove, 1}, "Squeeze": {halfMove, 1},
	"Unsqueeze": {halfMove, 1}, "Flatten": {halfMove, 1}, "Expand": {halfMove, 1},
	"Gather": {halfMove, 1}, "Identity": {halfMove, 1},
	"Tile": {kind: halfMove}, "Pad": {kind: halfMove},
	"DepthToSpace": {kind: halfMove}, "SpaceToDepth": {kind: halfMove},
}

// halfNative reports whether ONNX Runtime runs n's float16 form with a
// float16 kernel (halfOp.nativeFrom).
func halfNative(n *ir.Node) bool {
	from := halfWidenOps[n.Op].nativeFrom
	return from > 0 && n.Opset >= from
}
