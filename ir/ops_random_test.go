package ir

import "testing"

// Type inference of the random, text, training, ml and misc rows.
func TestInferGroupRows(t *testing.T) {
	f32 := func(s ...int64) Type { return TensorType(Float32, s...) }
	tests := []struct {
		domain, op string
		attrs      Attrs
		in         []Type
		want       []string
	}{
		{"", "RandomNormal", Attrs{"shape": {Kind: AttrInts, Ints: []int64{2, 3}}, "dtype": {Kind: AttrInt, I: 11}}, nil, []string{"double[2,3]"}},
		{"", "RandomUniformLike", Attrs{}, []Type{TensorType(Float16, 4)}, []string{"float16[4]"}},
		{"", "Bernoulli", Attrs{"dtype": {Kind: AttrInt, I: 9}}, []Type{f32(2, 2)}, []string{"bool[2,2]"}},
		{"", "Multinomial", Attrs{"sample_size": {Kind: AttrInt, I: 5}}, []Type{f32(3, 4)}, []string{"int32[3,5]"}},
		{"", "StringSplit", Attrs{}, []Type{TensorType(String, 2)}, []string{"string[2,?]", "int64[2]"}},
		{"", "StringNormalizer", Attrs{}, []Type{TensorType(String, 1, 3)}, []string{"string[1,3]"}},
		{"", "StringNormalizer", Attrs{"stopwords": {Kind: AttrStrings, Strings: []string{"a"}}}, []Type{TensorType(String, 3)}, []string{"string[?]"}},
		{"", "TfIdfVectorizer", Attrs{"ngram_indexes": {Kind: AttrInts, Ints: []int64{0, 4}}}, []Type{TensorType(Int32, 2, 7)}, []string{"float[2,5]"}},
		{"", "RegexFullMatch", Attrs{}, []Type{TensorType(String, 3)}, []string{"bool[3]"}},
		{TrainingDomain, "Adam", Attrs{}, []Type{f32(), TensorType(Int64), f32(2), TensorType(Float32, 3), f32(2), TensorType(Float32, 3), f32(2), TensorType(Float32, 3), f32(2), TensorType(Float32, 3)},
			[]string{"float[2]", "float[3]", "float[2]", "float[3]", "float[2]", "float[3]"}},
		{MLDomain, "ArrayFeatureExtractor", Attrs{}, []Type{f32(5), TensorType(Int64, 2)}, []string{"float[1,2]"}},
		{MLDomain, "TreeEnsemble", Attrs{"leaf_targetids": {Kind: AttrInts, Ints: []int64{0, 2}}}, []Type{f32(4, 3)}, []string{"float[4,3]"}},
		{MLDomain, "LinearClassifier", Attrs{"coefficients": {Kind: AttrFloats, Floats: make([]float32, 3)}, "classlabels_ints": {Kind: AttrInts, Ints: []int64{0, 1}}},
			[]Type{f32(4, 3)}, []string{"int64[4]", "float[4,2]"}},
		{"", "CausalConvWithState", Attrs{}, []Type{f32(2, 4, 9), f32(4, 1, 3)}, []string{"float[2,4,9]", "float[2,4,2]"}},
		{"", "LinearAttention", Attrs{"q_num_heads": {Kind: AttrInt, I: 4}, "kv_num_heads": {Kind: AttrInt, I: 2}},
			[]Type{f32(1, 5, 32), f32(1, 5, 16), f32(1, 5, 12)}, []string{"float[1,5,24]", "float[1,2,8,6]"}},
	}
	for _, tc := range tests {
		n := &Node{Name: "n", Op: tc.op, Domain: tc.domain, Opset: 30, Attrs: tc.attrs}
		for k, a := range tc.attrs {
			a.Name = k
		}
		for i := range tc.in {
			n.Inputs = append(n.Inputs, &Value{Type: tc.in[i]})
		}
		for range tc.want {
			n.Outputs = append(n.Outputs, &Value{})
		}
		s, _ := LookupOp(tc.domain, tc.op)
		req := map[string]bool{}
		for _, a := range s.Attrs {
			req[a.Name] = a.Required
		}
		for name, r := range req { // fill required attributes the case does not care about
			if r && !n.Attrs.Has(name) {
				kind, _ := s.Attr(name)
				n.Attrs[name] = &Attr{Name: name, Kind: kind.Kind}
			}
		}
		if err := InferNode(n); err != nil {
			t.Errorf("%s: %v", tc.op, err)
			continue
		}
		for i, w := range tc.want {
			if got := n.Outputs[i].Type.String(); got != w {
				t.Errorf("%s output %d: %s, want %s", tc.op, i, got, w)
			}
		}
	}
}
