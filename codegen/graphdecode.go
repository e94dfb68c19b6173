package codegen

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"unsafe"

	"github.com/nncc/nncc/ir"
)

// graphReader decodes the graph section (see graphcodec.go). Every read
// is bounds-checked; the first error sticks and later reads return zero
// values, so malformed input ends in an error, never a panic. Counts are
// checked against the bytes left before anything is allocated for them.
type graphReader struct {
	data    []byte
	pos     int
	weights []byte
	vals    []*ir.Value
	err     error
	slabs   graphSlabs
	shared  map[weightRef]any
	// derived are the constants stored prepacked only, their data set
	// once the records are known (derivedSet.resolve).
	derived []derivedRef
}

func (r *graphReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("artifact graph at byte %d: %s", r.pos, fmt.Sprintf(format, args...))
	}
}

func (r *graphReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data[r.pos:])
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.pos += n
	return v
}

func (r *graphReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.data[r.pos:])
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.pos += n
	return v
}

// count reads a list length, at most the bytes left (every element takes
// at least one byte).
func (r *graphReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.data)-r.pos) {
		r.fail("list of %d elements in %d bytes", n, len(r.data)-r.pos)
		return 0
	}
	return int(n)
}

func (r *graphReader) bytes() []byte {
	n := r.count()
	if r.err != nil {
		return nil
	}
	b := r.data[r.pos : r.pos+n]
	r.pos += n
	return b
}

// str aliases the string's bytes (the artifact's data must not change
// while its graph is in use, as for its constants).
func (r *graphReader) str() string {
	b := r.bytes()
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// decodeGraph decodes the graph section: the generic graph's head and
// interface (its body is returned undecoded, see genericBody), the
// prepacked records, then the stored plans' shapes and encoded graphs
// (decoded on first use, see specialize.go); weights is the weights
// section.
func decodeGraph(data, weights []byte) (*ir.Graph, *genericBody, []PrepackRecord, []*StoredPlan, *graphReader, error) {
	if !hostLittleEndian {
		return nil, nil, nil, nil, nil, fmt.Errorf("artifacts load on little-endian hosts only")
	}
	r := &graphReader{data: data, weights: weights}
	r.slabs.sizeFor(len(data))
	g := r.graphHead(0)
	// The interface: the outputs' names and types, standing in for the
	// outputs until the body is decoded.
	outs := r.slabs.refs.many(r.count())
	for i := range outs {
		v := r.slabs.values.one()
		v.Name = r.str()
		v.Type = r.typ(0)
		outs[i] = v
	}
	n := r.count()
	body := &genericBody{g: g, iface: outs, start: r.pos, end: r.pos + n}
	r.pos += n
	if g != nil {
		g.Outputs = outs
	}
	recs := make([]PrepackRecord, r.count())
	for i := range recs {
		recs[i] = PrepackRecord{Graph: r.varint(), Const: r.str(), Offset: r.varint(), Len: r.varint(), Key: r.str(),
			DataOffset: r.varint(), Count: r.varint()}
	}
	n = r.count()
	if n > maxSpecialized {
		r.fail("%d specialised graphs (at most %d)", n, maxSpecialized)
	}
	var stored []*StoredPlan
	for i := 0; i < n && r.err == nil; i++ {
		p := &StoredPlan{Shapes: make([][]int64, r.count())}
		for j := range p.Shapes {
			p.Shapes[j] = make([]int64, r.count())
			for k := range p.Shapes[j] {
				p.Shapes[j][k] = r.varint()
			}
		}
		p.data = r.bytes()
		stored = append(stored, p)
	}
	if r.err == nil && r.pos != len(data) {
		r.fail("%d trailing bytes", len(data)-r.pos)
	}
	if r.err != nil {
		return nil, nil, nil, nil, nil, r.err
	}
	body.r = r
	return g, body, recs, stored, r, nil
}

// genericBody is the body (nodes and outputs) of an artifact's generic
// graph, left undecoded at load: a session whose first Runs take stored
// plans never needs it. Until decode, the graph has its head (inputs and
// constants) and the interface's outputs, values of the listed names and
// types that no node produces.
type genericBody struct {
	r          *graphReader // the reader that decoded the head (it holds the head's values)
	g          *ir.Graph
	iface      []*ir.Value
	start, end int // the body's bytes in the graph section
	done       bool
	err        error
}

// decode decodes the body into the graph (once; sh.mu is held): its
// nodes, its outputs (which must be the interface's names and types) and
// the tensors derived from prepacked records it holds.
func (b *genericBody) decode(sh *storedShared) (err error) {
	if b == nil {
		return nil
	}
	if b.done {
		return b.err
	}
	b.done = true
	defer func() {
		// A panic while decoding must not leave a half-decoded graph
		// that later calls take for a decoded one.
		if p := recover(); p != nil {
			b.err = fmt.Errorf("BUG: decoding the artifact's graph body: %v", p)
			b.g.Nodes, b.g.Outputs = nil, b.iface
			err = b.err
		}
	}()
	r := b.r
	b.r = nil
	r.data, r.pos = r.data[:b.end], b.start
	r.shared = sh.values
	from := len(r.derived)
	g := b.g
	r.graphBody(g, 0)
	if r.shared != nil {
		sh.values = r.shared
	}
	if r.err == nil && r.pos != b.end {
		r.fail("%d trailing bytes in the graph body", b.end-r.pos)
	}
	if r.err == nil && len(g.Outputs) != len(b.iface) {
		r.fail("%d graph outputs, the interface lists %d", len(g.Outputs), len(b.iface))
	}
	for i, v := range g.Outputs {
		if r.err != nil {
			break
		}
		if w := b.iface[i]; v.Name != w.Name || !sameType(v.Type, w.Type) {
			r.fail("graph output %d is %q %v, the interface lists %q %v", i, v.Name, v.Type, w.Name, w.Type)
		}
	}
	b.err = r.err
	if b.err == nil {
		b.err = sh.derived.resolve(r.derived[from:], sh.records, sh.section)
	}
	if b.err != nil {
		g.Nodes, g.Outputs = nil, b.iface
		return b.err
	}
	sh.derived.generic = r.derived
	return nil
}

// sameType reports whether a and b are the same type.
func sameType(a, b ir.Type) bool {
	if a.Kind != b.Kind || a.DType != b.DType || a.RankKnown != b.RankKnown || len(a.Shape) != len(b.Shape) ||
		(a.Elem == nil) != (b.Elem == nil) {
		return false
	}
	for i, d := range a.Shape {
		if d != b.Shape[i] {
			return false
		}
	}
	return a.Elem == nil || sameType(*a.Elem, *b.Elem)
}

// appendStoredPlan appends a stored plan: its input shapes, then its
// encoded graph, length-prefixed (so that loading can skip it).
func appendStoredPlan(b []byte, shapes [][]int64, graph []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(shapes)))
	for _, s := range shapes {
		b = binary.AppendUvarint(b, uint64(len(s)))
		for _, d := range s {
			b = binary.AppendVarint(b, d)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(graph)))
	return append(b, graph...)
}

// appendPrepackRecords appends the prepacked records to the encoded graph.
func appendPrepackRecords(b []byte, recs []PrepackRecord) []byte {
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	b = binary.AppendUvarint(b, uint64(len(recs)))
	for _, r := range recs {
		b = binary.AppendVarint(b, r.Graph)
		str(r.Const)
		b = binary.AppendVarint(b, r.Offset)
		b = binary.AppendVarint(b, r.Len)
		str(r.Key)
		b = binary.AppendVarint(b, r.DataOffset)
		b = binary.AppendVarint(b, r.Count)
	}
	return b
}

func (r *graphReader) graph(depth int) *ir.Graph {
	if depth > maxGraphDepth {
		r.fail("graphs nested deeper than %d", maxGraphDepth)
		return nil
	}
	// Values defined inside a nested graph are out of scope after it.
	mark := len(r.vals)
	if depth > 0 {
		defer func() {
			for i := mark; i < len(r.vals); i++ {
				r.vals[i] = nil
			}
		}()
	}
	g := r.graphHead(depth)
	if g == nil || !r.graphBody(g, depth) {
		return nil
	}
	return g
}

// graphHead reads a graph's name, opsets, metadata, inputs and constants.
func (r *graphReader) graphHead(depth int) *ir.Graph {
	g := &ir.Graph{Name: r.str()}
	if n := r.count(); n > 0 {
		g.Opsets = make(map[string]int64, n)
		for range n {
			k := r.str()
			g.Opsets[k] = r.varint()
		}
	}
	if n := r.count(); n > 0 {
		g.Metadata = make(map[string]string, n)
		for range n {
			k := r.str()
			g.Metadata[k] = r.str()
		}
	}
	g.Inputs = r.slabs.refs.many(r.count())
	for i := range g.Inputs {
		g.Inputs[i] = r.def()
	}
	g.Constants = r.slabs.refs.many(r.count())
	for i := range g.Constants {
		v := r.def()
		v.Const = r.tensor(v, depth)
		g.Constants[i] = v
	}
	if r.err != nil {
		return nil
	}
	return g
}

// graphBody reads a graph's nodes and outputs into g; it reports whether
// that succeeded.
func (r *graphReader) graphBody(g *ir.Graph, depth int) bool {
	nodes := r.count()
	g.Nodes = make([]*ir.Node, 0, nodes)
	for range nodes {
		if r.err != nil {
			return false
		}
		n := r.slabs.nodes.one()
		*n = ir.Node{Name: r.str(), Op: r.str(), Domain: r.str(), Opset: r.varint()}
		n.Inputs = r.slabs.refs.many(r.count())
		for i := range n.Inputs {
			n.Inputs[i] = r.use(depth)
		}
		na := r.count()
		n.Attrs = make(ir.Attrs, na)
		for range na {
			a := r.attr(depth)
			if a == nil {
				return false
			}
			if _, dup := n.Attrs[a.Name]; dup {
				r.fail("node %q: attribute %q twice", n.Name, a.Name)
				return false
			}
			n.Attrs[a.Name] = a
		}
		n.Outputs = r.slabs.refs.many(r.count())
		for i := range n.Outputs {
			switch r.uvarint() {
			case 0:
			case 1:
				n.Outputs[i] = r.def()
			default:
				r.fail("bad output tag")
			}
		}
		if r.err != nil {
			return false
		}
		if err := checkNode(n); err != nil {
			r.fail("%v", err)
			return false
		}
		g.AddNode(n)
	}
	g.Outputs = r.slabs.refs.many(r.count())
	for i := range g.Outputs {
		if g.Outputs[i] = r.use(depth); g.Outputs[i] == nil && r.err == nil {
			r.fail("graph output %d is omitted", i)
		}
	}
	return r.err == nil
}

// checkNode checks a node against its op table row (arity, attribute
// names and kinds, opset range), as the ONNX decoder does.
func checkNode(n *ir.Node) error {
	s, ok := ir.LookupOp(n.Domain, n.Op)
	if !ok {
		return fmt.Errorf("node %q: unknown op %s (domain %q)", n.Name, n.Op, n.Domain)
	}
	if n.Opset < s.MinOpset || (s.MaxOpset != 0 && n.Opset > s.MaxOpset) {
		return fmt.Errorf("node %q (%s): opset %d outside the supported range", n.Name, n.Op, n.Opset)
	}
	if err := s.CheckNode(n); err != nil {
		return fmt.Errorf("node %q: %v", n.Name, err)
	}
	return nil
}

func (r *graphReader) def() *ir.Value {
	v := r.slabs.values.one()
	v.Name = r.str()
	v.Type = r.typ(0)
	r.vals = append(r.vals, v)
	return v
}

func (r *graphReader) use(depth int) *ir.Value {
	switch tag := r.uvarint(); {
	case r.err != nil || tag == useOmitted:
		return nil
	case tag == useInline:
		v := r.def()
		v.Const = r.tensor(v, depth)
		return v
	default:
		id := tag - useBase
		if id >= uint64(len(r.vals)) || r.vals[id] == nil {
			r.fail("use of undefined value %d", id)
			return nil
		}
		return r.vals[id]
	}
}

func (r *graphReader) typ(depth int) ir.Type {
	if depth > maxGraphDepth {
		r.fail("types nested deeper than %d", maxGraphDepth)
		return ir.Type{}
	}
	t := ir.Type{Kind: ir.Kind(r.uvarint()), DType: ir.DType(r.uvarint())}
	if t.Kind > ir.KindSparse {
		r.fail("bad value kind %d", t.Kind)
	}
	rank := r.varint()
	if rank >= 0 {
		if rank > int64(len(r.data)-r.pos) {
			r.fail("rank %d", rank)
			return t
		}
		t.RankKnown = true
		t.Shape = r.slabs.dims.many(int(rank))
		for i := range t.Shape {
			t.Shape[i] = ir.Dim{Size: r.varint(), Param: r.str()}
		}
	}
	if r.uvarint() == 1 {
		e := r.typ(depth + 1)
		t.Elem = &e
	}
	return t
}

// tensor reads a tensor; v (nil for attributes) names it in errors.
func (r *graphReader) tensor(v *ir.Value, depth int) *ir.Tensor {
	if depth > maxGraphDepth {
		r.fail("tensors nested deeper than %d", maxGraphDepth)
		return nil
	}
	t := r.slabs.tensors.one()
	t.Kind, t.DType = ir.Kind(r.uvarint()), ir.DType(r.uvarint())
	if r.err != nil {
		return nil
	}
	if !t.DType.Valid() {
		r.fail("tensor dtype %d", t.DType)
		return nil
	}
	if t.Kind != ir.KindTensor {
		if t.Kind != ir.KindSequence && t.Kind != ir.KindOptional {
			r.fail("tensor kind %d", t.Kind)
			return nil
		}
		t.Items = make([]*ir.Tensor, r.count())
		for i := range t.Items {
			if t.Items[i] = r.tensor(nil, depth+1); t.Items[i] == nil {
				return nil
			}
		}
		return t
	}
	t.Shape = r.slabs.ints.many(r.count())
	elems := int64(1)
	for i := range t.Shape {
		d := r.varint()
		if d < 0 || (d > 0 && elems > math.MaxInt32*64/d) {
			r.fail("tensor shape %v", t.Shape[:i+1])
			return nil
		}
		t.Shape[i], elems = d, elems*d
	}
	var raw []byte
	var shared weightRef
	switch form := r.uvarint(); form {
	case dataStrings:
		n := r.count()
		if t.DType != ir.String || int64(n) != elems {
			r.fail("string data for a %v tensor of %d elements", t.DType, elems)
			return nil
		}
		ss := make([]string, n)
		for i := range ss {
			ss[i] = r.str()
		}
		t.Data = ss
		return t
	case dataDerived:
		at, rec := r.pos, r.uvarint()
		if v == nil || t.DType != ir.Float32 || elems == 0 {
			r.fail("%v tensor of %v stored as derived (only float32 constants are)", t.DType, t.Shape)
			return nil
		}
		if r.err != nil {
			return nil
		}
		r.derived = append(r.derived, derivedRef{t: t, rec: rec, at: at})
		return t
	case dataInline:
		raw = r.bytes()
	case dataWeights:
		off, n := r.uvarint(), r.uvarint()
		if off%64 != 0 || off > uint64(len(r.weights)) || n > uint64(len(r.weights))-off {
			r.fail("weights [%d, +%d) outside the %d-byte section or misaligned", off, n, len(r.weights))
			return nil
		}
		raw = r.weights[off : off+n]
		shared = weightRef{off, n, t.DType}
		if d, ok := r.shared[shared]; ok {
			t.Data = d // decoded for an earlier graph of the artifact
			return t
		}
	default:
		r.fail("tensor data form %d", form)
		return nil
	}
	et, ok := elemTypes[t.DType]
	if r.err != nil || !ok || int64(len(raw)) != elems*int64(et.Size()) {
		r.fail("tensor of %v %v has %d bytes", t.DType, t.Shape, len(raw))
		return nil
	}
	t.Data = sliceOf(et, raw, int(elems))
	if shared.n > 0 {
		if r.shared == nil {
			r.shared = map[weightRef]any{}
		}
		r.shared[shared] = t.Data
	}
	return t
}

// weightRef names a tensor's data in the weights section: tensors of the
// artifact's graphs that name the same bytes and dtype share one slice
// (so that prepacked transforms, found by their source's memory, serve
// every graph even when the section had to be copied).
type weightRef struct {
	off, n uint64
	dt     ir.DType
}

// sliceOf returns raw as a []et of n elements: an alias when aligned, else
// a copy. Bool storage is copied with every byte normalised to 0 or 1.
func sliceOf(et reflect.Type, raw []byte, n int) any {
	if et.Kind() == reflect.Bool {
		out := make([]bool, n)
		for i, b := range raw {
			out[i] = b != 0
		}
		return out
	}
	if n == 0 {
		return reflect.MakeSlice(reflect.SliceOf(et), 0, 0).Interface()
	}
	p := unsafe.Pointer(&raw[0])
	if uintptr(p)%uintptr(et.Align()) != 0 {
		s := reflect.MakeSlice(reflect.SliceOf(et), n, n)
		copy(unsafe.Slice((*byte)(s.UnsafePointer()), len(raw)), raw)
		return s.Interface()
	}
	return reflect.SliceAt(et, p, n).Interface()
}

func (r *graphReader) attr(depth int) *ir.Attr {
	a := r.slabs.attrs.one()
	a.Name, a.Kind = r.str(), ir.AttrKind(r.uvarint())
	if r.err != nil {
		return nil
	}
	switch a.Kind {
	case ir.AttrFloat:
		a.F = math.Float32frombits(uint32(r.uvarint()))
	case ir.AttrInt:
		a.I = r.varint()
	case ir.AttrString:
		a.S = r.str()
	case ir.AttrTensor, ir.AttrSparseTensor:
		a.T = r.tensor(nil, depth+1)
	case ir.AttrGraph:
		a.G = r.graph(depth + 1)
	case ir.AttrTypeProto:
		t := r.typ(0)
		a.Type = &t
	case ir.AttrFloats:
		a.Floats = make([]float32, r.count())
		for i := range a.Floats {
			a.Floats[i] = math.Float32frombits(uint32(r.uvarint()))
		}
	case ir.AttrInts:
		a.Ints = make([]int64, r.count())
		for i := range a.Ints {
			a.Ints[i] = r.varint()
		}
	case ir.AttrStrings:
		a.Strings = make([]string, r.count())
		for i := range a.Strings {
			a.Strings[i] = r.str()
		}
	case ir.AttrTensors, ir.AttrSparseTensors:
		a.Tensors = make([]*ir.Tensor, r.count())
		for i := range a.Tensors {
			a.Tensors[i] = r.tensor(nil, depth+1)
		}
	case ir.AttrGraphs:
		a.Graphs = make([]*ir.Graph, r.count())
		for i := range a.Graphs {
			a.Graphs[i] = r.graph(depth + 1)
		}
	case ir.AttrTypeProtos:
		a.Types = make([]ir.Type, r.count())
		for i := range a.Types {
			a.Types[i] = r.typ(0)
		}
	default:
		r.fail("attribute %q of kind %d", a.Name, a.Kind)
	}
	if r.err != nil {
		return nil
	}
	return a
}

// decodeGenericBody decodes the generic graph's body (see genericBody).
func (a *Artifact) decodeGenericBody() error {
	sh := a.shared
	if sh == nil {
		return nil
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.body.decode(sh)
}
