package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"strings"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	pb "github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
	"github.com/nncc/nncc/runtime"
)

// artifactCases are compiled .nnc files (model.nnc, which `nncc run` and
// `nncc check` prefer to model.onnx in a folder) with hostile plans and
// prepacked sections, each with a valid checksum: the checksum guards
// against corruption, not against a crafted file. They are compiled for
// the generic ISA level so that they load on any CPU.
var artifactCases = []hostileCase{
	{Name: "nnc_plan_attention_wrap", Group: "compiled artifacts", What: "a .nnc whose plan holds an nncc.FusedAttention whose strides wrap int64 (as in nncc_attention_stride_wrap)", Expect: "cannot hold",
		build: func(c *caseDir) error {
			return rawArtifact(c, []input{{"q", ir.Float32, dims(4), nil}},
				inode("FusedAttention", ss("q", "q", "q"), intsAttr("sizes", 1<<32+1, 0, 1, 1), floatAttr("scale", 1),
					intsAttr("q_layout", 0, 1<<32, 1), intsAttr("k_layout", 0, 1, 1), intsAttr("v_layout", 0, 1, 1),
					intsAttr("y_layout", 0, 1<<32, 1), intsAttr("y_shape", 4)))
		}},
	{Name: "nnc_plan_conv_nchwc_block", Group: "compiled artifacts", What: "a .nnc whose plan holds an nncc.ConvNCHWc with block 16 over an input whose last dim is 8", Expect: "block",
		build: func(c *caseDir) error {
			return rawArtifact(c, []input{{"x", ir.Float32, dims(1, 1, 4, 4, 8), nil}},
				inode("ConvNCHWc", ss("x", "w"), intAttr("block", 16), intsAttr("kernel_shape", 3, 3)), filled("w", 16, 16, 3, 3))
		}},
	{Name: "nnc_prepacked_short", Group: "compiled artifacts", What: "a compiled conv net whose prepacked weight panels are cut to half their size (the kernels repack them)", Outcome: "runs",
		build: func(c *caseDir) error {
			return tamperedArtifact(c, func(e []kernels.PrepackEntry) {
				for i := range e {
					e[i].Data = e[i].Data[:len(e[i].Data)/2]
				}
			}, nil)
		}},
	{Name: "nnc_prepacked_other_level", Group: "compiled artifacts", What: "a compiled conv net whose prepacked panels are relabelled for the AVX-512 layout (a level the artifact was not compiled for; they are not used)", Outcome: "runs",
		build: func(c *caseDir) error {
			return tamperedArtifact(c, func(e []kernels.PrepackEntry) {
				for i := range e {
					e[i].Key = strings.Replace(e[i].Key, "generic", "avx512", 1)
				}
			}, nil)
		}},
	{Name: "nnc_prepacked_past_end", Group: "compiled artifacts", What: "a compiled conv net whose last prepacked record points past the end of the section", Expect: "outside the",
		build: func(c *caseDir) error {
			return tamperedArtifact(c, nil, func(r *codegen.PrepackRecord, section int64) { r.DataOffset = section + 64 })
		}},
	{Name: "nnc_prepacked_huge_count", Group: "compiled artifacts", What: "a compiled conv net whose last prepacked record has 2^62 values", Expect: "outside the",
		build: func(c *caseDir) error {
			return tamperedArtifact(c, nil, func(r *codegen.PrepackRecord, section int64) { r.Count = 1 << 62 })
		}},
	{Name: "nnc_prepacked_misaligned", Group: "compiled artifacts", What: "a compiled conv net whose last prepacked record starts 4 bytes after a 64-byte boundary", Expect: "misaligned",
		build: func(c *caseDir) error {
			return tamperedArtifact(c, nil, func(r *codegen.PrepackRecord, section int64) { r.DataOffset += 4 })
		}},
	{Name: "nnc_stored_plan_input", Group: "compiled artifacts", What: "a compiled conv net whose stored plan (the graph specialised for fixed input shapes) names an input the model does not have", Expect: "specialised graph",
		build: func(c *caseDir) error {
			return storedPlanArtifact(c, func(spec []byte) ([]byte, error) {
				i := strings.Index(string(spec), "\x01x")
				if i < 0 {
					return nil, fmt.Errorf("the stored plan's input x not found: update genhostile")
				}
				spec[i+1] = 'z'
				return spec, nil
			})
		}},
	{Name: "nnc_stored_plan_dynamic", Group: "compiled artifacts", What: "a compiled conv net whose stored plan's input has a symbolic dimension (a stored plan is for static shapes only)", Expect: "specialised graph",
		build: func(c *caseDir) error {
			return storedPlanArtifact(c, func(spec []byte) ([]byte, error) {
				i := strings.Index(string(spec), "\x01x")
				dims := "\x08\x02\x00\x06\x00\x10\x00\x10\x00" // rank 4: 1, 3, 8, 8
				j := strings.Index(string(spec[max(i, 0):]), dims)
				if i < 0 || j < 0 || j > 8 {
					return nil, fmt.Errorf("the stored plan's input x: [1 3 8 8] not found: update genhostile")
				}
				// The first dimension becomes symbolic: size -1, name "n".
				k := i + j + 1
				return append(append(spec[:k:k], "\x01\x01n"...), spec[k+2:]...), nil
			})
		}},
	{Name: "nnc_stored_plan_lying_types", Group: "compiled artifacts", What: "a compiled conv net whose stored plan claims its output y is [1 23] where its inputs make it [1 24] (lowering trusts a stored plan's shapes, so its first use infers them again and compares)", Expect: "stored as",
		build: func(c *caseDir) error {
			return storedPlanArtifact(c, func(spec []byte) ([]byte, error) {
				i := strings.LastIndex(string(spec), "\x01y")
				dims := "\x04\x02\x00\x30\x00" // rank 2: 1, 24
				j := strings.Index(string(spec[max(i, 0):]), dims)
				if i < 0 || j < 0 || j > 8 {
					return nil, fmt.Errorf("the stored plan's output y: [1 24] not found: update genhostile")
				}
				spec[i+j+3] = 0x2e // 23
				return spec, nil
			})
		}},
	{Name: "nnc_cpu_features", Group: "compiled artifacts", What: "a .nnc that needs a CPU feature no CPU has", Expect: "lacks",
		build: func(c *caseDir) error {
			return tamperedArtifact(c, nil, nil, func(a *codegen.Artifact) { a.Header.CPUFeatures = append(a.Header.CPUFeatures, "avx99") })
		}},
	{Name: "nnc_unknown_isa", Group: "compiled artifacts", What: "a .nnc compiled for ISA \"sparc\"", Expect: "sparc",
		build: func(c *caseDir) error {
			return tamperedArtifact(c, nil, nil, func(a *codegen.Artifact) { a.Header.ISA = "sparc" })
		}},
}

// rawArtifact writes model.nnc holding y = n(inputs..., inits...) as it
// is, without the optimisation passes or their checks (which an artifact's
// loader does not run), plus the inputs.
func rawArtifact(c *caseDir, ins []input, n *pb.NodeProto, inits ...*pb.TensorProto) error {
	if err := internalModel(c, ins, inits, n); err != nil {
		return err
	}
	m, err := readCaseModel(c)
	if err != nil {
		return err
	}
	data, err := codegen.WriteArtifact(m, codegen.ArtifactHeader{Producer: "genhostile", ISA: "generic"})
	if err != nil {
		return err
	}
	return c.replaceModel(data)
}

func readCaseModel(c *caseDir) (*ir.Graph, error) {
	data, err := os.ReadFile(c.path("model.onnx"))
	if err != nil {
		return nil, err
	}
	return onnx.Decode(data)
}

// replaceModel writes model.nnc in place of model.onnx.
func (c *caseDir) replaceModel(nnc []byte) error {
	if err := os.Remove(c.path("model.onnx")); err != nil {
		return err
	}
	return c.write("model.nnc", nnc)
}

// convNet is a small conv net (conv 3→16, conv 16→16, relu, global
// pooling, gemm) whose plan prepacks its weights.
func convNet(c *caseDir) error {
	nodes := []*pb.NodeProto{
		node("Conv", ss("x", "w1", "b1"), ss("c1"), intsAttr("kernel_shape", 3, 3), intsAttr("pads", 1, 1, 1, 1)),
		node("Relu", ss("c1"), ss("r1")),
		node("Conv", ss("r1", "w2", "b2"), ss("c2"), intsAttr("kernel_shape", 3, 3), intsAttr("pads", 1, 1, 1, 1)),
		node("Relu", ss("c2"), ss("r2")),
		node("GlobalAveragePool", ss("r2"), ss("p")),
		node("Flatten", ss("p"), ss("f")),
		node("Gemm", ss("f", "w3"), ss("y")),
	}
	g := &pb.GraphProto{Name: "convnet", Input: []*pb.ValueInfoProto{vi("x", ir.Float32, 1, 3, 8, 8)}, Node: nodes,
		Initializer: []*pb.TensorProto{filled("w1", 16, 3, 3, 3), filled("b1", 16), filled("w2", 16, 16, 3, 3), filled("b2", 16), filled("w3", 16, 24)},
		Output:      []*pb.ValueInfoProto{vi("y", ir.Float32, 1, 24)}}
	return c.writeModel(model(g), filled("x", 1, 3, 8, 8))
}

// tamperedArtifact compiles convNet for the generic level, changes its
// prepacked entries (entries), its last prepacked record (record; the
// file is then laid out anew without the stored plan, whose graph follows
// the records) or the decoded artifact (change: header, stored plans),
// and writes it as model.nnc with a valid checksum.
func tamperedArtifact(c *caseDir, entries func([]kernels.PrepackEntry), record func(r *codegen.PrepackRecord, section int64), change ...func(a *codegen.Artifact)) error {
	a, err := compiledConvNet(c)
	if err != nil {
		return err
	}
	if len(a.Prepacked) == 0 {
		return fmt.Errorf("the conv net has no prepacked weights")
	}
	for _, f := range change {
		f(a)
	}
	a.Prepacked = append([]kernels.PrepackEntry{}, a.Prepacked...)
	if entries != nil {
		entries(a.Prepacked)
	}
	if record != nil {
		a.Specialized = nil
	}
	art, err := codegen.EncodeArtifact(a)
	if err != nil {
		return err
	}
	if record != nil {
		if art, err = rewriteLastRecord(art, record); err != nil {
			return err
		}
	}
	return c.replaceModel(art)
}

// compiledConvNet writes convNet and returns it compiled for the generic
// level (with its stored plan for the input shape [1 3 8 8]).
func compiledConvNet(c *caseDir) (*codegen.Artifact, error) {
	if err := convNet(c); err != nil {
		return nil, err
	}
	g, err := readCaseModel(c)
	if err != nil {
		return nil, err
	}
	art, err := runtime.Compile(g, runtime.Options{}, "generic")
	if err != nil {
		return nil, err
	}
	a, err := codegen.DecodeArtifact(art)
	if err != nil {
		return nil, err
	}
	if err := a.DecodeStored(); err != nil {
		return nil, err
	}
	if len(a.Specialized) != 1 {
		return nil, fmt.Errorf("the conv net has %d stored plans, want 1", len(a.Specialized))
	}
	return a, nil
}

// storedPlanArtifact compiles convNet, lets patch change the encoded bytes
// of its stored plan's graph (which the encoder would refuse to write
// when wrong; loading lists the plan, its first use decodes and checks
// it) and writes it as model.nnc with a valid checksum.
func storedPlanArtifact(c *caseDir, patch func(spec []byte) ([]byte, error)) error {
	a, err := compiledConvNet(c)
	if err != nil {
		return err
	}
	with, err := codegen.EncodeArtifact(a)
	if err != nil {
		return err
	}
	// The graph section ends with the count of stored plans (1) and the
	// plan: its input shapes (count, then rank and sizes of each), the
	// length of its graph, the graph.
	wa, err := codegen.DecodeArtifactDeferred(with)
	if err != nil {
		return err
	}
	gw := with[wa.Header.GraphOffset : wa.Header.GraphOffset+wa.Header.GraphBytes]
	if len(wa.Stored) != 1 {
		return fmt.Errorf("the conv net has %d stored plans, want 1", len(wa.Stored))
	}
	rest := wa.Stored[0].Encoded()
	head := binary.AppendUvarint(nil, uint64(len(wa.Stored[0].Shapes)))
	for _, s := range wa.Stored[0].Shapes {
		head = binary.AppendUvarint(head, uint64(len(s)))
		for _, d := range s {
			head = binary.AppendVarint(head, d)
		}
	}
	plan := append(append([]byte{}, head...), binary.AppendUvarint(nil, uint64(len(rest)))...)
	plan = append(plan, rest...)
	if !strings.HasSuffix(string(gw), "\x01"+string(plan)) {
		return fmt.Errorf("the stored plan encoding changed: update genhostile")
	}
	gn := gw[:len(gw)-len(plan)]
	spec, err := patch(append([]byte{}, rest...))
	if err != nil {
		return err
	}
	graph := append(append([]byte{}, gn...), head...)
	graph = append(binary.AppendUvarint(graph, uint64(len(spec))), spec...)
	h := wa.Header
	art, err := layoutArtifact(h, graph, with[h.WeightOffset:h.WeightOffset+h.WeightBytes], with[h.PrepackOffset:h.PrepackOffset+h.PrepackBytes])
	if err != nil {
		return err
	}
	return c.replaceModel(art)
}

// rewriteLastRecord changes the last prepacked record of an artifact
// without stored plans (its data offset and count, varints that end the
// records) and lays the file out again.
func rewriteLastRecord(art []byte, change func(r *codegen.PrepackRecord, section int64)) ([]byte, error) {
	a, err := codegen.DecodeArtifact(art)
	if err != nil {
		return nil, err
	}
	h := a.Header
	r := h.Prepacked[len(h.Prepacked)-1]
	graph := art[h.GraphOffset : h.GraphOffset+h.GraphBytes]
	// The record ends with its data offset and count; the section then
	// ends with the count of stored plans, 0.
	tail := append(binary.AppendVarint(binary.AppendVarint(nil, r.DataOffset), r.Count), 0)
	if !strings.HasSuffix(string(graph), r.Key+string(tail)) {
		return nil, fmt.Errorf("the prepacked record encoding changed: update genhostile")
	}
	change(&r, h.PrepackBytes)
	graph = binary.AppendVarint(binary.AppendVarint(append([]byte{}, graph[:len(graph)-len(tail)]...), r.DataOffset), r.Count)
	graph = append(graph, 0)
	return layoutArtifact(h, graph, art[h.WeightOffset:h.WeightOffset+h.WeightBytes], art[h.PrepackOffset:h.PrepackOffset+h.PrepackBytes])
}

// layoutArtifact lays out an artifact from its sections as
// codegen.WriteArtifact does, with a valid checksum.
func layoutArtifact(h codegen.ArtifactHeader, graph, weights, packed []byte) ([]byte, error) {
	align := func(n int64) int64 { return (n + 63) &^ 63 }
	var hdr []byte
	for range 4 {
		h.GraphOffset = 16 + int64(len(hdr))
		h.GraphBytes = int64(len(graph))
		h.WeightOffset = align(h.GraphOffset + h.GraphBytes)
		h.WeightBytes = int64(len(weights))
		h.PrepackOffset = align(h.WeightOffset + h.WeightBytes)
		h.PrepackBytes = int64(len(packed))
		next, err := json.Marshal(h)
		if err != nil {
			return nil, err
		}
		same := len(next) == len(hdr)
		hdr = next
		if same {
			break
		}
	}
	out := []byte(codegen.ArtifactMagic)
	out = binary.LittleEndian.AppendUint32(out, codegen.ArtifactVersion)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(hdr)))
	out = append(append(out, hdr...), graph...)
	for int64(len(out)) < h.WeightOffset {
		out = append(out, 0)
	}
	out = append(out, weights...)
	for int64(len(out)) < h.PrepackOffset {
		out = append(out, 0)
	}
	out = append(out, packed...)
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, crc32.MakeTable(crc32.Castagnoli))), nil
}
