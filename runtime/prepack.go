package runtime

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/nncc/nncc/codegen"
	"github.com/nncc/nncc/frontend/onnx"
	"github.com/nncc/nncc/ir"
	"github.com/nncc/nncc/kernels"
)

// Specialize chooses the input shapes whose optimised graph a compiled
// artifact stores (codegen.Artifact.Specialized): a session given inputs
// of exactly those shapes runs no pass and packs no weight on its first
// Run. By default they are the model's declared input shapes with every
// symbolic or unknown dimension set to 1 (batch 1, the common serving
// case); Dims and Inputs choose others.
type Specialize struct {
	// Dims sets symbolic dimensions by name (for example "batch": 8).
	Dims map[string]int64
	// Inputs sets whole input shapes by input name (taking precedence
	// over Dims).
	Inputs map[string][]int64
	// Also lists further input shapes to store graphs for, one shape per
	// model input in input order (nncc compile adds the shapes of the
	// test data a model folder ships with: see TestDataShapes).
	Also [][][]int64
	// None stores no specialised graph: every first Run then runs the
	// passes for its shapes. The weight transforms of plans for the
	// shapes above are still stored.
	None bool
}

// maxSpecializations bounds the graphs one artifact stores.
const maxSpecializations = 8

// shapeSets returns the distinct input shape sets to specialise for: the
// default or asked-for shapes (when they exist), then Also.
func (sp Specialize) shapeSets(g *ir.Graph) ([][][]int64, error) {
	var sets [][][]int64
	first, ok, err := sp.inputShapes(g)
	if err != nil {
		return nil, err
	}
	if ok {
		sets = append(sets, first)
	}
	for _, set := range sp.Also {
		if len(set) != len(g.Inputs) {
			return nil, fmt.Errorf("input shapes %v: the model has %d inputs", set, len(g.Inputs))
		}
		for i, shape := range set {
			v := g.Inputs[i]
			if _, _, err := (Specialize{Inputs: map[string][]int64{v.Name: shape}}).inputShapes(&ir.Graph{Inputs: []*ir.Value{v}}); err != nil {
				return nil, err
			}
		}
		if !slices.ContainsFunc(sets, func(s [][]int64) bool { return sameShapeSet(s, set) }) {
			sets = append(sets, set)
		}
	}
	if len(sets) > maxSpecializations {
		return nil, fmt.Errorf("%d input shape sets to specialise for (at most %d)", len(sets), maxSpecializations)
	}
	return sets, nil
}

func sameShapeSet(a, b [][]int64) bool {
	return slices.EqualFunc(a, b, func(x, y []int64) bool { return slices.Equal(x, y) })
}

// TestDataShapes returns the input shapes of the test data a model folder
// ships with (test_data_set_N/input_K.pb, the ONNX model-zoo layout), one
// set per data set whose inputs are all tensors, for Specialize.Also. A
// folder without test data gives none.
func TestDataShapes(dir string, g *ir.Graph) [][][]int64 {
	sets, _ := filepath.Glob(filepath.Join(dir, "test_data_set_*"))
	sort.Strings(sets)
	var out [][][]int64
	for _, set := range sets {
		var shapes [][]int64
		for i, v := range g.Inputs {
			t, err := onnx.ReadValueFile(filepath.Join(set, fmt.Sprintf("input_%d.pb", i)), v.Type)
			if err != nil || t.Kind != ir.KindTensor {
				shapes = nil
				break
			}
			shapes = append(shapes, append([]int64{}, t.Shape...))
		}
		if len(shapes) == len(g.Inputs) && !slices.ContainsFunc(out, func(s [][]int64) bool { return sameShapeSet(s, shapes) }) {
			out = append(out, shapes)
		}
	}
	return out
}

// explicit reports whether shapes were asked for (so that failing to
// specialise is an error rather than an artifact without a stored plan).
func (sp Specialize) explicit() bool {
	return len(sp.Dims) > 0 || len(sp.Inputs) > 0 || len(sp.Also) > 0
}

// inputShapes resolves the specialised input shapes of g's inputs. ok is
// false (with a nil error) when the default shapes do not exist: an input
// that is not a tensor of known rank.
func (sp Specialize) inputShapes(g *ir.Graph) (shapes [][]int64, ok bool, err error) {
	names := map[string]bool{}
	params := map[string]bool{}
	for _, v := range g.Inputs {
		names[v.Name] = true
		for _, d := range v.Type.Shape {
			if d.Param != "" {
				params[d.Param] = true
			}
		}
	}
	for _, n := range sortedKeys(sp.Inputs) {
		if !names[n] {
			return nil, false, fmt.Errorf("an input shape is given for %q, which is no input of the model (inputs: %s)", n, strings.Join(sortedKeys(names), ", "))
		}
	}
	for _, n := range sortedKeys(sp.Dims) {
		if !params[n] {
			return nil, false, fmt.Errorf("a size is given for dimension %q, which no input has (symbolic dimensions: %s)", n, strings.Join(sortedKeys(params), ", "))
		}
		if sp.Dims[n] < 0 {
			return nil, false, fmt.Errorf("dimension %s=%d: sizes are at least 0", n, sp.Dims[n])
		}
	}
	for _, v := range g.Inputs {
		t := v.Type
		if t.Kind != ir.KindTensor {
			if sp.explicit() {
				return nil, false, fmt.Errorf("input %q is a %v, not a tensor: no plan can be specialised for it", v.Name, t)
			}
			return nil, false, nil
		}
		if want, given := sp.Inputs[v.Name]; given {
			if t.RankKnown && len(want) != len(t.Shape) {
				return nil, false, fmt.Errorf("shape of input %s has rank %d, the input is %v", v.Name, len(want), t)
			}
			for i, d := range want {
				if d < 0 || (t.RankKnown && t.Shape[i].Known() && t.Shape[i].Size != d) {
					return nil, false, fmt.Errorf("shape %v of input %s does not fit its type %v", want, v.Name, t)
				}
			}
			shapes = append(shapes, append([]int64{}, want...))
			continue
		}
		if !t.RankKnown {
			if sp.explicit() {
				return nil, false, fmt.Errorf("input %q has unknown rank: give its whole shape", v.Name)
			}
			return nil, false, nil
		}
		shape := make([]int64, len(t.Shape))
		for i, d := range t.Shape {
			switch n, named := sp.Dims[d.Param]; {
			case d.Known():
				shape[i] = d.Size
			case d.Param != "" && named:
				shape[i] = n
			default:
				shape[i] = 1
			}
		}
		shapes = append(shapes, shape)
	}
	return shapes, true, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// specialize optimises a copy of the session's graph for inputs of the
// given shapes and lowers it once with store (recording the build-time
// weight transforms its kernels make). It returns the graph, every shape
// of which is static. Weight transforms depend on the weights
// and the level, rarely on the batch, so they also serve the plans of
// other shapes.
func (s *Session) specialize(shapes [][]int64, store *kernels.PrepackStore) (*ir.Graph, error) {
	g := ir.Clone(s.graph)
	for i, v := range g.Inputs {
		v.Type = ir.TensorOf(v.Type.DType, ir.KnownShape(shapes[i]))
	}
	if err := runPasses(g, s.passContext()); err != nil {
		return nil, err
	}
	if _, err := codegen.Compile(g, s.codegenOptions(store)); err != nil {
		return nil, err
	}
	if err := codegen.CheckSpecialized(s.graph, g); err != nil {
		return nil, err
	}
	return g, nil
}
