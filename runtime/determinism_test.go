package runtime

import (
	"context"
	"math"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nncc/nncc/ir"
)

// TestBitwiseDeterminism: for a given ISA, outputs are bitwise identical
// across repeated runs, across thread counts, and across goroutines
// running one session at once.
func TestBitwiseDeterminism(t *testing.T) {
	models, _ := filepath.Glob("../testdata/models/*/model.onnx")
	require.NotEmpty(t, models)
	for _, m := range models {
		dir := filepath.Dir(m)
		var ref []*ir.Tensor
		for _, threads := range []int{1, 2, 3} {
			s, err := Load(dir, Options{Threads: threads})
			require.NoError(t, err)
			ins, _ := loadSet(t, dir, s)
			var wg sync.WaitGroup
			results := make([][]*ir.Tensor, 4)
			errs := make([]error, 4)
			for g := range results {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 3; i++ {
						out := make([]*ir.Tensor, len(s.Outputs()))
						if errs[g] = s.RunInto(context.Background(), ins, out); errs[g] != nil {
							return
						}
						results[g] = out
					}
				}()
			}
			wg.Wait()
			for g := range results {
				require.NoError(t, errs[g])
				if ref == nil {
					ref = results[g]
					continue
				}
				for i := range ref {
					require.True(t, sameBits(ref[i], results[g][i]), "%s: output %d differs (threads %d, goroutine %d)", dir, i, threads, g)
				}
			}
			s.Close()
		}
	}
}

func sameBits(a, b *ir.Tensor) bool {
	if a.DType != b.DType || !sameDims(a.Shape, b.Shape) {
		return false
	}
	x, ok1 := a.Data.([]float32)
	y, ok2 := b.Data.([]float32)
	if !ok1 || !ok2 {
		return a.String() == b.String()
	}
	for i := range x {
		if math.Float32bits(x[i]) != math.Float32bits(y[i]) {
			return false
		}
	}
	return true
}
