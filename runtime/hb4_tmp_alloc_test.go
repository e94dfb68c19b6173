package runtime

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestHB4AllocProbe(t *testing.T) {
	m := os.Getenv("HB4_MODEL")
	if m == "" {
		t.Skip()
	}
	th, _ := strconv.Atoi(os.Getenv("HB4_THREADS"))
	s, err := Load(m, Options{Threads: th})
	if err != nil {
		t.Fatal(err)
	}
	ins, want := loadSet(t, m, s)
	outs := make([]*ir.Tensor, len(want))
	for i, w := range want {
		outs[i] = ir.NewTensor(w.DType, w.Shape)
	}
	for range 2000 {
		s.RunInto(context.Background(), ins, outs)
	}
}
