package builder

import "github.com/nncc/nncc/ir"

// Subgraph returns a builder for a subgraph called name: the body of a
// Loop or Scan, a branch of If. Its nodes may use the values of b and of
// the builders enclosing b; constants and weights it adds belong to the
// top-level graph. Declare the subgraph's inputs with Input and finish it
// with Graph, then pass the graph as the op's attribute:
//
//	then := b.Subgraph("then")
//	thenG := then.Graph(then.Output("y", then.Relu(x)))
//	y := b.If(cond, builder.AttrThenBranch(thenG), builder.AttrElseBranch(elseG))
func (b *Builder) Subgraph(name string) *Builder {
	return &Builder{st: b.st, g: &ir.Graph{Name: name}, parent: b, scope: append([]string{}, b.scope...)}
}

// Graph returns a subgraph builder's graph with the outputs marked with
// Output followed by outs. It returns nil after an error (which the
// top-level builder reports).
func (b *Builder) Graph(outs ...*Value) *ir.Graph {
	if b.parent == nil {
		b.fail(errorString("Graph called on a top-level builder; use Build"))
		return nil
	}
	g, err := b.finish(outs)
	if err != nil {
		b.fail(err) // no effect when the error is already recorded
		return nil
	}
	return g
}

type errorString string

func (e errorString) Error() string { return string(e) }
