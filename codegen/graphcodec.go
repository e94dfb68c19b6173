package codegen

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"sort"
	"unsafe"

	"github.com/nncc/nncc/ir"
)

// The graph section of an artifact: the optimised ir.Graph in nncc's own
// compact binary form, decoded straight into ir values (no protobuf, no
// per-message allocations). Integers are varints, strings and lists are
// length-prefixed. Values are numbered in definition order across the
// graph and its nested graphs, and every use names an already defined
// value, so a decoded graph is in topological order by construction and
// can refer to nothing that does not exist.
//
//	graph  := head body
//	head   := name opsets metadata inputs constants
//	body   := nodes outputs
//	generic := head iface length body   (an artifact's generic graph:
//	          iface lists each output's name and type, length is the
//	          body's byte count, so that loading can decode the head and
//	          leave the body until something needs it)
//	value  := name type                  (defines the next number)
//	use    := 0 (omitted) | k+1 (value k) | inline const (a value and
//	          its tensor, for constants that no graph lists)
//	node   := name op domain opset uses attrs outputs
//	tensor := kind dtype shape data | kind items   (sequences, optionals)
//	data   := inline bytes | offset,length in the weights section
//
// Fixed-size elements are stored as their little-endian in-memory bytes;
// weights-section tensors are 64-byte aligned and aliased when loaded.

// maxGraphDepth bounds the nesting of graphs, types and tensors.
const maxGraphDepth = 64

// use tags.
const (
	useOmitted = 0
	useInline  = 1 // followed by a value and a tensor
	useBase    = 2 // value k is written as k+useBase
)

// graphWriter encodes graphs.
type graphWriter struct {
	out     bytes.Buffer
	weights *weightStore
	ids     map[*ir.Value]int
	// derived maps the storage of constants stored prepacked only to
	// their record (see derived.go).
	derived map[storageKey]derivedFrom
}

// weightStore is the weights section being written. A tensor whose
// storage was already written (the same memory: constants a specialised
// graph shares with the generic one) is stored once and referenced by
// both graphs.
type weightStore struct {
	buf bytes.Buffer
	at  map[storageKey]uint64
}

// storageKey identifies a tensor's storage by its memory.
type storageKey struct {
	p uintptr
	n int
}

// put stores raw at a 64-byte aligned offset (once per storage) and
// returns the offset.
func (ws *weightStore) put(raw []byte) uint64 {
	k := storageKey{uintptr(unsafe.Pointer(unsafe.SliceData(raw))), len(raw)}
	if off, ok := ws.at[k]; ok {
		return off
	}
	for ws.buf.Len()%64 != 0 {
		ws.buf.WriteByte(0)
	}
	off := uint64(ws.buf.Len())
	ws.buf.Write(raw)
	if ws.at == nil {
		ws.at = map[storageKey]uint64{}
	}
	ws.at[k] = off
	return off
}

func (w *graphWriter) uvarint(v uint64) { w.out.Write(binary.AppendUvarint(nil, v)) }
func (w *graphWriter) varint(v int64)   { w.out.Write(binary.AppendVarint(nil, v)) }
func (w *graphWriter) str(s string)     { w.uvarint(uint64(len(s))); w.out.WriteString(s) }

// encodeGraph writes g; tensors of inlineWeightBytes or more go to
// weights, constants whose storage derived names are written as derived
// from their prepacked record.
func encodeGraph(g *ir.Graph, weights *weightStore, derived map[storageKey]derivedFrom) ([]byte, error) {
	w := &graphWriter{weights: weights, ids: map[*ir.Value]int{}, derived: derived}
	if err := w.graph(g, 0); err != nil {
		return nil, err
	}
	return w.out.Bytes(), nil
}

// encodeGenericGraph writes an artifact's generic graph in the split
// form (see artifact.go): its head (name to constants), its interface
// (each output's name and type) and its body (nodes and outputs),
// length-prefixed so that loading can leave it for later.
func encodeGenericGraph(g *ir.Graph, weights *weightStore, derived map[storageKey]derivedFrom) ([]byte, error) {
	w := &graphWriter{weights: weights, ids: map[*ir.Value]int{}, derived: derived}
	if err := w.graphHead(g, 0); err != nil {
		return nil, err
	}
	w.uvarint(uint64(len(g.Outputs)))
	for _, v := range g.Outputs {
		if v == nil {
			return nil, fmt.Errorf("graph output is omitted")
		}
		w.str(v.Name)
		w.typ(&v.Type, 0)
	}
	head := append([]byte{}, w.out.Bytes()...)
	w.out.Reset()
	if err := w.graphBody(g, 0); err != nil {
		return nil, err
	}
	head = binary.AppendUvarint(head, uint64(w.out.Len()))
	return append(head, w.out.Bytes()...), nil
}

func (w *graphWriter) graph(g *ir.Graph, depth int) error {
	if err := w.graphHead(g, depth); err != nil {
		return err
	}
	return w.graphBody(g, depth)
}

// graphHead writes a graph's name, opsets, metadata, inputs and
// constants.
func (w *graphWriter) graphHead(g *ir.Graph, depth int) error {
	if depth > maxGraphDepth {
		return fmt.Errorf("graphs nested deeper than %d", maxGraphDepth)
	}
	w.str(g.Name)
	w.strMap(g.Opsets, func(v int64) { w.varint(v) })
	w.strMap(g.Metadata, func(v string) { w.str(v) })
	w.uvarint(uint64(len(g.Inputs)))
	for _, v := range g.Inputs {
		w.def(v)
	}
	w.uvarint(uint64(len(g.Constants)))
	for _, v := range g.Constants {
		w.def(v)
		if err := w.constTensor(v.Const, depth); err != nil {
			return fmt.Errorf("constant %q: %v", v.Name, err)
		}
	}
	return nil
}

// graphBody writes a graph's nodes and outputs.
func (w *graphWriter) graphBody(g *ir.Graph, depth int) error {
	w.uvarint(uint64(len(g.Nodes)))
	for _, n := range g.Nodes {
		w.str(n.Name)
		w.str(n.Op)
		w.str(n.Domain)
		w.varint(n.Opset)
		w.uvarint(uint64(len(n.Inputs)))
		for _, v := range n.Inputs {
			if err := w.use(v, depth); err != nil {
				return fmt.Errorf("node %q: %v", n.Name, err)
			}
		}
		attrs := n.Attrs.Sorted()
		w.uvarint(uint64(len(attrs)))
		for _, a := range attrs {
			if err := w.attr(a, depth); err != nil {
				return fmt.Errorf("node %q attribute %q: %v", n.Name, a.Name, err)
			}
		}
		w.uvarint(uint64(len(n.Outputs)))
		for _, v := range n.Outputs {
			if v == nil {
				w.uvarint(0)
				continue
			}
			w.uvarint(1)
			w.def(v)
		}
	}
	w.uvarint(uint64(len(g.Outputs)))
	for _, v := range g.Outputs {
		if err := w.use(v, depth); err != nil {
			return fmt.Errorf("graph output: %v", err)
		}
	}
	return nil
}

func strMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (w *graphWriter) strMap(m any, val any) {
	switch m := m.(type) {
	case map[string]int64:
		w.uvarint(uint64(len(m)))
		for _, k := range strMapKeys(m) {
			w.str(k)
			val.(func(int64))(m[k])
		}
	case map[string]string:
		w.uvarint(uint64(len(m)))
		for _, k := range strMapKeys(m) {
			w.str(k)
			val.(func(string))(m[k])
		}
	}
}

func (w *graphWriter) def(v *ir.Value) {
	w.ids[v] = len(w.ids)
	w.str(v.Name)
	w.typ(&v.Type, 0)
}

func (w *graphWriter) use(v *ir.Value, depth int) error {
	if v == nil {
		w.uvarint(useOmitted)
		return nil
	}
	if id, ok := w.ids[v]; ok {
		w.uvarint(uint64(id + useBase))
		return nil
	}
	if v.Const == nil || v.Producer != nil {
		return fmt.Errorf("value %q is used before it is defined", v.Name)
	}
	w.uvarint(useInline)
	w.def(v)
	return w.constTensor(v.Const, depth)
}

// constTensor writes a constant's tensor: derived from its prepacked
// record when derived names its storage, else as tensor does.
func (w *graphWriter) constTensor(t *ir.Tensor, depth int) error {
	if t != nil && t.Kind == ir.KindTensor && t.DType == ir.Float32 && len(w.derived) > 0 {
		if d, ok := t.Data.([]float32); ok && len(d) > 0 {
			if r, ok := w.derived[storageKey{uintptr(unsafe.Pointer(unsafe.SliceData(d))), len(d)}]; ok && hasShape2(t.Shape, r.shape) {
				w.uvarint(uint64(t.Kind))
				w.uvarint(uint64(t.DType))
				w.uvarint(uint64(len(t.Shape)))
				for _, s := range t.Shape {
					w.varint(s)
				}
				w.uvarint(dataDerived)
				w.uvarint(uint64(r.rec))
				return nil
			}
		}
	}
	return w.tensor(t, depth)
}

func (w *graphWriter) typ(t *ir.Type, depth int) {
	w.uvarint(uint64(t.Kind))
	w.uvarint(uint64(t.DType))
	rank := -1
	if t.RankKnown {
		rank = len(t.Shape)
	}
	w.varint(int64(rank))
	for _, d := range t.Shape[:max(rank, 0)] {
		w.varint(d.Size)
		w.str(d.Param)
	}
	if t.Elem == nil || depth >= maxGraphDepth {
		w.uvarint(0)
		return
	}
	w.uvarint(1)
	w.typ(t.Elem, depth+1)
}

// Tensor data forms.
const (
	dataInline  = 0 // length-prefixed bytes
	dataWeights = 1 // offset and length in the weights section
	dataStrings = 2 // count, then strings
)

func (w *graphWriter) tensor(t *ir.Tensor, depth int) error {
	if t == nil {
		return fmt.Errorf("missing tensor")
	}
	if depth > maxGraphDepth {
		return fmt.Errorf("tensors nested deeper than %d", maxGraphDepth)
	}
	w.uvarint(uint64(t.Kind))
	w.uvarint(uint64(t.DType))
	if t.Kind != ir.KindTensor {
		w.uvarint(uint64(len(t.Items)))
		for _, it := range t.Items {
			if err := w.tensor(it, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	w.uvarint(uint64(len(t.Shape)))
	for _, d := range t.Shape {
		w.varint(d)
	}
	if ss, ok := t.Data.([]string); ok {
		w.uvarint(dataStrings)
		w.uvarint(uint64(len(ss)))
		for _, s := range ss {
			w.str(s)
		}
		return nil
	}
	raw, err := storageBytes(t)
	if err != nil {
		return err
	}
	if len(raw) >= inlineWeightBytes {
		w.uvarint(dataWeights)
		w.uvarint(w.weights.put(raw))
		w.uvarint(uint64(len(raw)))
		return nil
	}
	w.uvarint(dataInline)
	w.uvarint(uint64(len(raw)))
	w.out.Write(raw)
	return nil
}

// storageBytes returns the in-memory bytes of a fixed-size element slice.
func storageBytes(t *ir.Tensor) ([]byte, error) {
	if !hostLittleEndian {
		return nil, fmt.Errorf("artifacts are written on little-endian hosts only")
	}
	v := reflect.ValueOf(t.Data)
	if v.Kind() != reflect.Slice || !t.DType.Valid() || t.DType == ir.String ||
		v.Type().Elem() != elemTypes[t.DType] {
		return nil, fmt.Errorf("%v tensor stored as %T", t.DType, t.Data)
	}
	n := v.Len() * int(v.Type().Elem().Size())
	if n == 0 {
		return nil, nil
	}
	return unsafe.Slice((*byte)(v.UnsafePointer()), n), nil
}

// elemTypes maps each fixed-size dtype to its storage element type.
var elemTypes = func() map[ir.DType]reflect.Type {
	m := map[ir.DType]reflect.Type{}
	for d := ir.DType(1); d.Valid(); d++ {
		if d != ir.String && d.Info().GoType != "" {
			m[d] = reflect.TypeOf(ir.MakeSlice(d, 0)).Elem()
		}
	}
	return m
}()

func (w *graphWriter) attr(a *ir.Attr, depth int) error {
	w.str(a.Name)
	w.uvarint(uint64(a.Kind))
	switch a.Kind {
	case ir.AttrFloat:
		w.uvarint(uint64(math.Float32bits(a.F)))
	case ir.AttrInt:
		w.varint(a.I)
	case ir.AttrString:
		w.str(a.S)
	case ir.AttrTensor, ir.AttrSparseTensor:
		return w.tensor(a.T, depth+1)
	case ir.AttrGraph:
		if a.G == nil {
			return fmt.Errorf("missing graph")
		}
		return w.graph(a.G, depth+1)
	case ir.AttrTypeProto:
		if a.Type == nil {
			return fmt.Errorf("missing type")
		}
		w.typ(a.Type, 0)
	case ir.AttrFloats:
		w.uvarint(uint64(len(a.Floats)))
		for _, f := range a.Floats {
			w.uvarint(uint64(math.Float32bits(f)))
		}
	case ir.AttrInts:
		w.uvarint(uint64(len(a.Ints)))
		for _, i := range a.Ints {
			w.varint(i)
		}
	case ir.AttrStrings:
		w.uvarint(uint64(len(a.Strings)))
		for _, s := range a.Strings {
			w.str(s)
		}
	case ir.AttrTensors, ir.AttrSparseTensors:
		w.uvarint(uint64(len(a.Tensors)))
		for _, t := range a.Tensors {
			if err := w.tensor(t, depth+1); err != nil {
				return err
			}
		}
	case ir.AttrGraphs:
		w.uvarint(uint64(len(a.Graphs)))
		for _, g := range a.Graphs {
			if err := w.graph(g, depth+1); err != nil {
				return err
			}
		}
	case ir.AttrTypeProtos:
		w.uvarint(uint64(len(a.Types)))
		for i := range a.Types {
			w.typ(&a.Types[i], 0)
		}
	default:
		return fmt.Errorf("attribute kind %v", a.Kind)
	}
	return nil
}
