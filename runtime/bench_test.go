package runtime

import (
	"context"
	"testing"

	"github.com/nncc/nncc/ir"
)

// BenchmarkRunCNN times one Run of the shipped test CNN with preallocated
// outputs (the steady-state path).
func BenchmarkRunCNN(b *testing.B) {
	s, err := Load(testCNN, Options{Threads: 1})
	if err != nil {
		b.Fatal(err)
	}
	sh := s.Inputs()[0].Type.Shape
	x := ir.NewTensor(ir.Float32, []int64{2, 1, sh[2].Size, sh[3].Size})
	for i := range x.F32() {
		x.F32()[i] = float32(i%13)/6 - 1
	}
	outs := []*ir.Tensor{nil}
	ctx := context.Background()
	if err := s.RunInto(ctx, []*ir.Tensor{x}, outs); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.RunInto(ctx, []*ir.Tensor{x}, outs); err != nil {
			b.Fatal(err)
		}
	}
}
