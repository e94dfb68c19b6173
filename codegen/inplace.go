package codegen

import "github.com/nncc/nncc/ir"

// inPlaceOps lists ops whose output 0 may take over input 0's arena buffer
// when input 0 dies at that step and both have the same size. Each row is
// a promise about the op's kernel: it produces output 0 either through
// Ctx.SetView (whose copy onto itself is free) or through
// Ctx.OutputUninit followed by a loop that reads element i of input 0
// before writing element i of the output and never reads input 0 after
// writing. Kernels that zero their output first (Ctx.Output) or gather
// from other positions must not be listed.
var inPlaceOps = map[string]bool{
	// Views.
	"Reshape": true, "Flatten": true, "Squeeze": true, "Unsqueeze": true, "Identity": true,
	// Unary math (kernels/elementwise_unary.go, ewBuildUnary).
	"Abs": true, "Neg": true, "Ceil": true, "Floor": true, "Round": true, "Sqrt": true,
	"Reciprocal": true, "Exp": true, "Log": true, "Sin": true, "Cos": true, "Tan": true,
	"Erf": true, "Sign": true,
	// Activations (kernels/elementwise_activation.go rows, built by ewBuildUnary).
	"Relu": true, "LeakyRelu": true, "Elu": true, "Selu": true, "Celu": true,
	"Sigmoid": true, "HardSigmoid": true, "HardSwish": true, "Tanh": true,
	"Softplus": true, "Softsign": true, "Gelu": true, "Mish": true, "ThresholdedRelu": true,
	// Same-dtype arithmetic (kernels/elementwise_binary.go, ewBinaryFunc):
	// output index i reads input 0 at i when their shapes are equal.
	"Add": true, "Sub": true, "Mul": true, "Div": true,
}

// inPlaceInput returns the slot whose buffer step st's output 0 may reuse,
// or -1.
func inPlaceInput(p *Plan, si int, st Step, lastUse []int) int {
	if len(st.In) == 0 || len(st.Out) == 0 || st.Node.Domain != "" || !inPlaceOps[st.Node.Op] {
		return -1
	}
	in, out := st.In[0], st.Out[0]
	if in < 0 || out < 0 || p.Slots[in].Kind != SlotArena || p.Slots[out].Kind != SlotArena {
		return -1
	}
	if lastUse[in] != si || isOutput(p, in) {
		return -1 // read later, or must survive to the end
	}
	for j, other := range st.In {
		if j > 0 && other == in {
			return -1 // also read as another operand (x*x)
		}
	}
	a, b := p.Slots[in].Type, p.Slots[out].Type
	if a.DType != b.DType || !sameStatic(a.Shape, b.Shape) && !isView(st.Node.Op) {
		return -1
	}
	if slotBytes(p.Slots[in]) != slotBytes(p.Slots[out]) {
		return -1
	}
	return in
}

func isView(op string) bool {
	switch op {
	case "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity":
		return true
	}
	return false
}

func isOutput(p *Plan, s int) bool {
	for _, o := range p.Outputs {
		if o == s {
			return true
		}
	}
	return false
}

func sameStatic(a, b ir.Shape) bool {
	x, ok1 := a.Concrete()
	y, ok2 := b.Concrete()
	if !ok1 || !ok2 || len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

func slotBytes(s Slot) int64 {
	shape, ok := s.Type.Shape.Concrete()
	if !ok {
		return -1
	}
	return int64(ir.NumElements(shape)) * int64(s.Type.DType.Size())
}
