package ir

import "fmt"

// Op table row of nncc.FusedElementwise, which the fuse-elementwise pass
// makes from a chain or tree of float32 elementwise ops:
//
//	nncc.FusedElementwise(X0, …, Xk-1) -> Y
//
// evaluates a little program of instructions over the broadcast of its
// inputs. Instruction i is the ONNX op named ops[i] (a binary arithmetic
// op: Add, Sub, Mul, Div, Max, Min; or a unary op or activation: Relu,
// Sigmoid, Tanh, Exp, Neg, Sqrt, Erf, …, "GeluTanh" for Gelu with
// approximate="tanh", and "Clip" with constant bounds). Its operands are
// args[2i] and args[2i+1] (-1 for the missing second operand of a unary
// op): a reference r < k names input Xr, r ≥ k the result of instruction
// r-k, which must come earlier. Its parameters are params[3i:3i+3] (the
// op's alpha, beta, gamma attributes with their defaults filled in; Clip's
// min and max). Y is the result of the last instruction and has the
// broadcast shape of the inputs.

// FusedElementwiseOps lists the instructions nncc.FusedElementwise runs
// and their number of operands.
var FusedElementwiseOps = map[string]int{
	"Add": 2, "Sub": 2, "Mul": 2, "Div": 2, "Max": 2, "Min": 2,
	"Abs": 1, "Neg": 1, "Ceil": 1, "Floor": 1, "Round": 1, "Sqrt": 1, "Reciprocal": 1,
	"Exp": 1, "Log": 1, "Sin": 1, "Cos": 1, "Tan": 1, "Asin": 1, "Acos": 1, "Atan": 1,
	"Sinh": 1, "Cosh": 1, "Asinh": 1, "Acosh": 1, "Atanh": 1, "Erf": 1, "Sign": 1,
	"Relu": 1, "LeakyRelu": 1, "Elu": 1, "Selu": 1, "Celu": 1, "Sigmoid": 1,
	"HardSigmoid": 1, "HardSwish": 1, "Tanh": 1, "Softplus": 1, "Softsign": 1,
	"Gelu": 1, "GeluTanh": 1, "Mish": 1, "ThresholdedRelu": 1, "Shrink": 1, "Swish": 1,
	"Clip": 1,
}

// FusedElementwiseParams is the number of parameters per instruction.
const FusedElementwiseParams = 3

// CheckFusedElementwise validates the program of a FusedElementwise node
// with nin inputs.
func CheckFusedElementwise(a Attrs, nin int) error {
	ops := a.Strings("ops", nil)
	args := a.Ints("args", nil)
	params := a.Floats("params", nil)
	if len(ops) == 0 {
		return fmt.Errorf("ops is empty")
	}
	if len(args) != 2*len(ops) {
		return fmt.Errorf("args has %d entries, %d ops need %d", len(args), len(ops), 2*len(ops))
	}
	if len(params) != FusedElementwiseParams*len(ops) {
		return fmt.Errorf("params has %d entries, %d ops need %d", len(params), len(ops), FusedElementwiseParams*len(ops))
	}
	for i, op := range ops {
		arity, ok := FusedElementwiseOps[op]
		if !ok {
			return fmt.Errorf("op %d: %q is not an elementwise instruction", i, op)
		}
		for j := range 2 {
			r := args[2*i+j]
			if j >= arity {
				if r != -1 {
					return fmt.Errorf("op %d (%s) takes %d operand(s), args gives a second (%d)", i, op, arity, r)
				}
				continue
			}
			if r < 0 || r >= int64(nin+i) {
				return fmt.Errorf("op %d (%s): operand %d refers to %d, which is not an input or an earlier result (%d inputs)", i, op, j, r, nin)
			}
		}
	}
	return nil
}

func init() {
	RegisterOp(&OpSchema{Domain: FusedDomain, Name: "FusedElementwise", MinOpset: 1,
		MinInputs: 1, MaxInputs: -1, MinOutputs: 1, MaxOutputs: 1,
		Attrs: []AttrSpec{
			{Name: "ops", Kind: AttrStrings, Required: true},
			{Name: "args", Kind: AttrInts, Required: true},
			{Name: "params", Kind: AttrFloats, Required: true},
		},
		Infer: inferFusedElementwise})
}

func inferFusedElementwise(c *InferCtx) error {
	if err := CheckFusedElementwise(c.Attrs(), len(c.In)); err != nil {
		return c.Errorf("%v", err)
	}
	for i := range c.In {
		if !c.Has(i) {
			return c.Errorf("input %d is missing", i)
		}
		if err := c.RequireDType(i, Float32); err != nil {
			return err
		}
	}
	return InferBroadcast(Float32)(c)
}
