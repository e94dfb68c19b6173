package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// nncc runs the built command and returns stdout, stderr and the exit code.
func nncc(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(buildNncc(t), args...)
	var so, se strings.Builder
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return so.String(), se.String(), code
}

func TestCLIRunInspectCheck(t *testing.T) {
	out, errOut, code := nncc(t, "run", "../../testdata/models/cnn")
	require.Zero(t, code, errOut)
	require.Contains(t, out, "probs: float [2 10]")
	require.Contains(t, out, "matches test_data_set_0")

	dir := t.TempDir()
	_, errOut, code = nncc(t, "run", "../../testdata/models/gan_generator", "-o", dir)
	require.Zero(t, code, errOut)
	npy := filepath.Join(dir, "image.npy")
	require.FileExists(t, npy)
	// The generator's output feeds the discriminator through the .npy file.
	out, errOut, code = nncc(t, "run", "../../testdata/models/gan_discriminator/model.onnx", "-i", "image="+npy)
	require.Zero(t, code, errOut)
	require.Contains(t, out, "float [2 1]")

	out, errOut, code = nncc(t, "inspect", "../../testdata/models/transformer")
	require.Zero(t, code, errOut)
	for _, want := range []string{"opsets:", "ai.onnx 17", "inputs:", "parameters:", "arena"} {
		require.Contains(t, out, want)
	}

	out, _, code = nncc(t, "check", "../../testdata/models")
	require.Zero(t, code, out)
	require.Contains(t, out, "8 passed, 0 failed")
}

func TestCLICheckFailureExitStatus(t *testing.T) {
	// A test folder whose expected output is wrong must FAIL with status 1.
	dir := filepath.Join(t.TempDir(), "bad")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "test_data_set_0"), 0o755))
	src := "../../testdata/models/gan_discriminator"
	copyFile(t, filepath.Join(src, "model.onnx"), filepath.Join(dir, "model.onnx"))
	copyFile(t, filepath.Join(src, "test_data_set_0", "input_0.pb"), filepath.Join(dir, "test_data_set_0", "input_0.pb"))
	// The generator's output has another shape than the discriminator's.
	copyFile(t, "../../testdata/models/gan_generator/test_data_set_0/output_0.pb", filepath.Join(dir, "test_data_set_0", "output_0.pb"))
	out, _, code := nncc(t, "check", dir)
	require.Equal(t, 1, code)
	require.Contains(t, out, "FAIL bad: ")
	require.Contains(t, out, "0 passed, 1 failed")
}

func TestCLICompileArtifactAndGo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cnn")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "test_data_set_0"), 0o755))
	for _, f := range []string{"input_0.pb", "output_0.pb"} {
		copyFile(t, filepath.Join("../../testdata/models/cnn/test_data_set_0", f), filepath.Join(dir, "test_data_set_0", f))
	}
	_, errOut, code := nncc(t, "compile", "../../testdata/models/cnn/model.onnx", "-o", filepath.Join(dir, "model.nnc"))
	require.Zero(t, code, errOut)
	out, _, code := nncc(t, "check", dir)
	require.Zero(t, code, out)
	require.Contains(t, out, "1 passed, 0 failed")
	out, errOut, code = nncc(t, "inspect", filepath.Join(dir, "model.nnc"))
	require.Zero(t, code, errOut)
	require.Contains(t, out, "isa:")
	require.Contains(t, out, "passes run:")

	_, errOut, code = nncc(t, "compile", "../../testdata/models/cnn/model.onnx", "-isa", "sparc")
	require.NotZero(t, code)
	_ = errOut

	pkg := filepath.Join(t.TempDir(), "gen")
	_, errOut, code = nncc(t, "compile", "../../testdata/models/cnn/model.onnx", "-emit", "go", "-pkg", "cnn", "-o", pkg)
	require.Zero(t, code, errOut)
	require.FileExists(t, filepath.Join(pkg, "model.go"))
	require.FileExists(t, filepath.Join(pkg, "model.nnc"))
}

func TestCLIBenchJSON(t *testing.T) {
	out, errOut, code := nncc(t, "bench", "../../testdata/models/gan_generator", "-json", "-time", "100ms", "-warmup", "2")
	require.Zero(t, code, errOut)
	var r map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	for _, k := range []string{"median_ms", "p90_ms", "runs", "threads"} {
		require.Contains(t, r, k)
	}
	require.Greater(t, r["median_ms"].(float64), 0.0)
}

func TestCLIPassesAndDump(t *testing.T) {
	out, _, code := nncc(t, "passes")
	require.Zero(t, code)
	require.Contains(t, out, "fold")
	out, errOut, code := nncc(t, "compile", "../../testdata/models/gan_generator/model.onnx", "-o", filepath.Join(t.TempDir(), "m.nnc"), "-dump-after", "dce")
	require.Zero(t, code, errOut)
	require.Contains(t, out, "// after dce")
	_, errOut, code = nncc(t, "compile", "../../testdata/models/gan_generator/model.onnx", "-o", filepath.Join(t.TempDir(), "m.nnc"), "-disable", "nope")
	require.NotZero(t, code)
	require.Contains(t, errOut, `no pass named "nope"`)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, b, 0o644))
}
