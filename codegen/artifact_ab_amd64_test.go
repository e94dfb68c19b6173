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
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// BenchmarkDecodeArtifactVariants decodes each shared seed model's
// artifact with each checksum variant (fold alone or stitched with CRC
// instruction streams; serial, overlapped with decoding, or by size, the
// default), interleaved in one loop so that every variant sees the same
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
		{"stitch-bysize", true, codegen.OverlapBySize}, {"stitch-overlap", true, codegen.OverlapAlways},
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

// BenchmarkLoadVariants is runtime's BenchmarkLoad (the ONNX model's load
// against its artifact's, each artifact load right after an ONNX load)
// for each checksum variant in one loop: every variant's artifact load
// follows an ONNX load, in an order rotating from one iteration to the
// next, so all see the same machine and caches. It
// reports the ONNX median and each variant's median and ratio, for the
// load alone and for load plus the first plan (ready).
func BenchmarkLoadVariants(b *testing.B) {
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
		{"bysize", true, codegen.OverlapBySize}, {"overlap", true, codegen.OverlapAlways},
	}
	for _, e := range ents {
		dir := filepath.Join(models, e.Name())
		onnxBytes, err := os.ReadFile(filepath.Join(dir, "model.onnx"))
		if err != nil {
			b.Fatal(err)
		}
		g, err := onnx.Decode(onnxBytes)
		if err != nil {
			b.Fatal(err)
		}
		nnc, err := runtime.CompileSpecialized(g, runtime.Options{}, "auto", runtime.Specialize{Also: runtime.TestDataShapes(dir, g)})
		if err != nil {
			b.Fatal(err)
		}
		var ins []*ir.Tensor
		for i := range g.Inputs {
			v, err := onnx.ReadValueFile(filepath.Join(dir, "test_data_set_0", fmt.Sprintf("input_%d.pb", i)), ir.Type{})
			if err != nil {
				b.Fatal(err)
			}
			ins = append(ins, v)
		}
		for _, ready := range []bool{false, true} {
			load := func(data []byte) time.Duration {
				t0 := time.Now()
				s, err := runtime.LoadBytes(data, runtime.Options{Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				if ready {
					if _, err := s.PlanStats(ins); err != nil {
						b.Fatal(err)
					}
				}
				d := time.Since(t0)
				s.Close()
				return d
			}
			name := "model=" + e.Name()
			if ready {
				name += "/ready"
			}
			b.Run(name, func(b *testing.B) {
				var onnxTimes []time.Duration
				times := make([][]time.Duration, len(vs))
				for i := range b.N {
					for k := range vs {
						j := (i + k) % len(vs) // rotate the order
						v := vs[j]
						onnxTimes = append(onnxTimes, load(onnxBytes))
						restore := codegen.SetChecksumVariant(v.stitch, v.overlap)
						times[j] = append(times[j], load(nnc))
						restore()
					}
				}
				med := func(d []time.Duration) float64 {
					slices.Sort(d)
					return float64(d[len(d)/2].Nanoseconds()) / 1e3
				}
				on := med(onnxTimes)
				b.ReportMetric(on, "onnx-µs")
				for j, v := range vs {
					nn := med(times[j])
					b.ReportMetric(nn, v.name+"-µs")
					b.ReportMetric(on/nn, v.name+"-ratio")
				}
			})
		}
	}
}
