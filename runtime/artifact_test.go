package runtime

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

func compileTestCNN(t testing.TB) []byte {
	g, err := onnx.Load(filepath.Join(testCNN, "model.onnx"))
	require.NoError(t, err)
	data, err := Compile(g, Options{Threads: 1}, "auto")
	require.NoError(t, err)
	return data
}

func TestArtifactRoundTrip(t *testing.T) {
	data := compileTestCNN(t)
	s, err := LoadArtifact(data, Options{Threads: 1})
	require.NoError(t, err)
	require.NotNil(t, s.Artifact())
	require.Equal(t, codegen.HostISA(), s.Artifact().ISA)
	ins, want := loadSet(t, testCNN, s)
	got := make([]*ir.Tensor, 1)
	require.NoError(t, s.RunInto(context.Background(), ins, got))
	requireClose(t, want[0], got[0])

	// The same through LoadBytes, LoadReaderAt and LoadFS.
	for name, load := range map[string]func() (*Session, error){
		"bytes": func() (*Session, error) { return LoadBytes(data, Options{}) },
		"readerat": func() (*Session, error) {
			return LoadReaderAt(strings.NewReader(string(data)), int64(len(data)), Options{})
		},
		"fs": func() (*Session, error) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "m.nnc"), data, 0o644))
			return LoadFS(os.DirFS(dir), "m.nnc", Options{})
		},
	} {
		s, err := load()
		require.NoError(t, err, name)
		require.NotNil(t, s.Artifact(), name)
	}
}

func TestArtifactRejectsDamage(t *testing.T) {
	data := compileTestCNN(t)
	cases := map[string]struct {
		mutate func([]byte) []byte
		want   string
	}{
		"truncated": {func(b []byte) []byte { return b[:len(b)/2] }, "checksum mismatch"},
		"tiny":      {func(b []byte) []byte { return b[:12] }, "truncated"},
		"bit flip":  {func(b []byte) []byte { b[len(b)/3] ^= 0x40; return b }, "checksum mismatch"},
		"bad magic": {func(b []byte) []byte { b[1] = 'X'; return b }, "bad magic"},
		"empty":     {func(b []byte) []byte { return nil }, "bad magic"},
		"version": {func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[8:], 99)
			return b
		}, "format version 99"},
	}
	for name, c := range cases {
		b := c.mutate(append([]byte{}, data...))
		_, err := LoadArtifact(b, Options{})
		require.ErrorContains(t, err, c.want, name)
	}
}

func TestArtifactMissingCPUFeature(t *testing.T) {
	g, err := onnx.Load(filepath.Join(testCNN, "model.onnx"))
	require.NoError(t, err)
	data, err := codegen.WriteArtifact(g, codegen.ArtifactHeader{ISA: "future", CPUFeatures: []string{"avx1024"}})
	require.NoError(t, err)
	_, err = LoadArtifact(data, Options{})
	require.ErrorContains(t, err, "lacks")
	require.ErrorContains(t, err, "avx1024")
}

// BenchmarkLoad compares loading (decoding plus load-time optimisation) an
// ONNX model with loading its compiled artifact.
func BenchmarkLoad(b *testing.B) {
	models := map[string]string{"cnn": testCNN, "transformer": "../../shared/models/seed_transformer_encoder"}
	for name, dir := range models {
		onnxBytes, err := os.ReadFile(filepath.Join(dir, "model.onnx"))
		if err != nil {
			continue
		}
		g, err := onnx.Decode(onnxBytes)
		if err != nil {
			b.Fatal(err)
		}
		nnc, err := Compile(g, Options{}, "auto")
		if err != nil {
			b.Fatal(err)
		}
		b.Run("model="+name+"/format=onnx", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				s, err := LoadBytes(onnxBytes, Options{Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
		b.Run("model="+name+"/format=nnc", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				s, err := LoadBytes(nnc, Options{Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}

// TestEmitGoBuildsAndRuns generates a Go package for the test CNN, builds
// a program using it in a scratch module, runs it and compares outputs.
func TestEmitGoBuildsAndRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips building generated code")
	}
	data := compileTestCNN(t)
	files, err := codegen.EmitGo(data, codegen.GoOptions{Package: "cnnmodel"})
	require.NoError(t, err)
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	dir := t.TempDir()
	pkgDir := filepath.Join(dir, "cnnmodel")
	require.NoError(t, os.MkdirAll(pkgDir, 0o755))
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(pkgDir, name), body, 0o644))
	}
	input, err := filepath.Abs(filepath.Join(testCNN, "test_data_set_0", "input_0.pb"))
	require.NoError(t, err)
	want, err := onnx.ReadValueFile(filepath.Join(testCNN, "test_data_set_0", "output_0.pb"), ir.Type{})
	require.NoError(t, err)
	main := `package main

import (
	"context"
	"fmt"

	"example.com/gen/cnnmodel"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

func main() {
	m, err := cnnmodel.New(runtime.Options{Threads: 1})
	if err != nil {
		panic(err)
	}
	defer m.Close()
	x, err := onnx.ReadValueFile(` + "`" + input + "`" + `, ir.Type{})
	if err != nil {
		panic(err)
	}
	out, err := m.Run(context.Background(), cnnmodel.Inputs{Image: x})
	if err != nil {
		panic(err)
	}
	for _, v := range out.Probs.F32() {
		fmt.Println(v)
	}
}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(main), 0o644))
	gomod := "module example.com/gen\n\ngo 1.26\n\nrequire github.com/nncc/nncc v0.0.0\n\nreplace github.com/nncc/nncc => " + root + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))
	vet := exec.Command("go", "vet", "./...")
	vet.Dir = dir
	vet.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := vet.CombinedOutput()
	require.NoError(t, err, "go vet of generated code: %s", out)
	run := exec.Command("go", "run", ".")
	run.Dir = dir
	run.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err = run.CombinedOutput()
	require.NoError(t, err, "%s", out)
	lines := strings.Fields(string(out))
	require.Len(t, lines, want.Len())
	for i, l := range lines {
		var v float64
		_, err := fmtSscan(l, &v)
		require.NoError(t, err)
		require.InDelta(t, want.Float64At(i), v, 1e-5)
	}
}

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(s, v) }
