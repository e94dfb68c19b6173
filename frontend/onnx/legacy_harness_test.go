package onnx_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/nncc/nncc/frontend/onnx/onnxpb"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/runtime"
)

// legacyCase is one hand-made model at an old opset: its nodes,
// initializers, feeds and the outputs computed by hand from the ONNX
// operator documentation of that version (docs/Changelog.md).
type legacyCase struct {
	name    string
	opset   int64
	nodes   []*onnxpb.NodeProto
	inits   []*onnxpb.TensorProto
	feeds   []feed                // graph inputs, in order
	want    map[string]*ir.Tensor // graph outputs by name
	wantErr string                // a substring of the load or run error, when the case must fail
}

type feed struct {
	name string
	t    *ir.Tensor
}

// lNode builds a NodeProto.
func lNode(op string, in, out []string, attrs ...*onnxpb.AttributeProto) *onnxpb.NodeProto {
	return &onnxpb.NodeProto{Name: op + "_" + strings.Join(out, "_"), OpType: op, Input: in, Output: out, Attribute: attrs}
}

func aInt(name string, v int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: name, Type: onnxpb.AttributeProto_INT, I: v}
}
func aInts(name string, v ...int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: name, Type: onnxpb.AttributeProto_INTS, Ints: v}
}
func aFloat(name string, v float32) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: name, Type: onnxpb.AttributeProto_FLOAT, F: v}
}
func aFloats(name string, v ...float32) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: name, Type: onnxpb.AttributeProto_FLOATS, Floats: v}
}
func aStr(name, v string) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: name, Type: onnxpb.AttributeProto_STRING, S: []byte(v)}
}
func aStrs(name string, v ...string) *onnxpb.AttributeProto {
	a := &onnxpb.AttributeProto{Name: name, Type: onnxpb.AttributeProto_STRINGS}
	for _, s := range v {
		a.Strings = append(a.Strings, []byte(s))
	}
	return a
}

func f32(shape []int64, v ...float32) *ir.Tensor { return ir.FromSlice(v, shape...) }
func i64(shape []int64, v ...int64) *ir.Tensor   { return ir.FromSlice(v, shape...) }
func sh(d ...int64) []int64                      { return d }

// iota32 returns 0, 1, ..., n-1.
func iota32(n int) []float32 {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i)
	}
	return v
}

// initOf turns a tensor into an initializer.
func initOf(name string, t *ir.Tensor) *onnxpb.TensorProto {
	p := &onnxpb.TensorProto{Name: name, DataType: int32(t.DType), Dims: t.Shape}
	switch d := t.Data.(type) {
	case []float32:
		p.FloatData = d
	case []int64:
		p.Int64Data = d
	case []int32:
		p.Int32Data = d
	default:
		panic(fmt.Sprintf("initOf: %T", d))
	}
	return p
}

func tensorVI(name string, t *ir.Tensor) *onnxpb.ValueInfoProto {
	sp := &onnxpb.TensorShapeProto{}
	for _, d := range t.Shape {
		sp.Dim = append(sp.Dim, &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: d}})
	}
	return &onnxpb.ValueInfoProto{Name: name, Type: &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{
		TensorType: &onnxpb.TypeProto_Tensor{ElemType: int32(t.DType), Shape: sp}}}}
}

// model serialises the case.
func (c legacyCase) model(t *testing.T) []byte {
	t.Helper()
	g := &onnxpb.GraphProto{Name: c.name, Node: c.nodes, Initializer: c.inits}
	for _, f := range c.feeds {
		g.Input = append(g.Input, tensorVI(f.name, f.t))
	}
	for _, name := range sortedKeys(c.want) {
		g.Output = append(g.Output, &onnxpb.ValueInfoProto{Name: name})
	}
	if c.want == nil && len(c.nodes) > 0 {
		n := c.nodes[len(c.nodes)-1]
		g.Output = append(g.Output, &onnxpb.ValueInfoProto{Name: n.Output[0]})
	}
	m := &onnxpb.ModelProto{IrVersion: 3, OpsetImport: []*onnxpb.OperatorSetIdProto{{Domain: "", Version: c.opset}}, Graph: g}
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sortedKeys(m map[string]*ir.Tensor) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	for i := range k {
		for j := i + 1; j < len(k); j++ {
			if k[j] < k[i] {
				k[i], k[j] = k[j], k[i]
			}
		}
	}
	return k
}

// run loads the case's model on one path and runs it once.
func (c legacyCase) run(data []byte, path string) (map[string]*ir.Tensor, error) {
	opts := runtime.Options{Threads: 1, Reference: path == "reference", VerifyPasses: true}
	var s *runtime.Session
	var err error
	switch path {
	case "artifact":
		s0, err0 := runtime.LoadBytes(data, opts)
		if err0 != nil {
			return nil, err0
		}
		art, err0 := runtime.Compile(s0.Graph(), opts, "")
		s0.Close()
		if err0 != nil {
			return nil, fmt.Errorf("compile: %w", err0)
		}
		s, err = runtime.LoadArtifact(art, opts)
	default:
		s, err = runtime.LoadBytes(data, opts)
	}
	if err != nil {
		return nil, err
	}
	defer s.Close()
	in := map[string]*ir.Tensor{}
	for _, f := range c.feeds {
		in[f.name] = f.t.Clone()
	}
	return s.Run(context.Background(), in)
}

// runLegacy runs every case on the reference path, the optimised path and
// through a compiled artifact.
func runLegacy(t *testing.T, cases []legacyCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := c.model(t)
			for _, path := range []string{"reference", "optimised", "artifact"} {
				got, err := c.run(data, path)
				if c.wantErr != "" {
					if err == nil {
						t.Fatalf("%s: want an error containing %q, got outputs %v", path, c.wantErr, got)
					}
					if !strings.Contains(err.Error(), c.wantErr) {
						t.Fatalf("%s: error %q does not contain %q", path, err, c.wantErr)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				for name, w := range c.want {
					g := got[name]
					if msg := tensorDiff(g, w); msg != "" {
						t.Errorf("%s: output %s: %s", path, name, msg)
					}
				}
			}
		})
	}
}

// tensorDiff describes how g differs from w (float tolerance 1e-5
// relative), or returns "".
func tensorDiff(g, w *ir.Tensor) string {
	if g == nil {
		return "missing"
	}
	if g.DType != w.DType || fmt.Sprint(g.Shape) != fmt.Sprint(w.Shape) {
		return fmt.Sprintf("got %v %v, want %v %v", g.DType, g.Shape, w.DType, w.Shape)
	}
	switch wd := w.Data.(type) {
	case []float32:
		gd := g.Data.([]float32)
		for i := range wd {
			d := math.Abs(float64(gd[i] - wd[i]))
			if !(d <= 1e-5*math.Max(1, math.Abs(float64(wd[i])))) {
				return fmt.Sprintf("element %d = %v, want %v (got %v, want %v)", i, gd[i], wd[i], gd, wd)
			}
		}
	default:
		if fmt.Sprint(g.Data) != fmt.Sprint(w.Data) {
			return fmt.Sprintf("got %v, want %v", g.Data, w.Data)
		}
	}
	return ""
}

func ss(s ...string) []string { return s }

func float32NaN() float32 { return float32(math.NaN()) }
