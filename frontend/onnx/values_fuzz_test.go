package onnx

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/ir"
)

// FuzzReadValueFile checks the reader of test-data .pb files (the
// `nncc run -i name=file.pb` and `nncc check` inputs) on arbitrary bytes,
// read as each value kind: no panic, no "internal error", and an accepted
// tensor holds exactly its shape's element count.
//
//	go test -run XXX -fuzz FuzzReadValueFile -fuzztime 60s ./frontend/onnx
func FuzzReadValueFile(f *testing.F) {
	for _, d := range allDTypes() {
		tp, _ := TensorToProto(sample(d))
		f.Add(mustMarshalMsg(tp))
	}
	// Conformance test inputs when the shared folder is there (a sample,
	// to keep the seed run short), and the hostile inputs.
	var files []string
	if conf, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "conformance", "onnx-node", "*", "test_data_set_0", "input_0.pb")); len(conf) > 0 {
		for i := 0; i < len(conf); i += max(1, len(conf)/200) {
			files = append(files, conf[i])
		}
	}
	hostile, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "hostile", "*", "test_data_set_0", "*.pb"))
	files = append(files, hostile...)
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) <= 64<<10 {
			f.Add(b)
		}
	}
	kinds := []ir.Type{
		ir.UnrankedOf(ir.Undefined),
		ir.UnrankedOf(ir.Float32),
		{Kind: ir.KindSequence},
		{Kind: ir.KindOptional},
		{Kind: ir.KindMap},
		{Kind: ir.KindSparse},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "input_0.pb")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, k := range kinds {
			v, err := ReadValueFile(path, k)
			if err != nil {
				if containsInternal(err) {
					t.Fatalf("%v: %v", k, err)
				}
				continue
			}
			checkValue(t, v, 0)
		}
	})
}

// checkValue checks that every tensor in v holds as many elements as its
// shape says.
func checkValue(t *testing.T, v *ir.Tensor, depth int) {
	if v == nil || depth > 100 {
		return
	}
	if v.Kind == ir.KindTensor {
		n, err := ir.CheckedNumElements(v.Shape, 1<<62)
		if err != nil {
			t.Fatalf("accepted shape %v: %v", v.Shape, err)
		}
		if v.Data == nil || int64(reflect.ValueOf(v.Data).Len()) != n {
			t.Fatalf("%v tensor of shape %v has data %T of another length", v.DType, v.Shape, v.Data)
		}
	}
	for _, it := range v.Items {
		checkValue(t, it, depth+1)
	}
}

func mustMarshalMsg(m proto.Message) []byte {
	b, err := proto.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

func containsInternal(err error) bool {
	return strings.Contains(err.Error(), "internal error")
}
