package codegen

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// specializedPair returns a small generic graph (input x: [batch, 8]) and
// a specialised copy of it for x: [2, 8] sharing its weight tensor.
func specializedPair() (g, sg *ir.Graph, w *ir.Tensor) {
	build := func(xType ir.Type, w *ir.Tensor) *ir.Graph {
		g := &ir.Graph{Name: "small", Opsets: map[string]int64{"": 21}}
		x := &ir.Value{Name: "x", Type: xType}
		wv := &ir.Value{Name: "w", Type: ir.TensorType(ir.Float32, 8, 16), Const: w}
		y := &ir.Value{Name: "y", Type: ir.TensorOf(ir.Float32, ir.Shape{xType.Shape[0], ir.D(16)})}
		g.Inputs, g.Constants = []*ir.Value{x}, []*ir.Value{wv}
		g.AddNode(&ir.Node{Name: "mm", Op: "MatMul", Opset: 21, Inputs: []*ir.Value{x, wv}, Outputs: []*ir.Value{y}, Attrs: ir.Attrs{}})
		g.Outputs = []*ir.Value{y}
		return g
	}
	w = ir.NewTensor(ir.Float32, []int64{8, 16})
	for i := range w.F32() {
		w.F32()[i] = float32(i%7) - 3
	}
	g = build(ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("batch"), ir.D(8)}), w)
	sg = build(ir.TensorType(ir.Float32, 2, 8), w)
	return g, sg, w
}

func TestSpecializedRoundTrip(t *testing.T) {
	g, sg, w := specializedPair()
	plain, err := WriteArtifact(g, ArtifactHeader{ISA: "generic"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := EncodeArtifact(&Artifact{Graph: g, Specialized: []*ir.Graph{sg}, Header: ArtifactHeader{ISA: "generic"},
		Prepacked: []kernels.PrepackEntry{
			{Src: w.F32(), Key: "a", Data: make([]float32, 16)},
			{Src: w.F32(), Key: "b", Data: make([]float32, 16)}, // same bytes: stored once
		}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := DecodeArtifact(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Stored) != 1 || len(a.Specialized) != 0 {
		t.Fatalf("decoded %d stored plans, %d graphs (stored plans are decoded on first use)", len(a.Stored), len(a.Specialized))
	}
	if err := a.DecodeStored(); err != nil {
		t.Fatal(err)
	}
	if len(a.Specialized) != 1 || a.Header.WeightBytes != int64(8*16*4) {
		t.Fatalf("specialised graphs %d, weights %d bytes (the shared weight must be stored once)", len(a.Specialized), a.Header.WeightBytes)
	}
	pa, _ := DecodeArtifact(plain)
	if pa.Header.WeightBytes != a.Header.WeightBytes {
		t.Fatalf("weights %d bytes with a specialised graph, %d without", a.Header.WeightBytes, pa.Header.WeightBytes)
	}
	if &a.Graph.Constants[0].Const.F32()[0] != &a.Specialized[0].Constants[0].Const.F32()[0] {
		t.Fatal("the two graphs do not share the weight's data")
	}
	if got := InputShapes(a.Specialized[0]); len(got) != 1 || got[0][0] != 2 || got[0][1] != 8 {
		t.Fatalf("input shapes %v", got)
	}
	r := a.Header.Prepacked
	if len(r) != 2 || r[0].DataOffset != r[1].DataOffset || a.Header.PrepackBytes != 64 {
		t.Fatalf("identical transforms not shared: %+v, %d bytes", r, a.Header.PrepackBytes)
	}
}

// TestSpecializedRejected lays out artifacts whose specialised graph does
// not fit the generic one; the writer refuses them and so must the reader.
func TestSpecializedRejected(t *testing.T) {
	g, _, _ := specializedPair()
	mutate := map[string]func(sg *ir.Graph){
		"symbolic input": func(sg *ir.Graph) { sg.Inputs[0].Type = g.Inputs[0].Type },
		"renamed input":  func(sg *ir.Graph) { sg.Inputs[0].Name = "other" },
		"rank":           func(sg *ir.Graph) { sg.Inputs[0].Type = ir.TensorType(ir.Float32, 2, 8, 1) },
		"fixed dim":      func(sg *ir.Graph) { sg.Inputs[0].Type = ir.TensorType(ir.Float32, 2, 9) },
		"dtype":          func(sg *ir.Graph) { sg.Inputs[0].Type = ir.TensorType(ir.Float16, 2, 8) },
		"outputs":        func(sg *ir.Graph) { sg.Outputs = nil },
	}
	for name, m := range mutate {
		_, sg, _ := specializedPair()
		m(sg)
		if _, err := EncodeArtifact(&Artifact{Graph: g, Specialized: []*ir.Graph{sg}}); err == nil {
			t.Errorf("%s: written", name)
		}
		var ws weightStore
		gb, _ := encodeGenericGraph(g, &ws, nil)
		sb, err := encodeGraph(sg, &ws, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The listed shapes are the good ones: the graph is checked when
		// first used.
		section := binary.AppendUvarint(appendPrepackRecords(gb, nil), 1)
		section = appendStoredPlan(section, [][]int64{{2, 8}}, sb)
		data := layoutTestArtifact(t, section, ws.buf.Bytes())
		a, err := DecodeArtifact(data)
		if err == nil {
			err = a.DecodeStored()
		}
		if err == nil || !strings.Contains(err.Error(), "specialised graph 0") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Listed shapes that do not fit the model: refused at load.
	for _, shapes := range [][][]int64{{{2, 9}}, {{2}}, {{-1, 8}}, {}, {{2, 8}, {2, 8}}} {
		var ws weightStore
		gb, _ := encodeGenericGraph(g, &ws, nil)
		_, sg, _ := specializedPair()
		sb, _ := encodeGraph(sg, &ws, nil)
		section := appendStoredPlan(binary.AppendUvarint(appendPrepackRecords(gb, nil), 1), shapes, sb)
		if _, err := DecodeArtifact(layoutTestArtifact(t, section, ws.buf.Bytes())); err == nil || !strings.Contains(err.Error(), "specialised graph 0") {
			t.Errorf("shapes %v: %v", shapes, err)
		}
	}
	// Too many specialised graphs.
	var ws weightStore
	gb, _ := encodeGenericGraph(g, &ws, nil)
	section := binary.AppendUvarint(appendPrepackRecords(gb, nil), maxSpecialized+1)
	section = append(section, make([]byte, 2*maxSpecialized)...) // room for the count to be read
	if _, err := DecodeArtifact(layoutTestArtifact(t, section, ws.buf.Bytes())); err == nil || !strings.Contains(err.Error(), "specialised graphs") {
		t.Errorf("too many: %v", err)
	}
}

// layoutTestArtifact lays out an artifact with the given graph section and
// weights and no prepacked data, with a valid checksum.
func layoutTestArtifact(t *testing.T, graph, weights []byte) []byte {
	h := ArtifactHeader{ISA: "generic"}
	var hdr []byte
	for range 4 {
		h.GraphOffset = 16 + int64(len(hdr))
		h.GraphBytes = int64(len(graph))
		h.WeightOffset = align64(h.GraphOffset + h.GraphBytes)
		h.WeightBytes = int64(len(weights))
		h.PrepackOffset = align64(h.WeightOffset + h.WeightBytes)
		next, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		same := len(next) == len(hdr)
		hdr = next
		if same {
			break
		}
	}
	out := []byte(ArtifactMagic)
	out = binary.LittleEndian.AppendUint32(out, ArtifactVersion)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(hdr)))
	out = append(append(out, hdr...), graph...)
	for int64(len(out)) < h.WeightOffset {
		out = append(out, 0)
	}
	out = append(out, weights...)
	for int64(len(out)) < h.PrepackOffset {
		out = append(out, 0)
	}
	return fixChecksum(append(out, 0, 0, 0, 0))
}
