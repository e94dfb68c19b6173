package ir

import (
	"fmt"
	"strings"
)

// Format renders g in nncc's deterministic text form, used by golden tests
// and by `nncc compile -dump-after`. Constants print their type and, when
// small, their values.
//
//	graph main(x: float[batch,3]) -> (y) {
//	  const w: float[3,3] = [...]
//	  %y: float[batch,3] = Relu(%x)
//	}
func Format(g *Graph) string {
	var b strings.Builder
	formatGraph(&b, g, "")
	return b.String()
}

func formatGraph(b *strings.Builder, g *Graph, indent string) {
	var ins []string
	for _, v := range g.Inputs {
		ins = append(ins, v.Name+": "+v.Type.String())
	}
	var outs []string
	for _, v := range g.Outputs {
		outs = append(outs, "%"+v.Name)
	}
	fmt.Fprintf(b, "%sgraph %s(%s) -> (%s) {\n", indent, g.Name, strings.Join(ins, ", "), strings.Join(outs, ", "))
	for _, c := range g.Constants {
		fmt.Fprintf(b, "%s  const %s: %s = %s\n", indent, c.Name, c.Type, constText(c.Const))
	}
	for _, n := range g.Nodes {
		var os []string
		for _, o := range n.Outputs {
			if o == nil {
				os = append(os, "_")
				continue
			}
			os = append(os, "%"+o.Name+": "+o.Type.String())
		}
		var is []string
		for _, in := range n.Inputs {
			switch {
			case in == nil:
				is = append(is, "_")
			case in.Const != nil && in.Producer == nil && !isListed(g, in):
				is = append(is, constText(in.Const))
			default:
				is = append(is, "%"+in.Name)
			}
		}
		op := n.Op
		if n.Domain != "" {
			op = n.Domain + "." + op
		}
		fmt.Fprintf(b, "%s  %s = %s(%s)%s\n", indent, strings.Join(os, ", "), op, strings.Join(is, ", "), attrText(n.Attrs))
		for _, a := range n.Attrs.Sorted() {
			if a.G != nil {
				formatGraph(b, a.G, indent+"    ")
			}
			for _, sg := range a.Graphs {
				formatGraph(b, sg, indent+"    ")
			}
		}
	}
	fmt.Fprintf(b, "%s}\n", indent)
}

func isListed(g *Graph, v *Value) bool {
	for _, c := range g.Constants {
		if c == v {
			return true
		}
	}
	return false
}

func constText(t *Tensor) string {
	if t == nil {
		return "<nil>"
	}
	if t.Kind == KindTensor && t.Len() <= 8 {
		return t.String()
	}
	return fmt.Sprintf("%v%v[...]", t.DType, t.Shape)
}

func attrText(a Attrs) string {
	if len(a) == 0 {
		return ""
	}
	var parts []string
	for _, at := range a.Sorted() {
		var v string
		switch at.Kind {
		case AttrFloat:
			v = fmt.Sprintf("%g", at.F)
		case AttrInt:
			v = fmt.Sprint(at.I)
		case AttrString:
			v = fmt.Sprintf("%q", at.S)
		case AttrFloats:
			v = fmt.Sprint(at.Floats)
		case AttrInts:
			v = fmt.Sprint(at.Ints)
		case AttrStrings:
			v = fmt.Sprintf("%q", at.Strings)
		case AttrTensor:
			v = constText(at.T)
		case AttrGraph:
			v = "graph " + at.G.Name
		case AttrGraphs:
			v = fmt.Sprintf("%d graphs", len(at.Graphs))
		case AttrTensors:
			v = fmt.Sprintf("%d tensors", len(at.Tensors))
		case AttrTypeProto:
			v = at.Type.String()
		default:
			v = at.Kind.String()
		}
		parts = append(parts, at.Name+"="+v)
	}
	return " {" + strings.Join(parts, ", ") + "}"
}
