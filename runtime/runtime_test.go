package runtime

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/internal/allocstest"
	"github.com/nncc/nncc/ir"
)

const testCNN = "../testdata/models/cnn"

func loadSet(t *testing.T, dir string, s *Session) ([]*ir.Tensor, []*ir.Tensor) {
	t.Helper()
	var ins, outs []*ir.Tensor
	for i, in := range s.Inputs() {
		v, err := onnx.ReadValueFile(filepath.Join(dir, "test_data_set_0", "input_"+itoa(i)+".pb"), in.Type)
		require.NoError(t, err)
		ins = append(ins, v)
	}
	for i, o := range s.Outputs() {
		v, err := onnx.ReadValueFile(filepath.Join(dir, "test_data_set_0", "output_"+itoa(i)+".pb"), o.Type)
		require.NoError(t, err)
		outs = append(outs, v)
	}
	return ins, outs
}

func itoa(i int) string { return string(rune('0' + i)) }

func requireClose(t *testing.T, want, got *ir.Tensor) {
	t.Helper()
	require.Equal(t, want.Shape, got.Shape)
	for i := 0; i < want.Len(); i++ {
		require.InDelta(t, want.Float64At(i), got.Float64At(i), 1e-4+1e-3*abs(want.Float64At(i)), "element %d", i)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestRunCNN(t *testing.T) {
	for _, ref := range []bool{true, false} {
		s, err := Load(testCNN, Options{Threads: 2, Reference: ref, VerifyPasses: true})
		require.NoError(t, err)
		ins, want := loadSet(t, testCNN, s)
		got := make([]*ir.Tensor, 1)
		require.NoError(t, s.RunInto(context.Background(), ins, got))
		requireClose(t, want[0], got[0])
		require.NoError(t, s.Close())
	}
}

// sharedModels is the folder of the seed models shared by the project's
// checkouts (absent in a bare checkout: tests using it skip).
const sharedModels = "../../shared/models"

// TestSteadyStateAllocs shows that once a plan is compiled, Run with
// preallocated outputs allocates nothing: for the test CNN and every
// shared seed model, at one and two threads.
func TestSteadyStateAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	models := []string{testCNN}
	if ents, err := os.ReadDir(sharedModels); err == nil {
		for _, e := range ents {
			if e.IsDir() {
				models = append(models, filepath.Join(sharedModels, e.Name()))
			}
		}
	} else {
		t.Logf("no shared models (%v): testing %s only", err, testCNN)
	}
	for _, m := range models {
		for _, threads := range []int{1, 2} {
			t.Run(filepath.Base(m)+"/threads="+itoa(threads), func(t *testing.T) {
				s, err := Load(m, Options{Threads: threads})
				require.NoError(t, err)
				defer s.Close()
				ins, want := loadSet(t, m, s)
				outs := make([]*ir.Tensor, len(want))
				for i, w := range want {
					outs[i] = ir.NewTensor(w.DType, w.Shape)
				}
				ctx := context.Background()
				for range 3 { // first runs compile and size the scratch buffers
					require.NoError(t, s.RunInto(ctx, ins, outs))
				}
				allocs := allocstest.PerRun(50, func() {
					if err := s.RunInto(ctx, ins, outs); err != nil {
						t.Fatal(err)
					}
				})
				require.Zero(t, allocs, "%s: allocations per Run at %d threads", m, threads)
				for i, w := range want {
					requireClose(t, w, outs[i])
				}
			})
		}
	}
}

// cnnHW returns the spatial size the test CNN declares (float[batch,1,H,W]).
func cnnHW(t *testing.T, s *Session) (int64, int64) {
	t.Helper()
	sh := s.Inputs()[0].Type.Shape
	require.Len(t, sh, 4)
	return sh[2].Size, sh[3].Size
}

func TestInputValidation(t *testing.T) {
	s, err := Load(testCNN, Options{Threads: 1})
	require.NoError(t, err)
	ctx := context.Background()
	h, w := cnnHW(t, s)
	good := ir.NewTensor(ir.Float32, []int64{1, 1, h, w})
	cases := []struct {
		name   string
		inputs map[string]*ir.Tensor
		want   string
	}{
		{"missing", map[string]*ir.Tensor{}, `input "image"`},
		{"extra", map[string]*ir.Tensor{"image": good, "other": good}, `unknown input "other"`},
		{"dtype", map[string]*ir.Tensor{"image": ir.NewTensor(ir.Float64, []int64{1, 1, h, w})}, "expected dtype float, got double"},
		{"rank", map[string]*ir.Tensor{"image": ir.NewTensor(ir.Float32, []int64{1, h, w})}, "expected rank 4"},
		{"dim", map[string]*ir.Tensor{"image": ir.NewTensor(ir.Float32, []int64{1, 3, h, w})}, "dim 1 must be 1"},
		{"data", map[string]*ir.Tensor{"image": {DType: ir.Float32, Shape: []int64{1, 1, h, w}, Data: make([]float32, 3)}}, "elements, the data holds 3"},
		{"nil", map[string]*ir.Tensor{"image": nil}, "is nil"},
		{"storage", map[string]*ir.Tensor{"image": {DType: ir.Float32, Shape: []int64{1, 1, h, w}, Data: make([]float64, h*w)}}, "needs data of type []float32"},
	}
	for _, c := range cases {
		_, err := s.Run(ctx, c.inputs)
		require.ErrorContains(t, err, c.want, c.name)
	}
	// The session is still usable.
	_, err = s.Run(ctx, map[string]*ir.Tensor{"image": good})
	require.NoError(t, err)
}

func TestPlanCachePerShape(t *testing.T) {
	s, err := Load(testCNN, Options{Threads: 1})
	require.NoError(t, err)
	ctx := context.Background()
	h, w := cnnHW(t, s)
	for _, batch := range []int64{1, 3, 1, 5} {
		x := ir.NewTensor(ir.Float32, []int64{batch, 1, h, w})
		for i := range x.F32() {
			x.F32()[i] = float32(i%7) - 3
		}
		out, err := s.Run(ctx, map[string]*ir.Tensor{"image": x})
		require.NoError(t, err)
		require.Equal(t, []int64{batch, 10}, out["probs"].Shape)
	}
	require.Len(t, s.plans, 3)
}

func TestConcurrentRunsAgree(t *testing.T) {
	s, err := Load(testCNN, Options{Threads: 2})
	require.NoError(t, err)
	ins, _ := loadSet(t, testCNN, s)
	first := make([]*ir.Tensor, 1)
	require.NoError(t, s.RunInto(context.Background(), ins, first))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				out := make([]*ir.Tensor, 1)
				if err := s.RunInto(context.Background(), ins, out); err != nil {
					errs <- err
					return
				}
				if !equalBits(first[0].F32(), out[0].F32()) {
					errs <- errMismatch
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

var errMismatch = errorString("concurrent run gave different output")

type errorString string

func (e errorString) Error() string { return string(e) }

func equalBits(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCancelledContext(t *testing.T) {
	s, err := Load(testCNN, Options{Threads: 1})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h, w := cnnHW(t, s)
	_, err = s.Run(ctx, map[string]*ir.Tensor{"image": ir.NewTensor(ir.Float32, []int64{1, 1, h, w})})
	require.ErrorIs(t, err, context.Canceled)
}
