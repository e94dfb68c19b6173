package runtime

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels/isa"
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
	require.Equal(t, isa.Current().String(), s.Artifact().ISA) // "auto"
	require.Equal(t, isa.Current(), s.ISA())
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

// BenchmarkLoad compares loading an ONNX model (decoding plus load-time
// optimisation) with loading its compiled artifact, for the test CNN and
// every shared seed model. Each iteration loads both, interleaved, so the
// two see the same machine load; it reports the median time of each and
// their ratio (onnx/nnc: how many times faster the artifact loads).
func BenchmarkLoad(b *testing.B) {
	dirs := []string{testCNN}
	if ents, err := os.ReadDir(seedModels); err == nil {
		for _, e := range ents {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(seedModels, e.Name()))
			}
		}
	}
	for _, dir := range dirs {
		onnxBytes, err := os.ReadFile(filepath.Join(dir, "model.onnx"))
		if err != nil {
			b.Fatal(err)
		}
		g, err := onnx.Decode(onnxBytes)
		if err != nil {
			b.Fatal(err)
		}
		nnc, err := CompileSpecialized(g, Options{}, "auto", Specialize{Also: TestDataShapes(dir, g)})
		if err != nil {
			b.Fatal(err)
		}
		b.Run("model="+filepath.Base(dir), func(b *testing.B) {
			onnxTimes := make([]time.Duration, 0, b.N)
			nncTimes := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				s, err := LoadBytes(onnxBytes, Options{Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				s.Close()
				t2 := time.Now()
				s, err = LoadBytes(nnc, Options{Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				t3 := time.Now()
				s.Close()
				onnxTimes = append(onnxTimes, t1.Sub(t0))
				nncTimes = append(nncTimes, t3.Sub(t2))
			}
			on, nn := median(onnxTimes), median(nncTimes)
			b.ReportMetric(float64(on.Nanoseconds())/1e3, "onnx-µs/load")
			b.ReportMetric(float64(nn.Nanoseconds())/1e3, "nnc-µs/load")
			b.ReportMetric(float64(on)/float64(nn), "onnx/nnc")
		})
		// Ready to run: load plus building the plan for the test inputs
		// (the ONNX session packs its weights there, the artifact's
		// session takes them prepacked).
		b.Run("model="+filepath.Base(dir)+"/ready", func(b *testing.B) {
			var ins []*ir.Tensor
			for i := range g.Inputs {
				v, err := onnx.ReadValueFile(filepath.Join(dir, "test_data_set_0", "input_"+itoa(i)+".pb"), ir.Type{})
				if err != nil {
					b.Fatal(err)
				}
				ins = append(ins, v)
			}
			ready := func(data []byte) time.Duration {
				t0 := time.Now()
				s, err := LoadBytes(data, Options{Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.PlanStats(ins); err != nil {
					b.Fatal(err)
				}
				d := time.Since(t0)
				s.Close()
				return d
			}
			var onnxTimes, nncTimes []time.Duration
			for i := 0; i < b.N; i++ {
				onnxTimes = append(onnxTimes, ready(onnxBytes))
				nncTimes = append(nncTimes, ready(nnc))
			}
			on, nn := median(onnxTimes), median(nncTimes)
			b.ReportMetric(float64(on.Nanoseconds())/1e3, "onnx-µs/ready")
			b.ReportMetric(float64(nn.Nanoseconds())/1e3, "nnc-µs/ready")
			b.ReportMetric(float64(on)/float64(nn), "onnx/nnc")
		})
	}
}

// median returns the middle duration (the machine is shared: a mean would
// count every preemption).
func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration{}, d...)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestEmitGoBuildsAndRuns generates Go packages for the test CNN and, when
// ../shared is present, for seed_cnn_mnist and seed_transformer_encoder;
// builds a program using each in a scratch module, runs it and compares
// its output with the folder's expected output.
func TestEmitGoBuildsAndRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips building generated code")
	}
	cases := []struct{ dir, in, out string }{
		{testCNN, "Image", "Probs"},
		{"../../shared/models/seed_cnn_mnist", "Input0", "Output0"},
		{"../../shared/models/seed_transformer_encoder", "Input0", "Output0"},
	}
	for _, c := range cases {
		if _, err := os.Stat(c.dir); err != nil {
			t.Logf("skipping %s: not present (../shared is not beside the checkout)", c.dir)
			continue
		}
		t.Run(filepath.Base(c.dir), func(t *testing.T) { emitAndRun(t, c.dir, c.in, c.out) })
	}
}

func emitAndRun(t *testing.T, modelDir, inField, outField string) {
	g, err := onnx.Load(filepath.Join(modelDir, "model.onnx"))
	require.NoError(t, err)
	data, err := Compile(g, Options{Threads: 1}, "auto")
	require.NoError(t, err)
	files, err := codegen.EmitGo(data, codegen.GoOptions{Package: "genmodel"})
	require.NoError(t, err)
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	dir := t.TempDir()
	pkgDir := filepath.Join(dir, "genmodel")
	require.NoError(t, os.MkdirAll(pkgDir, 0o755))
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(pkgDir, name), body, 0o644))
	}
	input, err := filepath.Abs(filepath.Join(modelDir, "test_data_set_0", "input_0.pb"))
	require.NoError(t, err)
	want, err := onnx.ReadValueFile(filepath.Join(modelDir, "test_data_set_0", "output_0.pb"), ir.Type{})
	require.NoError(t, err)
	main := `package main

import (
	"context"
	"fmt"

	"example.com/gen/genmodel"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

func main() {
	m, err := genmodel.New(runtime.Options{Threads: 1})
	if err != nil {
		panic(err)
	}
	defer m.Close()
	x, err := onnx.ReadValueFile(` + "`" + input + "`" + `, ir.Type{})
	if err != nil {
		panic(err)
	}
	out, err := m.Run(context.Background(), genmodel.Inputs{` + inField + `: x})
	if err != nil {
		panic(err)
	}
	for _, v := range out.` + outField + `.F32() {
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
	for _, args := range [][]string{{"vet", "./..."}, {"run", "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %v: %s", args, out)
		if args[0] != "run" {
			continue
		}
		lines := strings.Fields(string(out))
		require.Len(t, lines, want.Len())
		for i, l := range lines {
			var v float64
			_, err := fmtSscan(l, &v)
			require.NoError(t, err)
			e := want.Float64At(i)
			require.InDelta(t, e, v, 1e-5+1e-3*math.Abs(e), "element %d", i)
		}
	}
}

func fmtSscan(s string, v *float64) (int, error) { return fmt.Sscan(s, v) }
