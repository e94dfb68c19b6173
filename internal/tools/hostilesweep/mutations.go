package main

import (
	"encoding/binary"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"

	"google.golang.org/protobuf/proto"

	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
)

// mutant is one mutated model: the bytes of model.onnx, extra files and
// symbolic links (name → target) of its folder.
type mutant struct {
	class string // the table row (mutation class)
	what  string // this mutant in words
	model []byte
	files map[string][]byte
	links map[string]string
}

// mutations returns the mutants of m (whose file is data).
func mutations(m *pb.ModelProto, data []byte) []mutant {
	var out []mutant
	add := func(class, what string, mm *pb.ModelProto) *mutant {
		b, err := proto.Marshal(mm)
		if err != nil {
			return nil
		}
		out = append(out, mutant{class: class, what: what, model: b})
		return &out[len(out)-1]
	}
	edit := func(class, what string, f func(mm *pb.ModelProto) bool) *mutant {
		mm := proto.Clone(m).(*pb.ModelProto)
		if mm.Graph == nil || !f(mm) {
			return nil
		}
		return add(class, what, mm)
	}
	for _, frac := range []float64{0.1, 0.5, 0.97} {
		n := int(float64(len(data)) * frac)
		out = append(out, mutant{class: "truncated", what: fmt.Sprintf("cut to %d of %d bytes", n, len(data)), model: data[:n]})
	}
	out = append(out, mutant{class: "truncated", what: "last byte cut", model: data[:max(len(data)-1, 0)]})
	inits := pickInitializers(m, 3)
	for _, i := range inits {
		name := m.Graph.Initializer[i].GetName()
		for _, d := range []struct {
			what string
			f    func(dims []int64) []int64
		}{
			{"dim 0 set to 0", func(d []int64) []int64 { return setDim(d, 0, 0) }},
			{"dim 0 doubled", func(d []int64) []int64 { return setDim(d, 0, 2*at(d, 0)) }},
			{"dim 0 set to 2^31", func(d []int64) []int64 { return setDim(d, 0, 1<<31) }},
			{"last dim set to 2^40", func(d []int64) []int64 { return setDim(d, len(d)-1, 1<<40) }},
			{"dims reversed", reversed},
			{"last dim dropped", func(d []int64) []int64 { return d[:max(len(d)-1, 0)] }},
			{"dim 0 negative", func(d []int64) []int64 { return setDim(d, 0, -at(d, 0)-1) }},
		} {
			edit("initializer_dims", fmt.Sprintf("initializer %q: %s", name, d.what), func(mm *pb.ModelProto) bool {
				t := mm.Graph.Initializer[i]
				t.Dims = d.f(append([]int64(nil), t.Dims...))
				return true
			})
		}
	}
	// Weights whose data is emptied by a zero dimension while another
	// dimension (output channels, columns) becomes huge: no data bounds
	// what a pass or kernel sizes by that dimension.
	for _, i := range inits {
		name := m.Graph.Initializer[i].GetName()
		for _, d := range []struct {
			what string
			f    func(dims []int64) []int64
		}{
			{"dims [2^29, 0, ...]", func(d []int64) []int64 { return setDim(setDim(d, 0, 1<<29), 1, 0) }},
			{"dims [0, 2^31, ...]", func(d []int64) []int64 { return setDim(setDim(d, 0, 0), 1, 1<<31) }},
			{"last dim 0, dim 0 2^29", func(d []int64) []int64 { return setDim(setDim(d, len(d)-1, 0), 0, 1<<29) }},
		} {
			edit("empty_huge_weights", fmt.Sprintf("initializer %q: no data, %s", name, d.what), func(mm *pb.ModelProto) bool {
				t := mm.Graph.Initializer[i]
				if len(t.Dims) < 2 {
					return false
				}
				t.Dims = d.f(append([]int64(nil), t.Dims...))
				t.RawData, t.FloatData, t.Int64Data, t.Int32Data, t.DoubleData = nil, nil, nil, nil, nil
				return true
			})
		}
	}
	for k, i := range inits {
		if k == 2 {
			break
		}
		name := m.Graph.Initializer[i].GetName()
		for _, dt := range []int32{0, 3, 7, 8, 10, 11, 999} {
			edit("initializer_dtype", fmt.Sprintf("initializer %q: data_type %d", name, dt), func(mm *pb.ModelProto) bool {
				mm.Graph.Initializer[i].DataType = dt
				return true
			})
		}
	}
	out = append(out, externalMutants(m, inits)...)
	for _, depth := range []int{3, 63, 70} {
		edit("nesting", fmt.Sprintf("the graph wrapped in %d nested Ifs", depth), func(mm *pb.ModelProto) bool {
			mm.Graph = nestInIfs(mm.Graph, depth)
			return true
		})
	}
	for v := int64(1); v <= 6; v++ {
		edit("old_opset", fmt.Sprintf("ai.onnx opset %d", v), func(mm *pb.ModelProto) bool {
			for _, o := range mm.OpsetImport {
				if o.GetDomain() == "" || o.GetDomain() == "ai.onnx" {
					o.Version = v
				}
			}
			return true
		})
	}
	structural(m, edit)
	attributes(m, edit)
	return out
}

// structural adds the duplicate-name, cycle, graph-input and value_info
// mutants.
func structural(m *pb.ModelProto, edit func(class, what string, f func(mm *pb.ModelProto) bool) *mutant) {
	g := m.Graph
	n := len(g.Node)
	if len(g.Initializer) > 0 {
		edit("duplicate_names", "first initializer listed twice", func(mm *pb.ModelProto) bool {
			mm.Graph.Initializer = append(mm.Graph.Initializer, proto.Clone(mm.Graph.Initializer[0]).(*pb.TensorProto))
			return true
		})
	}
	if n >= 2 {
		edit("duplicate_names", "the last node's output renamed to the first node's", func(mm *pb.ModelProto) bool {
			mm.Graph.Node[n-1].Output[0] = mm.Graph.Node[0].Output[0]
			return true
		})
		edit("duplicate_names", "the middle node listed twice", func(mm *pb.ModelProto) bool {
			k := n / 2
			mm.Graph.Node = append(mm.Graph.Node[:k+1], append([]*pb.NodeProto{proto.Clone(mm.Graph.Node[k]).(*pb.NodeProto)}, mm.Graph.Node[k+1:]...)...)
			return true
		})
		edit("cycle", "the first node reads the last node's output", func(mm *pb.ModelProto) bool {
			if len(mm.Graph.Node[0].Input) == 0 {
				return false
			}
			mm.Graph.Node[0].Input[0] = mm.Graph.Node[n-1].Output[0]
			return true
		})
		edit("cycle", "the middle node reads its own output", func(mm *pb.ModelProto) bool {
			nd := mm.Graph.Node[n/2]
			if len(nd.Input) == 0 || len(nd.Output) == 0 {
				return false
			}
			nd.Input[0] = nd.Output[0]
			return true
		})
	}
	for _, d := range []struct {
		what string
		dim  *pb.TensorShapeProto_Dimension
	}{
		{"0", &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: 0}}},
		{"2^40", &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: 1 << 40}}},
		{"-5", &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: -5}}},
		{"symbolic", &pb.TensorShapeProto_Dimension{Value: &pb.TensorShapeProto_Dimension_DimParam{DimParam: "evil"}}},
	} {
		edit("input_dims", "input 0 dim 1 declared "+d.what, func(mm *pb.ModelProto) bool {
			if len(mm.Graph.Input) == 0 {
				return false
			}
			sh := mm.Graph.Input[0].GetType().GetTensorType().GetShape()
			if sh == nil || len(sh.Dim) < 2 {
				return false
			}
			sh.Dim[1] = d.dim
			return true
		})
	}
	edit("value_info_lies", "every node output declared int8[2^40]", func(mm *pb.ModelProto) bool {
		mm.Graph.ValueInfo = nil
		for _, nd := range mm.Graph.Node {
			for _, o := range nd.Output {
				mm.Graph.ValueInfo = append(mm.Graph.ValueInfo, &pb.ValueInfoProto{Name: o, Type: &pb.TypeProto{Value: &pb.TypeProto_TensorType{
					TensorType: &pb.TypeProto_Tensor{ElemType: 3, Shape: &pb.TensorShapeProto{Dim: []*pb.TensorShapeProto_Dimension{
						{Value: &pb.TensorShapeProto_Dimension_DimValue{DimValue: 1 << 40}}}}}}}})
			}
		}
		return true
	})
}

// attributes sets the int and ints attributes of up to 6 nodes (spread
// over the graph) to boundary values.
func attributes(m *pb.ModelProto, edit func(class, what string, f func(mm *pb.ModelProto) bool) *mutant) {
	var picks [][2]int
	for i, nd := range m.Graph.Node {
		for j, a := range nd.Attribute {
			if a.GetType() == pb.AttributeProto_INT || a.GetType() == pb.AttributeProto_INTS {
				picks = append(picks, [2]int{i, j})
			}
		}
	}
	step := max(len(picks)/6, 1)
	for k := 0; k < len(picks); k += step {
		i, j := picks[k][0], picks[k][1]
		for _, v := range []int64{1 << 40, -1, 0, math.MinInt64} {
			nd := m.Graph.Node[i]
			edit("attribute", fmt.Sprintf("node %q (%s) attribute %q set to %d", nd.GetName(), nd.GetOpType(), nd.Attribute[j].GetName(), v), func(mm *pb.ModelProto) bool {
				a := mm.Graph.Node[i].Attribute[j]
				if a.GetType() == pb.AttributeProto_INT {
					a.I = v
				} else {
					for x := range a.Ints {
						a.Ints[x] = v
					}
				}
				return true
			})
		}
	}
}

// externalMutants move the largest initializer's data into a file and
// point at it in hostile ways.
func externalMutants(m *pb.ModelProto, inits []int) []mutant {
	if len(inits) == 0 {
		return nil
	}
	i := inits[0]
	raw, ok := rawBytes(m.Graph.Initializer[i])
	if !ok || len(raw) == 0 {
		return nil
	}
	name := m.Graph.Initializer[i].GetName()
	var out []mutant
	mk := func(what string, kv []string, files map[string][]byte, links map[string]string) {
		mm := proto.Clone(m).(*pb.ModelProto)
		t := mm.Graph.Initializer[i]
		t.RawData, t.FloatData = nil, nil
		t.DataLocation = pb.TensorProto_EXTERNAL
		t.ExternalData = nil
		for k := 0; k+1 < len(kv); k += 2 {
			t.ExternalData = append(t.ExternalData, &pb.StringStringEntryProto{Key: kv[k], Value: kv[k+1]})
		}
		b, err := proto.Marshal(mm)
		if err != nil {
			return
		}
		out = append(out, mutant{class: "external_data", what: fmt.Sprintf("initializer %q: %s", name, what), model: b, files: files, links: links})
	}
	w := map[string][]byte{"w.bin": raw}
	self, _ := filepath.Abs("go.mod")
	n := strconv.Itoa(len(raw))
	mk("in w.bin (valid)", []string{"location", "w.bin"}, w, nil)
	mk("location ../w.bin", []string{"location", "../w.bin"}, w, nil)
	mk("location sub/../../w.bin", []string{"location", "sub/../../w.bin"}, w, nil)
	mk("absolute location /etc/hostname", []string{"location", "/etc/hostname"}, nil, nil)
	mk("symlink to /etc/hostname", []string{"location", "l.bin"}, nil, map[string]string{"l.bin": "/etc/hostname"})
	mk("symlink to a file outside", []string{"location", "l.bin"}, nil, map[string]string{"l.bin": self})
	mk("symlinked directory leading outside", []string{"location", "d/go.mod"}, nil, map[string]string{"d": filepath.Dir(self)})
	mk("symlink to /dev/zero", []string{"location", "l.bin"}, nil, map[string]string{"l.bin": "/dev/zero"})
	mk("offset 2^62", []string{"location", "w.bin", "offset", "4611686018427387904"}, w, nil)
	mk("length 2^62", []string{"location", "w.bin", "length", "4611686018427387904"}, w, nil)
	mk("offset -1", []string{"location", "w.bin", "offset", "-1"}, w, nil)
	mk("length one byte short", []string{"location", "w.bin", "length", strconv.Itoa(len(raw) - 1)}, w, nil)
	mk("file cut in half", []string{"location", "w.bin", "length", n}, map[string][]byte{"w.bin": raw[:len(raw)/2]}, nil)
	mk("missing file", []string{"location", "nothere.bin"}, nil, nil)
	mk("location is the folder", []string{"location", "."}, nil, nil)
	return out
}

// rawBytes returns an initializer's data as little-endian bytes (raw data
// or float_data).
func rawBytes(t *pb.TensorProto) ([]byte, bool) {
	if len(t.RawData) > 0 {
		return t.RawData, true
	}
	if len(t.FloatData) > 0 {
		b := make([]byte, 4*len(t.FloatData))
		for k, v := range t.FloatData {
			binary.LittleEndian.PutUint32(b[4*k:], math.Float32bits(v))
		}
		return b, true
	}
	return nil, false
}

// pickInitializers returns up to n initializer indices: the largest
// first, then the first ones.
func pickInitializers(m *pb.ModelProto, n int) []int {
	idx := make([]int, len(m.Graph.Initializer))
	for i := range idx {
		idx[i] = i
	}
	size := func(i int) int {
		t := m.Graph.Initializer[i]
		return len(t.RawData) + 4*len(t.FloatData) + 8*len(t.Int64Data)
	}
	sort.SliceStable(idx, func(a, b int) bool { return size(idx[a]) > size(idx[b]) })
	return idx[:min(n, len(idx))]
}

// nestInIfs wraps g in depth Ifs whose condition is true: each level's
// then branch holds the level below, its else branch g's nodes (so the
// file grows linearly with depth); the innermost holds g's nodes, reading
// g's inputs and initializers from the outermost scope.
func nestInIfs(g *pb.GraphProto, depth int) *pb.GraphProto {
	body := &pb.GraphProto{Name: g.GetName() + "_0", Node: g.Node, Output: g.Output, ValueInfo: g.ValueInfo}
	inner := body
	for d := 1; d <= depth; d++ {
		cond := fmt.Sprintf("cond_%d", d)
		var outs []string
		for _, o := range g.Output {
			outs = append(outs, o.GetName())
		}
		nd := &pb.NodeProto{OpType: "If", Name: fmt.Sprintf("If_%d", d), Input: []string{cond}, Output: outs, Attribute: []*pb.AttributeProto{
			{Name: "then_branch", Type: pb.AttributeProto_GRAPH, G: inner},
			{Name: "else_branch", Type: pb.AttributeProto_GRAPH, G: proto.Clone(body).(*pb.GraphProto)},
		}}
		inner = &pb.GraphProto{
			Name:        fmt.Sprintf("%s_%d", g.GetName(), d),
			Node:        []*pb.NodeProto{nd},
			Initializer: []*pb.TensorProto{{Name: cond, DataType: 9, Int32Data: []int32{1}}},
			Output:      g.Output,
		}
	}
	inner.Input = g.Input
	inner.Initializer = append(g.Initializer, inner.Initializer...)
	inner.Name = g.GetName()
	return inner
}

func at(d []int64, i int) int64 {
	if i < 0 || i >= len(d) {
		return 1
	}
	return d[i]
}

func setDim(d []int64, i int, v int64) []int64 {
	if i < 0 || i >= len(d) {
		return append(d, v)
	}
	d[i] = v
	return d
}

func reversed(d []int64) []int64 {
	for a, b := 0, len(d)-1; a < b; a, b = a+1, b-1 {
		d[a], d[b] = d[b], d[a]
	}
	return d
}
