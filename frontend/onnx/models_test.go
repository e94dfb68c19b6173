package onnx

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/nncc/nncc/ir"
)

const (
	modelsDir = "../../../shared/models"
	nodeDir   = "../../../shared/conformance/onnx-node"
)

func needDir(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s not present (shared test data is not checked in): %v", dir, err)
	}
}

func TestSeedModels(t *testing.T) {
	needDir(t, modelsDir)
	cases := []struct{ name, in, out string }{
		{"seed_cnn_mnist", "float[batch,1,28,28]", "float[batch,10]"},
		{"seed_cnn_cifar", "float[batch,3,32,32]", "float[batch,10]"},
		{"seed_embed_lstm", "int64[batch,40]", "float[batch,5]"},
		{"seed_gan_discriminator", "float[batch,1,28,28]", "float[batch,1]"},
		{"seed_gan_generator", "float[batch,28,28]", ""},
		{"seed_rnn_lstm", "float[batch,50,32]", "float[batch,10]"},
		{"seed_transformer_encoder", "int64[batch,64]", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(modelsDir, c.name)
			g, err := Load(filepath.Join(dir, "model.onnx"), SkipOpCheck())
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Inputs) != 1 || len(g.Outputs) != 1 {
				t.Fatalf("%d inputs, %d outputs", len(g.Inputs), len(g.Outputs))
			}
			if got := g.Inputs[0].Type.String(); got != c.in {
				t.Errorf("input type %s, want %s", got, c.in)
			}
			if got := g.Outputs[0].Type.String(); c.out != "" && got != c.out {
				t.Errorf("output type %s, want %s", got, c.out)
			}
			if len(g.Nodes) == 0 || len(g.Constants) == 0 {
				t.Errorf("%d nodes, %d constants", len(g.Nodes), len(g.Constants))
			}
			// The test data decodes with the declared types.
			in, err := ReadValueFile(filepath.Join(dir, "test_data_set_0", "input_0.pb"), g.Inputs[0].Type)
			if err != nil {
				t.Fatal(err)
			}
			if in.DType != g.Inputs[0].Type.DType || in.Rank() != g.Inputs[0].Type.Rank() {
				t.Errorf("input data %v does not match %v", in, g.Inputs[0].Type)
			}
			// With the op check on, the only acceptable failure is an op the
			// table does not (yet) accept.
			if _, err := Load(filepath.Join(dir, "model.onnx")); err != nil {
				var oe *OpError
				if !errors.As(err, &oe) {
					t.Errorf("op check: %v", err)
				} else {
					t.Logf("op check: %v", err)
				}
			}
		})
	}
}

// TestNodeConformanceDecode decodes every ONNX node-test model and its test
// data. Unknown ops do not fail the test (the op table is filled
// separately); structural failures and panics do.
func TestNodeConformanceDecode(t *testing.T) {
	needDir(t, nodeDir)
	dirs, _ := filepath.Glob(filepath.Join(nodeDir, "test_*"))
	if len(dirs) == 0 {
		t.Skip("no node tests found")
	}
	structural, checked := 0, 0
	unsupported := map[string]int{}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		path := filepath.Join(dir, "model.onnx")
		g, err := Load(path, SkipOpCheck())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		structural++
		if _, err := Load(path); err == nil {
			checked++
		} else {
			var oe *OpError
			if !errors.As(err, &oe) {
				t.Errorf("%s: op check failed with a non-op error: %v", name, err)
				continue
			}
			unsupported[oe.Domain+"::"+oe.Op]++
		}
		for _, set := range []struct {
			prefix string
			vals   []*ir.Value
		}{{"input", g.Inputs}, {"output", g.Outputs}} {
			for i, v := range set.vals {
				p := filepath.Join(dir, "test_data_set_0", fmt.Sprintf("%s_%d.pb", set.prefix, i))
				if _, err := os.Stat(p); err != nil {
					continue
				}
				x, err := ReadValueFile(p, v.Type)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if x.Kind != v.Type.Kind {
					t.Errorf("%s: %s %d is a %v, declared %v", name, set.prefix, i, x.Kind, v.Type)
				}
			}
		}
	}
	var ops []string
	for k := range unsupported {
		ops = append(ops, k)
	}
	sort.Strings(ops)
	t.Logf("%d/%d node-test models decode structurally; %d pass the op-table check", structural, len(dirs), checked)
	if len(ops) > 0 {
		t.Logf("%d ops not accepted by the op table yet (first few: %v)", len(ops), ops[:min(len(ops), 20)])
	}
}

func TestReadValueFileKinds(t *testing.T) {
	needDir(t, nodeDir)
	cases := []struct {
		test string
		file string
		want string
	}{
		{"test_sequence_insert_at_back", "input_0.pb", "seq<int64>[3 items]"},
		{"test_optional_has_element_empty_optional_input", "input_0.pb", "optional(none)"},
		{"test_optional_get_element_optional_tensor", "input_0.pb", "optional(float[4] [1 2 3 4])"},
		{"test_optional_get_element_optional_sequence", "input_0.pb", "optional(seq<int32>[1 items])"},
	}
	for _, c := range cases {
		dir := filepath.Join(nodeDir, c.test)
		g, err := Load(filepath.Join(dir, "model.onnx"), SkipOpCheck())
		if err != nil {
			t.Fatal(err)
		}
		v, err := ReadValueFile(filepath.Join(dir, "test_data_set_0", c.file), g.Inputs[0].Type)
		if err != nil {
			t.Fatal(err)
		}
		if v.String() != c.want {
			t.Errorf("%s: got %v, want %s", c.test, v, c.want)
		}
	}
	// ReadTensorFile reads plain tensors with their names.
	x, name, err := ReadTensorFile(filepath.Join(nodeDir, "test_abs", "test_data_set_0", "input_0.pb"))
	if err != nil || x.DType != ir.Float32 || name == "" {
		t.Errorf("ReadTensorFile: %v %q %v", x, name, err)
	}
}
