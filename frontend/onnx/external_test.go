package onnx

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
)

// externalModel writes, in dir, a model whose initializer "w" (float[4])
// lives in external data described by kv, and returns the model's path.
func externalModel(t *testing.T, dir string, kv map[string]string) string {
	t.Helper()
	tp := &onnxpb.TensorProto{Name: "w", DataType: int32(ir.Float32), Dims: []int64{4}, DataLocation: onnxpb.TensorProto_EXTERNAL}
	for _, k := range []string{"location", "offset", "length", "checksum"} {
		if v, ok := kv[k]; ok {
			tp.ExternalData = append(tp.ExternalData, &onnxpb.StringStringEntryProto{Key: k, Value: v})
		}
	}
	g := &onnxpb.GraphProto{
		Input:       []*onnxpb.ValueInfoProto{vi("x", ir.Float32, 4)},
		Initializer: []*onnxpb.TensorProto{tp},
		Node:        []*onnxpb.NodeProto{tnd("Add", ss("x", "w"), ss("y"))},
		Output:      []*onnxpb.ValueInfoProto{vi("y", ir.Float32, 4)},
	}
	path := filepath.Join(dir, "model.onnx")
	if err := os.WriteFile(path, marshal(t, modelOf(g)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// weights returns n float32s 1, 2, ... n little-endian.
func weights(n int) []byte {
	b := make([]byte, 4*n)
	for i := range n {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(i+1)))
	}
	return b
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExternalData(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "data", "w.bin"), append(make([]byte, 8), weights(4)...))
	path := externalModel(t, dir, map[string]string{"location": "data/w.bin", "offset": "8", "length": "16", "checksum": "ignored"})
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Constants[0].Const.F32(); got[0] != 1 || got[3] != 4 {
		t.Errorf("external weights %v", got)
	}
	// Without length: the rest of the file.
	path = externalModel(t, dir, map[string]string{"location": "data/w.bin", "offset": "8"})
	if _, err := Load(path); err != nil {
		t.Errorf("no length: %v", err)
	}
	// Decode without a base directory refuses external data.
	data, _ := os.ReadFile(path)
	if _, err := Decode(data); err == nil || !strings.Contains(err.Error(), "base directory") {
		t.Errorf("no base dir: %v", err)
	}
	if _, err := Decode(data, WithBaseDir(dir)); err != nil {
		t.Errorf("WithBaseDir: %v", err)
	}
}

func TestExternalDataHostile(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.bin")
	write(t, secret, weights(4))

	cases := []struct {
		name  string
		setup func(t *testing.T, dir string) map[string]string
		want  string
	}{
		{"absolute path", func(t *testing.T, dir string) map[string]string {
			return map[string]string{"location": secret}
		}, "absolute"},
		{"dot-dot escape", func(t *testing.T, dir string) map[string]string {
			rel, _ := filepath.Rel(dir, secret)
			return map[string]string{"location": rel}
		}, "leaves the model's folder"},
		{"inner dot-dot escape", func(t *testing.T, dir string) map[string]string {
			return map[string]string{"location": "a/../../x.bin"}
		}, "leaves the model's folder"},
		{"symlink escape", func(t *testing.T, dir string) map[string]string {
			if err := os.Symlink(secret, filepath.Join(dir, "link.bin")); err != nil {
				t.Skip("symlinks unavailable:", err)
			}
			return map[string]string{"location": "link.bin"}
		}, "outside the model's folder"},
		{"symlinked folder escape", func(t *testing.T, dir string) map[string]string {
			if err := os.Symlink(outside, filepath.Join(dir, "sub")); err != nil {
				t.Skip("symlinks unavailable:", err)
			}
			return map[string]string{"location": "sub/secret.bin"}
		}, "outside the model's folder"},
		{"offset beyond end", func(t *testing.T, dir string) map[string]string {
			write(t, filepath.Join(dir, "w.bin"), weights(4))
			return map[string]string{"location": "w.bin", "offset": "17"}
		}, "beyond the end"},
		{"length beyond end", func(t *testing.T, dir string) map[string]string {
			write(t, filepath.Join(dir, "w.bin"), weights(4))
			return map[string]string{"location": "w.bin", "offset": "4", "length": "16"}
		}, "beyond the end"},
		{"huge length", func(t *testing.T, dir string) map[string]string {
			write(t, filepath.Join(dir, "w.bin"), weights(4))
			return map[string]string{"location": "w.bin", "offset": "1", "length": strconv.FormatInt(math.MaxInt64, 10)}
		}, "beyond the end"},
		{"size mismatch", func(t *testing.T, dir string) map[string]string {
			write(t, filepath.Join(dir, "w.bin"), weights(5))
			return map[string]string{"location": "w.bin"}
		}, "the tensor needs 16"},
		{"negative offset", func(t *testing.T, dir string) map[string]string {
			write(t, filepath.Join(dir, "w.bin"), weights(4))
			return map[string]string{"location": "w.bin", "offset": "-4"}
		}, "non-negative"},
		{"missing file", func(t *testing.T, dir string) map[string]string {
			return map[string]string{"location": "nope.bin"}
		}, "nope.bin"},
		{"no location", func(t *testing.T, dir string) map[string]string {
			return map[string]string{}
		}, "no location"},
		{"directory", func(t *testing.T, dir string) map[string]string {
			os.Mkdir(filepath.Join(dir, "d"), 0o755)
			return map[string]string{"location": "d"}
		}, "not a regular file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := externalModel(t, dir, c.setup(t, dir))
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want error containing %q", err, c.want)
			}
		})
	}

	// A symlink that stays inside the folder is fine.
	dir := t.TempDir()
	write(t, filepath.Join(dir, "real.bin"), weights(4))
	if err := os.Symlink("real.bin", filepath.Join(dir, "alias.bin")); err == nil {
		if _, err := Load(externalModel(t, dir, map[string]string{"location": "alias.bin"})); err != nil {
			t.Errorf("inside symlink: %v", err)
		}
	}
}
