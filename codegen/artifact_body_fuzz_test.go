package codegen

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"testing"

	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// smallArtifact writes a graph exercising every part of the format: an
// inline constant, a weights-section constant, a string constant, a node
// with int, float, ints and string attributes, a nested graph (If) reading
// an outer value, and a prepacked record.
func smallArtifact(t testing.TB) []byte {
	g := &ir.Graph{Name: "small", Opsets: map[string]int64{"": 21}, Metadata: map[string]string{"producer": "test"}}
	x := &ir.Value{Name: "x", Type: ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("batch"), ir.D(8)})}
	g.Inputs = []*ir.Value{x}
	w := ir.NewTensor(ir.Float32, []int64{8, 16})
	for i := range w.F32() {
		w.F32()[i] = float32(i%9) - 4
	}
	wv := &ir.Value{Name: "w", Type: ir.TensorType(ir.Float32, 8, 16), Const: w}
	cond := &ir.Value{Name: "cond", Type: ir.TensorType(ir.Bool), Const: ir.FromSlice([]bool{true}, []int64{}...)}
	names := &ir.Value{Name: "names", Type: ir.TensorType(ir.String, 2), Const: ir.FromSlice([]string{"a", "bc"}, 2)}
	g.Constants = []*ir.Value{wv, cond, names}
	y := &ir.Value{Name: "y", Type: ir.TensorOf(ir.Float32, ir.Shape{ir.Sym("batch"), ir.D(16)})}
	g.AddNode(&ir.Node{Name: "gemm", Op: "Gemm", Opset: 21, Inputs: []*ir.Value{x, wv}, Outputs: []*ir.Value{y},
		Attrs: ir.Attrs{"alpha": {Name: "alpha", Kind: ir.AttrFloat, F: 0.5}, "transB": {Name: "transB", Kind: ir.AttrInt, I: 0}}})
	body := &ir.Graph{Name: "then"}
	r := &ir.Value{Name: "r", Type: y.Type}
	body.AddNode(&ir.Node{Name: "relu", Op: "Relu", Opset: 21, Inputs: []*ir.Value{y}, Outputs: []*ir.Value{r}, Attrs: ir.Attrs{}})
	body.Outputs = []*ir.Value{r}
	els := &ir.Graph{Name: "else", Outputs: []*ir.Value{y}}
	z := &ir.Value{Name: "z", Type: y.Type}
	g.AddNode(&ir.Node{Name: "if", Op: "If", Opset: 21, Inputs: []*ir.Value{cond}, Outputs: []*ir.Value{z},
		Attrs: ir.Attrs{"then_branch": {Name: "then_branch", Kind: ir.AttrGraph, G: body}, "else_branch": {Name: "else_branch", Kind: ir.AttrGraph, G: els}}})
	g.Outputs = []*ir.Value{z}
	packed := make([]float32, 64)
	data, err := WriteArtifact(g, ArtifactHeader{Producer: "test", ISA: "generic"},
		kernels.PrepackEntry{Src: w.F32()[16:48], Key: "test/copy", Data: packed})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// fixChecksum rewrites the trailing CRC so that the body is checked by the
// parser rather than rejected by the checksum.
func fixChecksum(data []byte) []byte {
	if len(data) < 16+checksumBytes || !IsArtifact(data) {
		return data
	}
	body := data[:len(data)-checksumBytes]
	binary.LittleEndian.PutUint32(data[len(data)-checksumBytes:], crc32.Checksum(body, castagnoli))
	return data
}

func TestSmallArtifactRoundTrip(t *testing.T) {
	data := smallArtifact(t)
	a, err := DecodeArtifact(data)
	if err != nil {
		t.Fatal(err)
	}
	g := a.Graph
	if len(g.Nodes) != 2 || g.Nodes[0].Attrs.Float("alpha", 0) != 0.5 || g.Inputs[0].Type.Shape[0].Param != "batch" {
		t.Fatalf("graph did not round-trip: %v", g.Nodes)
	}
	if got := g.Constants[0].Const.F32()[10]; got != float32(10%9)-4 {
		t.Fatalf("weights: %v", got)
	}
	if s := g.Constants[2].Const.Data.([]string); s[1] != "bc" {
		t.Fatalf("strings: %v", s)
	}
	if sub := g.Nodes[1].Attrs["then_branch"].G; sub.Nodes[0].Inputs[0] != g.Nodes[0].Outputs[0] {
		t.Fatal("the nested graph does not read the outer value")
	}
	if len(a.Prepacked) != 1 || &a.Prepacked[0].Src[0] != &g.Constants[0].Const.F32()[16] || len(a.Prepacked[0].Data) != 64 {
		t.Fatalf("prepacked entry not bound to its constant: %+v", a.Header.Prepacked)
	}
	// Old format versions are refused with a clear message.
	old := append([]byte{}, data...)
	binary.LittleEndian.PutUint32(old[8:], 3)
	if _, err := DecodeArtifact(old); err == nil || err.Error() != fmt.Sprintf("artifact format version 3, this nncc reads version %d: recompile the model", ArtifactVersion) {
		t.Fatalf("version 3: %v", err)
	}
}

// FuzzDecodeArtifactBody mutates a valid artifact and repairs its checksum
// before decoding, so that the header, graph, stored plan, weights and
// prepacked parsers see the damage: they must return an error or a graph,
// never panic.
//
//	go test -run XXX -fuzz '^FuzzDecodeArtifactBody$' -fuzztime 60s ./codegen
func FuzzDecodeArtifactBody(f *testing.F) {
	f.Add(smallArtifact(f))
	g, sg, w := specializedPair()
	spec, err := EncodeArtifact(&Artifact{Graph: g, Specialized: []*ir.Graph{sg}, Header: ArtifactHeader{ISA: "generic"},
		Prepacked: []kernels.PrepackEntry{{Src: w.F32()[:16], Key: "k", Data: make([]float32, 16)}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(spec)
	derived, _ := derivedArtifact(f)
	f.Add(derived)
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := DecodeArtifact(fixChecksum(data))
		if err == nil && (a == nil || a.Graph == nil) {
			t.Fatal("nil graph without error")
		}
		if err == nil {
			// The stored plans are decoded on first use.
			err = a.DecodeStored()
		}
		if err != nil && len(err.Error()) > 3 && err.Error()[:4] == "BUG:" {
			t.Fatal(err)
		}
	})
}
