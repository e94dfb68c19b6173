package kernels

import (
	"fmt"
	"strings"
	"sync"

	"github.com/nncc/nncc/ir"
)

// Gradient (ai.onnx.preview.training) by reverse-mode differentiation.
//
// The forward computation (y from xs and zs) comes from the node's captured
// forward graph (ir.GradientForwardAttr, see ir.CaptureGradientForward) or,
// failing that, is cut out of the graph holding the node by name
// (ir.GradientForward on Build.Graph). For concrete input shapes the
// kernel builds one graph of default-domain ops: the forward nodes again,
// then, walking them backwards, each op's derivative rule (see
// training_gradient_rules.go) starting from a seed of ones shaped like y.
// That graph is compiled with Build.Subgraph and run per step. Shapes are
// concrete in the built graph, so broadcasting is undone with ReduceSum
// over axes known at build time. When the node's input shapes are known
// at compile time the graph is built then; otherwise it is built on first
// use for each distinct set of input shapes and cached.

func init() { Register(ir.TrainingDomain, "Gradient", buildGradient) }

// gradMaxCached bounds the per-shape cache of built gradient graphs.
const gradMaxCached = 16

// gradCompiled is a gradient graph compiled for one set of input shapes.
type gradCompiled struct {
	dtypes []ir.DType
	shapes [][]int64
	sub    Subgraph
	// copyOut marks outputs that are a graph input or constant of the
	// gradient graph: they are copied so nobody writes into them.
	copyOut []bool
}

func (gc *gradCompiled) matches(in []*ir.Tensor) bool {
	for i, t := range in {
		if t.DType != gc.dtypes[i] || !sameShape(t.Shape, gc.shapes[i]) {
			return false
		}
	}
	return true
}

type gradKernel struct {
	b     *Build
	body  *ir.Graph // forward graph: inputs xs then zs, output y
	nx    int       // len(xs)
	opset int64     // ai.onnx opset of the backward nodes

	first *gradCompiled // built at compile time, when shapes were known
	mu    sync.Mutex
	cache map[string]*gradCompiled
}

func buildGradient(b *Build) (Func, error) {
	xs, zs, _ := ir.GradientNames(b.Node)
	if len(b.Node.Inputs) != len(xs)+len(zs) {
		return nil, b.Errorf("%d inputs, but xs and zs name %d values", len(b.Node.Inputs), len(xs)+len(zs))
	}
	if len(b.Node.Outputs) > len(xs) {
		return nil, b.Errorf("%d outputs, but xs names only %d values", len(b.Node.Outputs), len(xs))
	}
	body := b.Attrs().Graph(ir.GradientForwardAttr)
	if body == nil {
		if b.Graph == nil {
			return nil, b.Errorf("needs the graph holding it to find %q by name; it cannot be evaluated while folding constants", b.Node.Attrs.String("y", ""))
		}
		var err error
		if body, err = ir.GradientForward(b.Graph, b.Node); err != nil {
			return nil, err
		}
	}
	if len(body.Inputs) != len(b.Node.Inputs) || len(body.Outputs) != 1 {
		return nil, b.Errorf("forward graph has %d inputs and %d outputs, want %d and 1", len(body.Inputs), len(body.Outputs), len(b.Node.Inputs))
	}
	if b.Subgraph == nil {
		return nil, b.Errorf("nested graphs cannot be compiled here")
	}
	k := &gradKernel{b: b, body: body, nx: len(xs), opset: gradOpset(b, body), cache: map[string]*gradCompiled{}}
	if err := k.checkRules(); err != nil {
		return nil, err
	}
	if types, ok := concreteInTypes(b); ok {
		gc, err := k.compile(types)
		if err != nil {
			return nil, err
		}
		k.first = gc
	}
	return k.run, nil
}

// gradOpset picks the ai.onnx opset of the backward nodes: the model's,
// but at least 13 so ReduceSum takes its axes as an input.
func gradOpset(b *Build, body *ir.Graph) int64 {
	op := int64(13)
	if b.Graph != nil {
		op = max(op, b.Graph.Opset(""))
	}
	for _, n := range body.Nodes {
		if n.Domain == "" || n.Domain == "ai.onnx" {
			op = max(op, n.Opset)
		}
	}
	return op
}

func concreteInTypes(b *Build) ([]ir.Type, bool) {
	types := make([]ir.Type, len(b.InTypes))
	for i, t := range b.InTypes {
		if t == nil || t.Kind != ir.KindTensor || !t.RankKnown {
			return nil, false
		}
		if _, ok := t.Shape.Concrete(); !ok {
			return nil, false
		}
		types[i] = *t
	}
	return types, true
}

// checkRules reports, before any shape is known, a forward op on the path
// from xs to y that has no derivative rule.
func (k *gradKernel) checkRules() error {
	active := map[*ir.Value]bool{}
	for _, v := range k.body.Inputs[:k.nx] {
		active[v] = true
	}
	for _, n := range k.body.Nodes {
		on := false
		for _, in := range n.Inputs {
			if in != nil && active[in] {
				on = true
			}
		}
		if !on {
			continue
		}
		for _, o := range n.Outputs {
			if o != nil {
				active[o] = true
			}
		}
		if _, ok := lookupGradRule(n); !ok {
			return k.b.Errorf("cannot differentiate through node %q: op %s (domain %q) has no derivative rule", n.Name, n.Op, n.Domain)
		}
	}
	return nil
}

// compile builds and compiles the gradient graph for concrete input types.
func (k *gradKernel) compile(types []ir.Type) (*gradCompiled, error) {
	g, copyOut, err := buildGradientGraph(k.body, types, k.nx, k.opset, k.b.Node.Name)
	if err != nil {
		return nil, k.b.Errorf("%v", err)
	}
	sub, err := k.b.Subgraph(g)
	if err != nil {
		return nil, k.b.Errorf("compiling the gradient graph: %v", err)
	}
	gc := &gradCompiled{sub: sub, copyOut: copyOut}
	for _, t := range types {
		s, _ := t.Shape.Concrete()
		gc.dtypes = append(gc.dtypes, t.DType)
		gc.shapes = append(gc.shapes, s)
	}
	return gc, nil
}

// lookup returns the compiled graph for the step's inputs, building it on
// first use of their shapes.
func (k *gradKernel) lookup(c *Ctx, in []*ir.Tensor) (*gradCompiled, error) {
	if k.first != nil && k.first.matches(in) {
		return k.first, nil
	}
	var key strings.Builder
	types := make([]ir.Type, len(in))
	for i, t := range in {
		fmt.Fprintf(&key, "%d%v;", t.DType, t.Shape)
		types[i] = ir.TensorOf(t.DType, ir.KnownShape(t.Shape))
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if gc, ok := k.cache[key.String()]; ok {
		return gc, nil
	}
	gc, err := k.compile(types)
	if err != nil {
		return nil, err
	}
	if len(k.cache) >= gradMaxCached {
		clear(k.cache)
	}
	k.cache[key.String()] = gc
	return gc, nil
}

func (k *gradKernel) run(c *Ctx, in []*ir.Tensor) error {
	for i, t := range in {
		if t == nil || t.Kind != ir.KindTensor {
			return c.Errorf("input %d must be a tensor", i)
		}
	}
	gc, err := k.lookup(c, in)
	if err != nil {
		return err
	}
	outs, err := gc.sub.Run(c, in)
	if err != nil {
		return err
	}
	for i := 0; i < c.NumOutputs() && i < len(outs); i++ {
		t := outs[i]
		if gc.copyOut[i] {
			t = t.Clone()
		}
		c.SetOutput(i, t)
	}
	return nil
}
