package runtime

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// Fuzz targets for what happens after decoding: shape inference, the
// passes and planning of decoded graphs (FuzzCompile), and running
// compiled graphs on generated inputs (FuzzRun). A failure is a panic
// turned into a "BUG" error at the API boundary, an "internal error", a
// Run that does not stop when its context is cancelled, or an output
// whose data does not match its shape. Ordinary errors are fine.
//
//	go test -run XXX -fuzz FuzzCompile -fuzztime 60s ./runtime
//	go test -run XXX -fuzz FuzzRun -fuzztime 60s ./runtime
//
// Seeds: the models of testdata/models and testdata/hostile, the
// committed corpus in testdata/fuzz, and, when fuzzing and the shared
// folder is there, a sample of the ONNX conformance models (unless
// NNCC_FUZZ_NO_SHARED is set).

// fuzzLimits keep one fuzz input cheap.
var fuzzLimits = onnx.Limits{MaxModelBytes: 1 << 20, MaxTensorBytes: 16 << 20, MaxSparseBytes: 16 << 20, MaxNodes: 2000, MaxNesting: 16}

func fuzzOptions() Options {
	return Options{Threads: 2, MaxTensorElements: 1 << 20, MaxArenaBytes: 64 << 20}
}

// fuzzSeedModels returns model files to seed from.
func fuzzSeedModels(f *testing.F) []string {
	var files []string
	for _, pat := range []string{"../testdata/models/*/model.onnx", "../testdata/hostile/*/model.onnx"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" && os.Getenv("NNCC_FUZZ_NO_SHARED") == "" {
		conf, _ := filepath.Glob("../../shared/conformance/onnx-node/*/model.onnx")
		for i := 0; i < len(conf); i += max(1, len(conf)/300) {
			files = append(files, conf[i])
		}
	}
	return files
}

func readSmall(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 256<<10 {
		return nil
	}
	return b
}

// bugIn reports an error that means a bug rather than a bad model.
func bugIn(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "BUG") || strings.Contains(s, "internal error")
}

// lowerLoopLimit bounds Loop iterations for the duration of a fuzz target.
func lowerLoopLimit(f *testing.F) {
	old := kernels.MaxLoopIterations
	kernels.MaxLoopIterations = 10000
	f.Cleanup(func() { kernels.MaxLoopIterations = old })
}

func FuzzCompile(f *testing.F) {
	for _, p := range fuzzSeedModels(f) {
		if b := readSmall(p); b != nil {
			f.Add(b)
		}
	}
	lowerLoopLimit(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := onnx.Decode(data, onnx.WithLimits(fuzzLimits))
		if err != nil {
			if bugIn(err) {
				t.Fatal(err)
			}
			return
		}
		s, err := NewSession(g, fuzzOptions())
		if err != nil {
			if bugIn(err) {
				t.Fatal(err)
			}
			return
		}
		defer s.Close()
		// Plan for the smallest inputs the declared types allow.
		ins, ok := fuzzInputs(s, nil)
		if !ok {
			return
		}
		if _, err := s.PlanStats(ins); bugIn(err) {
			t.Fatal(err)
		}
	})
}

func FuzzRun(f *testing.F) {
	for _, p := range fuzzSeedModels(f) {
		b := readSmall(p)
		if b == nil {
			continue
		}
		in := readSmall(filepath.Join(filepath.Dir(p), "test_data_set_0", "input_0.pb"))
		f.Add(b, append(in, 1, 2, 3, 250, 0x7f, 0xc0))
	}
	lowerLoopLimit(f)
	f.Fuzz(func(t *testing.T, model, input []byte) {
		g, err := onnx.Decode(model, onnx.WithLimits(fuzzLimits))
		if err != nil {
			return
		}
		s, err := NewSession(g, fuzzOptions())
		if err != nil {
			if bugIn(err) {
				t.Fatal(err)
			}
			return
		}
		defer s.Close()
		ins, ok := fuzzInputs(s, input)
		if !ok {
			return
		}
		outs := make([]*ir.Tensor, len(s.Outputs()))
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- s.RunInto(ctx, ins, outs) }()
		select {
		case err = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("Run did not stop within 20 s (cancelled after 2 s)")
		}
		if err != nil {
			if bugIn(err) {
				t.Fatal(err)
			}
			return
		}
		for i, o := range outs {
			if msg := checkTensor(o); msg != "" {
				t.Fatalf("output %d %q: %s", i, s.Outputs()[i].Name, msg)
			}
		}
		// The session must stay usable after any Run.
		if err := s.RunInto(context.Background(), ins, make([]*ir.Tensor, len(outs))); bugIn(err) {
			t.Fatalf("second Run: %v", err)
		}
	})
}

// fuzzInputs makes inputs of the session's declared types: known dims as
// declared, symbolic and unknown dims (and unknown ranks) from the bytes
// of in, elements from the bytes of in. It gives up (false) on inputs it
// cannot make or that would be large.
func fuzzInputs(s *Session, in []byte) ([]*ir.Tensor, bool) {
	pos := 0
	next := func() byte {
		if len(in) == 0 {
			return 1
		}
		b := in[pos%len(in)]
		pos++
		return b
	}
	syms := map[string]int64{}
	var ins []*ir.Tensor
	for _, info := range s.Inputs() {
		ty := info.Type
		if ty.Kind != ir.KindTensor || ty.DType == ir.Undefined || !ty.DType.Valid() {
			return nil, false
		}
		var shape []int64
		if ty.RankKnown {
			for _, d := range ty.Shape {
				switch {
				case d.Known():
					shape = append(shape, d.Size)
				case d.Param != "":
					if _, ok := syms[d.Param]; !ok {
						syms[d.Param] = int64(next() % 5)
					}
					shape = append(shape, syms[d.Param])
				default:
					shape = append(shape, int64(next()%5))
				}
			}
		} else {
			for r := int(next() % 4); r > 0; r-- {
				shape = append(shape, int64(next()%5))
			}
		}
		n, err := ir.CheckedNumElements(shape, 1<<16)
		if err != nil {
			return nil, false
		}
		t := ir.NewTensor(ty.DType, shape)
		fill(reflect.ValueOf(t.Data), int(n), next)
		ins = append(ins, t)
	}
	return ins, true
}

// fill sets the n elements of slice v from bytes: small integers, and for
// floats also NaN, ±Inf, -0 and large values.
func fill(v reflect.Value, n int, next func() byte) {
	for i := 0; i < n; i++ {
		e := v.Index(i)
		b := next()
		switch e.Kind() {
		case reflect.Bool:
			e.SetBool(b&1 == 1)
		case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			e.SetInt(int64(int8(b)))
		case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			e.SetUint(uint64(b))
		case reflect.Float32, reflect.Float64:
			e.SetFloat(fuzzFloat(b))
		case reflect.Complex64, reflect.Complex128:
			e.SetComplex(complex(fuzzFloat(b), fuzzFloat(next())))
		case reflect.String:
			e.SetString(fmt.Sprint(b))
		}
	}
}

func fuzzFloat(b byte) float64 {
	switch b {
	case 250:
		return posInf
	case 251:
		return -posInf
	case 252:
		return nan
	case 253:
		return negZero
	case 254:
		return 3e38
	}
	return float64(int8(b)) / 8
}

var (
	posInf  = math.Inf(1)
	nan     = math.NaN()
	negZero = math.Copysign(0, -1)
)

// checkTensor checks a Run result's invariants.
func checkTensor(t *ir.Tensor) string {
	if t == nil {
		return "nil"
	}
	switch t.Kind {
	case ir.KindTensor:
		n, err := ir.CheckedNumElements(t.Shape, 1<<62)
		if err != nil {
			return err.Error()
		}
		if t.Data == nil {
			return "no data"
		}
		if got := reflect.ValueOf(t.Data).Len(); int64(got) != n {
			return fmt.Sprintf("shape %v needs %d elements, data holds %d", t.Shape, n, got)
		}
	default:
		for _, it := range t.Items {
			if msg := checkTensor(it); msg != "" {
				return msg
			}
		}
	}
	return ""
}
