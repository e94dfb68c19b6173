package zoo

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

func TestScratchORT(t *testing.T) {
	dirs, _ := filepath.Glob(os.Getenv("DIRS"))
	for _, dir := range dirs {
		g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
		if err != nil {
			t.Fatal(err)
		}
		ins := map[string]*ir.Tensor{}
		want := map[string]*ir.Tensor{}
		files, _ := filepath.Glob(filepath.Join(dir, "test_data_set_0", "*.pb"))
		for _, f := range files {
			tt, name, err := onnx.ReadTensorFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Base(f)[:5] == "input" {
				ins[name] = tt
			} else {
				want[name] = tt
			}
		}
		for _, ref := range []bool{true, false} {
			got, err := runModel(g, runtime.Options{Reference: ref, Threads: 1}, ins)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for n := range want {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				w, gg := want[n], got[n]
				var md float64
				at := -1
				for i := range w.Len() {
					if d := math.Abs(w.Float64At(i) - gg.Float64At(i)); d > md {
						md, at = d, i
					}
				}
				if md > 1e-4 {
					fmt.Printf("%s ref=%v %s: max diff %g at %d (%v) want %v got %v\n", filepath.Base(dir), ref, n, md, at, w.Shape, w.Float64At(at), gg.Float64At(at))
				}
			}
		}
	}
}
