package runtime

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

func TestZZReadyAnatomy(t *testing.T) {
	for _, m := range []string{"seed_embed_lstm", "seed_gan_generator", "seed_gan_discriminator", "seed_rnn_lstm"} {
		dir := filepath.Join(seedModels, m)
		onnxBytes, _ := os.ReadFile(filepath.Join(dir, "model.onnx"))
		g, _ := onnx.Decode(onnxBytes)
		nnc, err := CompileSpecialized(g, Options{}, "auto", Specialize{Also: TestDataShapes(dir, g)})
		if err != nil {
			t.Fatal(err)
		}
		var ins []*ir.Tensor
		for i := range g.Inputs {
			v, _ := onnx.ReadValueFile(filepath.Join(dir, "test_data_set_0", "input_"+itoa(i)+".pb"), ir.Type{})
			ins = append(ins, v)
		}
		var ol, op, nl, np []time.Duration
		for range 300 {
			for k, data := range [][]byte{onnxBytes, nnc} {
				t0 := time.Now()
				s, err := LoadBytes(data, Options{Threads: 1})
				if err != nil {
					t.Fatal(err)
				}
				t1 := time.Now()
				if _, err := s.PlanStats(ins); err != nil {
					t.Fatal(err)
				}
				t2 := time.Now()
				s.Close()
				if k == 0 {
					ol, op = append(ol, t1.Sub(t0)), append(op, t2.Sub(t1))
				} else {
					nl, np = append(nl, t1.Sub(t0)), append(np, t2.Sub(t1))
				}
			}
		}
		med := func(d []time.Duration) time.Duration { slices.Sort(d); return d[len(d)/2] }
		t.Logf("%s: onnx load %v plan %v | nnc load %v plan %v", m, med(ol), med(op), med(nl), med(np))
	}
}
