package onnx

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// Encode serializes g as an ONNX model (see Export), declaring the graph's
// own opset imports.
func Encode(g *ir.Graph) ([]byte, error) {
	m, err := Export(g, 0)
	if err != nil {
		return nil, err
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(m)
}

// Export converts g into a ModelProto: initializers from constants, graph
// inputs and outputs with their types (symbolic dims as dim_param), value
// types of node outputs as value_info, nodes with attributes and
// subgraphs, and opset imports. opset, when non-zero, is the version of the
// default domain to declare; otherwise g.Opsets (or the nodes' own versions)
// decide. Decode(Encode(g)) yields an equivalent graph.
func Export(g *ir.Graph, opset int64) (m *onnxpb.ModelProto, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("onnx: internal error while exporting: %v", r)
		}
	}()
	e := &exporter{names: map[*ir.Value]string{}, used: map[string]bool{}}
	opsets := map[string]int64{}
	for d, v := range g.Opsets {
		opsets[normDomain(d)] = v
	}
	e.collect(g, opsets, 0)
	if opset > 0 {
		opsets[""] = opset
	}
	if _, ok := opsets[""]; !ok {
		opsets[""] = 21
	}
	gp, err := e.graph(g, true, 0)
	if err != nil {
		return nil, err
	}
	m = &onnxpb.ModelProto{IrVersion: irVersionFor(opsets[""]), Graph: gp}
	domains := make([]string, 0, len(opsets))
	for d := range opsets {
		domains = append(domains, d)
	}
	sort.Strings(domains)
	for _, d := range domains {
		m.OpsetImport = append(m.OpsetImport, &onnxpb.OperatorSetIdProto{Domain: d, Version: opsets[d]})
	}
	keys := make([]string, 0, len(g.Metadata))
	for k := range g.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := g.Metadata[k]
		switch k {
		case "producer_name":
			m.ProducerName = v
		case "producer_version":
			m.ProducerVersion = v
		case "domain":
			m.Domain = v
		case "doc_string":
			m.DocString = v
		case "graph_doc_string":
			gp.DocString = v
		case "model_version":
			m.ModelVersion, _ = strconv.ParseInt(v, 10, 64)
		case "ir_version":
		default:
			m.MetadataProps = append(m.MetadataProps, &onnxpb.StringStringEntryProto{Key: k, Value: v})
		}
	}
	if m.ProducerName == "" {
		m.ProducerName = "nncc"
	}
	return m, nil
}

// irVersionFor returns the IR version that goes with an ai.onnx opset
// version (at least 4, from which initializers need not be graph inputs).
func irVersionFor(opset int64) int64 {
	switch {
	case opset <= 9:
		return 4
	case opset <= 10:
		return 5
	case opset <= 11:
		return 6
	case opset <= 14:
		return 7
	case opset <= 18:
		return 8
	case opset <= 20:
		return 9
	case opset <= 22:
		return 10
	case opset <= 23:
		return 11
	}
	return 12
}

type exporter struct {
	names    map[*ir.Value]string
	used     map[string]bool
	unlisted []*ir.Value // constants used by nodes but listed in no graph
	seq      int
}

// name returns the unique name of v in the exported model.
func (e *exporter) name(v *ir.Value) string {
	if v == nil {
		return ""
	}
	if s, ok := e.names[v]; ok {
		return s
	}
	s := v.Name
	for s == "" || e.used[s] {
		e.seq++
		base := v.Name
		if base == "" {
			base = "v"
		}
		s = base + "_" + strconv.Itoa(e.seq)
	}
	e.used[s] = true
	e.names[v] = s
	return s
}

// collect names every value in graph order, finds constants that no graph
// lists, and records the domains the nodes use.
func (e *exporter) collect(g *ir.Graph, opsets map[string]int64, depth int) {
	if depth > 256 {
		panic("BUG: graph nests too deeply to export")
	}
	listed := map[*ir.Value]bool{}
	for _, v := range g.Inputs {
		e.name(v)
	}
	for _, v := range g.Constants {
		e.name(v)
		listed[v] = true
	}
	for _, n := range g.Nodes {
		if d := normDomain(n.Domain); opsets[d] == 0 {
			opsets[d] = max(n.Opset, 1)
		}
		for _, in := range n.Inputs {
			if in != nil && in.Const != nil && in.Producer == nil && !listed[in] {
				if _, named := e.names[in]; !named {
					e.unlisted = append(e.unlisted, in)
				}
			}
			e.name(in)
		}
		for _, sg := range n.Subgraphs() {
			e.collect(sg, opsets, depth+1)
		}
		for _, o := range n.Outputs {
			e.name(o)
		}
	}
	for _, o := range g.Outputs {
		e.name(o)
	}
}

func (e *exporter) graph(g *ir.Graph, top bool, depth int) (*onnxpb.GraphProto, error) {
	gp := &onnxpb.GraphProto{Name: g.Name}
	if top && gp.Name == "" {
		gp.Name = "main"
	}
	consts := g.Constants
	if top {
		consts = append(append([]*ir.Value{}, consts...), e.unlisted...)
	}
	for _, c := range consts {
		tp, err := TensorToProto(c.Const)
		if err != nil {
			return nil, fmt.Errorf("constant %q: %w", c.Name, err)
		}
		tp.Name = e.name(c)
		gp.Initializer = append(gp.Initializer, tp)
	}
	for _, v := range g.Inputs {
		gp.Input = append(gp.Input, &onnxpb.ValueInfoProto{Name: e.name(v), Type: typeToProto(v.Type)})
	}
	outputs := map[*ir.Value]bool{}
	for _, v := range g.Outputs {
		outputs[v] = true
		gp.Output = append(gp.Output, &onnxpb.ValueInfoProto{Name: e.name(v), Type: typeToProto(v.Type)})
	}
	for _, n := range g.Nodes {
		np := &onnxpb.NodeProto{Name: n.Name, OpType: n.Op, Domain: normDomain(n.Domain)}
		for _, in := range n.Inputs {
			np.Input = append(np.Input, e.name(in))
		}
		for _, o := range n.Outputs {
			np.Output = append(np.Output, e.name(o))
			if o != nil && !outputs[o] {
				if tp := typeToProto(o.Type); tp != nil {
					gp.ValueInfo = append(gp.ValueInfo, &onnxpb.ValueInfoProto{Name: e.name(o), Type: tp})
				}
			}
		}
		for _, a := range n.Attrs.Sorted() {
			ap, err := e.attr(a, depth)
			if err != nil {
				return nil, fmt.Errorf("node %q (%s): attribute %q: %w", n.Name, n.Op, a.Name, err)
			}
			np.Attribute = append(np.Attribute, ap)
		}
		gp.Node = append(gp.Node, np)
	}
	return gp, nil
}

func (e *exporter) attr(a *ir.Attr, depth int) (*onnxpb.AttributeProto, error) {
	ap := &onnxpb.AttributeProto{Name: a.Name, Type: onnxpb.AttributeProto_AttributeType(a.Kind)}
	var err error
	switch a.Kind {
	case ir.AttrFloat:
		ap.F = a.F
	case ir.AttrInt:
		ap.I = a.I
	case ir.AttrString:
		ap.S = []byte(a.S)
	case ir.AttrFloats:
		ap.Floats = a.Floats
	case ir.AttrInts:
		ap.Ints = a.Ints
	case ir.AttrStrings:
		for _, s := range a.Strings {
			ap.Strings = append(ap.Strings, []byte(s))
		}
	case ir.AttrTensor:
		ap.T, err = TensorToProto(a.T)
	case ir.AttrTensors:
		for _, t := range a.Tensors {
			tp, err := TensorToProto(t)
			if err != nil {
				return nil, err
			}
			ap.Tensors = append(ap.Tensors, tp)
		}
	case ir.AttrSparseTensor:
		ap.SparseTensor, err = sparseToProto(a.T)
	case ir.AttrSparseTensors:
		for _, t := range a.Tensors {
			sp, err := sparseToProto(t)
			if err != nil {
				return nil, err
			}
			ap.SparseTensors = append(ap.SparseTensors, sp)
		}
	case ir.AttrGraph:
		ap.G, err = e.graph(a.G, false, depth+1)
	case ir.AttrGraphs:
		for _, g := range a.Graphs {
			gp, err := e.graph(g, false, depth+1)
			if err != nil {
				return nil, err
			}
			ap.Graphs = append(ap.Graphs, gp)
		}
	case ir.AttrTypeProto:
		if a.Type != nil {
			ap.Tp = typeToProto(*a.Type)
		}
	case ir.AttrTypeProtos:
		for _, t := range a.Types {
			ap.TypeProtos = append(ap.TypeProtos, typeToProto(t))
		}
	default:
		return nil, fmt.Errorf("unsupported attribute kind %v", a.Kind)
	}
	return ap, err
}

// sparseToProto encodes a dense tensor as a SparseTensorProto holding its
// non-zero elements with linear indices.
func sparseToProto(t *ir.Tensor) (*onnxpb.SparseTensorProto, error) {
	if t == nil {
		return nil, fmt.Errorf("nil tensor")
	}
	src := reflect.ValueOf(t.Data)
	if src.Kind() != reflect.Slice {
		return nil, fmt.Errorf("tensor holds %T", t.Data)
	}
	idx := []int64{}
	for i := 0; i < src.Len(); i++ {
		if !src.Index(i).IsZero() {
			idx = append(idx, int64(i))
		}
	}
	vals := reflect.MakeSlice(src.Type(), len(idx), len(idx))
	for k, i := range idx {
		vals.Index(k).Set(src.Index(int(i)))
	}
	vt, err := TensorToProto(&ir.Tensor{DType: t.DType, Shape: []int64{int64(len(idx))}, Data: vals.Interface()})
	if err != nil {
		return nil, err
	}
	it, err := TensorToProto(&ir.Tensor{DType: ir.Int64, Shape: []int64{int64(len(idx))}, Data: idx})
	if err != nil {
		return nil, err
	}
	return &onnxpb.SparseTensorProto{Values: vt, Indices: it, Dims: append([]int64{}, t.Shape...)}, nil
}
