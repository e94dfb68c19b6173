package onnx

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// Load reads and decodes an ONNX model file. External tensor data is looked
// up in the model's folder.
func Load(path string, opts ...Option) (*ir.Graph, error) {
	o := makeOptions(opts)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.Size() > o.limits.MaxModelBytes {
		return nil, &LimitError{Limit: "MaxModelBytes", Value: o.limits.MaxModelBytes, What: fmt.Sprintf("model file %s (%d bytes)", path, fi.Size())}
	}
	data, err := readLimited(f, o.limits.MaxModelBytes, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	opts = append([]Option{WithBaseDir(filepath.Dir(path))}, opts...)
	g, err := Decode(data, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}

// DecodeReader reads a serialized ModelProto from r and decodes it.
func DecodeReader(r io.Reader, opts ...Option) (*ir.Graph, error) {
	o := makeOptions(opts)
	data, err := readLimited(r, o.limits.MaxModelBytes, 0)
	if err != nil {
		return nil, err
	}
	return Decode(data, opts...)
}

// readLimited reads r to its end, failing past limit bytes. size, when
// positive, is the expected length (a file's size): the buffer is made
// that large at once, so a model of hundreds of megabytes is not copied
// through buffers doubling past twice its size.
func readLimited(r io.Reader, limit, size int64) ([]byte, error) {
	var buf bytes.Buffer
	if size > 0 && size <= limit {
		buf.Grow(int(size) + bytes.MinRead)
	}
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, &LimitError{Limit: "MaxModelBytes", Value: limit, What: "model"}
	}
	return buf.Bytes(), nil
}

// Decode decodes a serialized ModelProto into an ir.Graph: inputs, outputs,
// constants (initializers), and nodes in topological order with their
// attributes and subgraphs. Model-local functions are inlined. Unless
// SkipOpCheck is given, every node must match a row of the op table
// (ir.LookupOp) for its opset version, arity and attributes.
func Decode(data []byte, opts ...Option) (g *ir.Graph, err error) {
	o := makeOptions(opts)
	if int64(len(data)) > o.limits.MaxModelBytes {
		return nil, &LimitError{Limit: "MaxModelBytes", Value: o.limits.MaxModelBytes, What: fmt.Sprintf("model (%d bytes)", len(data))}
	}
	defer func() {
		if r := recover(); r != nil {
			g, err = nil, fmt.Errorf("onnx: internal error while decoding: %v", r)
		}
	}()
	m := &onnxpb.ModelProto{}
	if err := proto.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("not a valid ONNX model: %w", err)
	}
	return decodeModel(m, o)
}

// DecodeModel decodes an already unmarshalled ModelProto.
func DecodeModel(m *onnxpb.ModelProto, opts ...Option) (g *ir.Graph, err error) {
	defer func() {
		if r := recover(); r != nil {
			g, err = nil, fmt.Errorf("onnx: internal error while decoding: %v", r)
		}
	}()
	return decodeModel(m, makeOptions(opts))
}

// decoder holds the state of decoding one model.
type decoder struct {
	opts        options
	modelOpsets map[string]int64
	funcs       map[funcKey]*onnxpb.FunctionProto
	nodeCount   int64
	tensorBytes int64
	calls       int // function calls inlined so far (for unique names)
	// costs memoises inlineCost per function; inlinedBytes sums the
	// bytes of the top-level calls inlined so far (see inline_cost.go).
	costs        map[funcKey]inlineCost
	inlinedBytes int64
	nodeNames    map[string]bool
}

func decodeModel(m *onnxpb.ModelProto, o options) (*ir.Graph, error) {
	if m.Graph == nil {
		return nil, fmt.Errorf("model has no graph")
	}
	d := &decoder{opts: o, modelOpsets: map[string]int64{}, funcs: map[funcKey]*onnxpb.FunctionProto{}, nodeNames: map[string]bool{}}
	for _, imp := range m.OpsetImport {
		if err := checkOpsetVersion(imp.Domain, imp.Version); err != nil {
			return nil, err
		}
		d.modelOpsets[normDomain(imp.Domain)] = imp.Version
	}
	if len(m.OpsetImport) == 0 {
		d.modelOpsets[""] = 1 // IR version < 3: the default domain at version 1
	}
	for _, f := range m.Functions {
		k := funcKey{normDomain(f.Domain), f.Name, f.Overload}
		if _, dup := d.funcs[k]; dup {
			return nil, fmt.Errorf("model-local function %s is defined twice", k)
		}
		d.funcs[k] = f
	}
	collectNodeNames(m.Graph, d.nodeNames, 0)
	g, err := d.graph(m.Graph, nil, d.modelOpsets, 0)
	if err != nil {
		return nil, err
	}
	g.Opsets = map[string]int64{}
	for k, v := range d.modelOpsets {
		g.Opsets[k] = v
	}
	g.Metadata = modelMetadata(m)
	if err := expandExperimental(g); err != nil {
		return nil, err
	}
	if err := normalize(g); err != nil {
		return nil, err
	}
	if !o.skipOpCheck {
		if err := checkOps(g); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func modelMetadata(m *onnxpb.ModelProto) map[string]string {
	md := map[string]string{}
	for _, kv := range m.MetadataProps {
		md[kv.Key] = kv.Value
	}
	set := func(k, v string) {
		if v != "" {
			md[k] = v
		}
	}
	set("producer_name", m.ProducerName)
	set("producer_version", m.ProducerVersion)
	set("domain", m.Domain)
	set("doc_string", m.DocString)
	if m.ModelVersion != 0 {
		md["model_version"] = strconv.FormatInt(m.ModelVersion, 10)
	}
	if m.IrVersion != 0 {
		md["ir_version"] = strconv.FormatInt(m.IrVersion, 10)
	}
	if m.Graph.DocString != "" {
		md["graph_doc_string"] = m.Graph.DocString
	}
	return md
}

// normDomain maps "ai.onnx" to "", the spelling ir uses for the default
// domain.
func normDomain(d string) string {
	if d == "ai.onnx" {
		return ""
	}
	return d
}

// tensor decodes a tensor of the model and accounts for its size.
func (d *decoder) tensor(tp *onnxpb.TensorProto) (*ir.Tensor, error) {
	t, err := TensorFromProto(tp, d.opts.baseDir, d.opts.limits)
	if err != nil {
		return nil, err
	}
	if err := d.account(t); err != nil {
		return nil, err
	}
	return t, nil
}

// account adds t's size to the model's total and checks MaxTensorBytes.
func (d *decoder) account(t *ir.Tensor) error {
	size := int64(t.Len()) * int64(max(t.DType.Size(), 1))
	d.tensorBytes += size
	if d.tensorBytes > d.opts.limits.MaxTensorBytes {
		return &LimitError{Limit: "MaxTensorBytes", Value: d.opts.limits.MaxTensorBytes, What: "total size of the model's tensors"}
	}
	return nil
}

// countNode counts one more node against MaxNodes.
func (d *decoder) countNode() error {
	d.nodeCount++
	if d.nodeCount > d.opts.limits.MaxNodes {
		return &LimitError{Limit: "MaxNodes", Value: d.opts.limits.MaxNodes, What: "number of nodes (including subgraphs and inlined functions)"}
	}
	return nil
}

// collectNodeNames records the node names used in the file so generated
// names for unnamed nodes do not collide with them.
func collectNodeNames(gp *onnxpb.GraphProto, names map[string]bool, depth int) {
	if depth > 256 {
		return
	}
	for _, n := range gp.Node {
		if n.Name != "" {
			names[n.Name] = true
		}
		for _, a := range n.Attribute {
			if a.G != nil {
				collectNodeNames(a.G, names, depth+1)
			}
			for _, sg := range a.Graphs {
				collectNodeNames(sg, names, depth+1)
			}
		}
	}
}

// nodeName returns the node's name, or a generated unique one.
func (d *decoder) nodeName(np *onnxpb.NodeProto) string {
	if np.Name != "" {
		return np.Name
	}
	for i := len(d.nodeNames); ; i++ {
		s := np.OpType + "_" + strconv.Itoa(i)
		if !d.nodeNames[s] {
			d.nodeNames[s] = true
			return s
		}
	}
}
