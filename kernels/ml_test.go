package kernels

import (
	"math"
	"testing"

	"github.com/nncc/nncc/ir"
)

func TestArrayFeatureExtractorAndBinarizer(t *testing.T) {
	y := grpRun(t, ir.MLDomain, "ArrayFeatureExtractor", 1, ir.Attrs{}, 1, ir.FromSlice([]string{"a", "b", "c"}), ir.FromSlice([]int64{2, 0}))
	grpWant(t, "1-D", y[0], []int64{1, 2}, []string{"c", "a"})
	y = grpRun(t, ir.MLDomain, "ArrayFeatureExtractor", 1, ir.Attrs{}, 1, ir.FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3), ir.FromSlice([]int64{1}))
	grpWant(t, "2-D", y[0], []int64{2, 1}, []int32{2, 5})
	if _, err := grpTry(ir.MLDomain, "ArrayFeatureExtractor", 1, ir.Attrs{}, 1, ir.FromSlice([]float32{1}), ir.FromSlice([]int64{1})); err == nil {
		t.Error("an out-of-range index was accepted")
	}
	y = grpRun(t, ir.MLDomain, "Binarizer", 1, rndAttrs(map[string]any{"threshold": float32(1)}), 1, ir.FromSlice([]int64{0, 1, 2}))
	grpWant(t, "binarizer", y[0], []int64{3}, []int64{0, 0, 1})
	y = grpRun(t, ir.MLDomain, "Binarizer", 1, ir.Attrs{}, 1, ir.FromSlice([]float64{-1, 0.5, math.NaN()}))
	grpWant(t, "binarizer NaN", y[0], []int64{3}, []float64{0, 1, 0})
}

func TestLabelEncoder(t *testing.T) {
	classes := map[string]any{"classes_strings": []string{"a", "b", "c"}}
	y := grpRun(t, ir.MLDomain, "LabelEncoder", 1, rndAttrs(classes), 1, ir.FromSlice([]string{"c", "z", "a"}))
	grpWant(t, "v1 string→int", y[0], []int64{3}, []int64{2, -1, 0})
	y = grpRun(t, ir.MLDomain, "LabelEncoder", 1, rndAttrs(map[string]any{"classes_strings": []string{"a", "b"}, "default_string": "?"}), 1, ir.FromSlice([]int64{1, 5, -1}))
	grpWant(t, "v1 int→string", y[0], []int64{3}, []string{"b", "?", "?"})

	nan := float32(math.NaN())
	fl := rndAttrs(map[string]any{"keys_floats": []float32{1, nan, 1}, "values_strings": []string{"one", "nan", "uno"}, "default_string": "-"})
	y = grpRun(t, ir.MLDomain, "LabelEncoder", 2, fl, 1, ir.FromSlice([]float32{1, float32(math.Inf(1)), nan}))
	grpWant(t, "v2 floats, last key wins, NaN", y[0], []int64{3}, []string{"uno", "-", "nan"})

	tens := ir.Attrs{}
	tens["keys_tensor"] = &ir.Attr{Name: "keys_tensor", Kind: ir.AttrTensor, T: ir.FromSlice([]int32{7, 8})}
	tens["values_tensor"] = &ir.Attr{Name: "values_tensor", Kind: ir.AttrTensor, T: ir.FromSlice([]int16{70, 80})}
	tens["default_tensor"] = &ir.Attr{Name: "default_tensor", Kind: ir.AttrTensor, T: ir.FromSlice([]int16{-5})}
	y = grpRun(t, ir.MLDomain, "LabelEncoder", 4, tens, 1, ir.FromSlice([]int32{8, 9}))
	grpWant(t, "v4 tensors", y[0], []int64{2}, []int16{80, -5})

	if _, err := grpTry(ir.MLDomain, "LabelEncoder", 2, fl, 1, ir.FromSlice([]string{"x"})); err == nil {
		t.Error("a string input for float keys was accepted")
	}
}

func TestTreeEnsemble(t *testing.T) {
	// Tree 0: node 0 x0 <= 1 ? leaf 0 (target 0, 10) : node 1;
	//         node 1 x1 ∈ {2, 3} ? leaf 1 (target 1, 20) : leaf 2 (target 0, 30).
	// Tree 1: a single leaf 3 (target 1, 4).
	attrs := func(agg, post int64) ir.Attrs {
		a := rndAttrs(map[string]any{
			"nodes_featureids": []int64{0, 1, 0}, "nodes_truenodeids": []int64{0, 1, 3}, "nodes_falsenodeids": []int64{1, 2, 3},
			"nodes_trueleafs": []int64{1, 1, 1}, "nodes_falseleafs": []int64{0, 1, 1}, "nodes_missing_value_tracks_true": []int64{1, 0, 0},
			"leaf_targetids": []int64{0, 1, 0, 1}, "tree_roots": []int64{0, 2}, "n_targets": int64(2),
			"aggregate_function": agg, "post_transform": post,
		})
		set := func(name string, v *ir.Tensor) { a[name] = &ir.Attr{Name: name, Kind: ir.AttrTensor, T: v} }
		set("nodes_modes", ir.FromSlice([]uint8{0, 6, 0}))
		set("nodes_splits", ir.FromSlice([]float32{1, 0, 0}))
		set("membership_values", ir.FromSlice([]float32{2, 3, float32(math.NaN())}))
		set("leaf_weights", ir.FromSlice([]float32{10, 20, 30, 4}))
		return a
	}
	nan := float32(math.NaN())
	x := ir.FromSlice([]float32{0, 0, 5, 3, 5, 7, nan, 7}, 4, 2)
	y := grpRun(t, ir.MLDomain, "TreeEnsemble", 5, attrs(1, 0), 1, x)
	grpWant(t, "SUM", y[0], []int64{4, 2}, []float32{10, 4, 0, 24, 30, 4, 10, 4})
	y = grpRun(t, ir.MLDomain, "TreeEnsemble", 5, attrs(0, 0), 1, x)
	grpWant(t, "AVERAGE", y[0], []int64{4, 2}, []float32{5, 2, 0, 12, 15, 2, 5, 2})
	y = grpRun(t, ir.MLDomain, "TreeEnsemble", 5, attrs(3, 0), 1, x)
	grpWant(t, "MAX", y[0], []int64{4, 2}, []float32{10, 4, 0, 20, 30, 4, 10, 4})
	y = grpRun(t, ir.MLDomain, "TreeEnsemble", 5, attrs(2, 2), 1, ir.FromSlice([]float32{0, 0}, 1, 2))
	want := []float32{float32(1 / (1 + math.Exp(-10))), float32(1 / (1 + math.Exp(-4)))}
	grpWant(t, "MIN LOGISTIC", y[0], []int64{1, 2}, want)

	bad := attrs(1, 0)
	bad["nodes_falsenodeids"] = &ir.Attr{Name: "nodes_falsenodeids", Kind: ir.AttrInts, Ints: []int64{0, 2, 3}}
	if _, err := grpTry(ir.MLDomain, "TreeEnsemble", 5, bad, 1, x); err == nil {
		t.Error("a cyclic tree was accepted")
	}
}

func TestMLTransforms(t *testing.T) {
	x := ir.FromSlice([]float64{1, -3, 0, 0}, 2, 2)
	y := grpRun(t, ir.MLDomain, "Scaler", 1, rndAttrs(map[string]any{"offset": []float32{1, 0}, "scale": []float32{2}}), 1, x)
	grpWant(t, "scaler", y[0], []int64{2, 2}, []float32{0, -6, -2, 0})
	y = grpRun(t, ir.MLDomain, "Normalizer", 1, rndAttrs(map[string]any{"norm": "MAX"}), 1, x)
	grpWant(t, "MAX", y[0], []int64{2, 2}, []float32{1.0 / 3, -1, 0, 0})
	y = grpRun(t, ir.MLDomain, "Normalizer", 1, rndAttrs(map[string]any{"norm": "L1"}), 1, x)
	grpWant(t, "L1", y[0], []int64{2, 2}, []float32{0.25, -0.75, 0, 0})
	y = grpRun(t, ir.MLDomain, "Normalizer", 1, rndAttrs(map[string]any{"norm": "L2"}), 1, ir.FromSlice([]int32{3, -4}))
	grpWant(t, "L2", y[0], []int64{2}, []float32{0.6, -0.8})

	nan := float32(math.NaN())
	y = grpRun(t, ir.MLDomain, "Imputer", 1, rndAttrs(map[string]any{"imputed_value_floats": []float32{7, 8}, "replaced_value_float": nan}), 1,
		ir.FromSlice([]float32{nan, 1, 2, nan}, 2, 2))
	grpWant(t, "imputer NaN", y[0], []int64{2, 2}, []float32{7, 1, 2, 8})
	y = grpRun(t, ir.MLDomain, "Imputer", 1, rndAttrs(map[string]any{"imputed_value_int64s": []int64{9}, "replaced_value_int64": int64(-1)}), 1,
		ir.FromSlice([]int64{-1, 1, -1}))
	grpWant(t, "imputer int", y[0], []int64{3}, []int64{9, 1, 9})

	y = grpRun(t, ir.MLDomain, "FeatureVectorizer", 1, rndAttrs(map[string]any{"inputdimensions": []int64{1, 3}}), 1,
		ir.FromSlice([]int64{1, 2, 3, 4}, 2, 2), ir.FromSlice([]float32{5, 6}, 2, 1))
	grpWant(t, "feature vectorizer", y[0], []int64{2, 4}, []float32{1, 5, 0, 0, 3, 6, 0, 0})

	y = grpRun(t, ir.MLDomain, "OneHotEncoder", 1, rndAttrs(map[string]any{"cats_int64s": []int64{4, 2}}), 1, ir.FromSlice([]float32{2.7, 4, 5}))
	grpWant(t, "one hot", y[0], []int64{3, 2}, []float32{0, 1, 1, 0, 0, 0})
	if _, err := grpTry(ir.MLDomain, "OneHotEncoder", 1, rndAttrs(map[string]any{"cats_strings": []string{"a"}, "zeros": int64(0)}), 1, ir.FromSlice([]string{"b"})); err == nil {
		t.Error("an unknown category with zeros=0 was accepted")
	}

	cm := rndAttrs(map[string]any{"cats_int64s": []int64{1, 2}, "cats_strings": []string{"one", "two"}})
	y = grpRun(t, ir.MLDomain, "CategoryMapper", 1, cm, 1, ir.FromSlice([]string{"two", "three"}))
	grpWant(t, "string→int", y[0], []int64{2}, []int64{2, -1})
	y = grpRun(t, ir.MLDomain, "CategoryMapper", 1, cm, 1, ir.FromSlice([]int64{1, 3}))
	grpWant(t, "int→string", y[0], []int64{2}, []string{"one", "_Unused"})
}

func TestLinearModels(t *testing.T) {
	x := ir.FromSlice([]float32{1, 2, -1, 0}, 2, 2)
	y := grpRun(t, ir.MLDomain, "LinearRegressor", 1, rndAttrs(map[string]any{
		"coefficients": []float32{1, 1, 2, 0}, "intercepts": []float32{0, 1}, "targets": int64(2)}), 1, x)
	grpWant(t, "regressor", y[0], []int64{2, 2}, []float32{3, 3, -1, -1})

	y = grpRun(t, ir.MLDomain, "LinearClassifier", 1, rndAttrs(map[string]any{
		"coefficients": []float32{1, 0, 0, 1, -1, -1}, "classlabels_strings": []string{"a", "b", "c"}}), 2, x)
	grpWant(t, "labels", y[0], []int64{2}, []string{"b", "c"})
	grpWant(t, "scores", y[1], []int64{2, 3}, []float32{1, 2, -3, -1, 0, 1})

	// Binary with one coefficient row: scores [-s, s].
	y = grpRun(t, ir.MLDomain, "LinearClassifier", 1, rndAttrs(map[string]any{
		"coefficients": []float32{1, 1}, "intercepts": []float32{-1}, "classlabels_ints": []int64{5, 7}}), 2, x)
	grpWant(t, "binary labels", y[0], []int64{2}, []int64{7, 5})
	grpWant(t, "binary scores", y[1], []int64{2, 2}, []float32{-2, 2, 2, -2})
}
