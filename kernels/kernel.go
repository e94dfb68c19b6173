package kernels

import (
	"fmt"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
)

// Func runs one step: it reads in (nil entries are omitted optional inputs)
// and produces every output through c.Output.
type Func func(c *Ctx, in []*ir.Tensor) error

// Build is what a Builder sees at compile time.
type Build struct {
	Node *ir.Node
	// Graph is the graph holding Node (for ops such as Gradient that
	// refer to other values by name); nil when folding constants.
	Graph *ir.Graph
	// InTypes are the static types of the node's inputs (nil if omitted).
	InTypes []*ir.Type
	// Subgraph compiles a graph held by one of the node's attributes into
	// something the kernel can run; set by the runtime.
	Subgraph func(g *ir.Graph) (Subgraph, error)
	// Level is the instruction-set level the session compiles for. A
	// kernel picks its SIMD variant from it here, at build time (Vec,
	// sgemm.SgemmLevel, PackB), never from the process-wide
	// isa.Current(). The zero value is isa.Generic (constant folding).
	Level isa.Level
	// Prepacks, when set, supplies weights transformed at build time
	// (packed GEMM panels and the like) from a compiled artifact, and
	// records the ones made while compiling one; see Prepacked.
	Prepacks Prepacks
}

// Errorf returns an error naming the node and op.
func (b *Build) Errorf(format string, args ...any) error {
	return fmt.Errorf("node %q (%s): %s", b.Node.Name, b.Node.Op, fmt.Sprintf(format, args...))
}

// Attrs returns the node's attributes.
func (b *Build) Attrs() ir.Attrs { return b.Node.Attrs }

// InDType returns the static dtype of input i (Undefined if unknown).
func (b *Build) InDType(i int) ir.DType {
	if i < len(b.InTypes) && b.InTypes[i] != nil {
		return b.InTypes[i].DType
	}
	return ir.Undefined
}

// Builder makes the kernel for one node.
type Builder func(b *Build) (Func, error)

// Subgraph is a compiled nested graph (the body of If, Loop or Scan).
type Subgraph interface {
	// Run executes the graph with the given inputs, reading outer-scope
	// values from c, and returns its outputs.
	Run(c *Ctx, inputs []*ir.Tensor) ([]*ir.Tensor, error)
}

var registry = map[string]Builder{}

func regKey(domain, op string) string {
	if domain == "ai.onnx" {
		domain = ""
	}
	return domain + "::" + op
}

// Register installs the builder for domain/op. Called from init functions;
// a duplicate is a BUG panic.
func Register(domain, op string, b Builder) {
	k := regKey(domain, op)
	if _, dup := registry[k]; dup {
		panic("BUG: kernel registered twice: " + k)
	}
	registry[k] = b
}

// Lookup returns the builder for domain/op.
func Lookup(domain, op string) (Builder, bool) {
	b, ok := registry[regKey(domain, op)]
	return b, ok
}

// BuildNode builds the kernel for n.
func BuildNode(b *Build) (Func, error) {
	f, ok := Lookup(b.Node.Domain, b.Node.Op)
	if !ok {
		return nil, fmt.Errorf("node %q: no kernel for op %s (domain %q)", b.Node.Name, b.Node.Op, b.Node.Domain)
	}
	return f(b)
}
