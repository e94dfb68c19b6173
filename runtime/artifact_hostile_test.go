package runtime

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// Hostile .nnc artifacts: the checksum is no defence against a crafted
// file, so every prepacked blob a kernel is handed must be checked against
// what the kernel expects before it is read. These tests compile models
// whose plans use the prepacked paths (NCHWc convolutions, packed sgemm
// operands, Winograd filters, LSTM cells, attention), tamper with the
// prepacked entries, re-encode the artifact with a valid checksum and
// load and run it: each must give an error or outputs of the right
// shape, never a panic or an error naming a BUG.

// artifactHostileModels are the models whose artifacts are tampered with.
var artifactHostileModels = []string{"cnn", "cnn_batchnorm", "rnn_lstm", "transformer", "gan_discriminator"}

// compileTestModel compiles testdata/models/NAME for the current ISA.
func compileTestModel(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "models", name, "model.onnx"))
	if err != nil {
		t.Skipf("model %s: %v", name, err)
	}
	g, err := onnx.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	art, err := Compile(g, Options{}, "")
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return art
}

// rewriteArtifact re-encodes a decoded artifact with the given prepacked
// entries (a fresh checksum included).
func rewriteArtifact(t testing.TB, a *codegen.Artifact, packs []kernels.PrepackEntry) []byte {
	t.Helper()
	data, err := codegen.WriteArtifact(a.Graph, a.Header, packs...)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// runArtifact loads and runs an artifact on the inputs of dir's
// test_data_set_0 (generated ones when dir is "" or has none) and fails
// the test on a panic, a BUG error, a hang or a malformed output. It
// returns the outputs, or nil when loading or running gave an error.
func runArtifact(t *testing.T, what, dir string, data []byte) []*ir.Tensor {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: panic: %v", what, r)
		}
	}()
	s, err := LoadArtifact(data, Options{Threads: 2, MaxTensorElements: 1 << 22, MaxArenaBytes: 256 << 20})
	if err != nil {
		if bugIn(err) {
			t.Fatalf("%s: load: %v", what, err)
		}
		return nil
	}
	defer s.Close()
	// The generic graph's body is decoded on first need (a Run of shapes
	// no stored plan is for, or Graph): make sure it is, after the Run,
	// whatever path the inputs below take.
	defer s.Graph()
	ins, ok := testSetInputs(s, dir)
	if !ok {
		if ins, ok = fuzzInputs(s, []byte{1, 2, 3, 250, 0x7f, 0xc0}); !ok {
			return nil
		}
	}
	outs := make([]*ir.Tensor, len(s.Outputs()))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.RunInto(ctx, ins, outs); err != nil {
		if bugIn(err) {
			t.Fatalf("%s: run: %v", what, err)
		}
		return nil
	}
	for i, o := range outs {
		if msg := checkTensor(o); msg != "" {
			t.Fatalf("%s: output %d: %s", what, i, msg)
		}
	}
	return outs
}

// testSetInputs reads dir/test_data_set_0/input_N.pb for the session's
// inputs.
func testSetInputs(s *Session, dir string) ([]*ir.Tensor, bool) {
	if dir == "" {
		return nil, false
	}
	var ins []*ir.Tensor
	for i, info := range s.Inputs() {
		t, err := onnx.ReadValueFile(filepath.Join(dir, "test_data_set_0", fmt.Sprintf("input_%d.pb", i)), info.Type)
		if err != nil {
			return nil, false
		}
		ins = append(ins, t)
	}
	return ins, true
}

// sameOutputs reports whether two runs' outputs are bitwise equal.
func sameOutputs(a, b []*ir.Tensor) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !reflect.DeepEqual(a[i].Shape, b[i].Shape) || fmt.Sprint(a[i].Data) != fmt.Sprint(b[i].Data) {
			return false
		}
	}
	return true
}

// otherLayouts rewrites a transform key for the other ISA levels' panel
// layouts (a blob made for another level, or one this CPU lacks).
func otherLayouts(key string) []string {
	var out []string
	for _, l := range []string{"generic", "avx2", "avx512", "neon", "sse"} {
		for _, from := range []string{"generic", "avx2", "avx512", "neon"} {
			if strings.Contains(key, from) && from != l {
				out = append(out, strings.Replace(key, from, l, 1))
			}
		}
	}
	return out
}

func TestArtifactHostilePrepacked(t *testing.T) {
	for _, name := range artifactHostileModels {
		t.Run(name, func(t *testing.T) {
			art := compileTestModel(t, name)
			a, err := codegen.DecodeArtifact(art)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range a.Prepacked {
				t.Logf("%s: prepacked %s (%d values)", name, e.Key, len(e.Data))
			}
			dir := filepath.Join("..", "testdata", "models", name)
			want := runArtifact(t, "unmodified", dir, art)
			if want == nil {
				t.Fatal("the unmodified artifact does not run")
			}
			for i, e := range a.Prepacked {
				// A blob of the wrong size, or under another level's key,
				// must be refused or replaced: the outputs stay exact.
				variant := func(what string, exact bool, change func(p *kernels.PrepackEntry)) {
					packs := append([]kernels.PrepackEntry{}, a.Prepacked...)
					change(&packs[i])
					got := runArtifact(t, e.Key+": "+what, dir, rewriteArtifact(t, a, packs))
					if exact && got != nil && !sameOutputs(got, want) {
						t.Errorf("%s: %s: outputs differ from the unmodified artifact's (the kernel read a blob of the wrong size)", e.Key, what)
					}
				}
				variant("half the values", true, func(p *kernels.PrepackEntry) { p.Data = p.Data[:len(p.Data)/2] })
				variant("one value short", true, func(p *kernels.PrepackEntry) { p.Data = p.Data[:max(len(p.Data)-1, 0)] })
				variant("one value", true, func(p *kernels.PrepackEntry) { p.Data = p.Data[:min(len(p.Data), 1)] })
				variant("64 values too many", true, func(p *kernels.PrepackEntry) { p.Data = append(append([]float32{}, p.Data...), make([]float32, 64)...) })
				variant("twice the values", true, func(p *kernels.PrepackEntry) { p.Data = append(append([]float32{}, p.Data...), p.Data...) })
				for _, k := range otherLayouts(e.Key) {
					variant("key "+k, true, func(p *kernels.PrepackEntry) { p.Key = k })
				}
				// Another entry's blob under this entry's key (a swap):
				// memory-safe whatever it computes.
				if j := (i + 1) % len(a.Prepacked); j != i {
					variant("data of entry "+a.Prepacked[j].Key, len(a.Prepacked[j].Data) != len(e.Data),
						func(p *kernels.PrepackEntry) { p.Data = a.Prepacked[j].Data })
				}
			}
		})
	}
}

// TestArtifactHostileRecords crafts the binary prepacked records directly:
// offsets past the end, overlapping entries, huge counts and misaligned
// offsets, in a file laid out anew with a valid checksum.
func TestArtifactHostileRecords(t *testing.T) {
	art := compileTestModel(t, "cnn")
	a, err := codegen.DecodeArtifact(art)
	if err != nil {
		t.Fatal(err)
	}
	h := a.Header
	if len(h.Prepacked) == 0 {
		t.Skip("no prepacked entries")
	}
	// The last record ends the graph section: its key, then its data
	// offset and count as varints.
	r := h.Prepacked[len(h.Prepacked)-1]
	graph := art[h.GraphOffset : h.GraphOffset+h.GraphBytes]
	tail := binary.AppendVarint(binary.AppendVarint(nil, r.DataOffset), r.Count)
	if !strings.HasSuffix(string(graph), r.Key+string(tail)) {
		t.Skip("record encoding not found (format changed)")
	}
	head := graph[:len(graph)-len(tail)]
	weights := art[h.WeightOffset : h.WeightOffset+h.WeightBytes]
	packed := art[h.PrepackOffset : h.PrepackOffset+h.PrepackBytes]
	for _, c := range []struct {
		what          string
		offset, count int64
	}{
		{"data past the end", h.PrepackBytes + 64, r.Count},
		{"count past the end", r.DataOffset, r.Count + 1},
		{"huge count", r.DataOffset, 1 << 62},
		{"negative count", r.DataOffset, -1},
		{"negative offset", -64, r.Count},
		{"misaligned offset", r.DataOffset + 4, r.Count},
		{"overlapping the first entry", h.Prepacked[0].DataOffset, r.Count},
		{"offset overflow", 1<<63 - 64, r.Count},
		{"zero count", r.DataOffset, 0},
	} {
		g := binary.AppendVarint(binary.AppendVarint(append([]byte{}, head...), c.offset), c.count)
		bad := layoutArtifact(t, h, g, weights, packed)
		t.Run(c.what, func(t *testing.T) { runArtifact(t, c.what, "", bad) })
	}
}

// layoutArtifact lays out an artifact file from its sections as the
// writer does (see codegen/artifact.go), with a valid checksum.
func layoutArtifact(t *testing.T, h codegen.ArtifactHeader, graph, weights, packed []byte) []byte {
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
			t.Fatal(err)
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
	return binary.LittleEndian.AppendUint32(out, crc32.Checksum(out, crc32.MakeTable(crc32.Castagnoli)))
}

// FuzzLoadArtifact mutates compiled artifacts of models that use the
// prepacked, NCHWc, Winograd, LSTM and attention paths, repairs the
// checksum, then loads and runs them.
//
//	go test -run XXX -fuzz '^FuzzLoadArtifact$' -fuzztime 60s ./runtime
func FuzzLoadArtifact(f *testing.F) {
	for _, name := range artifactHostileModels {
		f.Add(compileTestModel(f, name))
	}
	lowerLoopLimit(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 20 || !codegen.IsArtifact(data) {
			return
		}
		data = append([]byte{}, data...)
		body := data[:len(data)-4]
		binary.LittleEndian.PutUint32(data[len(data)-4:], crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli)))
		runArtifact(t, "fuzzed artifact", "", data)
	})
}
