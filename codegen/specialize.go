package codegen

import (
	"fmt"
	"slices"
	"sync"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// Specialised graphs: besides the optimised graph with the model's
// symbolic shapes, an artifact stores the graph optimised again for fixed
// input shapes (the shapes `nncc compile` was told, symbolic dimensions 1
// by default), with every shape static and every shape computation
// folded. A session whose inputs have exactly those shapes lowers that
// graph directly: its first Run runs no pass and, the graph's weight
// transforms being stored too, packs nothing. Inputs of other shapes go
// through the generic graph (passes for their shapes, then lowering).
//
// A specialised graph shares the weights section with the generic graph
// (a tensor both use is stored once) but not its values: it is a graph of
// its own, decoded and checked like the generic one, plus the rules of
// CheckSpecialized. Each is stored after its input shapes and its length,
// so that loading checks the shapes and skips the graph: a StoredPlan
// decodes it the first time inputs of its shapes arrive (the checksum
// has covered its bytes at load).

// maxSpecialized bounds the specialised graphs of one artifact.
const maxSpecialized = 64

// CheckSpecialized checks that sg can stand in for g on inputs of sg's
// input shapes: the same inputs (names, kinds and dtypes) and outputs
// (count and names), each input of sg a tensor of a static shape that g's
// input type admits.
func CheckSpecialized(g, sg *ir.Graph) error {
	if sg == nil {
		return fmt.Errorf("missing graph")
	}
	if len(sg.Inputs) != len(g.Inputs) || len(sg.Outputs) != len(g.Outputs) {
		return fmt.Errorf("%d inputs and %d outputs, the model has %d and %d",
			len(sg.Inputs), len(sg.Outputs), len(g.Inputs), len(g.Outputs))
	}
	for i, v := range sg.Inputs {
		gv := g.Inputs[i]
		if v.Name != gv.Name {
			return fmt.Errorf("input %d is %q, the model's is %q", i, v.Name, gv.Name)
		}
		t, gt := v.Type, gv.Type
		if t.Kind != ir.KindTensor || gt.Kind != ir.KindTensor || t.DType != gt.DType || !t.RankKnown {
			return fmt.Errorf("input %q has type %v, the model's is %v (specialised inputs are tensors of static shape)", v.Name, t, gt)
		}
		if gt.RankKnown && len(gt.Shape) != len(t.Shape) {
			return fmt.Errorf("input %q has rank %d, the model's %d", v.Name, len(t.Shape), len(gt.Shape))
		}
		for j, d := range t.Shape {
			if !d.Known() {
				return fmt.Errorf("input %q has a dynamic dimension %v", v.Name, d)
			}
			if gt.RankKnown && gt.Shape[j].Known() && gt.Shape[j].Size != d.Size {
				return fmt.Errorf("input %q dimension %d is %d, the model's is %d", v.Name, j, d.Size, gt.Shape[j].Size)
			}
		}
	}
	for i, v := range sg.Outputs {
		if v.Name != g.Outputs[i].Name {
			return fmt.Errorf("output %d is %q, the model's is %q", i, v.Name, g.Outputs[i].Name)
		}
	}
	return checkStoredTypes(sg)
}

// checkStoredTypes infers every node's output types of sg from its input
// types (in order, as the graph is topologically sorted) and checks them
// against the stored ones: lowering trusts a specialised graph's static
// shapes (no pass re-infers them), so a stored shape may be more
// specific than inference (a declared value_info) but never contradict
// it.
func checkStoredTypes(sg *ir.Graph) error {
	// One set of buffers for every node (cleared for each): the input
	// types are copies, so that inference cannot change the graph's.
	ins, outs := 0, 0
	for _, n := range sg.Nodes {
		ins, outs = max(ins, len(n.Inputs)), max(outs, len(n.Outputs))
	}
	inTypes, inPtrs, consts, outTypes := make([]ir.Type, ins), make([]*ir.Type, ins), make([]*ir.Tensor, ins), make([]ir.Type, outs)
	ctx := &ir.InferCtx{}
	for _, n := range sg.Nodes {
		s, ok := ir.LookupOp(n.Domain, n.Op)
		if !ok || s.Infer == nil {
			return fmt.Errorf("node %q: op %s has no type inference", n.Name, n.Op)
		}
		k, m := len(n.Inputs), len(n.Outputs)
		clear(inPtrs[:k])
		clear(consts[:k])
		clear(outTypes[:m])
		*ctx = ir.InferCtx{Node: n, In: inPtrs[:k:k], Const: consts[:k:k], Out: outTypes[:m:m]}
		for i, v := range n.Inputs {
			if v != nil {
				inTypes[i] = v.Type
				ctx.In[i], ctx.Const[i] = &inTypes[i], v.Const
			}
		}
		if err := s.Infer(ctx); err != nil {
			return fmt.Errorf("node %q (%s): %v", n.Name, n.Op, err)
		}
		for i, o := range n.Outputs {
			if o != nil && !typeAgrees(o.Type, ctx.Out[i]) {
				return fmt.Errorf("node %q (%s) output %q is stored as %v, its inputs give %v", n.Name, n.Op, o.Name, o.Type, ctx.Out[i])
			}
		}
	}
	return nil
}

// typeAgrees reports whether a stored type is consistent with an inferred
// one: same kind and dtype (where inferred), same rank and sizes where
// inference knows them.
func typeAgrees(stored, inferred ir.Type) bool {
	if inferred.Kind != stored.Kind {
		return inferred.Kind == ir.KindTensor && inferred.DType == ir.Undefined
	}
	if inferred.Kind != ir.KindTensor {
		return true
	}
	if inferred.DType != ir.Undefined && inferred.DType != stored.DType {
		return false
	}
	if !inferred.RankKnown {
		return true
	}
	if !stored.RankKnown || len(stored.Shape) != len(inferred.Shape) {
		return false
	}
	for i, d := range inferred.Shape {
		if d.Known() && (!stored.Shape[i].Known() || stored.Shape[i].Size != d.Size) {
			return false
		}
	}
	return true
}

// InputShapes returns the static input shapes of a specialised graph.
func InputShapes(sg *ir.Graph) [][]int64 {
	out := make([][]int64, len(sg.Inputs))
	for i, v := range sg.Inputs {
		s := make([]int64, len(v.Type.Shape))
		for j, d := range v.Type.Shape {
			s[j] = d.Size
		}
		out[i] = s
	}
	return out
}

// StoredPlan is a specialised graph of a decoded artifact: its input
// shapes, and its graph, decoded and checked on first use.
type StoredPlan struct {
	// Shapes are the input shapes the graph is for, in input order.
	Shapes [][]int64

	data   []byte // the encoded graph
	index  int
	shared *storedShared
	once   sync.Once
	graph  *ir.Graph
	packs  []kernels.PrepackEntry
	err    error
	// derived are the graph's constants stored prepacked only.
	derived []derivedRef
}

// storedShared is what the stored plans of one artifact decode against.
type storedShared struct {
	mu      sync.Mutex
	generic *ir.Graph
	// body is the generic graph's body, decoded on first need.
	body    *genericBody
	weights []byte
	// values are the tensors' data decoded from the weights section so
	// far (so that all graphs' constants share memory).
	values  map[weightRef]any
	records []PrepackRecord
	section []byte
	derived *derivedSet
}

// Graph decodes (once) and returns the specialised graph with the
// prepacked transforms of constants only it has (bound to them). An
// error says what is wrong with the stored graph. Its constants stored
// prepacked only alias their panels (see derived.go): lower it with
// GuardPrepacks.
func (p *StoredPlan) Graph() (*ir.Graph, []kernels.PrepackEntry, error) {
	p.once.Do(func() {
		if p.shared == nil {
			p.err = fmt.Errorf("BUG: stored plan of no artifact")
			return
		}
		p.graph, p.packs, p.err = p.decode()
		if p.err != nil {
			p.graph, p.packs = nil, nil
			p.err = fmt.Errorf("artifact specialised graph %d: %v", p.index, p.err)
		}
	})
	return p.graph, p.packs, p.err
}

func (p *StoredPlan) decode() (sg *ir.Graph, packs []kernels.PrepackEntry, err error) {
	defer func() {
		if r := recover(); r != nil {
			sg, packs, err = nil, nil, fmt.Errorf("BUG: internal error decoding: %v", r)
		}
	}()
	sh := p.shared
	sh.mu.Lock()
	defer sh.mu.Unlock()
	// A reader of its own over the graph's bytes, sharing the weights
	// already decoded (so that both graphs' constants share memory).
	r := &graphReader{data: p.data, weights: sh.weights, shared: sh.values}
	r.slabs.sizeFor(len(p.data))
	sg = r.graph(0)
	if r.err == nil && r.pos != len(p.data) {
		r.fail("%d trailing bytes", len(p.data)-r.pos)
	}
	if r.shared != nil {
		sh.values = r.shared
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	if err := sh.derived.resolve(r.derived, sh.records, sh.section); err != nil {
		return nil, nil, err
	}
	if len(r.derived) > 0 {
		p.derived = r.derived
		set := make(map[*ir.Tensor]bool, len(r.derived))
		for _, d := range r.derived {
			set[d.t] = true
		}
		if err := checkDerivedUses(sg, set); err != nil {
			return nil, nil, err
		}
	}
	if err := CheckSpecialized(sh.generic, sg); err != nil {
		return nil, nil, err
	}
	if got := InputShapes(sg); !slices.EqualFunc(got, p.Shapes, slices.Equal) {
		return nil, nil, fmt.Errorf("input shapes %v, listed as %v", got, p.Shapes)
	}
	var own []PrepackRecord
	for _, rec := range sh.records {
		if rec.Graph == int64(p.index)+1 {
			own = append(own, rec)
		}
	}
	packs, err = bindPrepacked(sg, own, sh.section)
	if err != nil {
		return nil, nil, err
	}
	return sg, packs, nil
}

// DecodeStored decodes the generic graph's body (if not yet done) and
// every stored plan of a decoded artifact into a.Specialized, adding the
// transforms bound to them to a.Prepacked, and materialises every
// constant (for tools that re-encode an artifact).
func (a *Artifact) DecodeStored() error {
	if err := a.decodeGenericBody(); err != nil {
		return err
	}
	a.Specialized = nil
	for _, p := range a.Stored {
		g, packs, err := p.Graph()
		if err != nil {
			return err
		}
		a.Specialized = append(a.Specialized, g)
		a.Prepacked = append(a.Prepacked, packs...)
	}
	return a.Materialize()
}

// checkStoredShapes checks a stored plan's listed input shapes against
// the generic graph's inputs: one static shape per input, of its rank and
// its fixed sizes.
func checkStoredShapes(g *ir.Graph, shapes [][]int64) error {
	if len(shapes) != len(g.Inputs) {
		return fmt.Errorf("%d input shapes, the model has %d inputs", len(shapes), len(g.Inputs))
	}
	for i, s := range shapes {
		t := g.Inputs[i].Type
		if t.Kind != ir.KindTensor || (t.RankKnown && len(t.Shape) != len(s)) {
			return fmt.Errorf("input %q: shape %v for a %v", g.Inputs[i].Name, s, t)
		}
		for j, d := range s {
			if d < 0 || (t.RankKnown && t.Shape[j].Known() && t.Shape[j].Size != d) {
				return fmt.Errorf("input %q: shape %v for a %v", g.Inputs[i].Name, s, t)
			}
		}
	}
	return nil
}

// Encoded returns the stored graph's bytes as the artifact holds them
// (for tools that craft artifacts; do not modify them).
func (p *StoredPlan) Encoded() []byte { return p.data }
