package runtime

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
)

// BenchmarkLoadArtifactReady loads each seed model's artifact (/load) and
// also builds its first plan (/ready): the artifact side of BenchmarkLoad
// alone, so that a CPU profile of it shows only the .nnc load path. It
// reports the artifact's size.
func BenchmarkLoadArtifactReady(b *testing.B) {
	dirs := []string{testCNN}
	if ents, err := os.ReadDir(seedModels); err == nil {
		for _, e := range ents {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(seedModels, e.Name()))
			}
		}
	}
	for _, dir := range dirs {
		g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
		if err != nil {
			b.Fatal(err)
		}
		nnc, err := CompileSpecialized(g, Options{}, "auto", Specialize{Also: TestDataShapes(dir, g)})
		if err != nil {
			b.Fatal(err)
		}
		var ins []*ir.Tensor
		for i := range g.Inputs {
			v, err := onnx.ReadValueFile(filepath.Join(dir, "test_data_set_0", "input_"+itoa(i)+".pb"), ir.Type{})
			if err != nil {
				b.Fatal(err)
			}
			ins = append(ins, v)
		}
		b.Run("model="+filepath.Base(dir)+"/load", func(b *testing.B) {
			b.SetBytes(int64(len(nnc)))
			for i := 0; i < b.N; i++ {
				s, err := LoadBytes(nnc, Options{Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
		b.Run("model="+filepath.Base(dir)+"/ready", func(b *testing.B) {
			b.SetBytes(int64(len(nnc)))
			for i := 0; i < b.N; i++ {
				s, err := LoadBytes(nnc, Options{Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.PlanStats(ins); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}
