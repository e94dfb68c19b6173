//go:build amd64 && !noasm

package codegen_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/runtime"
)

// BenchmarkDecodeArtifactVariants decodes each shared seed model's
// artifact with each checksum variant (fold alone or stitched with CRC
// instruction streams; serial, overlapped with decoding, or chosen by
// measuring both), interleaved in one loop so that every variant sees the same
// machine, and reports each variant's median in µs.
func BenchmarkDecodeArtifactVariants(b *testing.B) {
	const models = "../../shared/models"
	ents, err := os.ReadDir(models)
	if err != nil {
		b.Skip("no shared models beside the checkout")
	}
	type variant struct {
		name    string
		stitch  bool
		overlap int
	}
	vs := []variant{
		{"fold", false, codegen.OverlapNever}, {"stitch", true, codegen.OverlapNever},
		{"stitch-auto", true, codegen.OverlapAuto}, {"stitch-overlap", true, codegen.OverlapAlways},
	}
	for _, e := range ents {
		dir := filepath.Join(models, e.Name())
		g, err := onnx.Load(filepath.Join(dir, "model.onnx"))
		if err != nil {
			b.Fatal(err)
		}
		nnc, err := runtime.CompileSpecialized(g, runtime.Options{}, "auto", runtime.Specialize{Also: runtime.TestDataShapes(dir, g)})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("model=%s/KB=%d", e.Name(), len(nnc)>>10), func(b *testing.B) {
			times := make([][]time.Duration, len(vs))
			for range b.N {
				for j, v := range vs {
					restore := codegen.SetChecksumVariant(v.stitch, v.overlap)
					t0 := time.Now()
					if _, err := codegen.DecodeArtifact(nnc); err != nil {
						b.Fatal(err)
					}
					times[j] = append(times[j], time.Since(t0))
					restore()
				}
			}
			for j, v := range vs {
				slices.Sort(times[j])
				b.ReportMetric(float64(times[j][len(times[j])/2].Nanoseconds())/1e3, v.name+"-µs")
			}
		})
	}
}
