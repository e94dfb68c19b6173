package runtime

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// Semantic mutation sweep: hostile models that decode.
//
// Byte-level fuzzing (FuzzCompile, FuzzRun) mostly produces protobufs that
// fail to decode. A hostile or merely unusual model decodes fine and lies
// in its attributes: a negative axis past the rank, a kernel of zero, a
// stride of 2^40, an empty perm, a NaN epsilon, a string attribute no
// version of the op knows. The sweep takes well-formed models and changes
// one thing at a time — an attribute value (mutAttr), a declared input
// dim or element type, a node's op retyped (opSwaps), a node input
// dropped or repeated, an initializer's
// dims, data or type, the opset version — then decodes, compiles and runs
// the result on generated inputs. Errors are fine; a panic turned into
// "BUG", an "internal error", a Run that does not stop, or an output
// whose data does not match its shape fails the test.
//
// Short mode sweeps the models in testdata/models; without -short the
// ONNX conformance models in ../shared are swept too (a sample of every
// NNCC_MUTATE_STEP-th model, default 40, which .ci/run lowers to 4; NNCC_MUTATE_STEP=1 sweeps all;
// NNCC_MUTATE_MATCH=s sweeps the conformance models whose path contains s;
// NNCC_MUTATE_DIRS=d1,d2 sweeps the models d/*/model.onnx instead, with
// limits for whole networks); NNCC_MUTATE_EVERY=n runs every n-th
// mutation of each model only; NNCC_MUTATE_ONLY=s runs the mutations whose
// name contains s, and NNCC_MUTATE_SAVE=dir then writes the last mutated
// model of each swept model to dir/<name>/model.onnx; NNCC_MUTATE_VERBOSE=1
// logs each mutation before it runs).
// FuzzMutate lets the fuzzer choose the model and the mutation.

// mutation is one change to a model: apply edits m in place.
type mutation struct {
	name  string
	apply func(m *onnxpb.ModelProto)
}

// intEdits and floatEdits are the values an int or float attribute is set
// to: the boundaries where kernels index, divide or allocate.
var (
	intEdits   = []int64{-1, 0, 1, 7, -9, 1 << 40, math.MinInt64}
	floatEdits = []float32{0, -1, float32(math.NaN()), float32(math.Inf(1)), 1e30}
)

// elemTypeEdits are the element types an input or initializer is
// retyped to: float, int64, bool, string, float16, undefined and a value
// no version of ONNX defines.
var elemTypeEdits = []int32{1, 7, 9, 8, 10, 0, 99}

// opSwaps lists, per op, ops that take inputs of the same roles but check
// them differently: a node retyped keeps its inputs and attributes, so
// each op meets the shapes and attributes of its neighbour.
var opSwaps = func() map[string][]string {
	groups := [][]string{
		{"Conv", "ConvTranspose", "ConvInteger", "QLinearConv", "DeformConv"},
		{"MaxPool", "AveragePool", "LpPool", "GlobalMaxPool", "GlobalAveragePool", "MaxRoiPool"},
		{"Add", "Sub", "Mul", "Div", "Pow", "Mod", "MatMul", "Equal", "BitShift", "PRelu", "Expand", "Reshape", "Tile"},
		{"Relu", "Softmax", "LogSoftmax", "Hardmax", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Shape", "Size", "NonZero", "Erf", "Gelu"},
		{"Gemm", "MatMul", "Einsum", "Attention"},
		{"LSTM", "GRU", "RNN"},
		{"Gather", "GatherElements", "GatherND", "Compress", "Slice", "Split"},
		{"ReduceSum", "ReduceMean", "ReduceMax", "ArgMax", "ReduceLogSumExp", "TopK", "CumSum"},
		{"Resize", "Upsample", "Pad", "Slice", "GridSample", "Col2Im"},
		{"BatchNormalization", "InstanceNormalization", "LayerNormalization", "GroupNormalization"},
		{"Concat", "Sum", "Max", "Mean", "ConcatFromSequence", "SequenceConstruct"},
	}
	m := map[string][]string{}
	for _, g := range groups {
		for _, a := range g {
			for _, b := range g {
				if a != b {
					m[a] = append(m[a], b)
				}
			}
		}
	}
	return m
}()

// intsEdits returns the edits of an ints attribute v: empty, one element,
// each element negated or made huge, and one element more.
func intsEdits(v []int64) [][]int64 {
	out := [][]int64{{}, {0}, {-1}}
	neg := make([]int64, len(v))
	huge := make([]int64, len(v))
	for i, x := range v {
		neg[i] = -x - 1
		huge[i] = x + 1<<33
	}
	out = append(out, neg, huge, append(append([]int64{}, v...), 1))
	if len(v) > 0 {
		zero := append([]int64{}, v...)
		zero[len(v)-1] = 0
		out = append(out, zero)
	}
	return out
}

// mutAttr returns the mutations of attribute a of node n in graph g.
func mutAttr(where string, g func(m *onnxpb.ModelProto) *onnxpb.GraphProto, ni, ai int, a *onnxpb.AttributeProto) []mutation {
	at := func(m *onnxpb.ModelProto) *onnxpb.AttributeProto { return g(m).Node[ni].Attribute[ai] }
	name := fmt.Sprintf("%s node %d attr %s", where, ni, a.GetName())
	var ms []mutation
	switch a.GetType() {
	case onnxpb.AttributeProto_INT:
		for _, v := range intEdits {
			ms = append(ms, mutation{name + "=" + strconv.FormatInt(v, 10), func(m *onnxpb.ModelProto) { at(m).I = v }})
		}
	case onnxpb.AttributeProto_INTS:
		for _, v := range intsEdits(a.GetInts()) {
			ms = append(ms, mutation{fmt.Sprintf("%s=%v", name, v), func(m *onnxpb.ModelProto) { at(m).Ints = v }})
		}
	case onnxpb.AttributeProto_FLOAT:
		for _, v := range floatEdits {
			ms = append(ms, mutation{fmt.Sprintf("%s=%v", name, v), func(m *onnxpb.ModelProto) { at(m).F = v }})
		}
	case onnxpb.AttributeProto_FLOATS:
		ms = append(ms,
			mutation{name + "=[]", func(m *onnxpb.ModelProto) { at(m).Floats = nil }},
			mutation{name + "=[NaN]", func(m *onnxpb.ModelProto) { at(m).Floats = []float32{float32(math.NaN())} }})
	case onnxpb.AttributeProto_STRING:
		for _, v := range []string{"", "BOGUS"} {
			ms = append(ms, mutation{fmt.Sprintf("%s=%q", name, v), func(m *onnxpb.ModelProto) { at(m).S = []byte(v) }})
		}
	case onnxpb.AttributeProto_TENSOR:
		ms = append(ms,
			mutation{name + " dims [0]", func(m *onnxpb.ModelProto) { at(m).T.Dims = []int64{0} }},
			mutation{name + " dims [-1]", func(m *onnxpb.ModelProto) { at(m).T.Dims = []int64{-1} }})
	}
	ms = append(ms, mutation{name + " dropped", func(m *onnxpb.ModelProto) {
		n := g(m).Node[ni]
		n.Attribute = append(n.Attribute[:ai:ai], n.Attribute[ai+1:]...)
	}})
	return ms
}

// mutations lists the one-change mutations of model m: attributes of the
// main graph's nodes (and of nodes one level inside If/Loop/Scan bodies),
// node inputs dropped or repeated, declared input dims set to 0 or
// unknown, initializer dims changed.
func mutations(m *onnxpb.ModelProto) []mutation {
	var ms []mutation
	main := func(m *onnxpb.ModelProto) *onnxpb.GraphProto { return m.Graph }
	for ni, n := range m.GetGraph().GetNode() {
		for ai, a := range n.GetAttribute() {
			ms = append(ms, mutAttr("main", main, ni, ai, a)...)
			if a.GetType() == onnxpb.AttributeProto_GRAPH {
				body := func(m *onnxpb.ModelProto) *onnxpb.GraphProto { return m.Graph.Node[ni].Attribute[ai].G }
				for bi, bn := range a.GetG().GetNode() {
					for bai, ba := range bn.GetAttribute() {
						ms = append(ms, mutAttr(fmt.Sprintf("body %d.%s", ni, a.GetName()), body, bi, bai, ba)...)
					}
				}
			}
		}
		for _, op := range opSwaps[n.GetOpType()] {
			ms = append(ms, mutation{fmt.Sprintf("node %d %s→%s", ni, n.GetOpType(), op), func(m *onnxpb.ModelProto) {
				m.Graph.Node[ni].OpType = op
			}})
		}
		if len(n.GetInput()) > 0 {
			ms = append(ms,
				mutation{fmt.Sprintf("node %d last input dropped", ni), func(m *onnxpb.ModelProto) {
					in := m.Graph.Node[ni].Input
					m.Graph.Node[ni].Input = in[:len(in)-1]
				}},
				mutation{fmt.Sprintf("node %d first input repeated", ni), func(m *onnxpb.ModelProto) {
					in := m.Graph.Node[ni].Input
					m.Graph.Node[ni].Input = append(in[:len(in):len(in)], in[0])
				}},
				mutation{fmt.Sprintf("node %d first input emptied", ni), func(m *onnxpb.ModelProto) {
					m.Graph.Node[ni].Input[0] = ""
				}})
		}
	}
	for ii, in := range m.GetGraph().GetInput() {
		dims := in.GetType().GetTensorType().GetShape().GetDim()
		for di := range dims {
			for _, v := range []int64{0, -3} {
				ms = append(ms, mutation{fmt.Sprintf("input %d dim %d=%d", ii, di, v), func(m *onnxpb.ModelProto) {
					m.Graph.Input[ii].Type.GetTensorType().Shape.Dim[di].Value = &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: v}
				}})
			}
			ms = append(ms, mutation{fmt.Sprintf("input %d dim %d unknown", ii, di), func(m *onnxpb.ModelProto) {
				m.Graph.Input[ii].Type.GetTensorType().Shape.Dim[di].Value = nil
			}})
		}
	}
	for ii, in := range m.GetGraph().GetInput() {
		if in.GetType().GetTensorType() == nil {
			continue
		}
		for _, dt := range elemTypeEdits {
			ms = append(ms, mutation{fmt.Sprintf("input %d elem_type=%d", ii, dt), func(m *onnxpb.ModelProto) {
				m.Graph.Input[ii].Type.GetTensorType().ElemType = dt
			}})
		}
	}
	for ti, t := range m.GetGraph().GetInitializer() {
		if len(t.GetDims()) > 0 {
			ms = append(ms, mutation{fmt.Sprintf("initializer %d first dim doubled", ti), func(m *onnxpb.ModelProto) {
				m.Graph.Initializer[ti].Dims[0] *= 2
			}})
		}
		if len(t.GetRawData()) > 1 {
			ms = append(ms, mutation{fmt.Sprintf("initializer %d raw data halved", ti), func(m *onnxpb.ModelProto) {
				r := m.Graph.Initializer[ti].RawData
				m.Graph.Initializer[ti].RawData = r[:len(r)/2]
			}})
		}
		for _, dt := range elemTypeEdits {
			ms = append(ms, mutation{fmt.Sprintf("initializer %d data_type=%d", ti, dt), func(m *onnxpb.ModelProto) {
				m.Graph.Initializer[ti].DataType = dt
			}})
		}
	}
	// The same graph read under other versions of the default domain:
	// old opsets interpret attributes and inputs differently.
	for oi, op := range m.GetOpsetImport() {
		if op.GetDomain() != "" && op.GetDomain() != "ai.onnx" {
			continue
		}
		for _, v := range []int64{1, 6, 7, 9, 10, 11, 12, 13, 17, 99} {
			ms = append(ms, mutation{fmt.Sprintf("opset %d", v), func(m *onnxpb.ModelProto) {
				m.OpsetImport[oi].Version = v
			}})
		}
	}
	return ms
}

// tryModel decodes, compiles and runs data; it returns a non-empty
// failure when that reveals a bug (see the comment at the top).
func tryModel(data, input []byte) (failure string) {
	return tryModelWith(data, input, fuzzLimits, fuzzOptions())
}

// tryModelWith is tryModel with the given decode limits and options.
func tryModelWith(data, input []byte, limits onnx.Limits, opts Options) (failure string) {
	defer func() {
		if r := recover(); r != nil {
			failure = fmt.Sprintf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	g, err := onnx.Decode(data, onnx.WithLimits(limits))
	if err != nil {
		if bugIn(err) {
			return "decode: " + err.Error()
		}
		return ""
	}
	s, err := NewSession(g, opts)
	if err != nil {
		if bugIn(err) {
			return "load: " + err.Error()
		}
		return ""
	}
	defer s.Close()
	ins, ok := fuzzInputs(s, input)
	if !ok {
		return ""
	}
	outs := make([]*ir.Tensor, len(s.Outputs()))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("BUG: Run panicked: %v\n%s", r, debug.Stack())
			}
		}()
		done <- s.RunInto(ctx, ins, outs)
	}()
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		return "Run did not stop within 20 s (cancelled after 2 s)"
	}
	if err != nil {
		if bugIn(err) {
			return "run: " + err.Error()
		}
		return ""
	}
	for i, o := range outs {
		if msg := checkTensor(o); msg != "" {
			return fmt.Sprintf("output %d: %s", i, msg)
		}
	}
	return ""
}

// sweepModels returns the model files of the sweep (see the top comment).
func sweepModels(t *testing.T) []string {
	files, _ := filepath.Glob("../testdata/models/*/model.onnx")
	if testing.Short() {
		return files
	}
	conf, _ := filepath.Glob("../../shared/conformance/onnx-node/*/model.onnx")
	if len(conf) == 0 {
		t.Log("../shared/conformance is absent: sweeping testdata/models only")
		return files
	}
	step := 40
	if v, err := strconv.Atoi(os.Getenv("NNCC_MUTATE_STEP")); err == nil && v > 0 {
		step = v
	}
	for i := 0; i < len(conf); i += step {
		files = append(files, conf[i])
	}
	if sub := os.Getenv("NNCC_MUTATE_MATCH"); sub != "" {
		var keep []string
		for _, f := range conf {
			if strings.Contains(f, sub) {
				keep = append(keep, f)
			}
		}
		files = keep
	}
	return files
}

// TestMutationSweep runs every one-change mutation of the sweep's models
// (see the top comment) and fails on the first bug of each model.
func TestMutationSweep(t *testing.T) {
	old := lowerLoopLimitT()
	defer old()
	files := sweepModels(t)
	limits, opts, maxBytes := fuzzLimits, fuzzOptions(), 256<<10
	if dirs := os.Getenv("NNCC_MUTATE_DIRS"); dirs != "" {
		// Whole models (a zoo, real exports): their fused and blocked
		// paths are what small conformance models do not reach.
		files = nil
		for _, d := range strings.Split(dirs, ",") {
			m, _ := filepath.Glob(filepath.Join(d, "*", "model.onnx"))
			files = append(files, m...)
		}
		if sub := os.Getenv("NNCC_MUTATE_MATCH"); sub != "" {
			files = slices.DeleteFunc(files, func(f string) bool { return !strings.Contains(f, sub) })
		}
		limits = onnx.Limits{MaxModelBytes: 256 << 20, MaxTensorBytes: 256 << 20, MaxSparseBytes: 16 << 20, MaxNodes: 20000, MaxNesting: 16}
		opts = Options{Threads: 2, MaxTensorElements: 1 << 26, MaxArenaBytes: 2 << 30}
		maxBytes = 256 << 20
	}
	var bugs []string
	runs := 0
	every := 1
	if v, err := strconv.Atoi(os.Getenv("NNCC_MUTATE_EVERY")); err == nil && v > 0 {
		every = v
	}
	only, verbose := os.Getenv("NNCC_MUTATE_ONLY"), os.Getenv("NNCC_MUTATE_VERBOSE") != ""
	for fi, path := range files {
		data, err := os.ReadFile(path)
		if err != nil || len(data) > maxBytes {
			continue
		}
		var base onnxpb.ModelProto
		if err := proto.Unmarshal(data, &base); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		input, _ := os.ReadFile(filepath.Join(filepath.Dir(path), "test_data_set_0", "input_0.pb"))
		for j, mu := range mutations(&base) {
			if (j+fi)%every != 0 || (only != "" && !strings.Contains(mu.name, only)) {
				continue
			}
			if verbose {
				t.Logf("%s %s: %s", time.Now().Format("15:04:05.000"), path, mu.name)
			}
			m := proto.Clone(&base).(*onnxpb.ModelProto)
			mu.apply(m)
			b, err := proto.Marshal(m)
			if err != nil {
				continue
			}
			runs++
			if dir := os.Getenv("NNCC_MUTATE_SAVE"); dir != "" && only != "" {
				// Keep the mutated model to reproduce it with nncc run.
				_ = os.MkdirAll(filepath.Join(dir, filepath.Base(filepath.Dir(path))), 0o755)
				_ = os.WriteFile(filepath.Join(dir, filepath.Base(filepath.Dir(path)), "model.onnx"), b, 0o644)
			}
			if f := tryModelWith(b, input, limits, opts); f != "" {
				bugs = append(bugs, fmt.Sprintf("%s, %s: %s", filepath.Base(filepath.Dir(path)), mu.name, f))
				t.Logf("BUG FOUND: %s", bugs[len(bugs)-1])
				break
			}
		}
	}
	sort.Strings(bugs)
	t.Logf("%d models, %d mutated models run, %d bugs", len(files), runs, len(bugs))
	for _, b := range bugs {
		t.Error(b)
	}
}

// lowerLoopLimitT is lowerLoopLimit for a test; it returns the restore.
func lowerLoopLimitT() func() {
	old := kernels.MaxLoopIterations
	kernels.MaxLoopIterations = 10000
	return func() { kernels.MaxLoopIterations = old }
}

// FuzzMutate applies one or two mutations of the sweep, chosen by the
// fuzzer, to a seed model (fuzzSeedModels) and runs it like tryModel:
//
//	go test -run XXX -fuzz FuzzMutate -fuzztime 60s ./runtime
func FuzzMutate(f *testing.F) {
	var bases []*onnxpb.ModelProto
	for _, p := range fuzzSeedModels(f) {
		b := readSmall(p)
		var m onnxpb.ModelProto
		if b == nil || proto.Unmarshal(b, &m) != nil {
			continue
		}
		bases = append(bases, &m)
	}
	if len(bases) == 0 {
		f.Skip("no seed models")
	}
	for i := range bases {
		f.Add(uint16(i), uint16(i*7), uint16(0), []byte{1, 2, 3, 250, 0x7f, 0xc0})
	}
	lowerLoopLimit(f)
	f.Fuzz(func(t *testing.T, mi, a, b uint16, input []byte) {
		base := bases[int(mi)%len(bases)]
		ms := mutations(base)
		if len(ms) == 0 {
			return
		}
		m := proto.Clone(base).(*onnxpb.ModelProto)
		if !applies(m, ms[int(a)%len(ms)]) || (b != 0 && !applies(m, ms[int(b)%len(ms)])) {
			return
		}
		data, err := proto.Marshal(m)
		if err != nil {
			return
		}
		if fail := tryModel(data, input); fail != "" {
			t.Fatalf("%s + %s: %s", ms[int(a)%len(ms)].name, ms[int(b)%len(ms)].name, fail)
		}
	})
}

// applies runs mu on m and reports whether it could: a second mutation
// may address an attribute or input the first one removed.
func applies(m *onnxpb.ModelProto, mu mutation) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	mu.apply(m)
	return true
}
